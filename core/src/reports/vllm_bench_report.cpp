// vllm bench serve's calculate_metrics, --save-result JSON and console block
// (reference/vllm-bench-serve.md §3 timing points, §4 metrics, §6 output), line for line
// with vLLM's vllm/benchmarks/serve.py (main, @009e6d4a: `benchmark`, `calculate_metrics`,
// `main_async`) and vllm/benchmarks/lib/endpoint_request_func.py (@02cfb534).

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <ctime>

#include "loadwright/core/json_writer.hpp"
#include "loadwright/core/stats.hpp"
#include "loadwright/core/vllm_bench.hpp"
#include "py_json.hpp"

namespace loadwright::runtime::vllm_bench {

namespace {

double s_of(std::int64_t ns) {
  return static_cast<double>(ns) * 1e-9;
}

// endpoint_request_func.py: a 200 whose stream had no event with choices.
constexpr const char* kNoChunk =
    "Never received a valid chunk to calculate TTFT.This response will be marked as failed!";

// aiohttp's response.reason for a non-200: the status line's phrase (these are the standard
// ones, as uvicorn and llama.cpp's server send them).
std::string http_reason(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 402:
      return "Payment Required";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 411:
      return "Length Required";
    case 413:
      return "Request Entity Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Entity";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "";
  }
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
    {"e2el_including_client_queue", "Queue-inclusive End-to-end Latency",
     "E2EL incl. Client Queue"},
};

bool selected(const vllm_bench_spec& spec, std::string_view key) {
  return std::find(spec.percentile_metrics.begin(), spec.percentile_metrics.end(), key) !=
         spec.percentile_metrics.end();
}

// Is the series reported at all? TTFT, TPOT and ITL need a tokenizer; the queue series need
// --max-concurrency, and the queue-inclusive latency a finite rate as well.
bool available(const setup& s, std::string_view key) {
  if (key == "ttft" || key == "tpot" || key == "itl") return s.tokenizer_id.has_value();
  if (key == "client_queue_time") return s.max_concurrency.has_value();
  if (key == "e2el_including_client_queue")
    return s.max_concurrency.has_value() && !std::isinf(s.request_rate);
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

// datetime.isoformat() of a local time: microseconds only when not zero.
std::string iso_local(std::chrono::system_clock::time_point t) {
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch());
  auto secs = std::chrono::floor<std::chrono::seconds>(us);
  const auto frac = (us - secs).count();
  const std::time_t tt = static_cast<std::time_t>(secs.count());
  std::tm tm{};
  localtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return frac ? fmt::format("{}.{:06d}", buf, frac) : std::string(buf);
}

// `date` ("%Y%m%d-%H%M%S", local time) as a time point.
std::chrono::system_clock::time_point parse_date(const std::string& date) {
  std::tm tm{};
  if (!strptime(date.c_str(), "%Y%m%d-%H%M%S", &tm)) return std::chrono::system_clock::now();
  tm.tm_isdst = -1;
  return std::chrono::system_clock::from_time_t(std::mktime(&tm));
}

// benchmark()'s rps_change_events for a ramp-up: the start rate when the run starts, then
// each whole rate as the first request sent at it goes out (request i at its own rate).
std::string rps_change_events(const setup& s, const metrics& m) {
  const auto base = s.run_start ? *s.run_start : parse_date(s.date);
  const auto n = std::max<std::uint64_t>(s.num_prompts, m.requests.size());
  auto last = static_cast<std::int64_t>(s.ramp_up_start_rps);
  std::string out;
  json_writer w(out);
  w.begin_array();
  auto event = [&](std::int64_t rps, double at_s) {
    const auto at = base + std::chrono::duration_cast<std::chrono::system_clock::duration>(
                               std::chrono::duration<double>(at_s));
    w.begin_object().field("rps", rps).field("timestamp", iso_local(at)).end_object();
  };
  event(last, 0.0);
  for (std::size_t i = 0; i < m.requests.size(); ++i) {
    const double progress =
        static_cast<double>(i) / static_cast<double>(std::max<std::uint64_t>(n - 1, 1));
    const double start = s.ramp_up_start_rps, end = s.ramp_up_end_rps;
    const double rate = s.ramp_up_strategy == "exponential"
                            ? start * std::pow(end / start, progress)
                            : start + (end - start) * progress;
    const auto whole = static_cast<std::int64_t>(rate);
    if (whole <= last) continue;
    for (std::int64_t r = last + 1; r <= whole; ++r) event(r, m.requests[i].scheduled_s);
    last = whole;
  }
  w.end_array();
  return out;
}

}  // namespace

