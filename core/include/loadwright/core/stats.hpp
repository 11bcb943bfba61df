#pragma once
// Statistics with numpy's exact semantics (reference/vllm-bench-serve.md §7), so a summary
// computed here from the same per-request values equals vLLM's to the last bit.

#include <cstddef>
#include <span>
#include <vector>

namespace loadwright::runtime {

/// np.sum: blocks of 8192 added left to right, pairwise summation inside each block.
double numpy_sum(std::span<const double> x);
/// np.mean (0 for an empty series, as vLLM's `np.mean(x or 0)`).
double numpy_mean(std::span<const double> x);
/// np.std, population (ddof = 0).
double numpy_std(std::span<const double> x);
/// np.percentile(x, p) with linear interpolation; `sorted` must be ascending.
double numpy_percentile_sorted(std::span<const double> sorted, double p);

/// mean, median, std and the requested percentiles of one series.
struct series_stats {
  double mean = 0, median = 0, std = 0;
  std::vector<double> percentiles;  // same order as asked
  std::size_t count = 0;            // how many values the series has
};
series_stats compute_series_stats(std::vector<double> values,
                                  const std::vector<double>& percentiles);

}  // namespace loadwright::runtime
