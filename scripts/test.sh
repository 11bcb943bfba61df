#!/usr/bin/env bash
# Set-up (as scripts/setup.sh), then every test: the release build's suites, then the same
# suites built and run under AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
ctest --preset release

if [ "${LW_SKIP_SANITIZERS:-0}" != 1 ]; then
  LW_PRESET=asan scripts/setup.sh
  ctest --preset asan
fi
