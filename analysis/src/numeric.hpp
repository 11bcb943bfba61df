#pragma once
// Internal numeric helpers of the analysis library: Boost.Math distributions with a policy
// that returns NaN / inf instead of throwing, and numpy's interpolation.

#include <cmath>
#include <span>

#include "loadwright/analysis/types.hpp"

namespace loadwright::analysis::detail {

/// Standard normal CDF, survival function and quantile (NaN outside (0, 1), -inf / +inf at
/// 0 / 1).
double normal_cdf(double z);
double normal_sf(double z);
double normal_quantile(double p);
/// Student's t with (possibly non-integer) df.
double student_t_cdf(double t, double df);
double student_t_sf(double t, double df);
double student_t_quantile(double p, double df);

/// The p-value of a statistic whose null distribution has the given CDF and SF at the observed
/// value (two-sided: min(1, 2 min(cdf, sf))).
inline double p_from_tails(double cdf, double sf, alternative alt) {
  switch (alt) {
    case alternative::less:
      return cdf;
    case alternative::greater:
      return sf;
    case alternative::two_sided:
      break;
  }
  return std::fmin(1.0, 2.0 * std::fmin(cdf, sf));
}

/// numpy's _lerp(a, b, t): exact at both ends.
inline double numpy_lerp(double a, double b, double t) {
  const double diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/// numpy's summation (pairwise inside blocks of 8192, blocks added left to right).
double numpy_sum(std::span<const double> x);

}  // namespace loadwright::analysis::detail
