#pragma once
// When a request's output tokens came: each text event carries an equal share of its output
// tokens (so a server that sends several tokens per event is not undercounted, vllm#37666),
// at sent + TTFT and then after each inter-token gap.

#include <cstdint>

#include "loadwright/core/request_record.hpp"

namespace loadwright::runtime {

/// Calls add(at_ns, tokens) for each text event of a completed request, `at_ns` since the
/// run's start. Nothing for a request without a first token or output tokens.
template <class Add>
void for_each_token_event(const request_record& r, Add&& add) {
  if (r.ttft_ns < 0 || r.output_tokens <= 0) return;
  const double share =
      static_cast<double>(r.output_tokens) / (r.text_events > 0 ? r.text_events : 1u);
  double t_ms = static_cast<double>(r.sent_ns + r.ttft_ns) * 1e-6;
  add(r.sent_ns + r.ttft_ns, share);
  for (const float gap : r.itl_ms) {
    t_ms += gap;
    add(static_cast<std::int64_t>(t_ms * 1e6), share);
  }
}

}  // namespace loadwright::runtime
