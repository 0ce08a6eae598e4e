#!/usr/bin/env bash
# Reproduces docs/benchmarks.md, section "Coalescing (issue 12)": single-input embedding requests from 64 closed-loop
# clients, direct (ext_proc, then the engine, as Envoy runs them) against coalesced (the server answers from one
# batch), side by side on the engine simulator with TEI's L4 costs, serial and batching inside; a lone client
# alternating both paths; 10,000 requests against a stalled engine and a held cap of 5,000. The simulator runs inside
# the load generator, the real server in its own process. Release build, loopback only.
# Usage: bench/measure-coalescing.sh [extra ExtProc.LoadGen coalesce options, e.g. --duration 10 --batching-in-flight 4]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release bench/ExtProc.LoadGen -v q -nologo
lg=bench/ExtProc.LoadGen/bin/Release/net10.0/ExtProc.LoadGen
{ date -u; nproc; lscpu | grep 'Model name'; free -g | head -2; dotnet --version; git rev-parse --short HEAD; cut -d' ' -f1-3 /proc/loadavg; } || true
# The load generator's thread pool does not spin waiting for work (the tool keeps this from the server it starts):
# on 2 cores its spinning threads took the CPU the server and the simulated engine's timers need.
DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 $lg coalesce --clients 64 --mode both --duration 20 --warmup 10 --max-wait-ms 10 --batching-in-flight 8 \
  --lone-requests 2000 --hold 10000 --held-cap 5000 "$@"
