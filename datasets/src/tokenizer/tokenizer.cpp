#include "loadwright/datasets/tokenizer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "added_vocabulary.hpp"
#include "bpe_model.hpp"
#include "decoder.hpp"
#include "json_fields.hpp"
#include "loadwright/datasets/utf8.hpp"
#include "normalizer.hpp"
#include "post_processor.hpp"
#include "pre_tokenizer.hpp"
#include "tiktoken_model.hpp"

namespace loadwright::datasets {

namespace json = boost::json;
namespace fs = std::filesystem;
using namespace detail;

struct tokenizer::impl {
  fs::path path;
  std::string description;
  added_vocabulary added;
  std::unique_ptr<normalizer> norm;
  std::unique_ptr<pre_tokenizer> pre;
  std::unique_ptr<token_model> model;
  std::unique_ptr<decoder> dec;
  special_affixes affixes;
  std::vector<token_id> special_ids;
  std::size_t base_vocab_size = 0;
};

namespace {

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw tokenizer_error(path.string() + ": cannot open the tokenizer file");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return std::move(buffer).str();
}

json::value parse_json(const fs::path& path) {
  const std::string text = read_file(path);
  json::parse_options options;
  options.max_depth = 64;
  json::stream_parser parser({}, options);
  boost::system::error_code ec;
  const std::size_t used = parser.write_some(text.data(), text.size(), ec);
  if (!ec) parser.finish(ec);
  if (ec)
    throw tokenizer_error(
        fmt::format("{}: invalid JSON near byte {}: {}", path.string(), used, ec.message()));
  return parser.release();
}

// tokenizer_config.json's token fields are a string or {"content": "…"}.
std::string token_text(const json::object& config, std::string_view key) {
  const auto* v = config.if_contains(key);
  if (!v) return {};
  if (v->is_string()) return std::string(v->get_string());
  if (const auto* o = v->if_object())
    if (const auto* c = o->if_contains("content"); c && c->is_string())
      return std::string(c->get_string());
  return {};
}

// transformers rebuilds the post-processor of Llama-family fast tokenizers from the config's
// add_bos_token / add_eos_token, so those flags decide.
void apply_config(const fs::path& config_path, tokenizer::impl& t) {
  if (!fs::exists(config_path)) return;
  const json::value v = parse_json(config_path);
  const auto* config = v.if_object();
  if (!config) throw tokenizer_error(config_path.string() + ": expected a JSON object");
  const auto* cls = config->if_contains("tokenizer_class");
  const std::string klass = cls && cls->is_string() ? std::string(cls->get_string()) : "";
  static constexpr std::string_view llama_like[] = {"LlamaTokenizer",     "LlamaTokenizerFast",
                                                    "CodeLlamaTokenizer", "CodeLlamaTokenizerFast",
                                                    "GemmaTokenizer",     "GemmaTokenizerFast"};
  if (std::find(std::begin(llama_like), std::end(llama_like), klass) == std::end(llama_like))
    return;
  const auto flag = [&](std::string_view key, bool fallback) {
    const auto* f = config->if_contains(key);
    return f && f->is_bool() ? f->get_bool() : fallback;
  };
  const auto id_of = [&](std::string_view key) -> std::optional<token_id> {
    const std::string text = token_text(*config, key);
    if (text.empty()) return std::nullopt;
    if (const auto* a = t.added.find(text)) return a->id;
    return t.model->token_to_id(text);
  };
  special_affixes affixes;
  if (flag("add_bos_token", true))
    if (auto bos = id_of("bos_token")) affixes.prefix.push_back(*bos);
  if (flag("add_eos_token", false))
    if (auto eos = id_of("eos_token")) affixes.suffix.push_back(*eos);
  t.affixes = std::move(affixes);
}

}  // namespace

