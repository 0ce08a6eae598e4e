// Parses a YAML/JSON value as an Envoy message the way Envoy's own loader does: strictly.
import { fromJson } from "@bufbuild/protobuf";
import { requireMessage } from "./registry.mjs";

// fromJson rejects unknown fields and enum names, and resolves Any "@type" through the registry,
// so typed_config contents are parsed as strictly as the outer message.
export function checkMessage(registry, typeName, value, where) {
  try {
    fromJson(requireMessage(registry, typeName), value, { registry, ignoreUnknownFields: false });
  } catch (err) {
    throw new Error(`${where}: not a valid ${typeName}: ${err.message}`);
  }
}
