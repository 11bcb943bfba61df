#pragma once
// Reads the few fields a benchmark needs from OpenAI-style JSON: a streamed chunk
// (`chat.completion.chunk` / `text_completion`) or a whole non-streaming response.
// A SAX scan, not a DOM: no allocation per event once the buffers have grown.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace loadwright::runtime {

/// What one chunk (or one whole response) said.
struct openai_chunk {
  bool done = false;                    // the "[DONE]" sentinel
  bool has_choices = false;             // `choices` is non-empty (vLLM's "token event")
  bool has_text = false;                // generated content or reasoning text, non-empty
  std::string finish_reason;            // empty when absent or null
  std::int64_t prompt_tokens = -1;      // usage.prompt_tokens, -1 when absent
  std::int64_t completion_tokens = -1;  // usage.completion_tokens, -1 when absent
  bool has_error = false;               // an `error` object or string
  std::string error_message;
  bool malformed = false;   // not valid JSON
  std::string parse_error;  // why, when malformed

  void clear();
};

/// Decodes chunks. Reuse one decoder per connection or request: it keeps its buffers.
class openai_decoder {
 public:
  openai_decoder();
  ~openai_decoder();
  openai_decoder(const openai_decoder&) = delete;
  openai_decoder& operator=(const openai_decoder&) = delete;

  /// Decodes `json` into `out` (cleared first). Generated text (content, reasoning and
  /// completions `text`) is appended to `*text` when `text` is not null.
  void decode(std::string_view json, openai_chunk& out, std::string* text = nullptr);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace loadwright::runtime
