#pragma once
// Descriptive statistics for one series: the methodology chapter's tail report (mean, p50,
// p75, p90, p95, p99, p99.9 when n >= 1000, max, and the tail ratio p99/p50).
//
// Percentiles are numpy's default (`np.percentile(x, p)`, method "linear"; Hyndman & Fan
// type 7, R's default `quantile` type): the same definition as loadwright's runtime
// (runtime/src/stats.cpp), reimplemented here because this library depends on nothing else
// of loadwright. An empty series gives NaN (not vLLM's 0). Values must not be NaN.

#include <cstddef>
#include <optional>
#include <span>

namespace loadwright::analysis {

/// np.percentile(sorted, p), p in [0, 100]; `sorted` must be ascending. NaN when empty.
/// Position v = (n - 1) p / 100, then numpy's `_lerp` between the two neighbours (exact at
/// both ends: for t >= 0.5 it interpolates down from the upper value).
double percentile_sorted(std::span<const double> sorted, double p);
/// The same on unsorted values (copies and sorts).
double percentile(std::span<const double> values, double p);
/// np.median: the middle value, or the mean of the two middle values. NaN when empty.
double median_sorted(std::span<const double> sorted);
double median(std::span<const double> values);
/// np.mean (numpy's pairwise summation in blocks of 8192, so it equals numpy to the bit).
/// NaN when empty.
double mean(std::span<const double> values);
/// Sample variance with ddof = 1 (np.var(x, ddof=1)); NaN when n < 2.
double sample_variance(std::span<const double> values);

/// Whether percentile p is worth reporting from n values. The chapter's rule is "p99.9 only
/// when n >= 1000"; generalised: a percentile above 99 needs n >= 100 / (100 - p) values (at
/// least one expected beyond it), so p99.9 needs 1000 and p99.99 needs 10000. Percentiles up
/// to p99 need one value.
bool percentile_reportable(double p, std::size_t n);

/// p99 / p50 (the chapter's "tail ratio"; 1.2 is tight, 15 is a long tail). NaN when empty or
/// when p50 <= 0.
double tail_ratio_sorted(std::span<const double> sorted);

/// The chapter's tail report of one series.
struct tail_summary {
  std::size_t count = 0;
  double mean = 0, p50 = 0, p75 = 0, p90 = 0, p95 = 0, p99 = 0;
  std::optional<double> p999;  // only when percentile_reportable(99.9, count)
  double max = 0;
  double tail_ratio = 0;  // p99 / p50
};
/// All fields NaN (p999 empty) for an empty series.
tail_summary describe_tail(std::span<const double> values);

}  // namespace loadwright::analysis
