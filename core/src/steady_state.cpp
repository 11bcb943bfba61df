#include "loadwright/core/steady_state.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <ctime>

#include "loadwright/core/stats.hpp"
#include "loadwright/core/token_events.hpp"

namespace loadwright::runtime {

namespace {

// Drift is judged on this many equal buckets of the window: one a second, 4 to 120, even.
std::size_t drift_buckets(double window_s) {
  auto b = static_cast<std::size_t>(std::clamp(std::floor(window_s), 4.0, 120.0));
  return b - b % 2;
}

double sample_std(std::span<const double> x) {
  if (x.size() < 2) return 0;
  const double m = numpy_mean(x);
  double ss = 0;
  for (const double v : x) ss += (v - m) * (v - m);
  return std::sqrt(ss / static_cast<double>(x.size() - 1));
}

}  // namespace

double index_percentile(std::span<const double> sorted, double p) {
  if (sorted.empty()) return std::nan("");
  const auto i = static_cast<std::size_t>(static_cast<double>(sorted.size()) * p / 100.0);
  return sorted[std::min(i, sorted.size() - 1)];
}

steady_state_accumulator::steady_state_accumulator(phase_timeline timeline)
    : timeline_(timeline),
      window_start_ns_(timeline_ns(timeline.stabilize_end_s)),
      window_end_ns_(timeline_ns(timeline.measure_end_s)),
      window_tokens_(drift_buckets(timeline.measure_s()), 0.0) {
  f_.concurrency = timeline.slots;
  f_.window_s = static_cast<double>(window_end_ns_ - window_start_ns_) * 1e-9;
}

void steady_state_accumulator::add(const request_record& r) {
  if (r.phase == run_phase::warmup || r.phase == run_phase::context) return;
  if (r.end_ns >= 0) busy_.emplace_back(r.sent_ns, r.sent_ns + r.end_ns);
  const bool sent_in_window = r.sent_ns >= window_start_ns_ && r.sent_ns < window_end_ns_;
  if (sent_in_window) ++f_.sent_in_window;
  if (r.phase == run_phase::drain) ++f_.cut_by_drain;
  if (!r.ok()) return;
  const auto span_ns = window_end_ns_ - window_start_ns_;
  for_each_token_event(r, [&](std::int64_t at_ns, double tokens) {
    if (at_ns < window_start_ns_ || at_ns >= window_end_ns_ || span_ns <= 0) return;
    const auto b = static_cast<std::size_t>(static_cast<double>(at_ns - window_start_ns_) /
                                            static_cast<double>(span_ns) *
                                            static_cast<double>(window_tokens_.size()));
    window_tokens_[std::min(b, window_tokens_.size() - 1)] += tokens;
  });
  if (r.phase != run_phase::measure) return;
  ++f_.measured;
  const auto out = std::max<std::int64_t>(0, r.output_tokens);
  f_.measured_output_tokens += out;
  if (out > 0 && r.e2el_ns > 0)
    user_tps_.push_back(static_cast<double>(out) / (static_cast<double>(r.e2el_ns) * 1e-9));
  if (out > 0 && r.ttft_ns >= 0 && r.e2el_ns > r.ttft_ns)
    generation_tps_.push_back(static_cast<double>(out) /
                              (static_cast<double>(r.e2el_ns - r.ttft_ns) * 1e-9));
  for (const float g : r.itl_ms) itl_ms_.push_back(g);
}

steady_state_figures steady_state_accumulator::finish() const {
  steady_state_figures f = f_;
  const double nan = std::nan("");
  auto mean_std = [&](const std::vector<double>& x, double& mean, double& sd) {
    mean = x.empty() ? nan : numpy_mean(x);
    sd = x.empty() ? nan : numpy_std(x);
  };
  mean_std(user_tps_, f.user_tps_mean, f.user_tps_std);
  mean_std(generation_tps_, f.generation_tps_mean, f.generation_tps_std);
  f.server_tps = f.concurrency > 0 ? f.user_tps_mean * f.concurrency : nan;
  double window_tokens = 0;
  for (const double t : window_tokens_) window_tokens += t;
  f.window_output_tps = f.window_s > 0 ? window_tokens / f.window_s : nan;

  auto itl = itl_ms_;
  std::sort(itl.begin(), itl.end());
  f.itl_p50_ms = index_percentile(itl, 50);
  f.itl_p99_ms = index_percentile(itl, 99);
  f.jitter_ratio = f.itl_p50_ms > 0 ? f.itl_p99_ms / f.itl_p50_ms : nan;
  const double p50 = itl.empty() ? nan : numpy_percentile_sorted(itl, 50);
  f.jitter_ratio_interpolated = p50 > 0 ? numpy_percentile_sorted(itl, 99) / p50 : nan;

  // In flight over the window: a sweep over every request's [sent, end), clipped to it.
  std::vector<std::pair<std::int64_t, int>> events;
  for (const auto& [a, b] : busy_) {
    if (b <= window_start_ns_ || a >= window_end_ns_) continue;
    events.emplace_back(std::max(a, window_start_ns_), +1);
    events.emplace_back(std::min(b, window_end_ns_), -1);
  }
  std::sort(events.begin(), events.end());  // departures before arrivals on ties
  const double full = full_load_fraction * f.concurrency;
  double area = 0, at_full_ns = 0;
  std::int64_t cur = 0, last = window_start_ns_;
  auto advance = [&](std::int64_t t) {
    const auto dt = static_cast<double>(t - last);
    area += static_cast<double>(cur) * dt;
    if (f.concurrency > 0 && static_cast<double>(cur) >= full) at_full_ns += dt;
    last = t;
  };
  for (const auto& [t, d] : events) {
    advance(t);
    cur += d;
  }
  advance(window_end_ns_);
  const auto span = static_cast<double>(window_end_ns_ - window_start_ns_);
  f.mean_in_flight = span > 0 ? area / span : nan;
  f.full_load_share = span > 0 && f.concurrency > 0 ? at_full_ns / span : nan;

  // Drift: window-exact output tokens/s of the first half against the second.
  const std::size_t half = window_tokens_.size() / 2;
  const double bucket_s = f.window_s / static_cast<double>(window_tokens_.size());
  std::vector<double> first, second;
  for (std::size_t i = 0; i < window_tokens_.size(); ++i)
    (i < half ? first : second).push_back(window_tokens_[i] / bucket_s);
  f.first_half_tps = numpy_mean(first);
  f.second_half_tps = numpy_mean(second);
  const double se = std::sqrt(std::pow(sample_std(first), 2) / static_cast<double>(first.size()) +
                              std::pow(sample_std(second), 2) / static_cast<double>(second.size()));
  const double diff = f.second_half_tps - f.first_half_tps;
  f.drift = f.first_half_tps > 0 ? diff / f.first_half_tps : nan;
  f.drift_noise = f.first_half_tps > 0 ? 2 * se / f.first_half_tps : nan;

  std::vector<std::string> why;
  if (f.measured == 0)
    why.push_back("no request sent in the measure window completed by the end of the drain");
  if (f.concurrency > 0 && !(f.full_load_share >= full_load_min_share))
    why.push_back(fmt::format(
        "in flight was at least 0.95 × {} only {:.1f} % of the measure window (mean {:.2f})",
        f.concurrency, 100 * f.full_load_share, f.mean_in_flight));
  if (!(f.first_half_tps > 0))
    why.push_back("no output tokens in the first half of the measure window");
  else if (std::abs(diff) > 2 * se && std::abs(f.drift) > drift_tolerance)
    why.push_back(fmt::format(
        "output tokens/s drifted {:+.1f} % from the first half of the measure window to the "
        "second ({:.1f} → {:.1f}; noise ±{:.1f} %)",
        100 * f.drift, f.first_half_tps, f.second_half_tps, 100 * f.drift_noise));
  f.steady = why.empty();
  for (const auto& w : why) f.steady_reason += (f.steady_reason.empty() ? "" : "; ") + w;
  return f;
}

std::string iso8601_utc(std::chrono::system_clock::time_point t) {
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(ms / 1000 - (ms % 1000 < 0 ? 1 : 0));
  const auto frac = ((ms % 1000) + 1000) % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
}

}  // namespace loadwright::runtime
