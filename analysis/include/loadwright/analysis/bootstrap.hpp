#pragma once
// Bootstrap confidence intervals for the difference of a statistic (median, p99, any
// percentile, or the mean) between a candidate and a baseline: stat(candidate) -
// stat(baseline).
//
//   - paired: the pairs (baseline_i, candidate_i) are resampled together (same request in both
//     runs), n indices per replicate;
//   - independent: each sample is resampled on its own (n_a indices, then n_b indices);
//   - one sample: stat(values) alone (e.g. the band of a p99 at one probe of find_max).
//
// Deterministic: replicate b draws its indices from xoshiro256ss(seed) in order (Lemire's
// unbiased integers), so the same data, seed and B give the same interval everywhere.
// Percentiles of a resample are numpy's linear percentile of that resample (computed from
// occurrence counts over the sorted data, no sorting per replicate).
//
// Intervals (the same replicates for both, as scipy.stats.bootstrap computes them):
//   - percentile: the alpha/2 and 1 - alpha/2 linear percentiles of the B replicates;
//   - BCa (Efron 1987; Efron & Tibshirani 1993, §14.3), as scipy.stats.bootstrap's "BCa":
//     z0 = Phi^-1(mean of [replicate < estimate] and [replicate <= estimate], averaged so
//     ties count half), acceleration a from the jackknife (leave one pair out when paired;
//     for two independent samples each sample's jackknife with scipy's per-sample
//     normalisation, sum_j sum_i U_ji^3 / n_j^3 over (sum_j sum_i U_ji^2 / n_j^2)^1.5 / 6),
//     levels Phi(z0 + (z0 + z_a) / (1 - a (z0 + z_a))) at both ends. Absent when z0 is not
//     finite (every replicate on one side of the estimate) or the jackknife is degenerate.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "loadwright/analysis/types.hpp"

namespace loadwright::analysis {

/// What is bootstrapped: a linear percentile q in [0, 100] (np.percentile; q = 50 is
/// np.median, the mean of the two middle values) or the mean.
struct bootstrap_statistic {
  enum class kind { percentile, mean };
  kind k = kind::percentile;
  double q = 50;
  static bootstrap_statistic median() { return {kind::percentile, 50}; }
  static bootstrap_statistic p99() { return {kind::percentile, 99}; }
  static bootstrap_statistic percentile(double q) { return {kind::percentile, q}; }
  static bootstrap_statistic mean() { return {kind::mean, 0}; }
};

struct bootstrap_options {
  bootstrap_statistic statistic = bootstrap_statistic::median();
  std::size_t resamples = 10000;  // B
  double confidence = 0.95;
  std::uint64_t seed = 42;
};

struct bootstrap_result {
  double estimate = 0;             // the statistic (difference) on the data itself
  interval percentile_ci;          // percentile method
  std::optional<interval> bca_ci;  // BCa, when defined
  double bias_correction = 0;      // z0 (NaN when undefined)
  double acceleration = 0;         // a (NaN when undefined)
  std::size_t resamples = 0;
  double confidence = 0;
  std::uint64_t seed = 0;
  /// The BCa interval when defined, else the percentile one.
  interval best() const { return bca_ci ? *bca_ci : percentile_ci; }
};

/// Paired: std::invalid_argument on different lengths or empty input.
bootstrap_result bootstrap_paired(std::span<const double> baseline,
                                  std::span<const double> candidate,
                                  const bootstrap_options& options = {});
/// Independent samples: std::invalid_argument on an empty sample.
bootstrap_result bootstrap_independent(std::span<const double> baseline,
                                       std::span<const double> candidate,
                                       const bootstrap_options& options = {});
/// One sample: the interval of stat(values). std::invalid_argument when empty.
bootstrap_result bootstrap_one_sample(std::span<const double> values,
                                      const bootstrap_options& options = {});

namespace detail {
/// The BCa percentile levels (in [0, 1]) for bias correction z0, acceleration a and a
/// two-sided confidence level; exposed for tests.
interval bca_levels(double z0, double a, double confidence);
}  // namespace detail

}  // namespace loadwright::analysis
