#!/usr/bin/env bash
# Reproduces docs/benchmarks.md, "Token budgets and the response cache": the budget check and the cache hit at RATE
# calls a second against a redis-server of its own on loopback (no persistence), ROUNDS rounds, each alternating
#   - budget --control: the controls (a thread-pool hop; a PING from one blocking thread, the machine's round trip; a
#     PING on a plain socket awaited on the thread pool, the runtime's; no client library, no server code in either),
#     then the budget reservations;
#   - cache: hits through Redis;
#   - cache --local-max-bytes 33554432: the same hits from the replica's local copy (the server's default).
# redis-server is the one on PATH, else Debian's unpacked under tests/ExtProc.Tests/obj/redis (as the tests find it).
# Usage: [ROUNDS=3] [RATE=500] [DURATION=20] [REDIS_PORT=16399] bench/measure-redis-paths.sh   (about 2.5 min a round)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-3}
rate=${RATE:-500}
duration=${DURATION:-20}
port=${REDIS_PORT:-16399}
work=$(mktemp -d)
redis_pid=""
cleanup() {
  if [ -n "$redis_pid" ]; then kill "$redis_pid" 2>/dev/null || true; wait "$redis_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

bash tools/debian/find-binaries.sh tests/ExtProc.Tests/obj/redis "$work/redis.txt" redis-server,redis-tools,libjemalloc2,liblzf1 redis-server
server=$(sed -n 1p "$work/redis.txt")
libraries=$(sed -n 2p "$work/redis.txt") # LD_LIBRARY_PATH=DIR when unpacked, else empty
env ${libraries:+"$libraries"} "$server" --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" > "$work/redis.log" 2>&1 &
redis_pid=$!
for _ in $(seq 50); do
  (exec 3<> "/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  kill -0 "$redis_pid" 2>/dev/null || { cat "$work/redis.log" >&2; exit 1; }
  sleep 0.1
done

dotnet build -c Release bench/ExtProc.LoadGen -v quiet -nologo > "$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
# The server's own thread-pool setting (its runtimeconfig: idle workers do not spin).
export DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0
run() { bench/ExtProc.LoadGen/bin/Release/net10.0/ExtProc.LoadGen "$@" --redis "127.0.0.1:$port" --rate "$rate" --duration "$duration" --warmup 3; }

echo "$(date -u +%FT%TZ) $(git rev-parse --short HEAD) $(nproc) CPUs, redis-server $(env ${libraries:+"$libraries"} "$server" --version | cut -d' ' -f3)"
for round in $(seq "$rounds"); do
  echo "== round $round at $(date -u +%T), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  run budget --control
  run cache
  echo "(the same hits from the local copy)"
  run cache --local-max-bytes 33554432
done
