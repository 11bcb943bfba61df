#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) and runs each for FUZZ_SECONDS
# (default 20: CI's brief run; give more to hunt). A finding fails the script and leaves a
# crash-* file in build/fuzz/findings/ to reproduce with: build/fuzz/fuzz/lw_fuzz_NAME FILE
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-20}"

if ! command -v clang++ >/dev/null || [ ! -e /usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq clang libclang-rt-14-dev >/dev/null
fi
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz

mkdir -p build/fuzz/findings
run() {
  local name="$1"
  shift
  mkdir -p "build/fuzz/corpus/$name"
  echo "fuzz: $name for ${seconds}s"
  # The first corpus folder collects new inputs; the others are seeds, read only.
  local log="build/fuzz/findings/$name.log" status=0
  ASAN_OPTIONS=detect_leaks=1 "build/fuzz/fuzz/lw_fuzz_$name" -max_total_time="$seconds" \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="build/fuzz/findings/$name-" "build/fuzz/corpus/$name" "$@" >"$log" 2>&1 ||
    status=$?
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb|runtime error|SUMMARY|Test unit written" "$log" || true
  if [ "$status" -ne 0 ]; then
    echo "fuzz: $name found a problem (exit $status); see $log"
    exit 1
  fi
}
run sse_parser fuzz/seeds/sse
run openai_decoder fuzz/seeds/openai
run scenario_loader scenarios scenarios/arena scenarios/lib examples
echo "fuzz: no findings"
