// Strict validation of Envoy YAML files: bootstrap configs and Istio EnvoyFilters.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { checkEnvoyFilter } from "./envoy-filter.mjs";
import { checkMessage } from "./strict-json.mjs";

const bootstrapType = "envoy.config.bootstrap.v3.Bootstrap";

/** Validates one YAML file (any number of documents); returns the messages checked, throws on the first error. */
export function validateFile(registry, file) {
  const docs = parseAllDocuments(readFileSync(file, "utf8"), { prettyErrors: false });
  let checked = 0;
  docs.forEach((d, i) => {
    const where = `${file} document ${i}`;
    if (d.errors.length > 0) {
      throw new Error(`${where}: YAML error: ${d.errors[0].message}`);
    }
    const doc = d.toJS({ maxAliasCount: -1 });
    if (doc === null || doc === undefined) {
      return;
    }
    if (doc.kind === "EnvoyFilter") {
      checked += checkEnvoyFilter(registry, doc, where);
    } else if (doc.kind !== undefined || doc.apiVersion !== undefined) {
      throw new Error(`${where}: kind ${doc.kind} is not an Envoy config`);
    } else {
      checkMessage(registry, bootstrapType, doc, where);
      checked += 1;
    }
  });
  if (checked === 0) {
    throw new Error(`${file}: no Envoy config found`);
  }
  return checked;
}
