#!/usr/bin/env node
// Build-time tool for Envoy's API (taken from @grpc/grpc-js-xds, see docs/envoy-config-validation.md):
//   build    --protoc FILE --wkt DIR --work DIR --out DIR   write the descriptor sets
//   validate --descriptors FILE YAML...                      check Envoy configs strictly
//   decode|encode --descriptors FILE --type NAME             stdin lines -> stdout lines
//   yaml-to-json YAML                                        all documents as one JSON array
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { parseAllDocuments } from "yaml";
import { buildDescriptorSets } from "./lib/build.mjs";
import { decodeLine, encodeLine } from "./lib/codec.mjs";
import { loadRegistry } from "./lib/registry.mjs";
import { validateFile } from "./lib/validate.mjs";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    protoc: { type: "string" },
    wkt: { type: "string" },
    work: { type: "string" },
    out: { type: "string" },
    descriptors: { type: "string" },
    type: { type: "string" },
  },
});
const [command, ...files] = positionals;

function need(name) {
  if (!values[name]) {
    throw new Error(`${command}: --${name} is required`);
  }
  return values[name];
}

function validate() {
  const registry = loadRegistry(need("descriptors"));
  let failed = 0;
  for (const file of files) {
    try {
      console.log(`ok ${file} (${validateFile(registry, file)} checked)`);
    } catch (err) {
      failed += 1;
      console.log(`error ${err.message}`);
    }
  }
  return files.length > 0 && failed === 0 ? 0 : 1;
}

function codec(transform) {
  const registry = loadRegistry(need("descriptors"));
  const typeName = need("type");
  const lines = readFileSync(0, "utf8").split("\n").filter((l) => l.trim() !== "");
  console.log(lines.map((l) => transform(registry, typeName, l)).join("\n"));
  return 0;
}

// Strict YAML (duplicate keys are errors) for the tests that read deploy files.
function yamlToJson(file) {
  if (files.length !== 1) {
    throw new Error("yaml-to-json: exactly one file is expected");
  }
  const docs = parseAllDocuments(readFileSync(file, "utf8"));
  const bad = docs.find((d) => d.errors.length > 0);
  if (bad) {
    throw new Error(`${file}: ${bad.errors[0].message}`);
  }
  console.log(JSON.stringify(docs.map((d) => d.toJS({ maxAliasCount: -1 })).filter((d) => d != null)));
  return 0;
}

const commands = {
  build: () => {
    buildDescriptorSets({ protoc: need("protoc"), wkt: need("wkt"), workDir: need("work"), outDir: need("out") });
    return 0;
  },
  validate,
  decode: () => codec(decodeLine),
  encode: () => codec(encodeLine),
  "yaml-to-json": () => yamlToJson(files[0]),
};

try {
  if (!commands[command]) {
    throw new Error(`usage: envoy-api.mjs build|validate|decode|encode ... (got ${JSON.stringify(command)})`);
  }
  process.exitCode = commands[command]();
} catch (err) {
  console.error(`envoy-api: ${err.message}`);
  process.exitCode = 2;
}
