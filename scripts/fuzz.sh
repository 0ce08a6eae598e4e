#!/usr/bin/env bash
# Fuzzes one target of fuzz/ExtProc.Fuzz with SharpFuzz and AFL++ (docs/fuzzing.md):
#   scripts/fuzz.sh TARGET MINUTES [OUT]
#     TARGET   inspector | rewrite | config
#     MINUTES  how long afl-fuzz runs (a whole number)
#     OUT      work folder, default artifacts/fuzz/TARGET (recreated): bin/ (the instrumented build), replay/ (the
#              same build, not instrumented), findings/ (afl-fuzz's queue, crashes, hangs, fuzzer_stats), afl.log
# Steps: installs afl++ with apt-get when afl-fuzz is missing (as root; otherwise install it first), restores the
# sharpfuzz tool (fuzz/dotnet-tools.json), publishes the harness in Release, instruments the namespaces under test in
# place with sharpfuzz, runs afl-fuzz on fuzz/corpus/<target> with fuzz/dict/*.dict, then prints afl-fuzz's figures and
# replays every crash and hang it saved through the harness, so each one is shown with its exception.
# Exit code: 0 when afl-fuzz saved no crash, 1 when it did, 2 on a usage error.
# On a shared machine, run it as `nice -n 19 scripts/fuzz.sh ...`.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
target=${1:-}
minutes=${2:-}
[[ $target =~ ^(inspector|rewrite|config)$ && $minutes =~ ^[0-9]+$ && $minutes -gt 0 ]] || usage
out=${3:-artifacts/fuzz/$target}

# What each target instruments: its own code (the namespaces under test) and, for the config, the config library and
# the YAML parser it reads files with. Coverage feedback outside these is not collected.
case $target in
  inspector) instrument=("ExtProc.dll AiSidecar.ExtProc.Inspection"); dict=inspector ;;
  rewrite) instrument=("ExtProc.dll AiSidecar.ExtProc.Rewrite,AiSidecar.ExtProc.Inspection"); dict=inspector ;;
  config) instrument=("ExtProc.dll AiSidecar.ExtProc.Configuration,AiSidecar.ExtProc.Catalogue,AiSidecar.ExtProc.Routing"
                      "AiSidecar.Configuration.dll" "YamlDotNet.dll"); dict=config ;;
esac

if ! command -v afl-fuzz >/dev/null; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends afl++ >/dev/null
  else
    echo "fuzz.sh: afl-fuzz not found; install AFL++ (Debian/Ubuntu: apt-get install afl++)" >&2
    exit 2
  fi
fi

rm -rf "$out"
mkdir -p "$out"
(cd fuzz && dotnet tool restore >/dev/null)
# bin/ is instrumented for afl-fuzz; replay/ stays as built, to replay saved inputs without afl-fuzz (instrumented
# code only runs under it).
dotnet publish fuzz/ExtProc.Fuzz -c Release -o "$out/replay" -v q -nologo >/dev/null
cp -r "$out/replay" "$out/bin"
for entry in "${instrument[@]}"; do
  read -r assembly prefixes <<<"$entry"
  echo "instrumenting $assembly ${prefixes:-(every type)}"
  # shellcheck disable=SC2086 # prefixes is empty or one comma-separated word
  (cd fuzz && dotnet tool run sharpfuzz "../$out/bin/$assembly" $prefixes)
done

# The harness is a managed program under `dotnet`, not an AFL-compiled binary; crashes are reported by the harness
# through the fork-server protocol, so the kernel's core pattern does not matter; other fuzzing on the machine
# (or none) decides nothing about CPU binding.
export AFL_SKIP_BIN_CHECK=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_NO_UI=1
for attempt in 1 2; do
  started=$(date +%s)
  if afl-fuzz -i "fuzz/corpus/$target" -o "$out/findings" -x "fuzz/dict/$dict.dict" -t 10000 -m none -V $((minutes * 60)) \
       -- dotnet "$out/bin/ExtProc.Fuzz.dll" "$target" >"$out/afl.log" 2>&1; then
    break
  fi
  # Seen once on a loaded machine: the dry run's first execution reported no coverage. A second start has passed.
  if [[ $attempt -eq 1 ]] && grep -q "No instrumentation detected" "$out/afl.log"; then
    echo "afl-fuzz saw no coverage in its dry run; starting it once more" >&2
    rm -rf "$out/findings"
    continue
  fi
  tail -30 "$out/afl.log" >&2
  exit 1
done

stats=$out/findings/default/fuzzer_stats
echo "target $target: $(( ($(date +%s) - started) / 60 )) min"
grep -E '^(run_time|execs_done|execs_per_sec|corpus_count|corpus_found|bitmap_cvg|edges_found|total_edges|saved_crashes|saved_hangs|stability) ' "$stats"

crashes=$(find "$out/findings/default/crashes" "$out/findings/default/hangs" -type f -name 'id:*' | wc -l)
if [[ $crashes -gt 0 ]]; then
  echo "replaying $crashes saved crash/hang input(s):"
  dotnet "$out/replay/ExtProc.Fuzz.dll" "$target" "$out/findings/default/crashes" "$out/findings/default/hangs" || true
  exit 1
fi
