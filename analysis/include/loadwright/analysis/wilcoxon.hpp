#pragma once
// The paired test: Wilcoxon signed-rank, as scipy.stats.wilcoxon(x, y) computes it (scipy
// >= 1.15, scipy/stats/_wilcoxon.py), plus its effect sizes.
//
// Differences d = x - y - mu (subtracted in that order, like scipy and R). Zeros are dropped
// (zero_method="wilcox", the default of both scipy and R); |d| is ranked with average ranks for
// ties; ties and zeros are detected with exact floating-point equality, as scipy and R do (see
// scipy's warning: round x - y first if values that should tie might not).
//
// Which p-value (wilcoxon_method::automatic, scipy's method="auto"):
//   - n > 50 pairs (zeros included)              -> asymptotic
//   - no ties and no zeros (n <= 50)             -> exact: the null distribution of R+ counted
//                                                   over all 2^n sign assignments
//   - ties or zeros, n <= 13                     -> permutation: the same exhaustive count with
//                                                   the tied (average) ranks, which is what
//                                                   scipy's permutation_test returns for 2^n
//                                                   <= 9999 resamples
//   - ties or zeros, 13 < n <= 50                -> asymptotic
// Asymptotic: z = (R+ - n(n+1)/4) / sigma with the tie-corrected
// sigma^2 = n(n+1)(2n+1)/24 - sum(t^3 - t)/48 (n: nonzero differences); with
// continuity_correction, z moves 0.5/sigma towards 0 (scipy's correction=True; R's
// wilcox.test default correct=TRUE). scipy's default is no correction, and so is ours.
// Two-sided p-values are min(1, 2 min(P(R+ <= r), P(R+ >= r))), as both scipy and R compute.
// wilcoxon_method::exact uses the exact (tie-aware) distribution for any n: equal to scipy's
// exact without ties; with ties it is the exact permutation distribution, not scipy's
// method="exact" (which rounds the statistic and uses the tie-free table).

#include <cstddef>
#include <span>

#include "loadwright/analysis/types.hpp"

namespace loadwright::analysis {

enum class wilcoxon_method { automatic, exact, asymptotic };
/// Which computation gave the p-value (see the table above).
enum class wilcoxon_branch { exact, permutation, asymptotic, none };

struct wilcoxon_options {
  alternative alt = alternative::two_sided;
  wilcoxon_method method = wilcoxon_method::automatic;
  bool continuity_correction = false;  // scipy: False; R: TRUE
  double mu = 0;                       // location shift under H0: d = x - y - mu
};

struct wilcoxon_result {
  /// scipy's statistic: min(R+, R-) for two-sided, R+ for one-sided.
  double statistic = 0;
  double r_plus = 0;   // sum of ranks of positive differences (R's V)
  double r_minus = 0;  // sum of ranks of negative differences
  double p_value = 0;  // NaN when no nonzero difference is left
  /// Normal-approximation z (scipy's zstatistic: -|z| for two-sided); NaN unless asymptotic.
  double z = 0;
  /// Matched-pairs rank-biserial correlation (Kerby 2014, "simple difference formula"):
  /// (R+ - R-) / (R+ + R-), in [-1, 1]; positive when x tends to exceed y. NaN if no nonzero
  /// difference.
  double rank_biserial = 0;
  std::size_t n = 0;       // pairs
  std::size_t n_used = 0;  // nonzero differences (ranked)
  std::size_t n_zero = 0;  // zero differences (dropped)
  bool has_ties = false;   // tied |d| among the nonzero differences
  wilcoxon_branch branch = wilcoxon_branch::none;
};

/// scipy.stats.wilcoxon(x, y, ...): x and y must have the same length (std::invalid_argument
/// otherwise). NaN values are not allowed (std::invalid_argument).
wilcoxon_result wilcoxon_signed_rank(std::span<const double> x, std::span<const double> y,
                                     const wilcoxon_options& options = {});
/// scipy.stats.wilcoxon(d, ...): the differences given directly.
wilcoxon_result wilcoxon_signed_rank_differences(std::span<const double> d,
                                                 const wilcoxon_options& options = {});

/// Hodges-Lehmann estimate of the median difference for paired data: the median of the
/// n(n+1)/2 Walsh averages (d_i + d_j) / 2, i <= j, of all differences d = x - y (zeros
/// included; Hollander & Wolfe, Nonparametric Statistical Methods, §3.2). This is R's
/// wilcox.test(x, y, paired = TRUE, conf.int = TRUE) "(pseudo)median" when there are no zeros
/// (R drops zeros first). O(n log n) memory-free selection, so any n works. NaN when empty.
double hodges_lehmann_paired(std::span<const double> x, std::span<const double> y);
double hodges_lehmann_differences(std::span<const double> d);
/// Two-sample Hodges-Lehmann shift: the median of all m n differences x_i - y_j (R's
/// wilcox.test(x, y, conf.int = TRUE) "difference in location"). NaN when either is empty.
double hodges_lehmann_two_sample(std::span<const double> x, std::span<const double> y);

}  // namespace loadwright::analysis
