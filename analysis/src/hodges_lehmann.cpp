// Hodges-Lehmann estimates by selection, without materialising the O(n^2) candidate values:
// the k-th smallest of fl(d_i + d_j) (i <= j), or of fl(x_i - y_j), is found by a binary
// search over the ordered doubles, counting the candidates <= v in O(n) with two pointers
// (rounding is monotone, so the counts are monotone in each index). At most 64 counts.

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

#include "loadwright/analysis/wilcoxon.hpp"

namespace loadwright::analysis {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// An order-preserving map of doubles onto unsigned integers (and back).
std::uint64_t key(double v) {
  const auto u = std::bit_cast<std::uint64_t>(v);
  return (u >> 63) ? ~u : (u | (std::uint64_t{1} << 63));
}
double unkey(std::uint64_t k) {
  const std::uint64_t u = (k >> 63) ? (k & ~(std::uint64_t{1} << 63)) : ~k;
  return std::bit_cast<double>(u);
}

// The smallest candidate value v with count_le(v) >= k (1-based k), searching [lo, hi].
template <class CountLe>
double select_kth(double lo, double hi, std::uint64_t k, CountLe count_le) {
  std::uint64_t a = key(lo), b = key(hi);  // count_le(unkey(b)) >= k holds
  while (a < b) {
    const std::uint64_t mid = a + (b - a) / 2;
    if (count_le(unkey(mid)) >= k)
      b = mid;
    else
      a = mid + 1;
  }
  return unkey(a);
}

void check_no_nan(std::span<const double> v, const char* what) {
  for (const double x : v)
    if (std::isnan(x)) throw std::invalid_argument(what);
}

}  // namespace

double hodges_lehmann_differences(std::span<const double> d_in) {
  check_no_nan(d_in, "hodges_lehmann: NaN value");
  const std::size_t n = d_in.size();
  if (n == 0) return nan;
  std::vector<double> d(d_in.begin(), d_in.end());
  std::sort(d.begin(), d.end());
  // #{i <= j : fl(d_i + d_j) <= v}
  auto count_le = [&](double v) {
    std::uint64_t c = 0;
    std::size_t j = n - 1;
    for (std::size_t i = 0; i < n; ++i) {
      while (j >= i && d[i] + d[j] > v) {
        if (j == 0) return c;
        --j;
      }
      if (j < i) break;
      c += j - i + 1;
    }
    return c;
  };
  const double lo = d.front() + d.front(), hi = d.back() + d.back();
  const std::uint64_t total = static_cast<std::uint64_t>(n) * (n + 1) / 2;
  if (total % 2) return select_kth(lo, hi, (total + 1) / 2, count_le) / 2;
  const double a = select_kth(lo, hi, total / 2, count_le) / 2;
  const double b = select_kth(lo, hi, total / 2 + 1, count_le) / 2;
  return (a + b) / 2;
}

double hodges_lehmann_paired(std::span<const double> x, std::span<const double> y) {
  if (x.size() != y.size())
    throw std::invalid_argument("hodges_lehmann: x and y must have the same length");
  std::vector<double> d(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) d[i] = x[i] - y[i];
  return hodges_lehmann_differences(d);
}

double hodges_lehmann_two_sample(std::span<const double> x_in, std::span<const double> y_in) {
  check_no_nan(x_in, "hodges_lehmann: NaN value");
  check_no_nan(y_in, "hodges_lehmann: NaN value");
  if (x_in.empty() || y_in.empty()) return nan;
  std::vector<double> x(x_in.begin(), x_in.end()), y(y_in.begin(), y_in.end());
  std::sort(x.begin(), x.end());
  std::sort(y.begin(), y.end());
  const std::size_t m = x.size(), n = y.size();
  // #{(i, j) : fl(x_i - y_j) <= v}; for each i the qualifying j form a suffix of y.
  auto count_le = [&](double v) {
    std::uint64_t c = 0;
    std::size_t j = 0;
    for (std::size_t i = 0; i < m; ++i) {
      while (j < n && x[i] - y[j] > v) ++j;
      c += n - j;
    }
    return c;
  };
  const double lo = x.front() - y.back(), hi = x.back() - y.front();
  const std::uint64_t total = static_cast<std::uint64_t>(m) * n;
  if (total % 2) return select_kth(lo, hi, (total + 1) / 2, count_le);
  const double a = select_kth(lo, hi, total / 2, count_le);
  const double b = select_kth(lo, hi, total / 2 + 1, count_le);
  return (a + b) / 2;
}

}  // namespace loadwright::analysis
