// Writes the tokenizer golden files from the reference JavaScript implementation of Hugging
// Face tokenizers. A development tool, not run by the tests: the ids it writes are committed.
//
//   npm install @huggingface/tokenizers@0.2.0
//   node make_golden.mjs FIXTURES_DIR   # the folder scripts/fetch-fixtures.sh fills
//
// For each tokenizer it writes NAME.golden.jsonl: one case per line of mixed.txt, the whole
// file and a few edge cases, each encoded with and without special tokens and decoded back;
// and one line for the Debian pg1661.txt book (BOM stripped): its token count and the sha256
// of its ids joined by ",".
import { Tokenizer } from "@huggingface/tokenizers";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";

const fixtures = process.argv[2];
const book = "/usr/share/gocode/src/github.com/bkaradzic/go-lz4/testdata/pg1661.txt";
const mixed = readFileSync(new URL("mixed.txt", import.meta.url), "utf8");
const edge = ["", " ", "  ", "a", "Hello world", " Hello world", "\n", " \n", "\r\n", "grabbed",
  " grabbed", "🦙", "<s>", "</s>hi", "<|endoftext|>", "x<|im_start|>y", "<|begin_of_text|>",
  "    indented", "a\u00a0b", "ＡＢＣ", "é", "e\u0301"];
const texts = [...mixed.split(/(?<=\n)/), mixed, ...edge];

for (const name of ["llama3", "qwen3", "mistral"]) {
  const dir = `${fixtures}/${name}`;
  const tok = new Tokenizer(JSON.parse(readFileSync(`${dir}/tokenizer.json`, "utf8")),
                            JSON.parse(readFileSync(`${dir}/tokenizer_config.json`, "utf8")));
  const lines = texts.map((text) => {
    const ids = tok.encode(text, { add_special_tokens: false }).ids;
    const ids_special = tok.encode(text, { add_special_tokens: true }).ids;
    const decode = (skip) => ids_special.length === 0 ? "" :
      tok.decode(ids_special, { skip_special_tokens: skip, clean_up_tokenization_spaces: false });
    const decoded = decode(false), decoded_skip = decode(true);
    return JSON.stringify({ text, ids, ids_special, decoded, decoded_skip });
  });
  let text = readFileSync(book, "utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const ids = tok.encode(text, { add_special_tokens: false }).ids;
  const sha256 = createHash("sha256").update(ids.join(",")).digest("hex");
  lines.push(JSON.stringify({ book: "pg1661.txt", count: ids.length, sha256 }));
  writeFileSync(new URL(`${name}.golden.jsonl`, import.meta.url), lines.join("\n") + "\n");
  console.log(name, texts.length, "cases; pg1661:", ids.length, "tokens");
}