request_view view_of(const request_record& r) {
  request_view v;
  v.scheduled_s = s_of(r.scheduled_ns);
  v.start_s = s_of(r.sent_ns);
  v.queue_s = s_of(r.sent_ns - r.scheduled_ns);
  v.prompt_len = r.input_tokens;
  v.output_tokens = r.output_tokens;
  v.output_from_usage = r.output_tokens_from_usage;
  // vLLM's success: a 200 whose body ended (with or without [DONE]) after at least one event
  // with choices. TTFT and the ITLs are taken as events arrive, so a request that fails after
  // its first event keeps them; its latency stays 0 (vLLM sets it once the body has ended).
  const bool body_ended = r.ok() || r.status == request_status::truncated;
  v.success = body_ended && r.ttfr_ns >= 0;
  if (r.ttfr_ns >= 0) {
    v.ttft_s = s_of(r.ttfr_ns);
    // Gaps between every event with choices: the role chunk → first text, the text events,
    // the last text → the finish chunk.
    if (r.ttft_ns >= 0 && r.leading_empty_events > 0)
      v.itl_s.push_back(s_of(r.ttft_ns - r.ttfr_ns));
    for (const float g : r.itl_ms) v.itl_s.push_back(static_cast<double>(g) * 1e-3);
    if (r.e2el_ns >= 0 && r.trailing_empty_events > 0 && r.last_choice_ns > r.e2el_ns)
      v.itl_s.push_back(s_of(r.last_choice_ns - r.e2el_ns));
  }
  if (v.success) {
    v.latency_s = s_of(r.last_choice_ns >= 0 ? r.last_choice_ns : r.e2el_ns);
  } else if (r.status == request_status::http_status) {
    v.error = http_reason(r.http_status);  // aiohttp's response.reason
  } else if (body_ended || r.status == request_status::empty) {
    v.error = kNoChunk;
  } else {
    v.error = r.error.empty() ? status_name(r.status) : r.error;  // vLLM: the traceback
  }
  return v;
}

