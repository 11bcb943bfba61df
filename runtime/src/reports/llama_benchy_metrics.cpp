// llama-benchy's formulas (reference/llama-benchy.md §3 token timestamps, §4 metrics),
// applied to request records.

#include <algorithm>
#include <cmath>

#include "loadwright/runtime/llama_benchy.hpp"
#include "loadwright/runtime/stats.hpp"

namespace loadwright::runtime::llama_benchy {

namespace {

double s_of(std::int64_t ns) {
  return static_cast<double>(ns) * 1e-9;
}

// The times of the content events: the first at TTFT, then one per inter-token gap; the last
// is pinned to E2EL (exact in nanoseconds, where the float gaps may have drifted).
std::vector<double> content_event_times(const request_record& r, double start) {
  std::vector<double> t;
  if (r.ttft_ns < 0) return t;
  t.reserve(r.itl_ms.size() + 1);
  double at = start + s_of(r.ttft_ns);
  t.push_back(at);
  for (const float gap_ms : r.itl_ms) t.push_back(at += static_cast<double>(gap_ms) * 1e-3);
  if (t.size() > 1 && r.e2el_ns >= 0) t.back() = start + s_of(r.e2el_ns);
  return t;
}

}  // namespace

request_view view_of(const request_record& r) {
  request_view v;
  v.start_s = s_of(r.sent_ns);
  if (r.ttfr_ns >= 0) v.first_response_s = v.start_s + s_of(r.ttfr_ns);
  if (r.ttft_ns >= 0) v.first_token_s = v.start_s + s_of(r.ttft_ns);
  v.end_s = v.start_s + s_of(std::max<std::int64_t>(0, r.end_ns));

  const auto events = content_event_times(r, v.start_s);
  if (!events.empty() && r.output_tokens_from_usage && r.output_tokens > 0) {
    // usage.completion_tokens points spread evenly from the first to the last content event.
    v.total_tokens = r.output_tokens;
    const auto n = static_cast<std::size_t>(r.output_tokens);
    v.token_ts.resize(n, events.front());
    if (events.size() > 1 && n > 1) {
      const double first = events.front(), last = events.back();
      for (std::size_t i = 0; i < n; ++i)
        v.token_ts[i] =
            first + static_cast<double>(i) * (last - first) / static_cast<double>(n - 1);
    }
  } else if (!events.empty()) {
    v.total_tokens = static_cast<std::int64_t>(events.size());  // one token per event
    v.token_ts = events;
  } else if (r.output_tokens_from_usage) {
    v.total_tokens = r.output_tokens;  // no content at all: the count, without timestamps
  }

  const std::int64_t expected = r.expected_input_tokens >= 0
                                    ? r.expected_input_tokens
                                    : std::max<std::int64_t>(0, r.input_tokens);
  const std::int64_t usage = r.input_tokens_from_usage ? r.input_tokens : 0;
  const bool accept = usage > 0 && std::abs(static_cast<double>(usage - expected)) <
                                       0.2 * static_cast<double>(expected);
  v.prompt_tokens = accept ? usage : expected;
  return v;
}

std::int64_t decode_tokens(const std::vector<double>& ts) {
  if (ts.empty()) return 0;
  return static_cast<std::int64_t>(
      std::count_if(ts.begin(), ts.end(), [&](double t) { return t > ts.front(); }));
}

std::optional<double> decode_rate(const request_view& r) {
  if (r.total_tokens <= 1 || r.token_ts.size() < 2) return std::nullopt;
  const auto decode = decode_tokens(r.token_ts);
  const double span = r.token_ts.back() - r.token_ts.front();
  if (decode <= 0 || span <= 0) return std::nullopt;
  return static_cast<double>(decode) / span;
}

namespace {

// Tokens in the trailing window (t − 1, t] at each token, in time order.
std::vector<std::size_t> window_counts(const std::vector<double>& sorted) {
  std::vector<std::size_t> counts(sorted.size());
  std::size_t start = 0;
  for (std::size_t end = 0; end < sorted.size(); ++end) {
    while (sorted[start] <= sorted[end] - 1.0) ++start;
    counts[end] = end - start + 1;
  }
  return counts;
}

}  // namespace

std::optional<double> peak_throughput(std::vector<double> ts) {
  if (ts.empty()) return std::nullopt;
  std::sort(ts.begin(), ts.end());
  const double span = ts.back() - ts.front();
  const auto n = static_cast<double>(ts.size());
  if (span == 0) return n;
  if (span < 1.0) return n / span;
  const auto counts = window_counts(ts);
  return static_cast<double>(*std::max_element(counts.begin(), counts.end())) / 1.0;
}

std::vector<std::pair<double, double>> throughput_series(std::vector<double> ts) {
  std::vector<std::pair<double, double>> out;
  if (ts.empty()) return out;
  std::sort(ts.begin(), ts.end());
  const auto counts = window_counts(ts);
  out.reserve(ts.size());
  for (std::size_t i = 0; i < ts.size(); ++i)
    out.emplace_back(ts[i] - ts.front(), static_cast<double>(counts[i]) / 1.0);
  return out;
}

std::optional<metric> make_metric(std::vector<double> values, double scale) {
  if (values.empty()) return std::nullopt;
  for (double& v : values) v *= scale;
  metric m;
  m.mean = numpy_mean(values);
  m.std = numpy_std(values);
  m.values = std::move(values);
  return m;
}

benchmark_run aggregate(const cell& c, std::span<const std::vector<request_record>> batches) {
  benchmark_run out;
  out.concurrency = c.concurrency;
  out.context_size = c.depth;
  out.prompt_size = c.pp;
  out.response_size = c.tg;
  out.is_context_prefill_phase = c.context_phase;

  std::vector<double> pp_req, tg_req, peak_req, ttfr, est_ppt, e2e_ttft;  // per request
  std::vector<double> pp_total, tg_total, peak_total;                     // per batch
  std::vector<std::vector<std::pair<double, double>>> batch_series;
  std::vector<std::vector<std::vector<std::pair<double, double>>>> request_series;
  for (const auto& batch : batches) {
    std::vector<request_view> ok;
    for (const auto& r : batch)
      if (r.ok()) ok.push_back(view_of(r));
    std::vector<double> merged_ts;
    std::vector<std::vector<std::pair<double, double>>> per_request;
    double min_start = INFINITY, max_first_token = -INFINITY, min_first_token = INFINITY,
           max_last_token = -INFINITY;
    std::int64_t prompt_sum = 0, decode_sum = 0;
    bool any_first_token = false;
    for (const auto& v : ok) {
      min_start = std::min(min_start, v.start_s);
      prompt_sum += v.prompt_tokens;
      if (v.first_response_s) ttfr.push_back(*v.first_response_s - v.start_s);
      if (v.first_token_s) {
        const double ttfr_s = v.first_response_s ? *v.first_response_s - v.start_s : 0.0;
        const double ppt = std::max(0.0, ttfr_s - c.latency_s);
        e2e_ttft.push_back(*v.first_token_s - v.start_s);
        est_ppt.push_back(ppt);
        if (ppt > 0) pp_req.push_back(static_cast<double>(v.prompt_tokens) / ppt);
        any_first_token = true;
        max_first_token = std::max(max_first_token, *v.first_token_s);
        min_first_token = std::min(min_first_token, *v.first_token_s);
        max_last_token = std::max(max_last_token, v.token_ts.empty() ? v.end_s : v.token_ts.back());
        if (const auto d = decode_tokens(v.token_ts); d > 0) decode_sum += d;
      }
      if (const auto tg = decode_rate(v)) tg_req.push_back(*tg);
      if (const auto pk = peak_throughput(v.token_ts)) peak_req.push_back(*pk);
      merged_ts.insert(merged_ts.end(), v.token_ts.begin(), v.token_ts.end());
      if (c.save_all_timeseries) per_request.push_back(throughput_series(v.token_ts));
    }
    if (any_first_token) {
      if (const double d = max_first_token - min_start; d > 0)
        pp_total.push_back(static_cast<double>(prompt_sum) / d);
      if (const double d = max_last_token - min_first_token; d > 0 && decode_sum > 0)
        tg_total.push_back(static_cast<double>(decode_sum) / d);
    }
    if (const auto pk = peak_throughput(merged_ts)) peak_total.push_back(*pk);
    if (c.save_total_timeseries) batch_series.push_back(throughput_series(merged_ts));
    if (c.save_all_timeseries) request_series.push_back(std::move(per_request));
  }

  if (c.concurrency == 1) {
    out.pp_throughput = out.pp_req_throughput = make_metric(pp_req);
    out.tg_throughput = out.tg_req_throughput = make_metric(tg_req);
  } else {
    out.pp_throughput = make_metric(pp_total);
    out.tg_throughput = make_metric(tg_total);
    out.pp_req_throughput = make_metric(pp_req);
    out.tg_req_throughput = make_metric(tg_req);
  }
  out.peak_throughput = make_metric(peak_total);
  out.peak_req_throughput = make_metric(peak_req);
  out.ttfr = make_metric(ttfr, 1000.0);
  out.est_ppt = make_metric(est_ppt, 1000.0);
  out.e2e_ttft = make_metric(e2e_ttft, 1000.0);
  if (c.save_total_timeseries) out.throughput_over_time = std::move(batch_series);
  if (c.save_all_timeseries) out.requests_throughput_over_time = std::move(request_series);
  return out;
}

}  // namespace loadwright::runtime::llama_benchy
