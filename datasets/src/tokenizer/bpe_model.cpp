#include "bpe_model.hpp"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <queue>

#include "json_fields.hpp"
#include "loadwright/datasets/utf8.hpp"

namespace loadwright::datasets::detail {

namespace json = boost::json;

namespace {

constexpr std::size_t max_cached_piece_bytes = 64;
constexpr std::size_t max_cache_entries = 200'000;

std::uint64_t pair_key(token_id a, token_id b) {
  return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(a)) << 32) |
         static_cast<std::uint32_t>(b);
}

// A merge is "a b" (one space between) or ["a", "b"] (newer exports).
std::pair<std::string, std::string> parse_merge(const json::value& v, const std::string& path) {
  if (v.is_string()) {
    const std::string_view s = v.get_string();
    const auto space = s.find(' ', 1);
    if (space == std::string_view::npos || s.find(' ', space + 1) != std::string_view::npos)
      throw tokenizer_format_error(path, "expected \"left right\", got \"" + std::string(s) + "\"");
    return {std::string(s.substr(0, space)), std::string(s.substr(space + 1))};
  }
  if (const auto* a = v.if_array();
      a && a->size() == 2 && (*a)[0].is_string() && (*a)[1].is_string())
    return {std::string((*a)[0].get_string()), std::string((*a)[1].get_string())};
  throw tokenizer_format_error(path, "expected a merge as \"left right\" or [\"left\", \"right\"]");
}

}  // namespace

bpe_model::bpe_model(const json::object& model, const std::string& path) {
  if (!string_or(model, "continuing_subword_prefix", "", path).empty() ||
      !string_or(model, "end_of_word_suffix", "", path).empty())
    throw tokenizer_format_error(
        path, "continuing_subword_prefix / end_of_word_suffix are not supported");
  const auto& vocab = as_object(member(model, "vocab", path), path + ".vocab");
  vocab_.reserve(vocab.size());
  for (const auto& kv : vocab) {
    if (!kv.value().is_int64() || kv.value().get_int64() < 0 || kv.value().get_int64() > INT32_MAX)
      throw tokenizer_format_error(path + ".vocab[\"" + std::string(kv.key()) + "\"]",
                                   "expected an id");
    const auto id = static_cast<token_id>(kv.value().get_int64());
    vocab_.emplace(std::string(kv.key()), id);
    if (static_cast<std::size_t>(id) >= id_to_token_.size()) {
      id_to_token_.resize(static_cast<std::size_t>(id) + 1);
      has_id_.resize(static_cast<std::size_t>(id) + 1, false);
    }
    id_to_token_[static_cast<std::size_t>(id)] = std::string(kv.key());
    has_id_[static_cast<std::size_t>(id)] = true;
  }

  const auto& merges = member(model, "merges", path);
  if (!merges.is_array()) throw tokenizer_format_error(path + ".merges", "expected a list");
  merges_.reserve(merges.get_array().size());
  std::int32_t rank = 0;
  for (const auto& m : merges.get_array()) {
    const std::string where = fmt::format("{}.merges[{}]", path, rank);
    auto [left, right] = parse_merge(m, where);
    const auto a = token_to_id(left), b = token_to_id(right), c = token_to_id(left + right);
    if (!a || !b || !c)
      throw tokenizer_format_error(
          where, "merge \"" + left + " " + right + "\" uses a token missing from the vocab");
    // A repeated pair keeps its last rank, as tokenizers (a map built from the list) does.
    merges_.insert_or_assign(pair_key(*a, *b), merge{rank, *c});
    ++rank;
  }

  if (const auto unk = string_or(model, "unk_token", "", path); !unk.empty()) {
    unk_ = token_to_id(unk);
    if (!unk_)
      throw tokenizer_format_error(path + ".unk_token", "\"" + unk + "\" is not in the vocab");
  }
  fuse_unk_ = bool_or(model, "fuse_unk", false, path);
  byte_fallback_ = bool_or(model, "byte_fallback", false, path);
  ignore_merges_ = bool_or(model, "ignore_merges", false, path);
  for (int b = 0; b < 256; ++b) {
    const auto id = token_to_id(fmt::format("<0x{:02X}>", b));
    byte_ids_[b] = id ? *id : -1;
  }
}

std::optional<token_id> bpe_model::token_to_id(std::string_view token) const {
  if (auto it = vocab_.find(token); it != vocab_.end()) return it->second;
  return std::nullopt;
}

