#!/usr/bin/env bash
# Installs loadwright's build dependencies from Debian 12's archive, then configures and
# builds the release preset. Safe to run again: apt skips what is installed, the build is
# incremental.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential cmake ninja-build pkg-config
          libboost1.81-dev libluajit2-5.1-dev catch2 libfmt-dev libssl-dev libcli11-dev ca-certificates openssl
          libpcre2-dev libutf8proc-dev libsimdjson-dev
          golang-github-bkaradzic-go-lz4-dev)  # the last ships pg1661.txt, the offline Gutenberg book
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

preset="${LW_PRESET:-release}"
# LW_CMAKE_ARGS: extra cache settings (scripts/test.sh gives the llama-server folder).
cmake --preset "$preset" ${LW_CMAKE_ARGS:-} >/dev/null
cmake --build --preset "$preset"
