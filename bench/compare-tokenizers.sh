#!/usr/bin/env bash
# Side-by-side counting throughput against the reference tokenizers, in one run (docs/benchmarks.md, "Token counting").
# Usage: bench/compare-tokenizers.sh [ROUNDS]   (default 9; each number is the best of ROUNDS runs after a 2 s warm-up)
# Needs Node.js and the .NET SDK, as the README's commands do; run it on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
refs=tools/tokenizer-goldens
if [ ! -d "$refs/node_modules" ] || [ "$refs/package-lock.json" -nt "$refs/node_modules" ]; then
  (cd "$refs" && npm ci --no-audit --no-fund)
fi
dotnet build -c Release bench/ExtProc.TokenizerComparison -v q -nologo
node bench/ExtProc.TokenizerComparison/compare.mjs "${1:-9}"
