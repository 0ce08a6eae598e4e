#!/usr/bin/env bash
# Reproduces docs/benchmarks.md, section "Admission (issue 11): decision cost and telemetry", "GPU agents and engine
# scraping together (the real server)": the CPU the real server (the ExtProc binary, Release, server GC) spends
# watching AGENTS GPU agents (8 GPUs each, a fresh snapshot every 250 ms) and scraping ENDPOINTS vLLM metrics
# endpoints (a full page every 250 ms, in pools of 10), measured from /proc over a window after a warm-up, minus the
# same server with the same catalogue watching and scraping nothing. Loopback only; the stand-ins run in their own
# processes. Exits 1 unless the server's /metrics show the telemetry live in the window (every agent connected and
# updating, every endpoint up and scraped, one request per pool routed by admission).
# Usage: bench/measure-admission-telemetry.sh [AGENTS=64] [ENDPOINTS=50] [WARMUP_S=20] [DURATION_S=60]
set -euo pipefail
cd "$(dirname "$0")/.."
agents=${1:-64}
endpoints=${2:-50}
warmup=${3:-20}
duration=${4:-60}
agent_port=50100
engine_port=9100
per_pool=10
configuration=${CONFIGURATION:-Release}

dotnet build -c "$configuration" bench/ExtProc.LoadGen -v q -nologo
bin=bench/ExtProc.LoadGen/bin/$configuration/net10.0
{ date -u; nproc; lscpu | grep 'Model name'; echo "loadavg $(cut -d' ' -f1-3 /proc/loadavg)"; git rev-parse --short HEAD; } || true

work=$(mktemp -d /tmp/extproc-telemetry-XXXXXX)
pools=$(( (endpoints + per_pool - 1) / per_pool ))
# The same catalogue twice: with telemetry (agents, engines, GPU selectors), and without (the baseline).
write_config() { # $1 = file, $2 = with (telemetry) | without (baseline)
  {
    echo "# Written by bench/measure-admission-telemetry.sh ($2 telemetry)."
    if [ "$2" = with ]; then
      echo "admission:"
      echo "  gpuAgents:"
      echo "    addresses:"
      for ((a = 0; a < agents; a++)); do echo "      - 127.0.0.1:$((agent_port + a))"; done
    fi
    echo "catalogue:"
    echo "  pools:"
    for ((p = 0; p < pools; p++)); do
      echo "    - name: pool-$p"
      if [ "$2" = with ]; then
        echo "      engine:"
        echo "        kind: vllm"
        echo "        endpoints:"
        for ((e = p * per_pool; e < (p + 1) * per_pool && e < endpoints; e++)); do
          echo "          - http://127.0.0.1:$((engine_port + e))/metrics"
        done
        echo "      gpus: { namespace: llm, pods: 'vllm-large-*' }"
      fi
    done
    echo "  models:"
    for ((p = 0; p < pools; p++)); do
      echo "    - { name: bench-$p, versions: [{ name: v1, pool: pool-$p }] }"
    done
  } > "$1"
}
write_config "$work/telemetry.yaml" with
write_config "$work/baseline.yaml" without
"$bin/ExtProc" validate --config "$work/telemetry.yaml"
"$bin/ExtProc" validate --config "$work/baseline.yaml"

lifetime=$((2 * (warmup + duration) + 180))
"$bin/ExtProc.LoadGen" gpu-publish --agents "$agents" --base-port "$agent_port" --max-seconds "$lifetime" &
agents_pid=$!
"$bin/ExtProc.LoadGen" engine-publish --endpoints "$endpoints" --base-port "$engine_port" --kind vllm --max-seconds "$lifetime" &
engines_pid=$!
trap 'kill $agents_pid $engines_pid 2>/dev/null || true' EXIT
sleep 3

checks=()
for ((p = 0; p < pools; p++)); do checks+=(--check-model "bench-$p"); done
"$bin/ExtProc.LoadGen" telemetry-cpu --config "$work/telemetry.yaml" --baseline-config "$work/baseline.yaml" \
  --agents "$agents" --endpoints "$endpoints" --warmup "$warmup" --duration "$duration" "${checks[@]}"
