#!/usr/bin/env bash
# Finds Prometheus and promtool for the observability tests (docs/observability.md, "Tests") and writes their paths,
# one a line (prometheus, then promtool), to OUTPUT: both on PATH, else Debian's `prometheus` package unpacked into
# CACHE_DIR without installing it (tools/debian/find-binaries.sh; they are Go programs that need nothing beyond libc).
# Usage: find-prometheus.sh CACHE_DIR OUTPUT
set -euo pipefail
exec bash "$(dirname "$0")/../debian/find-binaries.sh" "$1" "$2" prometheus prometheus promtool
