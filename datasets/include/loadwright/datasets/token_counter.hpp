#pragma once
// Counting tokens in prompt text. Without a model tokenizer loadwright uses a documented
// estimate and marks every count that came from it, so nothing pretends to be exact.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace loadwright::datasets {

class tokenizer;

/// Counts the tokens of a text. Implementations are pure and thread-safe.
class token_counter {
 public:
  virtual ~token_counter() = default;
  /// Tokens of `text` as a prompt, special tokens included (vLLM's
  /// `len(tokenizer(prompt).input_ids)`: BOS counts for a BOS-adding tokenizer).
  virtual std::int64_t count(std::string_view text) const = 0;
  /// Tokens of `text` alone, no special tokens added: a slice of a longer prompt (a book's
  /// context or question). The same as count() for counters that add none.
  virtual std::int64_t count_text(std::string_view text) const { return count(text); }
  /// True when counts are the model's own (a real tokenizer), false for estimates.
  virtual bool exact() const = 0;
  /// A short human-readable name: "estimate", "tokenizer.json at …".
  virtual std::string describe() const = 0;
  /// The model tokenizer behind the counts, when there is one: samplers that build prompts
  /// from token ids (random, gutenberg) need it.
  virtual const datasets::tokenizer* model_tokenizer() const { return nullptr; }
};

/// Counts with a loaded Hugging Face tokenizer: exact for the model it belongs to.
class tokenizer_token_counter final : public token_counter {
 public:
  explicit tokenizer_token_counter(std::shared_ptr<const datasets::tokenizer> t)
      : tok_(std::move(t)) {}
  std::int64_t count(std::string_view text) const override;
  std::int64_t count_text(std::string_view text) const override;
  bool exact() const override { return true; }
  std::string describe() const override;
  const datasets::tokenizer* model_tokenizer() const override { return tok_.get(); }

 private:
  std::shared_ptr<const datasets::tokenizer> tok_;
};

/// The estimate used when no tokenizer is configured. Deterministic and shared with the
/// built-in emulator, so prompts built to N estimated tokens are N tokens there:
///   - a run of ASCII letters counts ceil(len / 5) tokens ("bench" 1, "benchmarking" 3);
///   - a run of digits counts ceil(len / 3);
///   - a multi-byte UTF-8 character counts 1;
///   - any other non-space byte (punctuation) counts 1; whitespace is free.
/// On English prose this lands within ~10-15% of GPT-style BPE counts.
class estimate_token_counter final : public token_counter {
 public:
  std::int64_t count(std::string_view text) const override { return estimate_tokens(text); }
  bool exact() const override { return false; }
  std::string describe() const override { return "estimate (no tokenizer)"; }

  static std::int64_t estimate_tokens(std::string_view text);
};

/// Common short English words, each with a leading space (" the"): one token apiece under
/// the estimate, and a single token after a space for real BPE tokenizers too. The random
/// dataset builds prompts from them; the emulator "generates" them.
std::span<const std::string_view> one_token_words();

}  // namespace loadwright::datasets
