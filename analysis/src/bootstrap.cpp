#include "loadwright/analysis/bootstrap.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "loadwright/analysis/descriptive.hpp"
#include "loadwright/analysis/random.hpp"
#include "numeric.hpp"

namespace loadwright::analysis {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// One sample, sorted, with the sorted position of each original element.
struct prepared {
  std::vector<double> sorted;
  std::vector<std::uint32_t> position;  // position[i]: where value i sits in `sorted`
  double sum = 0;                       // for the mean's jackknife
};

prepared prepare(std::span<const double> values) {
  for (const double v : values)
    if (std::isnan(v)) throw std::invalid_argument("bootstrap: NaN value");
  if (values.size() >= std::numeric_limits<std::uint32_t>::max())
    throw std::invalid_argument("bootstrap: too many values");
  prepared p;
  const std::size_t n = values.size();
  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return values[a] < values[b]; });
  p.sorted.resize(n);
  p.position.resize(n);
  for (std::size_t k = 0; k < n; ++k) {
    p.sorted[k] = values[order[k]];
    p.position[order[k]] = static_cast<std::uint32_t>(k);
  }
  p.sum = detail::numpy_sum(values);
  return p;
}

// The percentile from the two neighbouring order statistics: numpy's linear interpolation,
// except that the median is np.median's mean of the two middle values.
double interpolate(double a, double b, double t, const bootstrap_statistic& st) {
  if (st.q == 50 && t == 0.5) return (a + b) / 2.0;
  return detail::numpy_lerp(a, b, t);
}

// The statistic of the full sample.
double full_stat(const prepared& p, const bootstrap_statistic& st) {
  if (st.k == bootstrap_statistic::kind::mean) return p.sum / static_cast<double>(p.sorted.size());
  if (st.q == 50) return median_sorted(p.sorted);
  return percentile_sorted(p.sorted, st.q);
}

// The statistic of a resample of size n given by occurrence counts over sorted positions.
double counted_stat(const prepared& p, const std::vector<std::uint32_t>& counts, std::size_t n,
                    const bootstrap_statistic& st) {
  if (st.k == bootstrap_statistic::kind::mean) {
    double s = 0;
    for (std::size_t k = 0; k < counts.size(); ++k)
      s += static_cast<double>(counts[k]) * p.sorted[k];
    return s / static_cast<double>(n);
  }
  const double v = static_cast<double>(n - 1) * (st.q / 100.0);
  const double fl = std::floor(v);
  const auto f = static_cast<std::size_t>(fl);
  const std::size_t f1 = std::min(f + 1, n - 1);
  double a = nan, b = nan;
  std::size_t cum = 0;
  for (std::size_t k = 0; k < counts.size(); ++k) {
    cum += counts[k];
    if (std::isnan(a) && cum > f) a = p.sorted[k];
    if (cum > f1) {
      b = p.sorted[k];
      break;
    }
  }
  return interpolate(a, b, v - fl, st);
}

// The statistic with the element at sorted position r left out (jackknife).
double leave_one_out_stat(const prepared& p, std::size_t r, const bootstrap_statistic& st) {
  const std::size_t n = p.sorted.size();
  if (st.k == bootstrap_statistic::kind::mean)
    return (p.sum - p.sorted[r]) / static_cast<double>(n - 1);
  const std::size_t m = n - 1;
  auto at = [&](std::size_t k) { return p.sorted[k < r ? k : k + 1]; };
  const double v = static_cast<double>(m - 1) * (st.q / 100.0);
  const double fl = std::floor(v);
  const auto f = static_cast<std::size_t>(fl);
  return interpolate(at(f), at(std::min(f + 1, m - 1)), v - fl, st);
}

// Adds the n draws of one resample to counts.
void draw(xoshiro256ss& rng, const prepared& p, std::vector<std::uint32_t>& counts) {
  const std::size_t n = p.sorted.size();
  for (std::size_t i = 0; i < n; ++i) ++counts[p.position[rng.below(n)]];
}

// Jackknife acceleration with scipy's normalisation over one or two groups of leave-one-out
// values (U_ji = (n_j - 1)(mean_j - theta_ji)).
double acceleration(const std::vector<std::vector<double>>& groups) {
  double num = 0, den = 0;
  for (const auto& g : groups) {
    const auto n = static_cast<double>(g.size());
    if (g.size() < 2) return nan;
    double m = 0;
    for (const double t : g) m += t;
    m /= n;
    double s2 = 0, s3 = 0;
    for (const double t : g) {
      const double u = (n - 1) * (m - t);
      s2 += u * u;
      s3 += u * u * u;
    }
    num += s3 / (n * n * n);
    den += s2 / (n * n);
  }
  if (!(den > 0)) return nan;
  return num / (6.0 * std::pow(den, 1.5));
}

void check_options(const bootstrap_options& o) {
  if (o.resamples < 1) throw std::invalid_argument("bootstrap: resamples must be >= 1");
  if (!(o.confidence > 0 && o.confidence < 1))
    throw std::invalid_argument("bootstrap: confidence must be in (0, 1)");
  if (o.statistic.k == bootstrap_statistic::kind::percentile &&
      !(o.statistic.q >= 0 && o.statistic.q <= 100))
    throw std::invalid_argument("bootstrap: percentile must be in [0, 100]");
}

