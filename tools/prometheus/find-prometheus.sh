#!/usr/bin/env bash
# Finds Prometheus and promtool for the observability tests (docs/observability.md, "Tests") and writes their paths,
# one a line (prometheus, then promtool), to OUTPUT.
#   - Both on PATH: those.
#   - Else Debian's `prometheus` package, unpacked into CACHE_DIR without installing it (no root needed): fetched once
#     with `apt-get download`; when the machine's package lists do not have it (never updated, or out of date), the
#     lists are fetched into CACHE_DIR first, as any user may. Only the two binaries are kept; they are Go programs that
#     need nothing beyond libc.
# Usage: find-prometheus.sh CACHE_DIR OUTPUT
set -euo pipefail

cache=$1
output=$2
mkdir -p "$(dirname "$output")"

if prometheus=$(command -v prometheus) && promtool=$(command -v promtool); then
  printf '%s\n%s\n' "$prometheus" "$promtool" > "$output"
  exit 0
fi

bin="$cache/usr/bin"
if [ ! -x "$bin/prometheus" ] || [ ! -x "$bin/promtool" ]; then
  command -v apt-get > /dev/null || { echo "find-prometheus.sh: prometheus and promtool are not on PATH and apt-get is missing: install Prometheus (Debian: apt-get install prometheus)" >&2; exit 1; }
  mkdir -p "$cache"
  work=$(mktemp -d "$cache/download.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  # Run as root, apt downloads as its sandbox user, which cannot write under a private checkout: download as root.
  apt_user=()
  [ "$(id -u)" -ne 0 ] || apt_user=(-o APT::Sandbox::User=root)
  if ! (cd "$work" && apt-get "${apt_user[@]}" download -q prometheus); then
    echo "find-prometheus.sh: the package lists do not have prometheus; fetching them into $cache/apt" >&2
    lists="$cache/apt/lists"
    mkdir -p "$lists/partial" "$cache/apt/archives/partial"
    apt_private=("${apt_user[@]}" -o "Dir::State::Lists=$lists" -o "Dir::Cache=$cache/apt" -o "Dir::Cache::Archives=$cache/apt/archives" -o Debug::NoLocking=1)
    apt-get "${apt_private[@]}" -q update
    (cd "$work" && apt-get "${apt_private[@]}" download -q prometheus)
    rm -rf "$cache/apt"
  fi
  deb=$(echo "$work"/prometheus_*.deb)
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work" ./usr/bin/prometheus ./usr/bin/promtool
  mkdir -p "$bin"
  mv "$work/usr/bin/prometheus" "$work/usr/bin/promtool" "$bin/"
  dpkg-deb --field "$deb" Version > "$cache/version"
fi

printf '%s\n%s\n' "$bin/prometheus" "$bin/promtool" > "$output"
