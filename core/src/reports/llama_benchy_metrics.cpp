// llama-benchy's formulas (reference/llama-benchy.md §3 token timestamps, §4 metrics),
// applied to request records: llama-benchy 0.4.0's client.py `_finalize_stream_tokens` and
// results.py `add`, `_process_batch`, `_calculate_metric` and `_calculate_peak_throughput`.

#include <algorithm>
#include <cmath>

#include "loadwright/core/llama_benchy.hpp"
#include "loadwright/core/stats.hpp"

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

// _interpolate_token_timestamps: `count` points from the first to the last event time.
std::vector<double> interpolate(const std::vector<double>& events, std::int64_t count) {
  if (count <= 0 || events.empty()) return {};
  const auto n = static_cast<std::size_t>(count);
  const double first = events.front(), last = events.back();
  if (n == 1 || events.size() == 1 || last <= first) return std::vector<double>(n, first);
  const double step = (last - first) / static_cast<double>(n - 1);
  std::vector<double> ts(n);
  for (std::size_t i = 0; i < n; ++i) ts[i] = first + step * static_cast<double>(i);
  return ts;
}

}  // namespace

request_view view_of(const request_record& r, std::optional<std::int64_t> expected_prompt) {
  request_view v;
  v.start_s = s_of(r.sent_ns);
  if (r.ttfr_ns >= 0) v.first_response_s = v.start_s + s_of(r.ttfr_ns);
  if (r.ttft_ns >= 0) v.first_token_s = v.start_s + s_of(r.ttft_ns);
  v.end_s = v.start_s + s_of(std::max<std::int64_t>(0, r.end_ns));

  // _finalize_stream_tokens. (Its first choice, token_ids on every content chunk, needs
  // per-event token counts the records do not keep: one token per event is what it gives
  // for the usual one-token events, the usage spread below otherwise.)
  const auto events = content_event_times(r, v.start_s);
  if (events.empty()) {
    if (r.output_tokens_from_usage) v.total_tokens = r.output_tokens;  // no timestamps
  } else if (r.output_tokens_from_usage) {
    // usage.completion_tokens (even 0) spread evenly from the first to the last content event.
    v.total_tokens = r.output_tokens;
    v.token_ts = interpolate(events, r.output_tokens);
  } else if (r.output_tokens >= 0) {
    // No usage: llama-benchy tokenizes the text; the record holds our count of it.
    v.total_tokens = r.output_tokens;
    v.token_ts = interpolate(events, r.output_tokens);
  } else {
    v.total_tokens = static_cast<std::int64_t>(events.size());  // one token per event
    v.token_ts = events;
  }

  const std::int64_t expected = expected_prompt ? *expected_prompt
                                : r.expected_input_tokens >= 0
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
  // _calculate_metric: np.mean(values) * multiplier (the mean of the unscaled values, then
  // scaled: not the mean of the scaled ones, which can differ in the last bit).
  metric m;
  m.mean = numpy_mean(values) * scale;
  m.std = numpy_std(values) * scale;
  for (double& v : values) v *= scale;
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
  // A prefix-caching cell's standard phase expects pp prompt tokens (the context was sent
  // first); otherwise each record's own expected count (the adapted pp + depth).
  const auto expected = c.prefix_caching && !c.context_phase ? std::optional<std::int64_t>(c.pp)
                                                             : std::optional<std::int64_t>();
  for (const auto& batch : batches) {  // _process_batch
    std::vector<request_view> ok;
    for (const auto& r : batch)
      if (r.ok()) ok.push_back(view_of(r, expected));
    if (ok.empty()) continue;  // nothing of this batch is recorded, not even a time series
    std::vector<double> merged_ts;
    std::vector<std::vector<std::pair<double, double>>> per_request;
    double min_start = INFINITY, max_first_token = -INFINITY, min_first_token = INFINITY,
           max_last_token = -INFINITY;
    std::int64_t prompt_sum = 0, decode_sum = 0;
    bool any_first_token = false;
    for (const auto& v : ok) {
      min_start = std::min(min_start, v.start_s);
      prompt_sum += v.prompt_tokens;
      merged_ts.insert(merged_ts.end(), v.token_ts.begin(), v.token_ts.end());
      if (const auto pk = peak_throughput(v.token_ts)) peak_req.push_back(*pk);
      if (c.save_all_timeseries) per_request.push_back(throughput_series(v.token_ts));
      // The last token of every request (its end when it has no token timestamps).
      max_last_token = std::max(max_last_token, v.token_ts.empty() ? v.end_s : v.token_ts.back());
      decode_sum += decode_tokens(v.token_ts);
      double ttfr_s = 0;
      if (v.first_response_s) {
        ttfr_s = *v.first_response_s - v.start_s;
        ttfr.push_back(ttfr_s);
      }
      double ppt = 0;
      if (v.first_token_s) {
        ppt = std::max(0.0, ttfr_s - c.latency_s);
        e2e_ttft.push_back(*v.first_token_s - v.start_s);
        est_ppt.push_back(ppt);
        any_first_token = true;
        max_first_token = std::max(max_first_token, *v.first_token_s);
        min_first_token = std::min(min_first_token, *v.first_token_s);
      }
      if (ppt > 0) pp_req.push_back(static_cast<double>(v.prompt_tokens) / ppt);
      if (const auto tg = decode_rate(v)) tg_req.push_back(*tg);
    }
    if (c.save_all_timeseries) request_series.push_back(std::move(per_request));
    if (any_first_token) {
      if (const double d = max_first_token - min_start; d > 0)
        pp_total.push_back(static_cast<double>(prompt_sum) / d);
      if (const double d = max_last_token - min_first_token; d > 0 && decode_sum > 0)
        tg_total.push_back(static_cast<double>(decode_sum) / d);
    }
    if (!merged_ts.empty()) {
      if (const auto pk = peak_throughput(merged_ts)) peak_total.push_back(*pk);
      if (c.save_total_timeseries) batch_series.push_back(throughput_series(merged_ts));
    }
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