std::shared_ptr<const tokenizer> tokenizer::load_tiktoken(const fs::path& file,
                                                          const std::string& encoding) {
  const auto enc = find_tiktoken_encoding(encoding);
  if (!enc)
    throw tokenizer_error(file.string() + ": unknown tiktoken encoding \"" + encoding +
                          "\" (known: r50k_base, p50k_base, p50k_edit, cl100k_base, o200k_base; "
                          "the file's name says which)");
  auto t = std::make_unique<impl>();
  t->path = file;
  try {
    t->model = std::make_unique<tiktoken_model>(file.string());
  } catch (const tokenizer_format_error& e) {
    throw tokenizer_error(e.what());
  }
  t->added = added_vocabulary(enc->specials);
  json::object split{
      {"type", "Split"}, {"pattern", {{"Regex", enc->pattern}}}, {"behavior", "Isolated"}};
  json::object byte_level{{"type", "ByteLevel"}, {"add_prefix_space", false}, {"use_regex", false}};
  const json::value pre{{"type", "Sequence"}, {"pretokenizers", json::array{split, byte_level}}};
  t->pre = make_pre_tokenizer(pre, "pre_tokenizer");
  t->dec = make_decoder(json::value{{"type", "ByteLevel"}}, "decoder");
  t->base_vocab_size = t->model->vocab_size();
  for (const auto& a : t->added.tokens()) t->special_ids.push_back(a.id);
  std::sort(t->special_ids.begin(), t->special_ids.end());
  t->description =
      fmt::format("{} (tiktoken {}, {} tokens)", file.string(), encoding, t->base_vocab_size);
  return std::shared_ptr<const tokenizer>(new tokenizer(std::move(t)));
}

namespace {

std::optional<fs::path> first_existing(const fs::path& dir,
                                       std::initializer_list<const char*> names) {
  std::error_code ec;
  for (const char* n : names)
    if (fs::exists(dir / n, ec)) return dir / n;
  return std::nullopt;
}

// GPT-2's original layout (transformers' slow GPT2Tokenizer, OpenAI's gpt-2 repository):
// vocab.json (or encoder.json) and merges.txt (or vocab.bpe, "#version" line first), as the
// tokenizer.json that transformers would convert them to.
std::optional<json::value> classic_gpt2_layout(const fs::path& dir) {
  const auto vocab = first_existing(dir, {"vocab.json", "encoder.json"});
  const auto merges = first_existing(dir, {"merges.txt", "vocab.bpe"});
  if (!vocab || !merges) return std::nullopt;
  json::value vocab_json = parse_json(*vocab);
  json::array merge_list;
  std::ifstream in(*merges, std::ios::binary);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line.rfind("#version", 0) == 0) continue;
    merge_list.emplace_back(line);
  }
  json::array added;
  if (const auto* o = vocab_json.if_object())
    if (const auto* eot = o->if_contains("<|endoftext|>"); eot && eot->is_int64())
      added.push_back(
          json::object{{"id", eot->get_int64()}, {"content", "<|endoftext|>"}, {"special", true}});
  return json::value{
      {"model",
       {{"type", "BPE"}, {"vocab", std::move(vocab_json)}, {"merges", std::move(merge_list)}}},
      {"added_tokens", std::move(added)},
      {"pre_tokenizer", {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"use_regex", true}}},
      {"decoder", {{"type", "ByteLevel"}}}};
}

}  // namespace

std::shared_ptr<const tokenizer> tokenizer::load(const fs::path& path) {
  fs::path file = path;
  std::error_code ec;
  if (path.extension() == ".tiktoken") return load_tiktoken(path, path.stem().string());
  std::optional<json::value> classic;
  if (fs::is_directory(path, ec)) {
    file = path / "tokenizer.json";
    if (!fs::exists(file, ec)) {
      classic = classic_gpt2_layout(path);
      if (classic) file = path / "vocab.json";
    }
  }
  if (!classic && !fs::exists(file, ec))
    throw tokenizer_error(file.string() +
                          ": no such tokenizer file (expected a tokenizer.json, a folder holding "
                          "one or GPT-2's vocab.json + merges.txt, or a .tiktoken file)");
  auto t = std::make_unique<impl>();
  t->path = file;
  const json::value root = classic ? std::move(*classic) : parse_json(file);
  const std::string name = classic ? path.string() : file.string();
  try {
    const auto& o = as_object(root, "tokenizer.json");
    const auto null_value = json::value(nullptr);
    const auto field = [&](std::string_view key) -> const json::value& {
      const auto* v = o.if_contains(key);
      return v ? *v : null_value;
    };
    const auto& model = as_object(member(o, "model", "tokenizer.json"), "model");
    const std::string type = string_or(model, "type", "BPE", "model");
    if (type != "BPE")
      throw tokenizer_format_error("model.type",
                                   "unsupported model \"" + type + "\" (only BPE is supported)");
    t->model = std::make_unique<bpe_model>(model, "model");
    t->added = added_vocabulary(field("added_tokens"), "added_tokens");
    t->norm = make_normalizer(field("normalizer"), "normalizer");
    t->pre = make_pre_tokenizer(field("pre_tokenizer"), "pre_tokenizer");
    t->dec = make_decoder(field("decoder"), "decoder");
    t->affixes = parse_post_processor(field("post_processor"), "post_processor");
    const auto& vocab = as_object(member(model, "vocab", "model"), "model.vocab");
    t->base_vocab_size = vocab.size();
  } catch (const tokenizer_format_error& e) {
    throw tokenizer_error(name + ": " + e.what());
  } catch (const std::invalid_argument& e) {  // a regex PCRE2 rejected
    throw tokenizer_error(name + ": " + e.what());
  }
  for (const auto& a : t->added.tokens())
    if (a.special) t->special_ids.push_back(a.id);
  std::sort(t->special_ids.begin(), t->special_ids.end());
  apply_config(file.parent_path() / "tokenizer_config.json", *t);
  t->description = fmt::format(
      "{} ({}{} BPE, {} tokens)", name, classic ? "GPT-2 vocab + merges, " : "",
      t->pre && t->pre->byte_level() ? "byte-level" : "SentencePiece-style", t->base_vocab_size);
  return std::shared_ptr<const tokenizer>(new tokenizer(std::move(t)));
}

