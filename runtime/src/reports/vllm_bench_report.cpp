// vllm bench serve's calculate_metrics, --save-result JSON and console block
// (reference/vllm-bench-serve.md §3 timing points, §4 metrics, §6 output).

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "loadwright/runtime/json_writer.hpp"
#include "loadwright/runtime/stats.hpp"
#include "loadwright/runtime/vllm_bench.hpp"

namespace loadwright::runtime::vllm_bench {

namespace {

double s_of(std::int64_t ns) {
  return static_cast<double>(ns) * 1e-9;
}

// vLLM: "p" + int(p) when integral, else str(p).
std::string percentile_name(double p) {
  if (p == std::floor(p)) return fmt::format("{}", static_cast<long long>(p));
  return fmt::format("{}", p);
}

struct metric_name {
  const char* key;      // mean_{key}_ms
  const char* section;  // the console's section title
  const char* label;    // "Mean {label} (ms):"
};
constexpr metric_name metric_names[] = {
    {"ttft", "Time to First Token", "TTFT"},
    {"tpot", "Time per Output Token (excl. 1st token)", "TPOT"},
    {"itl", "Inter-token Latency", "ITL"},
    {"e2el", "End-to-end Latency", "E2EL"},
    {"client_queue_time", "Client-side Queueing", "Client Queue Time"},
    {"e2el_including_client_queue", "Queue-inclusive End-to-end Latency", "E2EL incl. Queue"},
};

bool selected(const vllm_bench_spec& spec, std::string_view key) {
  return std::find(spec.percentile_metrics.begin(), spec.percentile_metrics.end(), key) !=
         spec.percentile_metrics.end();
}

// Is the series computed at all? Queue series need --max-concurrency; the queue-inclusive
// latency needs a finite rate.
bool available(const setup& s, std::string_view key) {
  if (key == "client_queue_time") return s.max_concurrency.has_value();
  if (key == "e2el_including_client_queue") return !std::isinf(s.request_rate);
  return true;
}

const std::vector<double>& series_of(const metrics& m, std::string_view key) {
  if (key == "ttft") return m.ttfts;
  if (key == "tpot") return m.tpots;
  if (key == "itl") return m.itls;
  if (key == "e2el") return m.e2els;
  if (key == "client_queue_time") return m.queue_times;
  return m.e2els_with_queue;
}

// Python's str.format centring: the extra fill goes to the right.
std::string centred(const std::string& s, std::size_t width, char fill) {
  if (s.size() >= width) return s;
  const std::size_t left = (width - s.size()) / 2;
  return std::string(left, fill) + s + std::string(width - s.size() - left, fill);
}

std::string row(const std::string& label, const std::string& value) {
  return fmt::format("{:<40} {:<10}\n", label, value);
}

}  // namespace

request_view view_of(const request_record& r) {
  request_view v;
  v.start_s = s_of(r.sent_ns);
  v.queue_s = s_of(r.sent_ns - r.scheduled_ns);
  v.prompt_len = r.input_tokens;
  v.success = r.ok() && r.ttfr_ns >= 0;
  if (!v.success) {
    v.error = r.error.empty() ? status_name(r.status) : r.error;
    if (r.ok()) v.error = "Never received a valid chunk to calculate TTFT.";
    return v;
  }
  v.ttft_s = s_of(r.ttfr_ns);
  v.latency_s = s_of(r.last_choice_ns >= 0 ? r.last_choice_ns : r.e2el_ns);
  v.output_tokens = r.output_tokens;
  // Gaps between every event with choices: the role chunk → first text, the text events,
  // the last text → the finish chunk.
  if (r.ttft_ns >= 0 && r.leading_empty_events > 0) v.itl_s.push_back(s_of(r.ttft_ns - r.ttfr_ns));
  for (const float g : r.itl_ms) v.itl_s.push_back(static_cast<double>(g) * 1e-3);
  if (r.e2el_ns >= 0 && r.trailing_empty_events > 0 && r.last_choice_ns > r.e2el_ns)
    v.itl_s.push_back(s_of(r.last_choice_ns - r.e2el_ns));
  return v;
}

metrics calculate(std::span<const request_record> records, double duration_s, const setup& s) {
  metrics m;
  m.duration_s = duration_s;
  std::int64_t good = 0;
  for (const auto& r : records) {
    if (r.phase != run_phase::measure) continue;
    auto v = view_of(r);
    if (v.success) {
      ++m.completed;
      // out_len: usage.completion_tokens, else the client's count (1 without a tokenizer).
      const std::int64_t out_len = v.output_tokens > 0 ? v.output_tokens : 1;
      m.total_input += std::max<std::int64_t>(0, v.prompt_len);
      m.total_output += out_len;
      m.ttfts.push_back(v.ttft_s);
      m.e2els.push_back(v.latency_s);
      const double tpot =
          out_len > 1 ? (v.latency_s - v.ttft_s) / static_cast<double>(out_len - 1) : 0.0;
      if (out_len > 1) m.tpots.push_back(tpot);
      m.itls.insert(m.itls.end(), v.itl_s.begin(), v.itl_s.end());
      m.queue_times.push_back(v.queue_s);
      m.e2els_with_queue.push_back(v.latency_s + v.queue_s);
      if (!s.slo.empty() && (!s.slo.ttft || s.slo.ttft->count() >= v.ttft_s) &&
          (!s.slo.tpot || s.slo.tpot->count() >= tpot) &&
          (!s.slo.e2el || s.slo.e2el->count() >= v.latency_s))
        ++good;
    } else {
      ++m.failed;
    }
    m.requests.push_back(std::move(v));
  }
  auto per_s = [&](double x) { return duration_s > 0 ? x / duration_s : 0.0; };
  m.request_throughput = per_s(static_cast<double>(m.completed));
  m.output_throughput = per_s(static_cast<double>(m.total_output));
  m.total_token_throughput = per_s(static_cast<double>(m.total_input + m.total_output));
  if (!s.slo.empty()) m.request_goodput = per_s(static_cast<double>(good));

  // Peak output throughput: one "token" per event in 1 s buckets from the first start.
  double t0 = INFINITY, t_end = -INFINITY;
  for (const auto& v : m.requests)
    if (v.success) {
      t0 = std::min(t0, v.start_s);
      t_end = std::max(t_end, v.start_s + v.latency_s);
    }
  if (std::isfinite(t0)) {
    std::vector<std::int64_t> buckets(static_cast<std::size_t>(std::ceil(t_end - t0)) + 1, 0);
    auto add = [&](double t) {
      const auto b = static_cast<std::size_t>(std::max(0.0, t - t0));
      if (b < buckets.size()) ++buckets[b];
    };
    for (const auto& v : m.requests) {
      if (!v.success) continue;
      double t = v.start_s + v.ttft_s;
      add(t);
      for (const double g : v.itl_s) add(t += g);
    }
    m.max_output_tokens_per_s =
        static_cast<double>(*std::max_element(buckets.begin(), buckets.end()));
  }
  // Peak concurrency: a sweep line over [start, start + latency), departures first on ties.
  std::vector<std::pair<double, int>> events;
  for (const auto& v : m.requests)
    if (v.success) {
      events.emplace_back(v.start_s, +1);
      events.emplace_back(v.start_s + v.latency_s, -1);
    }
  std::sort(events.begin(), events.end());
  std::int64_t cur = 0;
  for (const auto& e : events)
    m.max_concurrent_requests = std::max(m.max_concurrent_requests, cur += e.second);
  return m;
}

std::string result_filename(const setup& s, const vllm_bench_spec& spec) {
  if (!spec.result_filename.empty()) return spec.result_filename;
  std::string rate;
  if (std::isinf(s.request_rate))
    rate = "inf";
  else
    json_writer::format_double(rate, s.request_rate);
  std::string model = s.model_id.substr(s.model_id.rfind('/') + 1);
  const std::string label = spec.label.empty() ? spec.backend : spec.label;
  std::string name = s.ramp_up_strategy.empty()
                         ? fmt::format("{}-{}qps", label, rate)
                         : fmt::format("{}-ramp-up-{}-{}qps-{}qps", label, s.ramp_up_strategy,
                                       static_cast<std::int64_t>(s.ramp_up_start_rps),
                                       static_cast<std::int64_t>(s.ramp_up_end_rps));
  if (s.max_concurrency) name += fmt::format("-concurrency{}", *s.max_concurrency);
  return fmt::format("{}-{}-{}.json", name, model, s.date);
}

std::string save_result_json(const setup& s, const vllm_bench_spec& spec, const metrics& m) {
  std::string out;
  json_writer w(out);
  w.begin_object()
      .field("date", s.date)
      .field("endpoint_type", spec.backend)
      .field("backend", spec.backend);
  w.key("label");
  if (spec.label.empty())
    w.null();
  else
    w.value(spec.label);
  w.field("model_id", s.model_id)
      .field("tokenizer_id", s.tokenizer_id)
      .field("num_prompts", s.num_prompts);
  for (const auto& [k, v] : spec.metadata) w.field(k, v);
  for (const auto& [k, v] : s.metadata) w.field(k, v);
  w.key("request_rate");
  if (std::isinf(s.request_rate))
    w.value("inf");
  else
    w.value(s.request_rate);
  w.field("burstiness", s.burstiness);
  w.key("max_concurrency");
  if (s.max_concurrency)
    w.value(*s.max_concurrency);
  else
    w.null();
  if (!s.ramp_up_strategy.empty())
    w.field("ramp_up_strategy", s.ramp_up_strategy)
        .field("ramp_up_start_rps", static_cast<std::int64_t>(s.ramp_up_start_rps))
        .field("ramp_up_end_rps", static_cast<std::int64_t>(s.ramp_up_end_rps));

  w.field("duration", m.duration_s)
      .field("completed", m.completed)
      .field("failed", m.failed)
      .field("total_input_tokens", m.total_input)
      .field("total_output_tokens", m.total_output)
      .field("request_throughput", m.request_throughput);
  w.key("request_goodput");
  if (m.request_goodput)
    w.value(*m.request_goodput);
  else
    w.null();
  w.field("output_throughput", m.output_throughput)
      .field("total_token_throughput", m.total_token_throughput);
  auto per_request = [&](std::string_view key, auto value) {
    w.key(key).begin_array();
    for (const auto& v : m.requests) value(v);
    w.end_array();
  };
  if (spec.save_detailed) {
    per_request("input_lens", [&](const request_view& v) { w.value(v.prompt_len); });
    per_request("output_lens",
                [&](const request_view& v) { w.value(v.success ? v.output_tokens : 0); });
    per_request("ttfts", [&](const request_view& v) { w.value(v.ttft_s); });
    per_request("itls", [&](const request_view& v) {
      w.begin_array();
      for (const double g : v.itl_s) w.value(g);
      w.end_array();
    });
  }
  per_request("latencies", [&](const request_view& v) { w.value(v.latency_s); });
  if (spec.save_detailed)
    per_request("start_times", [&](const request_view& v) { w.value(v.start_s); });
  per_request("queue_times", [&](const request_view& v) { w.value(v.queue_s); });
  if (spec.save_detailed) {
    // loadwright keeps no reply texts: each is "" (the lengths above are the server's counts).
    per_request("generated_texts", [&](const request_view&) { w.value(""); });
    per_request("errors", [&](const request_view& v) { w.value(v.error); });
  }
  w.field("max_output_tokens_per_s", m.max_output_tokens_per_s)
      .field("max_concurrent_requests", m.max_concurrent_requests)
      .field("rtfx", 0.0);
  for (const auto& n : metric_names) {
    if (!selected(spec, n.key) || !available(s, n.key)) continue;
    const auto st = compute_series_stats(series_of(m, n.key), spec.metric_percentiles);
    w.field(fmt::format("mean_{}_ms", n.key), st.mean * 1000)
        .field(fmt::format("median_{}_ms", n.key), st.median * 1000)
        .field(fmt::format("std_{}_ms", n.key), st.std * 1000);
    for (std::size_t i = 0; i < spec.metric_percentiles.size(); ++i)
      w.field(fmt::format("p{}_{}_ms", percentile_name(spec.metric_percentiles[i]), n.key),
              st.percentiles[i] * 1000);
  }
  w.end_object();
  return out;
}

std::string console_block(const setup& s, const vllm_bench_spec& spec, const metrics& m) {
  auto f2 = [](double x) { return fmt::format("{:.2f}", x); };
  auto i = [](std::int64_t x) { return fmt::format("{}", x); };
  std::string out = centred(" Serving Benchmark Result ", 50, '=') + "\n";
  out += row("Successful requests:", i(m.completed));
  out += row("Failed requests:", i(m.failed));
  if (s.max_concurrency) out += row("Maximum request concurrency:", i(*s.max_concurrency));
  if (!std::isinf(s.request_rate)) out += row("Request rate configured (RPS):", f2(s.request_rate));
  out += row("Benchmark duration (s):", f2(m.duration_s));
  out += row("Total input tokens:", i(m.total_input));
  out += row("Total generated tokens:", i(m.total_output));
  out += row("Request throughput (req/s):", f2(m.request_throughput));
  if (m.request_goodput) out += row("Request goodput (req/s):", f2(*m.request_goodput));
  out += row("Output token throughput (tok/s):", f2(m.output_throughput));
  out += row("Peak output token throughput (tok/s):", f2(m.max_output_tokens_per_s));
  out += row("Peak concurrent requests:", f2(static_cast<double>(m.max_concurrent_requests)));
  out += row("Total token throughput (tok/s):", f2(m.total_token_throughput));
  for (const auto& n : metric_names) {
    if (!selected(spec, n.key) || !available(s, n.key)) continue;
    const auto st = compute_series_stats(series_of(m, n.key), spec.metric_percentiles);
    out += centred(n.section, 50, '-') + "\n";
    out += row(fmt::format("Mean {} (ms):", n.label), f2(st.mean * 1000));
    out += row(fmt::format("Median {} (ms):", n.label), f2(st.median * 1000));
    for (std::size_t k = 0; k < spec.metric_percentiles.size(); ++k)
      out += row(fmt::format("P{} {} (ms):", percentile_name(spec.metric_percentiles[k]), n.label),
                 f2(st.percentiles[k] * 1000));
  }
  out += std::string(50, '=') + "\n";
  return out;
}

}  // namespace loadwright::runtime::vllm_bench
