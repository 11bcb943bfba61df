#include "loadwright/analysis/descriptive.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "numeric.hpp"

namespace loadwright::analysis {

namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();
}

double percentile_sorted(std::span<const double> s, double p) {
  if (s.empty() || std::isnan(p)) return nan;
  p = std::clamp(p, 0.0, 100.0);
  const double v = static_cast<double>(s.size() - 1) * (p / 100.0);
  const double f = std::floor(v);
  const auto i = static_cast<std::size_t>(f);
  const double t = v - f;
  return detail::numpy_lerp(s[i], s[std::min(i + 1, s.size() - 1)], t);
}

double percentile(std::span<const double> values, double p) {
  std::vector<double> s(values.begin(), values.end());
  std::sort(s.begin(), s.end());
  return percentile_sorted(s, p);
}

double median_sorted(std::span<const double> s) {
  if (s.empty()) return nan;
  const std::size_t n = s.size();
  return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
}

double median(std::span<const double> values) {
  std::vector<double> s(values.begin(), values.end());
  std::sort(s.begin(), s.end());
  return median_sorted(s);
}

double mean(std::span<const double> values) {
  if (values.empty()) return nan;
  return detail::numpy_sum(values) / static_cast<double>(values.size());
}

double sample_variance(std::span<const double> values) {
  if (values.size() < 2) return nan;
  const double m = mean(values);
  std::vector<double> sq(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) sq[i] = (values[i] - m) * (values[i] - m);
  return detail::numpy_sum(sq) / static_cast<double>(values.size() - 1);
}

bool percentile_reportable(double p, std::size_t n) {
  if (n == 0 || std::isnan(p)) return false;
  if (p <= 99.0) return true;
  if (p >= 100.0) return true;  // the max is always known
  // n >= 100 / (100 - p); the tolerance absorbs 100 - 99.9 = 0.09999999999999432.
  const double needed = std::ceil(100.0 / (100.0 - p) - 1e-9);
  return static_cast<double>(n) >= needed;
}

double tail_ratio_sorted(std::span<const double> sorted) {
  const double p50 = percentile_sorted(sorted, 50);
  if (!(p50 > 0)) return nan;
  return percentile_sorted(sorted, 99) / p50;
}

tail_summary describe_tail(std::span<const double> values) {
  tail_summary t;
  t.count = values.size();
  std::vector<double> s(values.begin(), values.end());
  std::sort(s.begin(), s.end());
  t.mean = mean(values);
  t.p50 = percentile_sorted(s, 50);
  t.p75 = percentile_sorted(s, 75);
  t.p90 = percentile_sorted(s, 90);
  t.p95 = percentile_sorted(s, 95);
  t.p99 = percentile_sorted(s, 99);
  if (percentile_reportable(99.9, s.size())) t.p999 = percentile_sorted(s, 99.9);
  t.max = s.empty() ? nan : s.back();
  t.tail_ratio = tail_ratio_sorted(s);
  return t;
}

}  // namespace loadwright::analysis
