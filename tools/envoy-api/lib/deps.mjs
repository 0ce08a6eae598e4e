// Locates Envoy's API tree inside the pinned @grpc/grpc-js-xds package (never copied into the repo).
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
const packageDir = dirname(require.resolve("@grpc/grpc-js-xds/package.json"));

export const xdsPackageVersion = require("@grpc/grpc-js-xds/package.json").version;

/** Roots of the proto trees the package ships, in import-path order. */
export const depsRoots = {
  envoy: join(packageDir, "deps", "envoy-api"),
  xds: join(packageDir, "deps", "xds"),
  googleapis: join(packageDir, "deps", "googleapis"),
  validate: join(packageDir, "deps", "protoc-gen-validate"),
};
