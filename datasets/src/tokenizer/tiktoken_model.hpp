#pragma once
// OpenAI's tiktoken encodings (r50k_base, p50k_base, p50k_edit, cl100k_base, o200k_base) from
// their `.tiktoken` rank files: one line per token, "base64(bytes) rank". Merging is
// tiktoken's own: repeatedly join the adjacent pair whose concatenation has the lowest rank.

#include <memory>
#include <string>
#include <unordered_map>

#include "added_vocabulary.hpp"
#include "bpe_model.hpp"

namespace loadwright::datasets::detail {

class tiktoken_model final : public token_model {
 public:
  /// Throws tokenizer_format_error naming the line of a malformed file.
  explicit tiktoken_model(const std::string& path);

  void tokenize(std::string_view piece, std::vector<token_id>& out) const override;
  std::optional<token_id> token_to_id(std::string_view token) const override;
  const std::string* id_to_token(token_id id) const override;
  std::size_t vocab_size() const override { return spelling_.size(); }

 private:
  std::optional<token_id> rank_of(std::string_view bytes) const;

  vocab_map ranks_;                    // raw token bytes -> rank (= id)
  vocab_map by_spelling_;              // byte-level spelling -> id
  std::vector<std::string> spelling_;  // id -> byte-level spelling ("Ġthe")
};

/// What the encoding named `name` adds to its ranks: the split pattern and special tokens.
struct tiktoken_encoding {
  std::string pattern;
  std::vector<added_token> specials;
};
/// nullopt for an unknown name.
std::optional<tiktoken_encoding> find_tiktoken_encoding(std::string_view name);

}  // namespace loadwright::datasets::detail
