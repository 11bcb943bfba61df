#pragma once
// The emulator's response texts (sans I/O): streamed chunks, the usage chunk, whole bodies.

#include <cstdint>
#include <string>
#include <string_view>

namespace loadwright::runtime::emulation {

/// What the emulator needs to know to answer one request.
struct response_shape {
  bool chat = true;
  std::string id;  // "chatcmpl-…" / "cmpl-…"
  std::string model;
  std::int64_t created = 0;
  std::uint64_t text_seed = 0;  // picks the words
  /// The first text token's text instead of a word: " Paris" answers llama-benchy's coherence
  /// test.
  std::string first_token_text;
  /// Tokens [0, silent_tokens) have no text (a reasoning model's header): no event carries them.
  std::int64_t silent_tokens = 0;
  /// Prompt tokens found in the prefix cache (usage.prompt_tokens_details); -1: no cache.
  std::int64_t cached_tokens = -1;
};

/// The text of generated token `index` (a short word with a leading space: one token under
/// loadwright's estimate, so estimated and reported counts agree).
std::string_view token_text(std::uint64_t text_seed, std::int64_t index);

/// Appends one SSE event `data: {chunk}\n\n` carrying tokens [first, last). In the chat API
/// the first tokens are preceded by a role-only event (content ""), as vLLM sends one.
/// `finish_reason` may be empty; when it is and the tokens are all silent, no event is added.
void append_token_event(std::string& out, const response_shape& r, std::int64_t first,
                        std::int64_t last, std::string_view finish_reason);
/// Appends the usage event (empty choices, like vLLM's final chunk).
void append_usage_event(std::string& out, const response_shape& r, std::int64_t prompt_tokens,
                        std::int64_t completion_tokens);
/// A whole non-streaming response body.
std::string whole_response(const response_shape& r, std::int64_t prompt_tokens,
                           std::int64_t completion_tokens, std::string_view finish_reason);
/// An OpenAI-style error body.
std::string error_body(std::string_view message, std::string_view type, int code);

}  // namespace loadwright::runtime::emulation
