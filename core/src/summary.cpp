#include "loadwright/core/summary.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "loadwright/core/stats.hpp"
#include "loadwright/core/token_events.hpp"

namespace loadwright::runtime {

void summary::add(std::string key, double value, bool integer) {
  fields.push_back({std::move(key), value, integer});
}

const summary_field* summary::find(std::string_view key) const {
  for (const auto& f : fields)
    if (f.key == key) return &f;
  return nullptr;
}

double summary::get(std::string_view key, double fallback) const {
  const auto* f = find(key);
  return f ? f->value : fallback;
}

std::span<const std::pair<const char*, const char*>> reported_series() {
  static constexpr std::pair<const char*, const char*> series[] = {
      {"ttft", "_ms"},
      {"tpot", "_ms"},
      {"itl", "_ms"},
      {"e2el", "_ms"},
      {"ttfr", "_ms"},
      {"schedule_lag", "_ms"},
      {"ttft_from_scheduled", "_ms"},
      {"e2el_from_scheduled", "_ms"},
      {"user_tps", ""},
  };
  return series;
}

std::string percentile_label(double p) {
  // vLLM: int(p) when integral, else str(p) ("p99", "p99.9").
  if (p == std::floor(p)) return "p" + std::to_string(static_cast<long long>(p));
  std::string s = std::to_string(p);
  while (!s.empty() && s.back() == '0') s.pop_back();
  return "p" + s;
}

std::vector<std::string> possible_summary_keys(const summary_options& options) {
  std::vector<std::string> keys;
  for (const auto& f : summarize_run({}, options).fields) keys.push_back(f.key);
  if (std::find(options.percentiles.begin(), options.percentiles.end(), tail_percentile) ==
      options.percentiles.end())
    for (const auto& [name, unit] : reported_series())
      keys.push_back(percentile_label(tail_percentile) + "_" + name + unit);
  return keys;
}

namespace {

// The percentiles computed for every series: those asked, then what the tail report needs
// (p99.9, reported once a series has enough values, and p99 for the tail ratio).
std::vector<double> computed_percentiles(const std::vector<double>& asked) {
  std::vector<double> all = asked;
  for (const double p : {tail_percentile, 99.0})
    if (std::find(all.begin(), all.end(), p) == all.end()) all.push_back(p);
  return all;
}

double ns_to_ms(std::int64_t ns) {
  return static_cast<double>(ns) * 1e-6;
}

// Adds a request's output tokens to 1-second buckets counted from `t0_ns`.
void add_token_times(const request_record& r, std::int64_t t0_ns, std::vector<double>& buckets) {
  for_each_token_event(r, [&](std::int64_t t_ns, double tokens) {
    const auto b =
        static_cast<std::size_t>(std::max<std::int64_t>(0, t_ns - t0_ns) / 1'000'000'000);
    if (b >= buckets.size()) buckets.resize(b + 1, 0.0);
    buckets[b] += tokens;
  });
}

// Exact sweep line over [sent, end) of every request: departures before arrivals on ties.
std::int64_t peak_concurrency(std::span<const request_record* const> all) {
  std::vector<std::pair<std::int64_t, int>> events;
  events.reserve(all.size() * 2);
  for (const auto* r : all) {
    if (r->end_ns < 0) continue;
    events.emplace_back(r->sent_ns, +1);
    events.emplace_back(r->sent_ns + r->end_ns, -1);
  }
  std::sort(events.begin(), events.end());
  std::int64_t cur = 0, peak = 0;
  for (const auto& e : events) peak = std::max(peak, cur += e.second);
  return peak;
}

// Calls add(series, value) for every value a measured record contributes to the series.
template <class Add>
void for_each_series_value(const request_record& r, Add&& add) {
  add("schedule_lag", r.schedule_lag_ms());
  if (!r.ok()) return;
  add("ttft", ns_to_ms(r.ttft_ns));
  if (r.ttfr_ns >= 0) add("ttfr", ns_to_ms(r.ttfr_ns));
  add("e2el", ns_to_ms(r.e2el_ns));
  if (const double tpot = r.tpot_ms(); tpot >= 0) {
    add("tpot", tpot);
    if (tpot > 0) add("user_tps", 1000.0 / tpot);
  }
  for (const float g : r.itl_ms) add("itl", g);
  const double lag = r.schedule_lag_ms();
  add("ttft_from_scheduled", lag + ns_to_ms(r.ttft_ns));
  add("e2el_from_scheduled", lag + ns_to_ms(r.e2el_ns));
}

}  // namespace

void run_totals::add(const request_record& r, const summary_options& options) {
  if (r.phase != run_phase::measure) return;
  end_ns = std::max(end_ns, r.sent_ns + std::max<std::int64_t>(0, r.end_ns));
  if (r.reused_connection)
    ++connections_reused;
  else if (r.status != request_status::connect && r.status != request_status::tls)
    ++connections_opened;  // a connection that could not be made was never opened
  connections_found_dead += r.dead_connections;
  if (!r.ok()) {
    ++failed;
    ++errors[status_name(r.status)];
    if (error_examples.size() < 10 && !r.error.empty() &&
        std::find(error_examples.begin(), error_examples.end(), r.error) == error_examples.end())
      error_examples.push_back(r.error);
    return;
  }
  ++completed;
  input_tokens += std::max<std::int64_t>(0, r.input_tokens);
  output_tokens += std::max<std::int64_t>(0, r.output_tokens);
  input_estimated += r.input_tokens_from_usage ? 0 : 1;
  output_estimated += r.output_tokens_from_usage ? 0 : 1;
  // Goodput: requests meeting every SLO given (vLLM: inclusive, tpot 0 if ≤ 1 token).
  const auto& slo = options.slo;
  if (slo.empty()) return;
  const double tpot = std::max(0.0, r.tpot_ms());
  good += (!slo.ttft || ns_to_ms(r.ttft_ns) <= slo.ttft->count() * 1e3) &&
                  (!slo.tpot || tpot <= slo.tpot->count() * 1e3) &&
                  (!slo.e2el || ns_to_ms(r.e2el_ns) <= slo.e2el->count() * 1e3)
              ? 1
              : 0;
}

summary run_totals::to_summary(const summary_options& options, double max_output_tokens_per_s,
                               std::int64_t max_concurrent,
                               const std::function<series_stats(const char*)>& series) const {
  summary s;
  // Duration: from the run's start to the last response (vLLM: loop start → gather end); with
  // phases, from the measure window's start.
  const double duration_s =
      static_cast<double>(std::max<std::int64_t>(0, end_ns - options.origin_ns)) * 1e-9;
  auto per_s = [&](double x) { return duration_s > 0 ? x / duration_s : 0.0; };
  auto count = [](std::uint64_t n) { return static_cast<double>(n); };
  s.add("duration", duration_s);
  s.add("completed", count(completed), true);
  s.add("failed", count(failed), true);
  s.add("error_rate", completed + failed == 0 ? 0.0 : count(failed) / count(completed + failed));
  s.add("total_input_tokens", static_cast<double>(input_tokens), true);
  s.add("total_output_tokens", static_cast<double>(output_tokens), true);
  s.add("request_throughput", per_s(count(completed)));
  if (!options.slo.empty()) {
    s.add("request_goodput", per_s(count(good)));
    s.add("goodput_ratio", completed == 0 ? 0.0 : count(good) / count(completed));
  }
  s.add("output_throughput", per_s(static_cast<double>(output_tokens)));
  s.add("total_token_throughput", per_s(static_cast<double>(input_tokens + output_tokens)));
  s.add("max_output_tokens_per_s", max_output_tokens_per_s);
  s.add("max_concurrent_requests", static_cast<double>(max_concurrent), true);
  s.add("connections_opened", count(connections_opened), true);
  s.add("connections_reused", count(connections_reused), true);
  s.add("connections_found_dead", count(connections_found_dead), true);
  s.add("input_tokens_estimated", count(input_estimated), true);
  s.add("output_tokens_estimated", count(output_estimated), true);
  // The methodology chapter's tail report: p99.9 once a series has enough values for it (when
  // it was not asked for), and the tail ratio p99 / p50 of TTFT and ITL.
  const auto computed = computed_percentiles(options.percentiles);
  const auto at = [&](const series_stats& st, double p) {
    const auto i = std::find(computed.begin(), computed.end(), p) - computed.begin();
    return st.percentiles[static_cast<std::size_t>(i)];
  };
  const bool tail_asked = std::find(options.percentiles.begin(), options.percentiles.end(),
                                    tail_percentile) != options.percentiles.end();
  double ratio_ttft = std::nan(""), ratio_itl = std::nan("");
  for (const auto& [name, unit] : reported_series()) {
    const auto st = series(name);
    const std::string suffix = std::string(name) + unit;
    s.add("mean_" + suffix, st.mean);
    s.add("median_" + suffix, st.median);
    s.add("std_" + suffix, st.std);
    for (std::size_t i = 0; i < options.percentiles.size(); ++i)
      s.add(percentile_label(options.percentiles[i]) + "_" + suffix, st.percentiles[i]);
    if (!tail_asked && st.count >= tail_min_values)
      s.add(percentile_label(tail_percentile) + "_" + suffix, at(st, tail_percentile));
    const double ratio = st.count > 0 && st.median > 0 ? at(st, 99.0) / st.median : std::nan("");
    if (std::string_view(name) == "ttft") ratio_ttft = ratio;
    if (std::string_view(name) == "itl") ratio_itl = ratio;
  }
  s.add("tail_ratio_ttft", ratio_ttft);
  s.add("tail_ratio_itl", ratio_itl);
  s.errors.assign(errors.begin(), errors.end());
  s.error_examples = error_examples;
  return s;
}

summary summarize_run(std::span<const request_record> records, const summary_options& options) {
  run_totals totals;
  std::vector<const request_record*> all;
  std::map<std::string, std::vector<double>> series;
  std::int64_t t0 = INT64_MAX;  // vLLM buckets tokens from the first send
  for (const auto& r : records) {
    if (r.phase != run_phase::measure) continue;
    totals.add(r, options);
    all.push_back(&r);
    for_each_series_value(r, [&](const char* name, double v) { series[name].push_back(v); });
    if (r.ok()) t0 = std::min(t0, r.sent_ns);
  }
  std::vector<double> buckets;
  for (const auto* r : all)
    if (r->ok()) add_token_times(*r, t0, buckets);
  const double peak_tokens =
      buckets.empty() ? 0 : *std::max_element(buckets.begin(), buckets.end());
  const auto computed = computed_percentiles(options.percentiles);
  return totals.to_summary(options, peak_tokens, peak_concurrency(all), [&](const char* name) {
    return compute_series_stats(std::move(series[name]), computed);
  });
}

streaming_summary::streaming_summary(summary_options options, std::size_t exact_limit)
    : options_(std::move(options)), exact_limit_(exact_limit) {}

void streaming_summary::add(const request_record& r) {
  if (r.phase != run_phase::measure) return;
  totals_.add(r, options_);
  for_each_series_value(r, [&](const char* name, double v) {
    series_.try_emplace(name, exact_limit_).first->second.add(v);
  });
  if (r.ok()) add_token_times(r, options_.origin_ns, token_buckets_);
}

bool streaming_summary::exact() const {
  return std::all_of(series_.begin(), series_.end(),
                     [](const auto& kv) { return kv.second.exact(); });
}

summary streaming_summary::finish(std::int64_t max_concurrent) const {
  const double peak_tokens =
      token_buckets_.empty() ? 0 : *std::max_element(token_buckets_.begin(), token_buckets_.end());
  const auto computed = computed_percentiles(options_.percentiles);
  return totals_.to_summary(options_, peak_tokens, max_concurrent, [&](const char* name) {
    const auto it = series_.find(name);
    return it == series_.end() ? compute_series_stats({}, computed) : it->second.stats(computed);
  });
}

std::pair<summary, summary> combine_runs(std::span<const summary> runs) {
  summary means, stds;
  if (runs.empty()) return {means, stds};
  for (const auto& f : runs.front().fields) {
    // A key some run lacks (p99.9 of a run with too few values) is left out of the combined.
    if (!std::all_of(runs.begin(), runs.end(), [&](const summary& r) { return r.find(f.key); }))
      continue;
    std::vector<double> values;
    for (const auto& r : runs) values.push_back(r.get(f.key));
    const double m = numpy_mean(values);
    means.add(f.key, m, f.integer && std::floor(m) == m);
    stds.add(f.key, numpy_std(values));
  }
  std::map<std::string, std::uint64_t> by_class;
  for (const auto& r : runs) {
    for (const auto& [k, v] : r.errors) by_class[k] += v;
    for (const auto& e : r.error_examples)
      if (means.error_examples.size() < 10 &&
          std::find(means.error_examples.begin(), means.error_examples.end(), e) ==
              means.error_examples.end())
        means.error_examples.push_back(e);
  }
  means.errors.assign(by_class.begin(), by_class.end());
  return {means, stds};
}

}  // namespace loadwright::runtime
