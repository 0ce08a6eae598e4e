#!/usr/bin/env bash
# Reproduces docs/benchmarks.md, section "Admission (issue 11): decision cost and telemetry", GPU agents: the CPU the server's watcher
# spends on 64 agents each publishing an 8-GPU snapshot every 250 ms. Release build, loopback only.
# Usage: bench/measure-gpu-watch.sh [AGENTS] [WARMUP_S] [DURATION_S]
set -euo pipefail
cd "$(dirname "$0")/.."
agents=${1:-64}
warmup=${2:-30}
duration=${3:-60}
dotnet build -c Release bench/ExtProc.LoadGen -v q -nologo
lg=bench/ExtProc.LoadGen/bin/Release/net10.0/ExtProc.LoadGen
{ date -u; nproc; lscpu | grep 'Model name'; cut -d' ' -f1-3 /proc/loadavg; } || true
$lg gpu-publish --agents "$agents" --max-seconds $((warmup + duration + 30)) &
publisher=$!
trap 'kill $publisher 2>/dev/null || true' EXIT
sleep 3
$lg gpu-watch --agents "$agents" --warmup "$warmup" --duration "$duration"