tokenizer::tokenizer(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
tokenizer::~tokenizer() = default;

std::vector<token_id> tokenizer::encode(std::string_view text, bool add_special_tokens) const {
  std::string repaired;
  if (!utf8_valid(text)) {
    repaired = utf8_lossy(text);
    text = repaired;
  }
  const auto& t = *impl_;
  std::vector<token_id> out;
  out.reserve(text.size() / 3 + 4);
  if (add_special_tokens) out.insert(out.end(), t.affixes.prefix.begin(), t.affixes.prefix.end());
  std::vector<std::string> pieces;
  for (const auto& segment : t.added.split(text, false)) {
    if (segment.id >= 0) {
      out.push_back(segment.id);
      continue;
    }
    std::string normalized(segment.text);
    if (t.norm) t.norm->normalize(normalized);
    for (const auto& sub : t.added.split(normalized, true)) {
      if (sub.id >= 0) {
        out.push_back(sub.id);
        continue;
      }
      pieces.assign(1, std::string(sub.text));
      if (t.pre) t.pre->split(pieces, segment.offset == 0 && sub.offset == 0);
      for (const auto& p : pieces) t.model->tokenize(p, out);
    }
  }
  if (add_special_tokens) out.insert(out.end(), t.affixes.suffix.begin(), t.affixes.suffix.end());
  return out;
}

std::string tokenizer::decode(std::span<const token_id> ids, bool skip_special_tokens) const {
  const auto& t = *impl_;
  std::vector<std::string> tokens;
  tokens.reserve(ids.size());
  for (const token_id id : ids) {
    if (const auto* a = t.added.find(id)) {
      if (!(skip_special_tokens && a->special)) tokens.push_back(a->content);
    } else if (const auto* s = t.model->id_to_token(id)) {
      tokens.push_back(*s);
    }
  }
  if (!t.dec) {
    std::string joined;
    for (std::size_t i = 0; i < tokens.size(); ++i) joined += (i ? " " : "") + tokens[i];
    return joined;
  }
  t.dec->decode_chain(tokens);
  std::string text;
  for (const auto& s : tokens) text += s;
  return text;
}

std::size_t tokenizer::vocab_size() const {
  return impl_->base_vocab_size;
}
std::size_t tokenizer::num_special_tokens_to_add() const {
  return impl_->affixes.prefix.size() + impl_->affixes.suffix.size();
}
const std::vector<token_id>& tokenizer::special_ids() const {
  return impl_->special_ids;
}
bool tokenizer::is_special(token_id id) const {
  return std::binary_search(impl_->special_ids.begin(), impl_->special_ids.end(), id);
}
std::optional<token_id> tokenizer::token_to_id(std::string_view token) const {
  if (const auto* a = impl_->added.find(token)) return a->id;
  return impl_->model->token_to_id(token);
}
const std::string& tokenizer::description() const {
  return impl_->description;
}
const fs::path& tokenizer::path() const {
  return impl_->path;
}

}  // namespace loadwright::datasets
