#include "loadwright/core/stats.hpp"

#include <algorithm>
#include <cmath>

namespace loadwright::runtime {

namespace {

// numpy's pairwise_sum for one block (numpy/core/src/umath/loops_utils.h.src).
double pairwise_sum(const double* a, std::size_t n) {
  if (n < 8) {
    double res = 0.;
    for (std::size_t i = 0; i < n; ++i) res += a[i];
    return res;
  }
  if (n <= 128) {
    double r[8];
    for (int k = 0; k < 8; ++k) r[k] = a[k];
    std::size_t i = 8;
    for (; i < n - (n % 8); i += 8)
      for (int k = 0; k < 8; ++k) r[k] += a[i + k];
    double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) res += a[i];
    return res;
  }
  std::size_t n2 = n / 2;
  n2 -= n2 % 8;
  return pairwise_sum(a, n2) + pairwise_sum(a + n2, n - n2);
}

}  // namespace

double numpy_sum(std::span<const double> x) {
  constexpr std::size_t block = 8192;
  double total = 0.;
  for (std::size_t i = 0; i < x.size(); i += block)
    total += pairwise_sum(x.data() + i, std::min(block, x.size() - i));
  return total;
}

double numpy_mean(std::span<const double> x) {
  if (x.empty()) return 0.;
  return numpy_sum(x) / static_cast<double>(x.size());
}

double numpy_std(std::span<const double> x) {
  if (x.empty()) return 0.;
  const double m = numpy_mean(x);
  std::vector<double> sq(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) sq[i] = (x[i] - m) * (x[i] - m);
  return std::sqrt(numpy_sum(sq) / static_cast<double>(x.size()));
}

double numpy_percentile_sorted(std::span<const double> s, double p) {
  if (s.empty()) return 0.;
  const double v = static_cast<double>(s.size() - 1) * (p / 100.0);
  const auto i = static_cast<std::size_t>(std::floor(v));
  const double t = v - static_cast<double>(i);
  const double a = s[i];
  const double b = s[std::min(i + 1, s.size() - 1)];
  // numpy's _lerp: exact at both ends.
  return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t;
}

series_stats compute_series_stats(std::vector<double> values,
                                  const std::vector<double>& percentiles) {
  series_stats st;
  st.count = values.size();
  st.mean = numpy_mean(values);
  st.std = numpy_std(values);
  std::sort(values.begin(), values.end());
  if (!values.empty()) {  // np.median: the middle value, or the mean of the two middle ones
    const std::size_t n = values.size();
    st.median = n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
  }
  for (const double p : percentiles) st.percentiles.push_back(numpy_percentile_sorted(values, p));
  return st;
}

}  // namespace loadwright::runtime
