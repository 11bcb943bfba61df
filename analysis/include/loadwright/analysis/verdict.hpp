#pragma once
// A plain-words verdict for one metric of an A/B comparison (A = baseline, B = candidate),
// from a test of no difference, a confidence interval of the difference and an equivalence
// test:
//   - "B is faster by 12.3 % (95 % CI 10.1–14.5 %, p = 0.0012)"   (better / worse; "better
//     by" and "worse by" for metrics that are not latencies)
//   - "no difference larger than ±5 % (equivalent: TOST p = 0.003; B - A = +0.4 % (95 % CI
//     -1.2 % to +2.0 %, p = 0.6))"
//   - "inconclusive: B - A = -3.1 % (95 % CI -9.0 % to +2.5 %, p = 0.21); neither a
//     difference nor equivalence within ±5 % is shown"
// (p < 0.0001 is printed as such; p is given to 3 significant digits below 0.1, 2 above.)
// Rules, in order (alpha default 0.05):
//   1. equivalence shown (TOST p < alpha)                    -> equivalent (if the test also
//      finds a difference, the text says it is smaller than the margin)
//   2. difference shown: test p < alpha AND the CI excludes 0 -> better / worse, by the sign of
//      the estimate and the metric's direction
//   3. otherwise (including a test and an interval that disagree) -> inconclusive
// Percentages are relative to the baseline level (e.g. A's median): estimate / baseline.

#include <span>
#include <string>

#include "loadwright/analysis/bootstrap.hpp"
#include "loadwright/analysis/tost.hpp"
#include "loadwright/analysis/types.hpp"
#include "loadwright/analysis/wilcoxon.hpp"

namespace loadwright::analysis {

enum class better_when { lower, higher };
enum class verdict_kind { better, worse, equivalent, inconclusive };

struct verdict_inputs {
  better_when better = better_when::lower;  // latency: lower is better
  bool latency = true;       // words: "faster/slower" (true) or "better/worse" (false)
  double baseline = 0;       // A's level the percentages are relative to (e.g. A's median)
  double estimate = 0;       // B - A (e.g. median(B) - median(A))
  interval ci;               // confidence interval of B - A
  double confidence = 0.95;  // of ci
  double p_value = 0;        // two-sided test of no difference (NaN: no test possible)
  tost_result tost;          // equivalence test of B - A
  double alpha = 0.05;
};

struct verdict {
  verdict_kind kind = verdict_kind::inconclusive;
  std::string text;
  double relative_change = 0;  // estimate / baseline (B - A, relative; -0.12 = 12 % lower)
  interval relative_ci;        // ci / baseline
};

verdict decide(const verdict_inputs& in);

/// Everything `compare` needs for one per-request metric of two runs of the same requests
/// (paired by request id, in the same order): Wilcoxon signed-rank of B - A, bootstrap CIs of
/// the difference of medians and of p99 (pairs resampled), the Hodges-Lehmann shift, the
/// paired TOST against +-margin of A's median, and the verdict on the medians.
struct paired_comparison {
  wilcoxon_result test;          // wilcoxon_signed_rank(candidate, baseline)
  double hodges_lehmann = 0;     // pseudo-median of B - A
  bootstrap_result median_diff;  // median(B) - median(A)
  bootstrap_result p99_diff;     // p99(B) - p99(A)
  tost_result tost;
  verdict result;
};
struct compare_options {
  better_when better = better_when::lower;
  bool latency = true;
  double margin = 0.05;
  double alpha = 0.05;
  bootstrap_options bootstrap;  // statistic is overridden (median, then p99)
};
paired_comparison compare_paired(std::span<const double> baseline,
                                 std::span<const double> candidate,
                                 const compare_options& options = {});

}  // namespace loadwright::analysis