const std::string* bpe_model::id_to_token(token_id id) const {
  if (id < 0 || static_cast<std::size_t>(id) >= id_to_token_.size() ||
      !has_id_[static_cast<std::size_t>(id)])
    return nullptr;
  return &id_to_token_[static_cast<std::size_t>(id)];
}

void bpe_model::tokenize(std::string_view piece, std::vector<token_id>& out) const {
  if (piece.empty()) return;
  if (ignore_merges_) {
    if (auto id = token_to_id(piece)) {
      out.push_back(*id);
      return;
    }
  }
  const bool cacheable = piece.size() <= max_cached_piece_bytes;
  if (cacheable) {
    std::lock_guard lock(cache_mutex_);
    if (auto it = cache_.find(piece); it != cache_.end()) {
      out.insert(out.end(), it->second.begin(), it->second.end());
      return;
    }
  }
  const std::size_t first = out.size();
  merge_word(piece, out);
  if (cacheable) {
    std::lock_guard lock(cache_mutex_);
    if (cache_.size() < max_cache_entries)
      cache_.emplace(
          std::string(piece),
          std::vector<token_id>(out.begin() + static_cast<std::ptrdiff_t>(first), out.end()));
  }
}

void bpe_model::merge_word(std::string_view piece, std::vector<token_id>& out) const {
  struct symbol {
    token_id id;
    int prev, next;
    bool alive;
  };
  std::vector<symbol> symbols;
  symbols.reserve(piece.size());
  const auto push = [&](token_id id) {
    const int index = static_cast<int>(symbols.size());
    symbols.push_back({id, index - 1, index + 1, true});
  };
  bool last_was_unk = false;
  for (std::size_t i = 0; i < piece.size();) {
    std::size_t len = utf8_char_length(piece, i);
    if (len == 0) len = 1;  // not reached: input is repaired to valid UTF-8 before this
    const std::string_view ch = piece.substr(i, len);
    i += len;
    if (auto id = token_to_id(ch)) {
      push(*id);
      last_was_unk = false;
      continue;
    }
    if (byte_fallback_) {
      bool all = true;
      for (char c : ch) all = all && byte_ids_[static_cast<unsigned char>(c)] >= 0;
      if (all) {
        for (char c : ch) push(byte_ids_[static_cast<unsigned char>(c)]);
        last_was_unk = false;
        continue;
      }
    }
    if (unk_) {
      if (!(fuse_unk_ && last_was_unk)) push(*unk_);
      last_was_unk = true;
    }
  }
  if (symbols.empty()) return;
  symbols.back().next = -1;

  struct candidate {
    std::int32_t rank;
    int pos;
    token_id result;
    bool operator>(const candidate& o) const {
      return rank != o.rank ? rank > o.rank : pos > o.pos;
    }
  };
  std::priority_queue<candidate, std::vector<candidate>, std::greater<>> queue;
  const auto consider = [&](int left) {
    if (left < 0) return;
    const int right = symbols[static_cast<std::size_t>(left)].next;
    if (right < 0) return;
    auto it = merges_.find(pair_key(symbols[static_cast<std::size_t>(left)].id,
                                    symbols[static_cast<std::size_t>(right)].id));
    if (it != merges_.end()) queue.push({it->second.rank, left, it->second.result});
  };
  for (int i = 0; i + 1 < static_cast<int>(symbols.size()); ++i) consider(i);

  while (!queue.empty()) {
    const candidate top = queue.top();
    queue.pop();
    auto& left = symbols[static_cast<std::size_t>(top.pos)];
    if (!left.alive || left.next < 0) continue;
    auto& right = symbols[static_cast<std::size_t>(left.next)];
    auto it = merges_.find(pair_key(left.id, right.id));
    if (it == merges_.end() || it->second.result != top.result) continue;  // stale
    left.id = top.result;
    right.alive = false;
    left.next = right.next;
    if (right.next >= 0) symbols[static_cast<std::size_t>(right.next)].prev = top.pos;
    consider(left.prev);
    consider(top.pos);
  }
  for (int i = 0; i >= 0; i = symbols[static_cast<std::size_t>(i)].next)
    out.push_back(symbols[static_cast<std::size_t>(i)].id);
}

}  // namespace loadwright::datasets::detail
