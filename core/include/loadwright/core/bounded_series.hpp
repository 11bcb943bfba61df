#pragma once
// One latency series in bounded memory, for runs too long to keep every value: exact
// (numpy's semantics, as compute_series_stats) up to `exact_limit` values, then folded into a
// log histogram whose buckets are 0.1% wide, so a percentile is within 0.05% of the exact
// one. Mean and std stay exact (Welford) either way. Sans I/O, not thread-safe.

#include <cstdint>
#include <vector>

#include "loadwright/core/stats.hpp"

namespace loadwright::runtime {

class bounded_series {
 public:
  static constexpr std::size_t default_exact_limit = 1u << 14;  // 128 KiB of doubles

  explicit bounded_series(std::size_t exact_limit = default_exact_limit)
      : exact_limit_(exact_limit) {}

  void add(double v);
  std::uint64_t count() const { return n_; }
  /// True while every value is kept (the stats are exactly numpy's).
  bool exact() const { return buckets_.empty(); }
  series_stats stats(const std::vector<double>& percentiles) const;

 private:
  void fold();
  static std::size_t bucket_of(double v);
  static double bucket_value(std::size_t i);
  double value_at_rank(std::uint64_t k) const;  // the k-th smallest (0-based), folded

  std::size_t exact_limit_;
  std::vector<double> values_;
  std::vector<std::uint64_t> buckets_;  // empty until folded
  std::uint64_t n_ = 0;
  double mean_ = 0, m2_ = 0;  // Welford's running moments
};

}  // namespace loadwright::runtime
