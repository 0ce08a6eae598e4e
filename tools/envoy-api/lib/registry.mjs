// Loads a protoc descriptor set into a @bufbuild/protobuf registry.
import { readFileSync } from "node:fs";
import { createFileRegistry, fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";

export function loadRegistry(path) {
  return createFileRegistry(fromBinary(FileDescriptorSetSchema, readFileSync(path)));
}

export function requireMessage(registry, typeName) {
  const desc = registry.getMessage(typeName);
  if (!desc) {
    throw new Error(`type ${typeName} is not in the descriptor set`);
  }
  return desc;
}
