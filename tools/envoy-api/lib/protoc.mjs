// Runs protoc (the one shipped in Grpc.Tools, passed in by MSBuild) to write a descriptor set.
import { execFileSync } from "node:child_process";

export function writeDescriptorSet({ protoc, includes, inputs, out }) {
  const args = [
    ...includes.map((dir) => `--proto_path=${dir}`),
    "--include_imports",
    `--descriptor_set_out=${out}`,
    ...inputs,
  ];
  execFileSync(protoc, args, { stdio: ["ignore", "inherit", "inherit"] });
}
