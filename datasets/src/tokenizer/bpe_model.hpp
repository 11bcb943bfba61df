#pragma once
// tokenizer.json's BPE `model`: vocabulary, ranked merges, ignore_merges, byte fallback and
// unk fusing. `tokenize` is `BPE::tokenize` of Hugging Face tokenizers: start from one
// symbol per character, repeatedly apply the lowest-ranked merge (leftmost on ties).

#include <boost/json/fwd.hpp>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "token_model.hpp"

namespace loadwright::datasets::detail {

struct string_hash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using vocab_map = std::unordered_map<std::string, token_id, string_hash, std::equal_to<>>;

class bpe_model final : public token_model {
 public:
  bpe_model(const boost::json::object& model, const std::string& path);
  bpe_model(const bpe_model&) = delete;
  bpe_model& operator=(const bpe_model&) = delete;

  /// Appends the ids of one pre-tokenized piece. Thread-safe.
  void tokenize(std::string_view piece, std::vector<token_id>& out) const override;

  std::optional<token_id> token_to_id(std::string_view token) const override;
  const std::string* id_to_token(token_id id) const override;
  std::size_t vocab_size() const override { return vocab_.size(); }

 private:
  void merge_word(std::string_view piece, std::vector<token_id>& out) const;

  vocab_map vocab_;
  std::vector<std::string> id_to_token_;
  std::vector<bool> has_id_;
  struct merge {
    std::int32_t rank;
    token_id result;
  };
  std::unordered_map<std::uint64_t, merge> merges_;  // key: left id << 32 | right id
  std::optional<token_id> unk_;
  bool fuse_unk_ = false;
  bool byte_fallback_ = false;
  bool ignore_merges_ = false;
  token_id byte_ids_[256]{};  // <0xXX> ids when byte_fallback; -1 when missing

  // Results for short pieces, as tokenizers caches them (words repeat a lot in prose).
  mutable std::mutex cache_mutex_;
  mutable std::unordered_map<std::string, std::vector<token_id>, string_hash, std::equal_to<>>
      cache_;
};

}  // namespace loadwright::datasets::detail
