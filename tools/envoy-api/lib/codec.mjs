// Encodes and decodes messages with Envoy's own schema, one base64 or JSON item per stdin line.
import { fromBinary, fromJson, toBinary, toJson } from "@bufbuild/protobuf";
import { requireMessage } from "./registry.mjs";

function unknownFields(value, out = []) {
  if (Array.isArray(value)) {
    value.forEach((v) => unknownFields(v, out));
  } else if (value && typeof value === "object" && !(value instanceof Uint8Array)) {
    for (const u of value.$unknown ?? []) {
      out.push(`${value.$typeName}#${u.no}`);
    }
    Object.entries(value).filter(([k]) => k !== "$unknown").forEach(([, v]) => unknownFields(v, out));
  }
  return out;
}

/** base64 wire bytes in; Envoy's JSON view, the re-encoded bytes and any unknown fields out. */
export function decodeLine(registry, typeName, line) {
  const desc = requireMessage(registry, typeName);
  const message = fromBinary(desc, Buffer.from(line, "base64"));
  return JSON.stringify({
    json: toJson(desc, message, { registry }),
    binary: Buffer.from(toBinary(desc, message)).toString("base64"),
    unknown: unknownFields(message),
  });
}

/** Proto3 JSON in; wire bytes (base64) encoded by Envoy's schema out. */
export function encodeLine(registry, typeName, line) {
  const desc = requireMessage(registry, typeName);
  const message = fromJson(desc, JSON.parse(line), { registry });
  return Buffer.from(toBinary(desc, message)).toString("base64");
}
