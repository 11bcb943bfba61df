#!/usr/bin/env bash
# Builds llama.cpp's llama-server (CPU only) for the real-server integration tests, from the
# llama.cpp source that the npm package node-llama-cpp ships as a git bundle
# (package/llama/gitRelease.bundle). Pinned by package version and tarball sha256; nothing of
# it is committed. Usage:
#   scripts/fetch-llama-server.sh [CACHE]   (default ${XDG_CACHE_HOME:-~/.cache}/loadwright/llama.cpp)
# Leaves CACHE/VERSION/bin/{llama-server,llama-convert-llama2c-to-ggml} and
# CACHE/VERSION/models/ggml-vocab-llama-spm.gguf, and prints the bin folder on its last line.
# A second call finds the binaries and builds nothing.
set -euo pipefail

package="node-llama-cpp@3.22.1"
tarball_sha="a0d9dd80eacd2ab1cfe71aee57ac8a806487fd70b3d2a38fbec637752d9e5c5f"
commit="de3ff815ea7d559ee917f063901b8986f038abc6"   # the bundle's HEAD

cache="${1:-${XDG_CACHE_HOME:-$HOME/.cache}/loadwright/llama.cpp}"
root="$cache/${package##*@}"
bin="$root/bin"
mkdir -p "$root"
root="$(cd "$root" && pwd)"
bin="$root/bin"

sha() { sha256sum "$1" | cut -d' ' -f1; }

if [ -x "$bin/llama-server" ] && [ -x "$bin/llama-convert-llama2c-to-ggml" ] &&
   [ -f "$root/models/ggml-vocab-llama-spm.gguf" ]; then
  echo "$bin"
  exit 0
fi

tarball="$root/node-llama-cpp-${package##*@}.tgz"
if [ ! -f "$tarball" ] || [ "$(sha "$tarball")" != "$tarball_sha" ]; then
  echo "llama-server: npm pack $package" >&2
  (cd "$root" && npm pack --silent "$package" >/dev/null)
fi
[ "$(sha "$tarball")" = "$tarball_sha" ] || { echo "llama-server: $tarball: sha256 mismatch" >&2; exit 1; }

src="$root/src"
if [ ! -d "$src/.git" ] || [ "$(git -C "$src" rev-parse HEAD)" != "$commit" ]; then
  rm -rf "$src" "$root/bundle"
  mkdir -p "$root/bundle"
  tar -xzf "$tarball" -C "$root/bundle" package/llama/gitRelease.bundle
  git clone -q "$root/bundle/package/llama/gitRelease.bundle" "$src" 2>/dev/null
  rm -rf "$root/bundle"
  [ "$(git -C "$src" rev-parse HEAD)" = "$commit" ] ||
    { echo "llama-server: the bundle's HEAD is not $commit" >&2; exit 1; }
fi

# CPU only, no network at build time (no prebuilt web UI download), only the two targets.
echo "llama-server: building (about 10 minutes on 2 cores)" >&2
cmake -S "$src" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DBUILD_SHARED_LIBS=OFF -DGGML_NATIVE=ON -DGGML_OPENMP=OFF \
  -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF \
  -DLLAMA_OPENSSL=OFF -DLLAMA_CURL=OFF >"$root/configure.log" 2>&1 ||
  { tail -20 "$root/configure.log" >&2; exit 1; }
cmake --build "$root/build" --target llama-server llama-convert-llama2c-to-ggml \
  >"$root/build.log" 2>&1 || { tail -30 "$root/build.log" >&2; exit 1; }

mkdir -p "$bin" "$root/models"
cp "$root/build/bin/llama-server" "$root/build/bin/llama-convert-llama2c-to-ggml" "$bin/"
cp "$src/models/ggml-vocab-llama-spm.gguf" "$root/models/"
echo "$bin"
