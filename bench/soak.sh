#!/usr/bin/env bash
# Soak: bench/soak.lua (closed loop of 8, 64-token streams) for SOAK_MINUTES (default 20)
# against `loadwright emulate` in its own process, injecting faults (2% resets, 2% HTTP 503,
# 1% malformed streams, 0.5% stalls), while sampling the client's resident memory every
# 10 s. Prints and writes build/soak/rss.csv: elapsed_s, rss_kib, records_written.
# Usage: bench/soak.sh   (after scripts/setup.sh; uses build/release/cli/loadwright)
set -euo pipefail
cd "$(dirname "$0")/.."
minutes="${SOAK_MINUTES:-20}"
bin=build/release/cli/loadwright
out=build/soak
rm -rf "$out"
mkdir -p "$out"
port=$((20000 + $$ % 12000))
"$bin" emulate --port "$port" --faults "reset:0.02,503:0.02,malformed:0.01,stall:0.005" \
  >"$out/emulator.txt" 2>&1 &
emu=$!
trap 'kill "$emu" 2>/dev/null || true' EXIT
sleep 1
"$bin" run bench/soak.lua --base-url "http://127.0.0.1:$port/v1" --out "$out" \
  --set "duration=${minutes}m" >"$out/run.txt" 2>&1 &
client=$!
echo "elapsed_s,rss_kib,records_written" >"$out/rss.csv"
start=$(date +%s)
while kill -0 "$client" 2>/dev/null; do
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$client/status" 2>/dev/null || echo 0)
  lines=$(wc -l <"$out/soak.requests.jsonl" 2>/dev/null || echo 0)
  echo "$(($(date +%s) - start)),$rss,$lines" | tee -a "$out/rss.csv"
  sleep 10
done
wait "$client" || true
tail -n 25 "$out/run.txt"
