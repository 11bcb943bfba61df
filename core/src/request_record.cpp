#include "loadwright/core/request_record.hpp"

namespace loadwright::runtime {

namespace {
constexpr const char* kStatusNames[] = {"ok",        "connect", "tls",         "write",
                                        "read",      "timeout", "http_status", "protocol",
                                        "truncated", "empty",   "cancelled"};
}

const char* status_name(request_status s) {
  return kStatusNames[static_cast<int>(s)];
}

bool parse_status(std::string_view name, request_status& out) {
  for (int i = 0; i < static_cast<int>(std::size(kStatusNames)); ++i) {
    if (name == kStatusNames[i]) {
      out = static_cast<request_status>(i);
      return true;
    }
  }
  return false;
}

const char* phase_name(run_phase p) {
  switch (p) {
    case run_phase::warmup:
      return "warmup";
    case run_phase::context:
      return "context";
    case run_phase::fill:
      return "fill";
    case run_phase::stabilize:
      return "stabilize";
    case run_phase::drain:
      return "drain";
    case run_phase::measure:
      break;
  }
  return "measure";
}

double request_record::tpot_ms() const {
  if (output_tokens <= 1 || ttft_ns < 0 || e2el_ns < 0) return -1;
  return static_cast<double>(e2el_ns - ttft_ns) * 1e-6 / static_cast<double>(output_tokens - 1);
}

void visit_record(const request_record& r, record_visitor& v) {
  auto ms = [](std::int64_t ns) -> std::optional<double> {
    if (ns < 0) return std::nullopt;
    return static_cast<double>(ns) * 1e-6;
  };
  v.text("scenario", r.scenario);
  v.integer("run", r.run);
  v.text("phase", phase_name(r.phase));
  v.integer("seq", static_cast<std::int64_t>(r.seq));
  v.integer("turn", r.turn);
  v.integer("worker", r.worker);
  v.text("request_id", r.request_id);
  v.number("scheduled_s", r.scheduled_s());
  v.number("sent_s", r.sent_s());
  v.optional_number("ttfr_ms", ms(r.ttfr_ns));
  v.optional_number("ttft_ms", ms(r.ttft_ns));
  v.optional_number("e2el_ms", ms(r.e2el_ns));
  v.optional_number("end_ms", ms(r.end_ns));
  v.optional_number("last_choice_ms", ms(r.last_choice_ns));
  v.integer("choice_events", r.choice_events);
  v.integer("leading_empty_events", r.leading_empty_events);
  v.integer("trailing_empty_events", r.trailing_empty_events);
  v.numbers("itl_ms", r.itl_ms);
  v.integer("input_tokens", r.input_tokens);
  v.integer("output_tokens", r.output_tokens);
  v.integer("expected_input_tokens", r.expected_input_tokens);
  v.text("input_tokens_source", r.input_tokens_from_usage ? "usage" : "estimate");
  v.text("output_tokens_source", r.output_tokens_from_usage ? "usage" : "estimate");
  v.integer("max_tokens", r.max_tokens);
  v.text("connection", r.reused_connection ? "reused" : "new");
  v.integer("dead_connections", r.dead_connections);
  v.text("status", status_name(r.status));
  v.integer("http_status", r.http_status);
  v.text("finish_reason", r.finish_reason);
  v.text("error", r.error);
}

}  // namespace loadwright::runtime
