#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace loadwright::datasets {

/// One chat message of a prompt.
struct chat_message {
  std::string role;  // "system", "user", "assistant"
  std::string content;
  bool operator==(const chat_message&) const = default;
};

/// One request's worth of input, drawn from a dataset before the clock starts.
struct sample {
  /// The prompt as chat messages; the completions API sends their contents joined by "\n".
  std::vector<chat_message> messages;
  /// Prompt tokens as counted on the client; -1 when unknown.
  std::int64_t input_tokens = -1;
  /// True when `input_tokens` is an estimate rather than the model tokenizer's count.
  bool input_tokens_estimated = true;
  /// Tokens of the context (the leading system message) alone, when the sampler knows them;
  /// -1 otherwise. What a context-only request (llama-benchy's prefix-caching step) counts.
  std::int64_t context_tokens = -1;
  /// The output length this sample asks for (max_tokens); -1 means the request's default.
  std::int64_t max_output_tokens = -1;
  /// Part of a conversations dataset: its records carry turn numbers even with one turn.
  bool conversation = false;
  /// A conversation: the user's later turns. Turn k+1 is sent when turn k has finished,
  /// carrying the whole history with the server's real replies, after `think_time_s`.
  std::vector<std::string> followups;
  std::vector<std::int64_t> followup_tokens;  // client-side count of each later user turn
  double think_time_s = 0;

  /// The prompt as one string (completions API).
  std::string prompt_text() const;
};

}  // namespace loadwright::datasets
