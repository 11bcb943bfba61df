#include "loadwright/core/bounded_series.hpp"

#include <algorithm>
#include <cmath>

namespace loadwright::runtime {

namespace {

// Bucket 0 holds everything ≤ kMin (1 ns, in ms); bucket i ≥ 1 holds (kMin·γ^(i−1), kMin·γ^i].
constexpr double kMin = 1e-6;
constexpr double kGamma = 1.001;
const double kLogGamma = std::log(kGamma);
constexpr std::size_t kBuckets = 45'000;  // up to ~3.5e13 ms: more than any run

}  // namespace

std::size_t bounded_series::bucket_of(double v) {
  if (!(v > kMin)) return 0;  // also NaN
  const double i = std::ceil(std::log(v / kMin) / kLogGamma);
  return static_cast<std::size_t>(std::min(i, static_cast<double>(kBuckets - 1)));
}

double bounded_series::bucket_value(std::size_t i) {
  if (i == 0) return 0;
  return kMin * std::pow(kGamma, static_cast<double>(i) - 0.5);  // the bucket's middle
}

void bounded_series::add(double v) {
  ++n_;
  const double d = v - mean_;
  mean_ += d / static_cast<double>(n_);
  m2_ += d * (v - mean_);
  if (buckets_.empty()) {
    values_.push_back(v);
    if (values_.size() > exact_limit_) fold();
  } else {
    ++buckets_[bucket_of(v)];
  }
}

void bounded_series::fold() {
  buckets_.assign(kBuckets, 0);
  for (const double v : values_) ++buckets_[bucket_of(v)];
  values_.clear();
  values_.shrink_to_fit();
}

double bounded_series::value_at_rank(std::uint64_t k) const {
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    seen += buckets_[i];
    if (seen > k) return bucket_value(i);
  }
  return bucket_value(buckets_.size() - 1);
}

series_stats bounded_series::stats(const std::vector<double>& percentiles) const {
  if (exact()) return compute_series_stats(values_, percentiles);
  series_stats st;
  st.count = static_cast<std::size_t>(n_);
  st.mean = mean_;
  st.std = std::sqrt(m2_ / static_cast<double>(n_));
  // numpy's linear interpolation between the ranks around p/100 × (n − 1).
  auto at = [&](double p) {
    const double rank = p / 100.0 * static_cast<double>(n_ - 1);
    const auto lo = static_cast<std::uint64_t>(std::floor(rank));
    const double lo_v = value_at_rank(lo), hi_v = value_at_rank(std::min(lo + 1, n_ - 1));
    return lo_v + (hi_v - lo_v) * (rank - static_cast<double>(lo));
  };
  st.median = at(50);
  for (const double p : percentiles) st.percentiles.push_back(at(p));
  return st;
}

}  // namespace loadwright::runtime
