#!/usr/bin/env bash
# Finds the programs of a Debian package for the tests and writes their paths, one a line in the order asked, to
# OUTPUT; when they come from an unpacked package whose libraries are not on the machine, one more line follows:
# `LD_LIBRARY_PATH=DIR`, the folder of those libraries.
#   - Every BINARY on PATH: those (no library line).
#   - Else each package of PACKAGES (comma-separated: the one with the programs, then the libraries it needs that a
#     fresh machine may lack) is fetched once with `apt-get download` and unpacked into CACHE_DIR/root without
#     installing it (no root needed). When the machine's package lists do not have them (never updated, or out of
#     date), the lists are fetched into CACHE_DIR first, as any user may.
# Usage: find-binaries.sh CACHE_DIR OUTPUT PACKAGES BINARY...
set -euo pipefail

cache=$1
output=$2
IFS=, read -r -a packages <<< "$3"
shift 3
binaries=("$@")
mkdir -p "$(dirname "$output")"

found=()
for binary in "${binaries[@]}"; do
  path=$(command -v "$binary") || break
  found+=("$path")
done
if [ "${#found[@]}" -eq "${#binaries[@]}" ]; then
  printf '%s\n' "${found[@]}" > "$output"
  exit 0
fi

root="$cache/root"
stamp="$cache/packages"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "${packages[*]}" ]; then
  command -v apt-get > /dev/null || { echo "find-binaries.sh: ${binaries[*]} not on PATH and apt-get is missing: install ${packages[0]} (Debian: apt-get install ${packages[0]})" >&2; exit 1; }
  mkdir -p "$cache"
  work=$(mktemp -d "$cache/download.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  # Run as root, apt downloads as its sandbox user, which cannot write under a private checkout: download as root.
  apt_user=()
  [ "$(id -u)" -ne 0 ] || apt_user=(-o APT::Sandbox::User=root)
  if ! (cd "$work" && apt-get "${apt_user[@]}" download -q "${packages[@]}"); then
    echo "find-binaries.sh: the package lists do not have ${packages[*]}; fetching them into $cache/apt" >&2
    lists="$cache/apt/lists"
    mkdir -p "$lists/partial" "$cache/apt/archives/partial"
    apt_private=("${apt_user[@]}" -o "Dir::State::Lists=$lists" -o "Dir::Cache=$cache/apt" -o "Dir::Cache::Archives=$cache/apt/archives" -o Debug::NoLocking=1)
    apt-get "${apt_private[@]}" -q update
    (cd "$work" && apt-get "${apt_private[@]}" download -q "${packages[@]}")
    rm -rf "$cache/apt"
  fi
  rm -rf "$root"
  mkdir -p "$root"
  for deb in "$work"/*.deb; do
    dpkg-deb -x "$deb" "$root"
  done
  printf '%s\n' "${packages[*]}" > "$stamp"
fi

{
  for binary in "${binaries[@]}"; do
    [ -x "$root/usr/bin/$binary" ] || { echo "find-binaries.sh: ${packages[*]} has no usr/bin/$binary" >&2; exit 1; }
    echo "$root/usr/bin/$binary"
  done
  if [ "${#packages[@]}" -gt 1 ]; then
    echo "LD_LIBRARY_PATH=$root/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo "$(uname -m)-linux-gnu")"
  fi
} > "$output"
