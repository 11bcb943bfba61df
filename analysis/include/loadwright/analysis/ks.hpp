#pragma once
// Two-sample Kolmogorov-Smirnov test, two-sided, as scipy.stats.ks_2samp(x, y) computes it.
//
// D = max |F_x(t) - G_y(t)| over the pooled values (ties handled: both samples advance past a
// value before the gap is measured). D m n is an integer h (a multiple of gcd(m, n)), so the
// exact computations below are done on integers.
//
// p-values:
//   - exact: P(D >= d) under H0 for continuous data, counted over the lattice paths from
//     (0, 0) to (m, n) (Hodges 1957): o(i, j) = [i o(i-1, j) + j o(i, j-1)] / (i + j), 1
//     outside the band |i n - j m| < h, the probability that a random path to (i, j) has
//     touched the boundary; p = o(m, n). Only the band is visited (about 2 D m n cells) and no
//     subtraction is involved, so small p-values keep their relative accuracy. This is scipy's
//     method="exact" and R's exact ks.test; with ties it is used as is, like scipy (R >= 4.2
//     corrects for ties, we do not).
//   - asymptotic: scipy's method="asymp": kstwo.sf(D, round(m n / (m + n))), the exact
//     distribution of the one-sample statistic for that n, computed as scipy does
//     (Simard & L'Ecuyer 2011's choice among Ruben-Gambino's closed forms, the Durbin matrix
//     of Marsaglia-Tsang-Wang 2003, the Smirnov one-sided sum times two, and Pelz-Good
//     1976), except that scipy's Pomeranz recursion (n <= 140, 0.754693 < n d^2 <= 4) is
//     replaced by the Durbin matrix, another exact method.
//   - automatic: exact when max(m, n) <= 10000 (scipy's rule), asymptotic otherwise.

#include <cstddef>
#include <cstdint>
#include <span>

namespace loadwright::analysis {

enum class ks_method { automatic, exact, asymptotic };

struct ks_result {
  double statistic = 0;                 // D
  double p_value = 0;                   // two-sided
  std::uint64_t d_mn = 0;               // D m n (an integer)
  std::size_t m = 0, n = 0;             // sample sizes
  ks_method method = ks_method::exact;  // the one used
};

/// std::invalid_argument on an empty sample or a NaN value.
ks_result ks_2samp(std::span<const double> x, std::span<const double> y,
                   ks_method method = ks_method::automatic);

/// Exact two-sided P(D >= h / (m n)) for samples of sizes m and n (continuous data).
double ks_2samp_exact_sf(std::size_t m, std::size_t n, std::uint64_t h);
/// scipy.stats.kstwo.sf(d, n): P(D_n >= d) for the one-sample two-sided statistic.
double kstwo_sf(std::size_t n, double d);

}  // namespace loadwright::analysis
