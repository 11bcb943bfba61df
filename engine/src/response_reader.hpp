#pragma once
// Turns one HTTP response into a request record's measurements, sans I/O: headers and body
// bytes (with the time they were read) go in; TTFR, TTFT, ITL, E2EL, token counts and the
// outcome come out. Used for streaming (SSE) and whole JSON responses alike.

#include <chrono>
#include <string>

#include "http_response_parser.hpp"
#include "loadwright/core/openai_decoder.hpp"
#include "loadwright/core/request_record.hpp"
#include "loadwright/core/sse_parser.hpp"

namespace loadwright::runtime {

class response_reader final : public response_consumer, private sse_handler {
 public:
  using time_point = std::chrono::steady_clock::time_point;

  /// Largest error or non-streaming body kept in memory.
  static constexpr std::size_t max_error_body = 4096;
  static constexpr std::size_t max_json_body = 64u << 20;

  /// Prepares for a response to a request sent at `sent` into `record`. `asked_to_stream`:
  /// the request said `"stream": true`, so a body with neither an SSE nor a JSON media type
  /// is read as SSE if it starts like SSE (some proxies drop or rewrite a stream's
  /// Content-Type).
  void start(request_record& record, time_point sent, bool asked_to_stream = false);

  void on_headers(int status, std::string_view content_type, std::string_view retry_after) override;
  void on_body(std::string_view bytes, time_point at) override;

  /// The response ended normally at `at` (the HTTP message is complete).
  void finish(time_point at);
  /// The exchange failed at `at` with a transport-level status.
  void fail(request_status status, std::string message, time_point at);

  /// A malformed or oversized stream, or an error body already kept: nothing more to learn.
  bool abandoned() const override;

  /// The generated text, when it was kept (no `usage` in the response) — for token estimates.
  const std::string& text() const { return text_; }

 private:
  void on_event(std::string_view event_type, std::string_view data) override;
  void apply_chunk(const openai_chunk& c, time_point at);
  void feed_body(std::string_view bytes);  // the bytes of a 2xx body, once its kind is known
  void decide_body_kind();                 // SSE or whole JSON, from the first bytes sniffed
  void set_error(request_status s, std::string message);
  std::int64_t since_sent(time_point at) const {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(at - sent_).count();
  }

  request_record* rec_ = nullptr;
  time_point sent_{};
  time_point last_text_{};
  bool asked_to_stream_ = false;
  time_point now_{};
  bool streaming_ = false;
  bool undecided_ = false;  // a 2xx body to a streaming request, without a media type that says
  std::string sniffed_;     // its first bytes, until there are enough to tell
  bool saw_done_ = false;
  bool saw_choices_ = false;
  bool failed_ = false;
  sse_parser sse_;
  openai_decoder decoder_;
  openai_chunk chunk_;
  std::string text_;
  std::string body_;  // error bodies and non-streaming JSON
};

}  // namespace loadwright::runtime
