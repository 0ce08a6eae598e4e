// Finds the proto files whose import closure is complete inside the given roots.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";

const importLine = /^\s*import\s+(?:public\s+|weak\s+)?"([^"]+)"\s*;/gm;

export function listProtos(root, subdir) {
  const found = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (entry.name.endsWith(".proto")) {
        found.push(relative(root, full).split(sep).join("/"));
      }
    }
  };
  walk(join(root, subdir));
  return found.sort();
}

/** Returns a function telling, for a relative proto path, which import (if any) cannot be found. */
export function closureChecker(includeDirs) {
  const missing = new Map();
  const locate = (file) => includeDirs.map((d) => join(d, file)).find((p) => existsSync(p));
  const firstMissing = (file, stack = new Set()) => {
    if (missing.has(file)) {
      return missing.get(file);
    }
    if (stack.has(file)) {
      return null;
    }
    stack.add(file);
    const path = locate(file);
    let result = path ? null : file;
    if (path) {
      for (const match of readFileSync(path, "utf8").matchAll(importLine)) {
        result = firstMissing(match[1], stack);
        if (result) {
          break;
        }
      }
    }
    missing.set(file, result);
    return result;
  };
  return (file) => firstMissing(file);
}
