#!/usr/bin/env bash
# Reproduces docs/benchmarks.md, section "ext_proc core (issue 2)": Release build, loopback only, every step bounded.
# Usage: bench/measure-core.sh [OUT_DIR] [STEP...]   steps: null real half big memory bdn (default: all, in that order)
# Run it on an otherwise idle machine: client and server share the CPUs, so any other load skews every number.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-/tmp/extproc-bench-$(date -u +%Y%m%dT%H%M)}
shift || true
steps=${*:-null real half big memory bdn}
mkdir -p "$out"

dotnet build -c Release bench/ExtProc.LoadGen -v q -nologo
dotnet build -c Release bench/ExtProc.Benchmarks -v q -nologo
lg=bench/ExtProc.LoadGen/bin/Release/net10.0/ExtProc.LoadGen
{ date -u; nproc; lscpu | grep 'Model name'; free -g | head -2; git rev-parse HEAD 2>/dev/null || cat .snap-head 2>/dev/null || true; } > "$out/machine.txt"

run() {
  local name=$1; shift
  echo "== $name $(date -u +%H:%M:%S) loadavg $(cut -d' ' -f1-3 /proc/loadavg): $*" | tee "$out/$name.log"
  "$@" 2>&1 | tee -a "$out/$name.log"
}

for step in $steps; do
  case $step in
    null)
      # The floor: empty replies, same Kestrel h2c settings, its own process; stopped when the step ends.
      $lg serve-null --port 50061 --max-seconds 120 > "$out/null-server.log" 2>&1 &
      null_pid=$!
      sleep 3
      run null $lg run --target http://127.0.0.1:50061 --server-pid auto --streams 64 --connections 2 --warmup 30 --duration 30
      kill "$null_pid" || true; wait "$null_pid" || true
      ;;
    real)
      run real $lg run --spawn-server --streams 64 --connections 2 --warmup 30 --duration 30
      ;;
    half)
      max=$(sed -n 's/^RESULT .*throughput=\([0-9]*\)\/s.*/\1/p' "$out/real.log")
      run half $lg run --spawn-server --streams 64 --connections 2 --warmup 30 --duration 30 --rate $((max / 2))
      ;;
    big)
      run big $lg run --spawn-server --body-bytes 256k --streams 1 --connections 1 --warmup 30 --duration 30
      ;;
    memory)
      run memory $lg run --spawn-server --streams 64 --connections 2 --warmup 30 --duration 300 --sample-every 10
      ;;
    bdn)
      run bdn dotnet bench/ExtProc.Benchmarks/bin/Release/net10.0/ExtProc.Benchmarks.dll --filter '*' --job short --artifacts "$out/bdn"
      ;;
    *) echo "unknown step $step" >&2; exit 2 ;;
  esac
done
echo "logs in $out"
