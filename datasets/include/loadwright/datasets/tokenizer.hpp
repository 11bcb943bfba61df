#pragma once
// A Hugging Face `tokenizer.json` tokenizer, in C++: byte-level BPE (GPT-2, Llama-3, Qwen,
// DeepSeek) and SentencePiece-style BPE with byte fallback (Llama-2, Mistral). Encode and
// decode give the ids and text of the Hugging Face tokenizers library, token for token.
// Decoding follows the tokenizers library (no transformers-level
// clean_up_tokenization_spaces), as llama-benchy's tokenizer path does.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace loadwright::datasets {

using token_id = std::int32_t;

/// A tokenizer that cannot be loaded; `what()` names the file and the field.
class tokenizer_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class tokenizer {
 public:
  /// `path` is a tokenizer.json, or a folder holding one (and optionally
  /// tokenizer_config.json, whose add_bos_token / add_eos_token are honoured).
  /// A `.tiktoken` file is read as the OpenAI encoding its name says (cl100k_base.tiktoken).
  static std::shared_ptr<const tokenizer> load(const std::filesystem::path& path);
  /// OpenAI's rank file for `encoding` (r50k_base, p50k_base, p50k_edit, cl100k_base, o200k_base).
  static std::shared_ptr<const tokenizer> load_tiktoken(const std::filesystem::path& file,
                                                        const std::string& encoding);

  ~tokenizer();
  tokenizer(const tokenizer&) = delete;
  tokenizer& operator=(const tokenizer&) = delete;

  /// The ids of `text` (invalid UTF-8 is first repaired with U+FFFD). With
  /// `add_special_tokens`, the post-processor's BOS/EOS are added. Thread-safe.
  std::vector<token_id> encode(std::string_view text, bool add_special_tokens = false) const;

  /// The text of `ids`; unknown ids are dropped, special tokens too when asked.
  std::string decode(std::span<const token_id> ids, bool skip_special_tokens = false) const;

  /// The base vocabulary's size, without added tokens (transformers' `vocab_size`).
  std::size_t vocab_size() const;
  /// How many ids `encode(…, true)` adds to any text (vLLM's `num_special_tokens_to_add`).
  std::size_t num_special_tokens_to_add() const;
  /// The ids of special tokens, ascending.
  const std::vector<token_id>& special_ids() const;
  bool is_special(token_id id) const;
  std::optional<token_id> token_to_id(std::string_view token) const;

  /// Where it was loaded from and what it is: "/path/tokenizer.json (byte-level BPE, 128000
  /// tokens)".
  const std::string& description() const;
  const std::filesystem::path& path() const;

  struct impl;

 private:
  explicit tokenizer(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
};

}  // namespace loadwright::datasets
