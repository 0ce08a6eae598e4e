#!/usr/bin/env bash
# Reproduces docs/benchmarks.md, section "Hardening (issue 10): memory": bursts of 16 concurrent 8 MiB bodies against
# the real server as the pod runs it (the ConfigMap's config, deployment.yaml's DOTNET_* variables, its memory limit
# as a cgroup when this user may create one), sampling the server's RSS during the burst and for 60 s after.
# Usage: bench/measure-memory.sh [OUT_DIR] [STEP...]
#   steps: prose word spaces (Envoy's message_timeout as shipped, 1 s), prose-held word-held spaces-held (120 s on
#   both sides: every body is processed or shed by the server, the worst case for memory), partial (stalled partial
#   gRPC messages); default: all, in that order.
# Loopback only; every step is bounded; the machine's other load shows in each log's loadavg.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-/tmp/extproc-memory-$(date -u +%Y%m%dT%H%M)}
shift || true
steps=${*:-prose word spaces prose-held word-held spaces-held partial}
mkdir -p "$out"

dotnet build -c Release bench/ExtProc.LoadGen -v q -nologo
lg=bench/ExtProc.LoadGen/bin/Release/net10.0/ExtProc.LoadGen
{ date -u; nproc; lscpu | grep 'Model name' || true; free -m | head -2; git rev-parse HEAD 2>/dev/null || true; } > "$out/machine.txt"

# The server's config as the pod mounts it.
awk '/config.yaml: \|/{f=1;next} f{sub(/^    /,""); print}' deploy/k8s/configmap.yaml > "$out/pod-config.yaml"

# The container's DOTNET_* environment, as deployment.yaml sets it.
env_args=()
while read -r name value; do
  env_args+=(--server-env "$name=$value")
done < <(awk '/- name: DOTNET_/{n=$3} n && /value:/{v=$2; gsub(/"/,"",v); print n, v; n=""}' deploy/k8s/deployment.yaml)

# The container's memory limit as a cgroup (v1 or v2) under this shell's own, when it may create one.
limit=$(awk '/limits:/{f=1} f && /memory:/{print $2; exit}' deploy/k8s/deployment.yaml)
case $limit in *Gi) bytes=$(( ${limit%Gi} << 30 ));; *Mi) bytes=$(( ${limit%Mi} << 20 ));; *) bytes=$limit;; esac
cg=""
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
  own=$(awk -F: '$1=="0"{print $3}' /proc/self/cgroup)
  candidate=/sys/fs/cgroup$own/extproc-memory-bench-$$
  if mkdir "$candidate" 2>/dev/null && echo "$bytes" > "$candidate/memory.max" 2>/dev/null; then cg=$candidate; fi
else
  own=$(awk -F: '$2=="memory"{print $3}' /proc/self/cgroup)
  candidate=/sys/fs/cgroup/memory$own/extproc-memory-bench-$$
  if mkdir "$candidate" 2>/dev/null && echo "$bytes" > "$candidate/memory.limit_in_bytes" 2>/dev/null; then cg=$candidate; fi
fi
cleanup() { [ -n "$cg" ] && rmdir "$cg" 2>/dev/null || true; }
trap cleanup EXIT
cg_args=()
if [ -n "$cg" ]; then
  cg_args=(--cgroup "$cg")
  echo "server runs in cgroup $cg, limit $limit ($bytes bytes)" | tee -a "$out/machine.txt"
else
  echo "no cgroup could be created: the limit is not enforced, RSS is still reported" | tee -a "$out/machine.txt"
fi

run() {
  local name=$1; shift
  [ -n "$cg" ] && { echo 0 > "$cg/memory.max_usage_in_bytes" 2>/dev/null || true; }
  echo "== $name $(date -u +%H:%M:%S) loadavg $(cut -d' ' -f1-3 /proc/loadavg): $*" | tee "$out/$name.log"
  # Exit 1 only reports a missed target; the logs say which.
  "$@" 2>&1 | tee -a "$out/$name.log" | grep -v '^\[server\]' || true
}

common=(--concurrency 16 --connections 2 --rounds 1 --idle 60 --server-arg --config --server-arg "$out/pod-config.yaml" "${env_args[@]}" "${cg_args[@]}")
held=(--message-timeout-ms 120000 --server-arg --processing:messageTimeoutMs=120000)
for step in $steps; do
  case $step in
    prose|word|spaces) run "$step" $lg memory --body "$step" "${common[@]}" ;;
    prose-held|word-held|spaces-held) run "$step" $lg memory --body "${step%-held}" "${common[@]}" "${held[@]}" ;;
    partial) run partial $lg memory --partial 30 --partial-hold 20 "${common[@]}" ;;
    *) echo "unknown step $step" >&2; exit 2 ;;
  esac
done
echo "logs in $out"
