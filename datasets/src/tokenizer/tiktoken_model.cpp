#include "tiktoken_model.hpp"

#include <fstream>

#include "byte_level.hpp"
#include "json_fields.hpp"

namespace loadwright::datasets::detail {

namespace {

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

std::optional<std::string> base64_decode(std::string_view in) {
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : in) {
    if (c == '=') break;
    const int v = base64_value(c);
    if (v < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

}  // namespace

tiktoken_model::tiktoken_model(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw tokenizer_format_error(path, "cannot open the rank file");
  std::string line;
  for (std::size_t line_no = 1; std::getline(in, line); ++line_no) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const auto space = line.find(' ');
    const auto bytes = space == std::string::npos
                           ? std::nullopt
                           : base64_decode(std::string_view(line).substr(0, space));
    long rank = -1;
    try {
      if (bytes) rank = std::stol(line.substr(space + 1));
    } catch (const std::exception&) {
      rank = -1;
    }
    if (!bytes || bytes->empty() || rank < 0 || rank > INT32_MAX)
      throw tokenizer_format_error(path + ":" + std::to_string(line_no),
                                   "expected \"base64 rank\"");
    const auto id = static_cast<token_id>(rank);
    ranks_.emplace(*bytes, id);
    if (static_cast<std::size_t>(id) >= spelling_.size())
      spelling_.resize(static_cast<std::size_t>(id) + 1);
    std::string spelled;
    byte_level_encode(*bytes, spelled);
    by_spelling_.emplace(spelled, id);
    spelling_[static_cast<std::size_t>(id)] = std::move(spelled);
  }
  if (ranks_.empty()) throw tokenizer_format_error(path, "no ranks in the file");
}

std::optional<token_id> tiktoken_model::rank_of(std::string_view bytes) const {
  if (auto it = ranks_.find(bytes); it != ranks_.end()) return it->second;
  return std::nullopt;
}

void tiktoken_model::tokenize(std::string_view piece, std::vector<token_id>& out) const {
  // Pieces arrive in the byte-level alphabet (the pre-tokenizer's ByteLevel step).
  const auto raw = byte_level_decode(piece);
  const std::string bytes = raw ? *raw : std::string(piece);
  if (bytes.empty()) return;
  if (auto whole = rank_of(bytes)) {
    out.push_back(*whole);
    return;
  }
  // Part boundaries; join the lowest-ranked adjacent pair (leftmost on ties) until none joins.
  std::vector<std::size_t> starts(bytes.size() + 1);
  for (std::size_t i = 0; i <= bytes.size(); ++i) starts[i] = i;
  const std::string_view b(bytes);
  for (;;) {
    token_id best = INT32_MAX;
    std::size_t at = 0;
    for (std::size_t i = 0; i + 2 < starts.size(); ++i) {
      const auto r = rank_of(b.substr(starts[i], starts[i + 2] - starts[i]));
      if (r && *r < best) {
        best = *r;
        at = i;
      }
    }
    if (best == INT32_MAX) break;
    starts.erase(starts.begin() + static_cast<std::ptrdiff_t>(at + 1));
  }
  for (std::size_t i = 0; i + 1 < starts.size(); ++i) {
    const auto r = rank_of(b.substr(starts[i], starts[i + 1] - starts[i]));
    if (r) out.push_back(*r);  // every single byte has a rank in OpenAI's files
  }
}

std::optional<token_id> tiktoken_model::token_to_id(std::string_view token) const {
  if (auto it = by_spelling_.find(token); it != by_spelling_.end()) return it->second;
  return std::nullopt;
}

const std::string* tiktoken_model::id_to_token(token_id id) const {
  if (id < 0 || static_cast<std::size_t>(id) >= spelling_.size() ||
      spelling_[static_cast<std::size_t>(id)].empty())
    return nullptr;
  return &spelling_[static_cast<std::size_t>(id)];
}

std::optional<tiktoken_encoding> find_tiktoken_encoding(std::string_view name) {
  // The patterns and special tokens of tiktoken's openai_public.py.
  static const std::string gpt2 =
      R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";
  static const std::string cl100k =
      R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
  static const std::string o200k =
      R"([^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?)"
      R"(|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?)"
      R"(|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
  const auto special = [](const char* content, token_id id) {
    added_token t;
    t.id = id;
    t.content = content;
    t.special = true;
    return t;
  };
  if (name == "r50k_base" || name == "p50k_base")
    return tiktoken_encoding{gpt2, {special("<|endoftext|>", 50256)}};
  if (name == "p50k_edit")
    return tiktoken_encoding{gpt2,
                             {special("<|endoftext|>", 50256), special("<|fim_prefix|>", 50281),
                              special("<|fim_middle|>", 50282), special("<|fim_suffix|>", 50283)}};
  if (name == "cl100k_base")
    return tiktoken_encoding{cl100k,
                             {special("<|endoftext|>", 100257), special("<|fim_prefix|>", 100258),
                              special("<|fim_middle|>", 100259), special("<|fim_suffix|>", 100260),
                              special("<|endofprompt|>", 100276)}};
  if (name == "o200k_base")
    return tiktoken_encoding{
        o200k, {special("<|endoftext|>", 199999), special("<|endofprompt|>", 200018)}};
  return std::nullopt;
}

}  // namespace loadwright::datasets::detail
