#include "loadwright/runtime/summary.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "loadwright/runtime/stats.hpp"

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

namespace {

std::string percentile_label(double p) {
  // vLLM: int(p) when integral, else str(p) ("p99", "p99.9").
  if (p == std::floor(p)) return "p" + std::to_string(static_cast<long long>(p));
  std::string s = std::to_string(p);
  while (!s.empty() && s.back() == '0') s.pop_back();
  return "p" + s;
}

double ns_to_ms(std::int64_t ns) {
  return static_cast<double>(ns) * 1e-6;
}

// Peak output tokens in any 1-second bucket (vLLM's bucketing from the first send). Each
// text event carries an equal share of the request's output tokens, so a server that sends
// several tokens per event is not undercounted (vllm#37666).
double peak_output_tokens_per_s(std::span<const request_record* const> ok) {
  if (ok.empty()) return 0;
  std::int64_t t0 = INT64_MAX;
  for (const auto* r : ok) t0 = std::min(t0, r->sent_ns);
  std::vector<double> buckets;
  auto add = [&](std::int64_t t_ns, double tokens) {
    const auto b = static_cast<std::size_t>(std::max<std::int64_t>(0, t_ns - t0) / 1'000'000'000);
    if (b >= buckets.size()) buckets.resize(b + 1, 0.0);
    buckets[b] += tokens;
  };
  for (const auto* r : ok) {
    if (r->ttft_ns < 0 || r->output_tokens <= 0) continue;
    const double share =
        static_cast<double>(r->output_tokens) / std::max<std::uint32_t>(1, r->text_events);
    double t_ms = ns_to_ms(r->sent_ns + r->ttft_ns);
    add(r->sent_ns + r->ttft_ns, share);
    for (const float gap : r->itl_ms) {
      t_ms += gap;
      add(static_cast<std::int64_t>(t_ms * 1e6), share);
    }
  }
  return buckets.empty() ? 0 : *std::max_element(buckets.begin(), buckets.end());
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

}  // namespace

summary summarize_run(std::span<const request_record> records, const summary_options& options) {
  std::vector<const request_record*> all, ok;
  for (const auto& r : records) {
    if (r.phase != run_phase::measure) continue;
    all.push_back(&r);
    if (r.ok()) ok.push_back(&r);
  }
  summary s;
  // Duration: from the run's start to the last response (vLLM: loop start → gather end).
  std::int64_t end_ns = 0;
  for (const auto* r : all)
    end_ns = std::max(end_ns, r->sent_ns + std::max<std::int64_t>(0, r->end_ns));
  const double duration_s = static_cast<double>(end_ns) * 1e-9;
  std::int64_t total_in = 0, total_out = 0, in_estimated = 0, out_estimated = 0;
  for (const auto* r : ok) {
    total_in += std::max<std::int64_t>(0, r->input_tokens);
    total_out += std::max<std::int64_t>(0, r->output_tokens);
    in_estimated += r->input_tokens_from_usage ? 0 : 1;
    out_estimated += r->output_tokens_from_usage ? 0 : 1;
  }
  auto per_s = [&](double x) { return duration_s > 0 ? x / duration_s : 0.0; };

  // Goodput: successful requests meeting every SLO given (vLLM: inclusive, tpot 0 if ≤1 token).
  std::int64_t good = 0;
  if (!options.slo.empty()) {
    for (const auto* r : ok) {
      const double tpot = std::max(0.0, r->tpot_ms());
      const bool pass =
          (!options.slo.ttft || ns_to_ms(r->ttft_ns) <= options.slo.ttft->count() * 1e3) &&
          (!options.slo.tpot || tpot <= options.slo.tpot->count() * 1e3) &&
          (!options.slo.e2el || ns_to_ms(r->e2el_ns) <= options.slo.e2el->count() * 1e3);
      good += pass ? 1 : 0;
    }
  }

  s.add("duration", duration_s);
  s.add("completed", static_cast<double>(ok.size()), true);
  s.add("failed", static_cast<double>(all.size() - ok.size()), true);
  s.add("total_input_tokens", static_cast<double>(total_in), true);
  s.add("total_output_tokens", static_cast<double>(total_out), true);
  s.add("request_throughput", per_s(static_cast<double>(ok.size())));
  if (!options.slo.empty()) {
    s.add("request_goodput", per_s(static_cast<double>(good)));
    s.add("goodput_ratio",
          ok.empty() ? 0.0 : static_cast<double>(good) / static_cast<double>(ok.size()));
  }
  s.add("output_throughput", per_s(static_cast<double>(total_out)));
  s.add("total_token_throughput", per_s(static_cast<double>(total_in + total_out)));
  s.add("max_output_tokens_per_s", peak_output_tokens_per_s(ok));
  s.add("max_concurrent_requests", static_cast<double>(peak_concurrency(all)), true);
  s.add("input_tokens_estimated", static_cast<double>(in_estimated), true);
  s.add("output_tokens_estimated", static_cast<double>(out_estimated), true);

  std::map<std::string, std::vector<double>> series;
  for (const auto* r : ok) {
    series["ttft"].push_back(ns_to_ms(r->ttft_ns));
    if (r->ttfr_ns >= 0) series["ttfr"].push_back(ns_to_ms(r->ttfr_ns));
    series["e2el"].push_back(ns_to_ms(r->e2el_ns));
    if (const double tpot = r->tpot_ms(); tpot >= 0) {
      series["tpot"].push_back(tpot);
      if (tpot > 0) series["user_tps"].push_back(1000.0 / tpot);
    }
    auto& itl = series["itl"];
    for (const float g : r->itl_ms) itl.push_back(g);
    const double lag = r->schedule_lag_ms();
    series["ttft_from_scheduled"].push_back(lag + ns_to_ms(r->ttft_ns));
    series["e2el_from_scheduled"].push_back(lag + ns_to_ms(r->e2el_ns));
  }
  for (const auto* r : all) series["schedule_lag"].push_back(r->schedule_lag_ms());

  for (const auto& [name, unit] : reported_series()) {
    const auto st = compute_series_stats(series[name], options.percentiles);
    const std::string suffix = std::string(name) + unit;
    s.add("mean_" + suffix, st.mean);
    s.add("median_" + suffix, st.median);
    s.add("std_" + suffix, st.std);
    for (std::size_t i = 0; i < options.percentiles.size(); ++i)
      s.add(percentile_label(options.percentiles[i]) + "_" + suffix, st.percentiles[i]);
  }

  std::map<std::string, std::uint64_t> by_class;
  for (const auto* r : all) {
    if (r->ok()) continue;
    ++by_class[status_name(r->status)];
    if (s.error_examples.size() < 10 && !r->error.empty() &&
        std::find(s.error_examples.begin(), s.error_examples.end(), r->error) ==
            s.error_examples.end())
      s.error_examples.push_back(r->error);
  }
  s.errors.assign(by_class.begin(), by_class.end());
  return s;
}

std::pair<summary, summary> combine_runs(std::span<const summary> runs) {
  summary means, stds;
  if (runs.empty()) return {means, stds};
  for (const auto& f : runs.front().fields) {
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
