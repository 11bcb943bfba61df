#pragma once
// One record per request sent, whatever happened to it (DESIGN §5).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace loadwright::runtime {

/// How a request ended. Everything but `ok` is a failure and excluded from latency metrics.
enum class request_status : std::uint8_t {
  ok,
  connect,      // could not connect (refused, unreachable, DNS)
  tls,          // TLS handshake or certificate failure
  write,        // the request could not be sent
  read,         // the connection failed while reading (reset, EOF mid-response)
  timeout,      // total or idle timeout
  http_status,  // a non-2xx status (the body is kept in `error`)
  protocol,     // malformed HTTP, SSE or JSON, or an error object in the stream
  truncated,    // the stream ended without "[DONE]"
  empty,        // a successful response that carried no choices at all
  cancelled,    // stopped by the user (Ctrl-C) or the end of the run
};
const char* status_name(request_status s);
bool parse_status(std::string_view name, request_status& out);

/// `context`: the context-only batch of a `context_first` scenario (measured, reported apart).
/// `fill`, `stabilize`: sent in those phases of a scenario with `phases` (not measured);
/// `drain`: sent earlier but still in flight when the drain ended, so cancelled.
enum class run_phase : std::uint8_t { warmup, measure, context, fill, stabilize, drain };
const char* phase_name(run_phase p);

struct request_record {
  std::string scenario;
  std::uint32_t run = 0;  // 1-based
  run_phase phase = run_phase::measure;
  std::uint64_t seq = 0;     // index in the run's (or warm-up's) global sequence
  std::uint32_t turn = 0;    // 0, or the turn of a conversation (1 = its first request)
  std::uint32_t worker = 0;  // which worker thread sent it
  std::string request_id;    // also the X-Request-Id header
  // Times in nanoseconds. scheduled/sent are since the run's start; the others since sent.
  std::int64_t scheduled_ns = 0;
  std::int64_t sent_ns = 0;
  std::int64_t ttfr_ns = -1;         // first event with non-empty choices
  std::int64_t ttft_ns = -1;         // first event with generated text
  std::int64_t e2el_ns = -1;         // last event with generated text (or response end)
  std::int64_t end_ns = -1;          // the response was complete (or failed)
  std::int64_t last_choice_ns = -1;  // last event with non-empty choices (vLLM's latency end)
  std::uint32_t choice_events = 0;   // events with non-empty choices, text or not
  /// Events with choices but no text before the first text event (a role chunk) and after
  /// the last one (a finish chunk): vLLM counts their gaps as inter-token latencies.
  std::uint32_t leading_empty_events = 0;
  std::uint32_t trailing_empty_events = 0;
  std::vector<float> itl_ms;  // gaps between text events
  std::uint32_t text_events = 0;
  std::int64_t input_tokens = -1;
  std::int64_t output_tokens = -1;
  /// The client's own count of the prompt (the sample's), kept when `usage` replaces it.
  std::int64_t expected_input_tokens = -1;
  bool input_tokens_from_usage = false;
  bool output_tokens_from_usage = false;
  std::int64_t max_tokens = -1;  // what was asked
  /// The connection it went on: a kept-alive one, or one opened for it (the connect time is
  /// then inside its TTFT). Kept-alive connections found closed by the server on the way are
  /// counted, never charged (the request went out again on another).
  bool reused_connection = false;
  std::uint32_t dead_connections = 0;
  request_status status = request_status::ok;
  int http_status = 0;
  std::string finish_reason;
  std::string error;

  bool ok() const { return status == request_status::ok; }
  double scheduled_s() const { return static_cast<double>(scheduled_ns) * 1e-9; }
  double sent_s() const { return static_cast<double>(sent_ns) * 1e-9; }
  /// sent − scheduled: how late the client itself was (queueing under max_concurrency included).
  double schedule_lag_ms() const { return static_cast<double>(sent_ns - scheduled_ns) * 1e-6; }
  /// TPOT = (E2EL − TTFT) / (output tokens − 1), in ms; negative when undefined.
  double tpot_ms() const;
};

/// Every field of a record as the JSONL line names it, in that order: the one definition the
/// records file and a script's hooks (which see the same fields) both follow.
class record_visitor {
 public:
  virtual void text(std::string_view key, std::string_view value) = 0;
  virtual void integer(std::string_view key, std::int64_t value) = 0;
  virtual void number(std::string_view key, double value) = 0;
  /// A time in ms, or none (null) when it did not happen.
  virtual void optional_number(std::string_view key, std::optional<double> value) = 0;
  virtual void numbers(std::string_view key, const std::vector<float>& values) = 0;

 protected:
  ~record_visitor() = default;
};
void visit_record(const request_record& r, record_visitor& v);

}  // namespace loadwright::runtime
