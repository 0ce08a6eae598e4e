#!/usr/bin/env bash
# Reproduces docs/benchmarks.md, "GPU agents and engine scraping together", the paired runs on the thread pool's
# spinning: two servers on the same config, watching the same 64 stand-in agents and scraping the same 50 stand-in
# endpoints at the same moments, one with DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=$SPIN_A (unset: the binary's
# runtimeconfig) and one with $SPIN_B; each server's CPU (utime + stime from /proc) over 6 slices of 30 s after 60 s.
# Running both at once makes the comparison paired: whatever the machine does falls on both.
# Usage: SPIN_A=70 SPIN_B=0 bench/measure-spin-pair.sh CONFIG   (CONFIG: the telemetry.yaml that
# bench/measure-admission-telemetry.sh writes into its /tmp/extproc-telemetry-* folder; Release build first)
set -euo pipefail
cd "$(dirname "$0")/.."
config=${1:?the telemetry config}
bin=bench/ExtProc.LoadGen/bin/Release/net10.0
{ date -u; git rev-parse --short HEAD; echo "A: spin limit ${SPIN_A:-runtimeconfig}, B: ${SPIN_B:-runtimeconfig}"; } || true
"$bin/ExtProc.LoadGen" gpu-publish --agents 64 --base-port 50100 --max-seconds 400 > /dev/null &
pids=($!)
"$bin/ExtProc.LoadGen" engine-publish --endpoints 50 --base-port 9100 --kind vllm --max-seconds 400 > /dev/null &
pids+=($!)
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
trap 'exit 1' INT TERM
sleep 3
start() { # $1 = spin limit or empty, $2 = port offset
  if [ -n "$1" ]; then export DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=$1; else unset DOTNET_ThreadPool_UnfairSemaphoreSpinLimit; fi
  "$bin/ExtProc" --config "$config" --server:grpcAddress=127.0.0.1 --server:grpcPort=$((18081 + $2)) \
    --server:httpAddress=127.0.0.1 --server:httpPort=$((18091 + $2)) --Logging:LogLevel:Default=Error > /dev/null 2>&1 &
  pids+=($!)
  unset DOTNET_ThreadPool_UnfairSemaphoreSpinLimit
}
start "${SPIN_A:-}" 0
a=${pids[-1]}
start "${SPIN_B:-}" 1
b=${pids[-1]}
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
sleep 60
for pid in $a $b; do
  kill -0 "$pid" 2>/dev/null || { echo "a server (pid $pid) is not running: ports 18081-18092 in use?" >&2; exit 1; }
done
for slice in 1 2 3 4 5 6; do
  a0=$(cpu $a); b0=$(cpu $b); t0=$(date +%s.%N)
  sleep 30
  a1=$(cpu $a); b1=$(cpu $b); t1=$(date +%s.%N)
  awk -v s=$slice -v a=$((a1 - a0)) -v b=$((b1 - b0)) -v hz="$hz" -v t0="$t0" -v t1="$t1" -v load="$(cut -d' ' -f1 /proc/loadavg)" \
    'BEGIN { d = t1 - t0; printf "slice %d: A %.2f %% of one core, B %.2f %% (load %s)\n", s, a / hz / d * 100, b / hz / d * 100, load }'
done
