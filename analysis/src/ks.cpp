#include "loadwright/analysis/ks.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

namespace loadwright::analysis {

namespace {

// scipy.stats.ks_2samp: method "auto" is exact when max(n1, n2) <= MAX_AUTO_N.
constexpr std::size_t auto_exact_max = 10000;

std::vector<double> sorted_copy(std::span<const double> v) {
  for (const double x : v)
    if (std::isnan(x)) throw std::invalid_argument("ks_2samp: NaN value");
  std::vector<double> s(v.begin(), v.end());
  std::sort(s.begin(), s.end());
  return s;
}

}  // namespace

double ks_2samp_exact_sf(std::size_t m, std::size_t n, std::uint64_t h) {
  if (m == 0 || n == 0) return std::numeric_limits<double>::quiet_NaN();
  if (h == 0) return 1.0;
  const auto mm = static_cast<std::int64_t>(m), nn = static_cast<std::int64_t>(n);
  const auto hh = static_cast<std::int64_t>(h);
  if (hh > mm * nn) return 0.0;
  // Band of row i: |i n - j m| < h  <=>  (i n - h) / m < j < (i n + h) / m.
  auto jlo = [&](std::int64_t i) -> std::int64_t {
    const std::int64_t num = i * nn - hh;
    return num < 0 ? 0 : num / mm + 1;
  };
  auto jhi = [&](std::int64_t i) -> std::int64_t { return std::min(nn, (i * nn + hh - 1) / mm); };
  // o(i, j): probability that a uniformly random lattice path to (i, j) has touched the
  // boundary; 1 outside the band.
  std::vector<double> prev(n + 1, 1.0), cur(n + 1, 1.0);
  std::int64_t plo = 0, phi = -1;  // previous row's band (empty before row 0)
  for (std::int64_t i = 0; i <= mm; ++i) {
    const std::int64_t lo = jlo(i), hi = jhi(i);
    const auto di = static_cast<double>(i);
    for (std::int64_t j = lo; j <= hi; ++j) {
      if (i == 0 && j == 0) {
        cur[0] = 0.0;
        continue;
      }
      const double up = (i > 0 && j >= plo && j <= phi) ? prev[static_cast<std::size_t>(j)] : 1.0;
      const double left = (j > lo) ? cur[static_cast<std::size_t>(j - 1)] : 1.0;
      const auto dj = static_cast<double>(j);
      cur[static_cast<std::size_t>(j)] = (di * up + dj * left) / (di + dj);
    }
    std::swap(prev, cur);
    plo = lo;
    phi = hi;
  }
  // (m, n) is always inside the band.
  return std::clamp(prev[n], 0.0, 1.0);
}

ks_result ks_2samp(std::span<const double> x_in, std::span<const double> y_in, ks_method method) {
  if (x_in.empty() || y_in.empty()) throw std::invalid_argument("ks_2samp: an empty sample");
  const std::vector<double> x = sorted_copy(x_in), y = sorted_copy(y_in);
  ks_result r;
  r.m = x.size();
  r.n = y.size();
  const auto m = static_cast<std::int64_t>(r.m), n = static_cast<std::int64_t>(r.n);
  // D m n = max over the pooled values t of |#x<=t * n - #y<=t * m|.
  std::int64_t i = 0, j = 0, h = 0;
  while (i < m || j < n) {
    const double t =
        (j >= n || (i < m && x[static_cast<std::size_t>(i)] <= y[static_cast<std::size_t>(j)]))
            ? x[static_cast<std::size_t>(i)]
            : y[static_cast<std::size_t>(j)];
    while (i < m && x[static_cast<std::size_t>(i)] <= t) ++i;
    while (j < n && y[static_cast<std::size_t>(j)] <= t) ++j;
    h = std::max(h, std::abs(i * n - j * m));
  }
  r.d_mn = static_cast<std::uint64_t>(h);
  r.statistic = static_cast<double>(h) / (static_cast<double>(m) * static_cast<double>(n));
  if (method == ks_method::automatic)
    method = std::max(r.m, r.n) <= auto_exact_max ? ks_method::exact : ks_method::asymptotic;
  r.method = method;
  if (method == ks_method::exact) {
    r.p_value = ks_2samp_exact_sf(r.m, r.n, r.d_mn);
  } else {
    // scipy: kstwo.sf(d, np.round(en)), en = m n / (m + n); np.round halves to even.
    const double en = static_cast<double>(m) * static_cast<double>(n) /
                      (static_cast<double>(m) + static_cast<double>(n));
    const double rounded = std::nearbyint(en);
    r.p_value = kstwo_sf(static_cast<std::size_t>(std::max(1.0, rounded)), r.statistic);
  }
  return r;
}

}  // namespace loadwright::analysis