// Intervals from the replicates (sorted in place), the estimate and the jackknife groups.
bootstrap_result finish(std::vector<double>& replicates, double estimate,
                        const std::vector<std::vector<double>>& jackknife,
                        const bootstrap_options& o) {
  bootstrap_result r;
  r.estimate = estimate;
  r.resamples = o.resamples;
  r.confidence = o.confidence;
  r.seed = o.seed;
  std::sort(replicates.begin(), replicates.end());
  const double alpha = (1 - o.confidence) / 2;
  r.percentile_ci = {percentile_sorted(replicates, alpha * 100),
                     percentile_sorted(replicates, 100 - alpha * 100)};
  // BCa: z0 from the share of replicates below the estimate (ties half), a from the jackknife.
  const auto below = static_cast<double>(
      std::lower_bound(replicates.begin(), replicates.end(), estimate) - replicates.begin());
  const auto not_above = static_cast<double>(
      std::upper_bound(replicates.begin(), replicates.end(), estimate) - replicates.begin());
  const double share = (below + not_above) / (2.0 * static_cast<double>(replicates.size()));
  r.bias_correction = detail::normal_quantile(share);
  r.acceleration = acceleration(jackknife);
  if (std::isfinite(r.bias_correction) && std::isfinite(r.acceleration)) {
    const interval levels = detail::bca_levels(r.bias_correction, r.acceleration, o.confidence);
    if (std::isfinite(levels.low) && std::isfinite(levels.high))
      r.bca_ci = interval{percentile_sorted(replicates, levels.low * 100),
                          percentile_sorted(replicates, levels.high * 100)};
  }
  if (!std::isfinite(r.bias_correction)) r.bias_correction = nan;
  return r;
}

}  // namespace

namespace detail {
interval bca_levels(double z0, double a, double confidence) {
  const double alpha = (1 - confidence) / 2;
  const double z_alpha = normal_quantile(alpha);
  const double z_1alpha = -z_alpha;
  const double num1 = z0 + z_alpha;
  const double num2 = z0 + z_1alpha;
  return {normal_cdf(z0 + num1 / (1 - a * num1)), normal_cdf(z0 + num2 / (1 - a * num2))};
}
}  // namespace detail

bootstrap_result bootstrap_paired(std::span<const double> baseline,
                                  std::span<const double> candidate, const bootstrap_options& o) {
  if (baseline.size() != candidate.size())
    throw std::invalid_argument("bootstrap_paired: the two runs must have the same length");
  if (baseline.empty()) throw std::invalid_argument("bootstrap_paired: no pairs");
  check_options(o);
  const prepared a = prepare(baseline), b = prepare(candidate);
  const std::size_t n = baseline.size();
  const auto& st = o.statistic;
  const double estimate = full_stat(b, st) - full_stat(a, st);

  xoshiro256ss rng(o.seed);
  std::vector<std::uint32_t> ca(n), cb(n);
  std::vector<double> replicates(o.resamples);
  for (auto& rep : replicates) {
    std::fill(ca.begin(), ca.end(), 0u);
    std::fill(cb.begin(), cb.end(), 0u);
    for (std::size_t i = 0; i < n; ++i) {
      const auto k = rng.below(n);  // one pair: both of its values
      ++ca[a.position[k]];
      ++cb[b.position[k]];
    }
    rep = counted_stat(b, cb, n, st) - counted_stat(a, ca, n, st);
  }
  std::vector<std::vector<double>> jack(1);
  if (n >= 2) {
    jack[0].resize(n);
    for (std::size_t i = 0; i < n; ++i)
      jack[0][i] =
          leave_one_out_stat(b, b.position[i], st) - leave_one_out_stat(a, a.position[i], st);
  }
  return finish(replicates, estimate, jack, o);
}

bootstrap_result bootstrap_independent(std::span<const double> baseline,
                                       std::span<const double> candidate,
                                       const bootstrap_options& o) {
  if (baseline.empty() || candidate.empty())
    throw std::invalid_argument("bootstrap_independent: an empty sample");
  check_options(o);
  const prepared a = prepare(baseline), b = prepare(candidate);
  const auto& st = o.statistic;
  const double sa = full_stat(a, st), sb = full_stat(b, st);

  xoshiro256ss rng(o.seed);
  std::vector<std::uint32_t> ca(a.sorted.size()), cb(b.sorted.size());
  std::vector<double> replicates(o.resamples);
  for (auto& rep : replicates) {
    std::fill(ca.begin(), ca.end(), 0u);
    std::fill(cb.begin(), cb.end(), 0u);
    draw(rng, a, ca);
    draw(rng, b, cb);
    rep = counted_stat(b, cb, b.sorted.size(), st) - counted_stat(a, ca, a.sorted.size(), st);
  }
  std::vector<std::vector<double>> jack(2);
  if (a.sorted.size() >= 2 && b.sorted.size() >= 2) {
    for (std::size_t k = 0; k < a.sorted.size(); ++k)
      jack[0].push_back(sb - leave_one_out_stat(a, k, st));
    for (std::size_t k = 0; k < b.sorted.size(); ++k)
      jack[1].push_back(leave_one_out_stat(b, k, st) - sa);
  }
  return finish(replicates, sb - sa, jack, o);
}

bootstrap_result bootstrap_one_sample(std::span<const double> values, const bootstrap_options& o) {
  if (values.empty()) throw std::invalid_argument("bootstrap_one_sample: no values");
  check_options(o);
  const prepared p = prepare(values);
  const auto& st = o.statistic;
  xoshiro256ss rng(o.seed);
  std::vector<std::uint32_t> c(p.sorted.size());
  std::vector<double> replicates(o.resamples);
  for (auto& rep : replicates) {
    std::fill(c.begin(), c.end(), 0u);
    draw(rng, p, c);
    rep = counted_stat(p, c, p.sorted.size(), st);
  }
  std::vector<std::vector<double>> jack(1);
  if (p.sorted.size() >= 2)
    for (std::size_t k = 0; k < p.sorted.size(); ++k)
      jack[0].push_back(leave_one_out_stat(p, k, st));
  return finish(replicates, full_stat(p, st), jack, o);
}

}  // namespace loadwright::analysis
