#pragma once
// Equivalence: two one-sided tests (TOST, Schuirmann 1987). B is equivalent to A within
// [lower, upper] (on the scale of B - A) when both one-sided nulls are rejected:
//   H0_lower: shift <= lower  vs  shift > lower   -> p_lower
//   H0_upper: shift >= upper  vs  shift < upper   -> p_upper
// and equivalent = max(p_lower, p_upper) < alpha. A relative margin m (default 0.05, the ±5 %
// of the A/B protocol) gives the bounds [-m ref, +m ref] with ref = the baseline's median
// (paired) or mean (Welch, which is a test of means).
//
// Paired (requests paired by id): the one-sided tests are Wilcoxon signed-rank tests of
// d = candidate - baseline shifted by the bound (wilcoxon_signed_rank with mu = bound and
// alternative greater / less, method automatic), so the shift tested is the location of the
// paired differences (estimated by the Hodges-Lehmann pseudo-median). Robust to the long
// tails of latency data.
// Independent (runs): one-sided Welch t-tests of mean(candidate) - mean(baseline) against the
// bounds.

#include <span>

#include "loadwright/analysis/types.hpp"

namespace loadwright::analysis {

/// Absolute bounds on the scale of candidate - baseline; lower < upper.
struct equivalence_bounds {
  double lower = 0;
  double upper = 0;
};

struct tost_result {
  double p_lower = 0;  // H0: shift <= lower
  double p_upper = 0;  // H0: shift >= upper
  double p_value = 0;  // max of the two
  bool equivalent = false;
  equivalence_bounds bounds;
  double margin = 0;     // the relative margin asked (NaN when absolute bounds were given)
  double reference = 0;  // the baseline level the margin multiplies (NaN for absolute bounds)
  double alpha = 0.05;
};

/// Paired TOST, bounds +-margin x median(baseline). std::invalid_argument on different
/// lengths, empty input, or a non-positive margin.
tost_result tost_paired(std::span<const double> baseline, std::span<const double> candidate,
                        double margin = 0.05, double alpha = 0.05);
tost_result tost_paired(std::span<const double> baseline, std::span<const double> candidate,
                        equivalence_bounds bounds, double alpha = 0.05);

/// Welch TOST for independent samples, bounds +-margin x mean(baseline).
tost_result tost_welch(std::span<const double> baseline, std::span<const double> candidate,
                       double margin = 0.05, double alpha = 0.05);
tost_result tost_welch(std::span<const double> baseline, std::span<const double> candidate,
                       equivalence_bounds bounds, double alpha = 0.05);

}  // namespace loadwright::analysis
