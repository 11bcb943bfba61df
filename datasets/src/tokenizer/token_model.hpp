#pragma once
// What the tokenizer needs of its model: pieces to ids, and ids back to token spellings.
// bpe_model reads tokenizer.json's BPE; tiktoken_model reads OpenAI's .tiktoken rank files.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace loadwright::datasets::detail {

using token_id = std::int32_t;

class token_model {
 public:
  virtual ~token_model() = default;
  /// Appends the ids of one pre-tokenized piece. Thread-safe.
  virtual void tokenize(std::string_view piece, std::vector<token_id>& out) const = 0;
  virtual std::optional<token_id> token_to_id(std::string_view token) const = 0;
  /// The token's spelling (what the decoder sees), or nullptr for an id outside the vocabulary.
  virtual const std::string* id_to_token(token_id id) const = 0;
  /// How many tokens the base vocabulary has.
  virtual std::size_t vocab_size() const = 0;
};

}  // namespace loadwright::datasets::detail
