#!/usr/bin/env bash
# Real-GPU check for the GPU agent (docs/gpu-agent.md, "Checking on a real GPU").
# Builds and starts the agent against the driver's libnvidia-ml.so.1, scrapes /metrics once, and compares every GPU's
# readings with nvidia-smi --query-gpu. Finishes in under two minutes (hard limit: GPU_CHECK_TIMEOUT, default 110 s).
# Needs: an NVIDIA driver with nvidia-smi, the .NET 10 SDK, curl. Optional: grpcurl (also checks the gRPC snapshot).
# Exit code 0 when every check passes, 1 when one fails, 2 when the machine cannot run the check.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GRPC_PORT=${GPU_CHECK_GRPC_PORT:-50552}
METRICS_PORT=${GPU_CHECK_METRICS_PORT:-9452}
LIBRARY=${GPU_CHECK_NVML_LIBRARY:-libnvidia-ml.so.1}
DEADLINE=$(( $(date +%s) + ${GPU_CHECK_TIMEOUT:-110} ))
WORK=$(mktemp -d)
AGENT_PID=""
FAILURES=0

cleanup() {
  if [[ -n "$AGENT_PID" ]]; then kill "$AGENT_PID" 2>/dev/null || true; wait "$AGENT_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

need() { command -v "$1" >/dev/null 2>&1 || { echo "SKIP: $1 not found" >&2; exit 2; }; }
left() { echo $(( DEADLINE - $(date +%s) )); }
check() { # name, ok(0/1), detail
  if [[ "$2" == 1 ]]; then echo "PASS $1 $3"; else echo "FAIL $1 $3"; FAILURES=$((FAILURES + 1)); fi
}

need nvidia-smi
need dotnet
need curl
nvidia-smi -L >/dev/null || { echo "SKIP: nvidia-smi sees no GPU" >&2; exit 2; }

echo "== building the agent ($(left) s left)"
timeout "$(left)" dotnet build "$ROOT/src/GpuAgent/GpuAgent.csproj" -c Release -o "$WORK/agent" -v quiet -nologo >"$WORK/build.log" 2>&1 \
  || { cat "$WORK/build.log"; echo "FAIL build"; exit 1; }

echo "== starting the agent on :$GRPC_PORT (gRPC) and :$METRICS_PORT (metrics)"
GpuAgent__GrpcPort=$GRPC_PORT GpuAgent__MetricsPort=$METRICS_PORT GpuAgent__Nvml__LibraryPath=$LIBRARY \
GpuAgent__NodeName=$(hostname) GpuAgent__Sampling__Interval=00:00:01 \
  dotnet "$WORK/agent/GpuAgent.dll" >"$WORK/agent.log" 2>&1 &
AGENT_PID=$!

ready=0
while (( $(left) > 20 )); do
  if curl -fsS "http://127.0.0.1:$METRICS_PORT/readyz" >/dev/null 2>&1; then ready=1; break; fi
  kill -0 "$AGENT_PID" 2>/dev/null || break
  sleep 0.5
done
check readyz "$ready" "(NVML up)"
if [[ "$ready" != 1 ]]; then cat "$WORK/agent.log"; exit 1; fi
sleep 2 # Two samples, so utilization and power have a window behind them.

curl -fsS "http://127.0.0.1:$METRICS_PORT/metrics" >"$WORK/metrics.txt"
nvidia-smi --query-gpu=uuid,name,pci.bus_id,memory.total,memory.used,memory.free,temperature.gpu,power.draw,utilization.gpu \
  --format=csv,noheader,nounits >"$WORK/smi.csv"
grep -q '^gpu_agent_nvml_up 1' "$WORK/metrics.txt" && up=1 || up=0
check nvml_up "$up" ""

# Per-GPU series (not MIG instances): UUID -> value, one line per UUID.
series() {
  grep "^$1{" "$WORK/metrics.txt" | grep 'GPU_I_ID=""' \
    | sed -E 's/.*UUID="([^"]+)".*modelName="([^"]*)".*\} ([-0-9.eE+]+)$/\1 \3/' | sort -u -k1,1
}
for m in DCGM_FI_DEV_FB_TOTAL DCGM_FI_DEV_FB_USED DCGM_FI_DEV_FB_FREE DCGM_FI_DEV_FB_RESERVED DCGM_FI_DEV_GPU_TEMP DCGM_FI_DEV_POWER_USAGE DCGM_FI_DEV_GPU_UTIL; do
  series "$m" >"$WORK/$m"
done
value() { awk -v u="$2" '$1 == u { print $2 }' "$WORK/$1"; }

smi_count=$(wc -l <"$WORK/smi.csv")
agent_count=$(wc -l <"$WORK/DCGM_FI_DEV_FB_TOTAL")
check gpu_count "$([[ "$smi_count" == "$agent_count" ]] && echo 1 || echo 0)" "(nvidia-smi $smi_count, agent $agent_count)"

# Tolerances: memory max(256 MiB, 2 %), temperature 3 C, power max(20 W, 15 %) (NVML averages over 1 s), utilization in 0..100.
while IFS=',' read -r uuid name bus total used free temp power util; do
  uuid=$(echo "$uuid" | xargs); total=$(echo "$total" | xargs); used=$(echo "$used" | xargs); free=$(echo "$free" | xargs)
  temp=$(echo "$temp" | xargs); power=$(echo "$power" | xargs); util=$(echo "$util" | xargs)
  a_total=$(value DCGM_FI_DEV_FB_TOTAL "$uuid"); a_used=$(value DCGM_FI_DEV_FB_USED "$uuid"); a_free=$(value DCGM_FI_DEV_FB_FREE "$uuid")
  a_res=$(value DCGM_FI_DEV_FB_RESERVED "$uuid"); a_temp=$(value DCGM_FI_DEV_GPU_TEMP "$uuid"); a_power=$(value DCGM_FI_DEV_POWER_USAGE "$uuid")
  a_util=$(value DCGM_FI_DEV_GPU_UTIL "$uuid")
  if [[ -z "$a_total" ]]; then check "$uuid" 0 "missing from /metrics"; continue; fi
  tol=$(awk -v t="$total" 'BEGIN { x = t * 0.02; print (x > 256 ? x : 256) }')
  near() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t) }'; }
  near "$a_total" "$total" 1 && ok=1 || ok=0; check "$uuid fb_total" $ok "(agent $a_total MiB, nvidia-smi $total MiB)"
  # The agent reports used = total - free (reserved included); nvidia-smi may leave reserved out: accept either.
  { near "$a_used" "$used" "$tol" || near "$(awk -v a="$a_used" -v r="${a_res:-0}" 'BEGIN{print a-r}')" "$used" "$tol"; } && ok=1 || ok=0
  check "$uuid fb_used" $ok "(agent $a_used MiB, reserved ${a_res:-n/a}, nvidia-smi $used MiB)"
  near "$a_free" "$free" "$tol" && ok=1 || ok=0; check "$uuid fb_free" $ok "(agent $a_free MiB, nvidia-smi $free MiB)"
  near "$a_temp" "$temp" 3 && ok=1 || ok=0; check "$uuid temperature" $ok "(agent $a_temp C, nvidia-smi $temp C)"
  if [[ "$power" =~ ^[0-9.]+$ ]]; then
    ptol=$(awk -v p="$power" 'BEGIN { x = p * 0.15; print (x > 20 ? x : 20) }')
    near "${a_power:-nan}" "$power" "$ptol" && ok=1 || ok=0; check "$uuid power" $ok "(agent ${a_power:-absent} W, nvidia-smi $power W)"
  else
    [[ -z "$a_power" ]] && ok=1 || ok=0; check "$uuid power" $ok "(nvidia-smi '$power': agent must report it absent; agent ${a_power:-absent})"
  fi
  if [[ "$util" =~ ^[0-9]+$ ]]; then
    awk -v a="${a_util:--1}" 'BEGIN { exit !(a >= 0 && a <= 100) }' && ok=1 || ok=0
    check "$uuid gpu_util" $ok "(agent ${a_util:-absent} %, nvidia-smi $util %)"
  else
    [[ -z "$a_util" ]] && ok=1 || ok=0; check "$uuid gpu_util" $ok "(nvidia-smi '$util' (MIG?): agent must report it absent)"
  fi
done <"$WORK/smi.csv"

if command -v grpcurl >/dev/null 2>&1; then
  snap=$(timeout 10 grpcurl -plaintext -import-path "$ROOT/protos" -proto aisidecar/gpuagent/v1/gpu_agent.proto \
    "127.0.0.1:$GRPC_PORT" aisidecar.gpuagent.v1.GpuAgent/GetSnapshot || true)
  n=$(echo "$snap" | grep -c '"uuid": "GPU-' || true)
  check grpc_snapshot "$([[ "$n" == "$smi_count" ]] && echo 1 || echo 0)" "($n GPUs in GetSnapshot)"
fi

echo "== agent log"; grep -E "warn|fail|crit|NVML" "$WORK/agent.log" | head -20 || true
echo "== $FAILURES failed check(s), $(( ${GPU_CHECK_TIMEOUT:-110} - $(left) )) s"
[[ "$FAILURES" == 0 ]]
