// Builds the two descriptor sets: the ext_proc service closure (as shipped) and the config-validation set.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { depsRoots, xdsPackageVersion } from "./deps.mjs";
import { closureChecker, listProtos } from "./imports.mjs";
import { writeDescriptorSet } from "./protoc.mjs";
import { loadRegistry } from "./registry.mjs";

export const extProcSetName = "envoy-ext-proc.pb";
export const configSetName = "envoy-config.pb";

// Types the repo's configs rely on: the build fails if any of them drops out of the validation set.
const requiredTypes = [
  "envoy.config.bootstrap.v3.Bootstrap",
  "envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
  "envoy.extensions.filters.http.ext_proc.v3.ExternalProcessor",
  "envoy.extensions.filters.http.router.v3.Router",
  "envoy.extensions.filters.http.health_check.v3.HealthCheck",
  "envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
  "envoy.extensions.access_loggers.stream.v3.StdoutAccessLog",
];

// The npm copy of validate.proto predates StringRules.ignore_empty (field 26 upstream), which some
// Envoy files use in options. Patch a private copy under the work dir; the package stays untouched.
function patchedValidateRoot(workDir) {
  const source = readFileSync(join(depsRoots.validate, "validate", "validate.proto"), "utf8");
  let text = source;
  if (!/\bignore_empty\b/.test(source)) {
    const anchor = /^(\s*optional bool strict = 25 \[default = true\];)$/m;
    if (!anchor.test(source)) {
      throw new Error("validate.proto: StringRules.strict anchor not found; cannot add ignore_empty");
    }
    text = source.replace(anchor, "$1\n  optional bool ignore_empty = 26;");
  }
  const root = join(workDir, "validate-patched");
  mkdirSync(join(root, "validate"), { recursive: true });
  writeFileSync(join(root, "validate", "validate.proto"), text);
  return root;
}

// The npm copy of route_components.proto predates RateLimit.hits_addend and apply_on_stream_done (fields 5 and 6
// upstream, Envoy 1.33), which examples/ratelimit/envoy.yaml uses to charge the usage Envoy reads from the server's
// dynamic metadata. Patch a private copy into an overlay root searched first; null once the package has them.
function patchedRouteRoot(workDir) {
  const file = join("envoy", "config", "route", "v3", "route_components.proto");
  const source = readFileSync(join(depsRoots.envoy, file), "utf8");
  if (/\bapply_on_stream_done\b/.test(source)) {
    return null;
  }
  const anchor = /^(  Override limit = 4;\r?\n)(\})/m;
  if (!anchor.test(source)) {
    throw new Error("route_components.proto: RateLimit.limit anchor not found; cannot add hits_addend");
  }
  const fields = [
    "",
    "  message HitsAddend {",
    "    google.protobuf.UInt64Value number = 1;",
    "    string format = 2;",
    "  }",
    "",
    "  HitsAddend hits_addend = 5;",
    "  bool apply_on_stream_done = 6;",
    "",
  ].join("\n");
  const root = join(workDir, "route-patched");
  mkdirSync(join(root, dirname(file)), { recursive: true });
  writeFileSync(join(root, file), source.replace(anchor, `$1${fields}$2`));
  return root;
}

export function buildDescriptorSets({ protoc, wkt, workDir, outDir }) {
  mkdirSync(outDir, { recursive: true });
  mkdirSync(workDir, { recursive: true });
  const shipped = [depsRoots.envoy, depsRoots.xds, depsRoots.googleapis, depsRoots.validate, wkt];
  writeDescriptorSet({
    protoc,
    includes: shipped,
    inputs: ["envoy/service/ext_proc/v3/external_processor.proto"],
    out: join(outDir, extProcSetName),
  });

  const patched = [patchedRouteRoot(workDir), depsRoots.envoy, depsRoots.xds, depsRoots.googleapis, patchedValidateRoot(workDir), wkt]
    .filter((root) => root !== null);
  const missingImport = closureChecker(patched);
  const roots = [];
  const skipped = [];
  for (const dir of ["envoy/config", "envoy/extensions", "envoy/type"]) {
    for (const file of listProtos(depsRoots.envoy, dir).filter((f) => f.includes("/v3/"))) {
      // Files needing protos the package does not ship (opencensus, opentelemetry) are left out.
      const missing = missingImport(file);
      (missing ? skipped : roots).push(missing ? `${file} (needs ${missing})` : file);
    }
  }
  const out = join(outDir, configSetName);
  writeDescriptorSet({ protoc, includes: patched, inputs: roots, out });
  const registry = loadRegistry(out);
  const absent = requiredTypes.filter((t) => !registry.getMessage(t));
  if (absent.length > 0) {
    throw new Error(`validation descriptor set lacks: ${absent.join(", ")}`);
  }
  console.log(`envoy-api: @grpc/grpc-js-xds ${xdsPackageVersion}: ${roots.length} root files compiled, ${skipped.length} left out:`);
  skipped.forEach((s) => console.log(`  ${s}`));
}
