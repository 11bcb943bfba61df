// Per-request records as JSONL and CSV, and reading JSONL back (`loadwright report`).

#include <fmt/format.h>

#include <cmath>

#include <boost/json.hpp>

#include "loadwright/core/json_writer.hpp"
#include "loadwright/core/result_files.hpp"

namespace loadwright::runtime {

namespace {
double ms(std::int64_t ns) {
  return ns < 0 ? -1.0 : static_cast<double>(ns) * 1e-6;
}
std::int64_t ns(double ms_value) {
  return ms_value < 0 ? -1 : static_cast<std::int64_t>(std::llround(ms_value * 1e6));
}

}  // namespace

void append_record_jsonl(std::string& out, const request_record& r) {
  struct to_json final : record_visitor {
    json_writer& w;
    explicit to_json(json_writer& writer) : w(writer) {}
    void text(std::string_view k, std::string_view v) override { w.field(k, v); }
    void integer(std::string_view k, std::int64_t v) override { w.field(k, v); }
    void number(std::string_view k, double v) override { w.field(k, v); }
    void optional_number(std::string_view k, std::optional<double> v) override {
      w.key(k);
      if (v)
        w.value(*v);
      else
        w.null();
    }
    void numbers(std::string_view k, const std::vector<float>& v) override {
      w.key(k).begin_array();
      for (const float x : v) w.value(static_cast<double>(x));
      w.end_array();
    }
  };
  json_writer w(out);
  w.begin_object();
  to_json visitor(w);
  visit_record(r, visitor);
  w.end_object();
  out += '\n';
}

bool parse_record_jsonl(std::string_view line, request_record& r, std::string* why) {
  boost::system::error_code ec;
  const auto v = boost::json::parse(line, ec);
  auto fail = [&](std::string m) {
    if (why) *why = std::move(m);
    return false;
  };
  if (ec) return fail("invalid JSON: " + ec.message());
  const auto* o = v.if_object();
  if (!o) return fail("expected a JSON object");
  auto num = [&](std::string_view k, double fallback) {
    const auto* x = o->if_contains(k);
    return x && x->is_number() ? x->to_number<double>() : fallback;
  };
  auto str = [&](std::string_view k) {
    const auto* x = o->if_contains(k);
    return x && x->is_string() ? std::string(x->as_string()) : std::string();
  };
  if (!o->contains("status") || !o->contains("sent_s"))
    return fail("not a loadwright request record");
  r = request_record{};
  r.scenario = str("scenario");
  r.run = static_cast<std::uint32_t>(num("run", 1));
  const auto phase = str("phase");
  r.phase = run_phase::measure;
  for (const auto p : {run_phase::warmup, run_phase::context, run_phase::fill, run_phase::stabilize,
                       run_phase::drain})
    if (phase == phase_name(p)) r.phase = p;
  r.seq = static_cast<std::uint64_t>(num("seq", 0));
  r.turn = static_cast<std::uint32_t>(num("turn", 0));
  r.worker = static_cast<std::uint32_t>(num("worker", 0));
  r.request_id = str("request_id");
  r.scheduled_ns = static_cast<std::int64_t>(std::llround(num("scheduled_s", 0) * 1e9));
  r.sent_ns = static_cast<std::int64_t>(std::llround(num("sent_s", 0) * 1e9));
  r.ttfr_ns = ns(num("ttfr_ms", -1));
  r.ttft_ns = ns(num("ttft_ms", -1));
  r.e2el_ns = ns(num("e2el_ms", -1));
  r.end_ns = ns(num("end_ms", num("e2el_ms", -1)));
  if (const auto* itl = o->if_contains("itl_ms"); itl && itl->is_array()) {
    for (const auto& g : itl->as_array())
      if (g.is_number()) r.itl_ms.push_back(static_cast<float>(g.to_number<double>()));
  }
  r.text_events = static_cast<std::uint32_t>(r.itl_ms.size() + (r.ttft_ns >= 0 ? 1 : 0));
  r.last_choice_ns = ns(num("last_choice_ms", num("e2el_ms", -1)));
  r.choice_events = static_cast<std::uint32_t>(num("choice_events", r.text_events));
  r.leading_empty_events = static_cast<std::uint32_t>(num("leading_empty_events", 0));
  r.trailing_empty_events = static_cast<std::uint32_t>(num("trailing_empty_events", 0));
  r.expected_input_tokens = static_cast<std::int64_t>(num("expected_input_tokens", -1));
  r.input_tokens = static_cast<std::int64_t>(num("input_tokens", -1));
  r.output_tokens = static_cast<std::int64_t>(num("output_tokens", -1));
  r.input_tokens_from_usage = str("input_tokens_source") == "usage";
  r.output_tokens_from_usage = str("output_tokens_source") == "usage";
  r.max_tokens = static_cast<std::int64_t>(num("max_tokens", -1));
  r.reused_connection = str("connection") == "reused";
  r.dead_connections = static_cast<std::uint32_t>(num("dead_connections", 0));
  if (!parse_status(str("status"), r.status)) return fail("unknown status '" + str("status") + "'");
  r.http_status = static_cast<int>(num("http_status", 0));
  r.finish_reason = str("finish_reason");
  r.error = str("error");
  return true;
}

void append_records_csv_header(std::string& out) {
  out +=
      "scenario,run,phase,seq,turn,worker,request_id,scheduled_s,sent_s,ttfr_ms,ttft_ms,e2el_ms,"
      "tpot_ms,"
      "itl_count,itl_mean_ms,input_tokens,output_tokens,max_tokens,status,http_status,finish_"
      "reason,error\n";
}

void append_record_csv(std::string& out, const request_record& r) {
  auto quoted = [&](std::string_view s) {
    out += '"';
    for (const char c : s) {
      if (c == '"') out += '"';
      out += (c == '\n' || c == '\r') ? ' ' : c;
    }
    out += '"';
  };
  auto opt = [&](std::int64_t v) {
    if (v >= 0) fmt::format_to(std::back_inserter(out), "{:.3f}", ms(v));
  };
  quoted(r.scenario);
  fmt::format_to(std::back_inserter(out), ",{},{},{},{},{},", r.run, phase_name(r.phase), r.seq,
                 r.turn, r.worker);
  quoted(r.request_id);
  fmt::format_to(std::back_inserter(out), ",{:.6f},{:.6f},", r.scheduled_s(), r.sent_s());
  opt(r.ttfr_ns);
  out += ',';
  opt(r.ttft_ns);
  out += ',';
  opt(r.e2el_ns);
  out += ',';
  if (const double t = r.tpot_ms(); t >= 0) fmt::format_to(std::back_inserter(out), "{:.3f}", t);
  double itl_sum = 0;
  for (const float g : r.itl_ms) itl_sum += g;
  fmt::format_to(std::back_inserter(out), ",{},", r.itl_ms.size());
  if (!r.itl_ms.empty())
    fmt::format_to(std::back_inserter(out), "{:.3f}",
                   itl_sum / static_cast<double>(r.itl_ms.size()));
  fmt::format_to(std::back_inserter(out), ",{},{},{},{},{},", r.input_tokens, r.output_tokens,
                 r.max_tokens, status_name(r.status), r.http_status);
  quoted(r.finish_reason);
  out += ',';
  quoted(r.error);
  out += '\n';
}

}  // namespace loadwright::runtime