metrics calculate(std::span<const request_record> records, double duration_s, const setup& s) {
  metrics m;
  m.duration_s = duration_s;
  const bool tokenizer = s.tokenizer_id.has_value();
  std::int64_t good = 0;
  for (const auto& r : records) {
    if (r.phase != run_phase::measure) continue;
    auto v = view_of(r);
    if (v.success) {
      ++m.completed;
      // out_len: usage.completion_tokens; when absent or 0, the tokenizer's count of the
      // text (ours: the record's count), or 1 without a tokenizer.
      const std::int64_t out_len = v.output_from_usage && v.output_tokens > 0 ? v.output_tokens
                                   : tokenizer ? std::max<std::int64_t>(0, v.output_tokens)
                                               : 1;
      m.output_lens.push_back(out_len);
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
      m.output_lens.push_back(0);
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
  using py_json::text;
  // main_async's result_json: the set-up, the --metadata keys, the traffic; then benchmark()'s
  // result merged over it ({**result_json, **benchmark_result}); then, without
  // --save-detailed, the per-request lists deleted. A dict: a key set twice keeps its place.
  py_json::dict d;
  d.set("date", text(s.date));
  d.set("endpoint_type", text(spec.backend));
  d.set("backend", text(spec.backend));
  d.set("label", spec.label.empty() ? py_json::null_text() : text(spec.label));
  d.set("model_id", text(s.model_id));
  d.set("tokenizer_id", s.tokenizer_id ? text(*s.tokenizer_id) : py_json::null_text());
  d.set("num_prompts", text(s.num_prompts));
  for (const auto& [k, v] : spec.metadata) d.set(k, text(v));
  d.set("request_rate", std::isinf(s.request_rate) ? text("inf") : text(s.request_rate));
  d.set("burstiness", text(s.burstiness));
  d.set("max_concurrency", s.max_concurrency ? text(*s.max_concurrency) : py_json::null_text());
  if (!s.ramp_up_strategy.empty()) {
    d.set("ramp_up_strategy", text(s.ramp_up_strategy));
    d.set("ramp_up_start_rps", text(static_cast<std::int64_t>(s.ramp_up_start_rps)));
    d.set("ramp_up_end_rps", text(static_cast<std::int64_t>(s.ramp_up_end_rps)));
  }

  d.set("duration", text(m.duration_s));
  d.set("completed", text(m.completed));
  d.set("failed", text(m.failed));
  d.set("total_input_tokens", text(m.total_input));
  d.set("total_output_tokens", text(m.total_output));
  d.set("request_throughput", text(m.request_throughput));
  d.set("request_goodput", m.request_goodput ? text(*m.request_goodput) : py_json::null_text());
  d.set("output_throughput", text(m.output_throughput));
  d.set("total_token_throughput", text(m.total_token_throughput));
  auto per_request = [&](std::string_view key, auto value) {
    std::string out;
    json_writer w(out);
    w.begin_array();
    for (std::size_t i = 0; i < m.requests.size(); ++i) value(w, i);
    w.end_array();
    d.set(key, std::move(out));
  };
  per_request("input_lens",
              [&](json_writer& w, std::size_t i) { w.value(m.requests[i].prompt_len); });
  per_request("output_lens", [&](json_writer& w, std::size_t i) {
    w.value(i < m.output_lens.size() ? m.output_lens[i] : std::int64_t{0});
  });
  per_request("ttfts", [&](json_writer& w, std::size_t i) { w.value(m.requests[i].ttft_s); });
  per_request("itls", [&](json_writer& w, std::size_t i) {
    w.begin_array();
    for (const double g : m.requests[i].itl_s) w.value(g);
    w.end_array();
  });
  per_request("latencies",
              [&](json_writer& w, std::size_t i) { w.value(m.requests[i].latency_s); });
  per_request("start_times",
              [&](json_writer& w, std::size_t i) { w.value(m.requests[i].start_s); });
  per_request("queue_times",
              [&](json_writer& w, std::size_t i) { w.value(m.requests[i].queue_s); });
  // loadwright keeps no reply texts: each is "" (the lengths above are the server's counts).
  per_request("generated_texts", [&](json_writer& w, std::size_t) { w.value(""); });
  per_request("errors", [&](json_writer& w, std::size_t i) { w.value(m.requests[i].error); });
  d.set("max_output_tokens_per_s", text(m.max_output_tokens_per_s));
  d.set("max_concurrent_requests", text(m.max_concurrent_requests));
  d.set("rtfx", text(0.0));
  if (!s.ramp_up_strategy.empty()) d.set("rps_change_events", rps_change_events(s, m));
  for (const auto& n : metric_names) {
    if (!selected(spec, n.key) || !available(s, n.key)) continue;
    const auto st = compute_series_stats(series_of(m, n.key), spec.metric_percentiles);
    d.set(fmt::format("mean_{}_ms", n.key), text(st.mean * 1000));
    d.set(fmt::format("median_{}_ms", n.key), text(st.median * 1000));
    d.set(fmt::format("std_{}_ms", n.key), text(st.std * 1000));
    for (std::size_t i = 0; i < spec.metric_percentiles.size(); ++i)
      d.set(fmt::format("p{}_{}_ms", percentile_name(spec.metric_percentiles[i]), n.key),
            text(st.percentiles[i] * 1000));
  }
  if (!spec.save_detailed)
    for (const char* k :
         {"input_lens", "output_lens", "start_times", "ttfts", "itls", "generated_texts", "errors"})
      d.erase(k);
  // loadwright's own notes come last, apart from vLLM's keys and the --metadata ones.
  for (const auto& [k, v] : s.metadata) d.set(k, text(v));
  return d.dump();
}

std::string appended_result(std::string_view json, bool file_empty) {
  std::string out = file_empty ? std::string() : std::string("\n");
  out += json;
  return out;
}

std::string console_block(const setup& s, const vllm_bench_spec& spec, const metrics& m) {
  auto f2 = [](double x) { return fmt::format("{:.2f}", x); };
  auto i = [](std::int64_t x) { return fmt::format("{}", x); };
  const bool tokenizer = s.tokenizer_id.has_value();
  std::string out = centred(" Serving Benchmark Result ", 50, '=') + "\n";
  out += row("Successful requests:", i(m.completed));
  out += row("Failed requests:", i(m.failed));
  if (s.max_concurrency) out += row("Maximum request concurrency:", i(*s.max_concurrency));
  if (!std::isinf(s.request_rate)) out += row("Request rate configured (RPS):", f2(s.request_rate));
  out += row("Benchmark duration (s):", f2(m.duration_s));
  out += row("Total input tokens:", i(m.total_input));
  if (tokenizer) out += row("Total generated tokens:", i(m.total_output));
  out += row("Request throughput (req/s):", f2(m.request_throughput));
  if (m.request_goodput) out += row("Request goodput (req/s):", f2(*m.request_goodput));
  if (tokenizer) {
    out += row("Output token throughput (tok/s):", f2(m.output_throughput));
    out += row("Peak output token throughput (tok/s):", f2(m.max_output_tokens_per_s));
  }
  out += row("Peak concurrent requests:", f2(static_cast<double>(m.max_concurrent_requests)));
  if (tokenizer) out += row("Total token throughput (tok/s):", f2(m.total_token_throughput));
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
