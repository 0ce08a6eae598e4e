#!/usr/bin/env bash
# Soak (docs/benchmarks.md, "Hardening (issue 10): soak"): the real server, started on a config file, under N
# concurrent ext_proc streams of mixed traffic (small and large chat, completions, embeddings, malformed bodies,
# unknown models), 5 % of exchanges reset part-way, the config file rewritten with a real change every interval,
# the server's VmRSS, open streams and config generation sampled throughout. Release build, loopback only.
# Usage: bench/soak.sh [OUT_DIR] [SOAK OPTION...]
#   defaults: --streams 1000 --connections 4 --duration 600 --cancel-percent 5 --reload-every 60 --sample-every 5
#   e.g.      bench/soak.sh /tmp/soak-check --streams 100 --duration 60 --reload-every 15
# Writes OUT_DIR/machine.txt, OUT_DIR/config.yaml (the file the server reloads) and OUT_DIR/soak.log; exits 0 only
# when the last line of the log is PASS (every exchange answered as expected, every rewrite applied, no reload
# failure, no internal error, open streams back to 0).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-/tmp/extproc-soak-$(date -u +%Y%m%dT%H%M)}
shift || true
mkdir -p "$out"

dotnet build -c Release bench/ExtProc.LoadGen -v q -nologo
lg=bench/ExtProc.LoadGen/bin/Release/net10.0/ExtProc.LoadGen
{ date -u; nproc; lscpu | grep 'Model name'; free -g | head -2; git rev-parse HEAD 2>/dev/null || true; } > "$out/machine.txt"
echo "loadavg(start) $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/machine.txt"

set +e
"$lg" soak --work-dir "$out" "$@" 2>&1 | tee "$out/soak.log"
status=${PIPESTATUS[0]}
set -e
echo "log in $out/soak.log"
exit "$status"
