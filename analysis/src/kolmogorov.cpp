// scipy.stats.kstwo.sf(d, n): the two-sided one-sample Kolmogorov-Smirnov survival function,
// with the method chosen as scipy's _kolmogn does (Simard & L'Ecuyer 2011), used for
// ks_2samp's asymptotic p-value. Written from the published methods:
//   - Ruben & Gambino (1982): closed forms for n d <= 1 and n d >= n - 1;
//   - Durbin (1968) matrix, evaluated as Marsaglia, Tsang & Wang (2003), with power-of-two
//     scaling (exact);
//   - Smirnov (1944) / Birnbaum & Tingey (1951): the one-sided P(D+ >= d), exact sum; two-sided
//     sf = 2 P(D+ >= d) for d >= 0.5 (exact) and as the approximation scipy uses for large
//     n d^2;
//   - Pelz & Good (1976): the asymptotic expansion for large n and small n d^2.

#include <cmath>
#include <limits>
#include <vector>

#include "loadwright/analysis/ks.hpp"

namespace loadwright::analysis {

namespace {

constexpr double pi = 3.14159265358979323846;
const double two_128 = std::ldexp(1.0, 128);
const double two_m128 = std::ldexp(1.0, -128);

double clip01(double p) {
  return p < 0 ? 0 : p > 1 ? 1 : p;
}

// P(D+_n >= d), exact: d sum_{v=0}^{floor(n(1-d))} C(n,v) (d + v/n)^(v-1) (1 - d - v/n)^(n-v).
double smirnov_sf(std::size_t n_in, double d) {
  if (d <= 0) return 1.0;
  if (d >= 1) return 0.0;
  const auto n = static_cast<long double>(n_in);
  const long double nd = n * static_cast<long double>(d);
  const long double lgn1 = std::lgamma(n + 1);
  const long double logd = std::log(static_cast<long double>(d));
  long double sum = 0;
  const auto vmax = static_cast<std::size_t>(std::floor(n - nd));
  for (std::size_t vi = 0; vi <= vmax && vi <= n_in; ++vi) {
    const auto v = static_cast<long double>(vi);
    const long double rest = (n - v - nd) / n;  // 1 - d - v/n
    if (rest <= 0) break;
    const long double lc = lgn1 - std::lgamma(v + 1) - std::lgamma(n - v + 1);
    const long double lt = lc + logd + (v - 1) * std::log((nd + v) / n) + (n - v) * std::log(rest);
    sum += std::exp(lt);
  }
  return clip01(static_cast<double>(sum));
}

using matrix = std::vector<double>;  // row-major k x k

matrix multiply(const matrix& a, const matrix& b, std::size_t m) {
  matrix c(m * m, 0.0);
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t l = 0; l < m; ++l) {
      const double ail = a[i * m + l];
      if (ail == 0) continue;
      for (std::size_t j = 0; j < m; ++j) c[i * m + j] += ail * b[l * m + j];
    }
  return c;
}

// P(D_n < d) by the Durbin matrix (Marsaglia, Tsang & Wang 2003).
double durbin_cdf(std::size_t n, double d) {
  if (d >= 1) return 1.0;
  const double nd = static_cast<double>(n) * d;
  if (nd <= 0.5) return 0.0;
  const auto k = static_cast<std::size_t>(std::ceil(nd));
  const double h = static_cast<double>(k) - nd;
  const std::size_t m = 2 * k - 1;
  // v[j] = (1 - h^(j+1)) / (j+1)!, w[j] = 1 / j!; the corner term has (2h - 1)^m when h > 1/2.
  std::vector<double> v(m), w(m);
  double fac = 1.0;
  for (std::size_t j = 1; j <= m; ++j) {
    w[j - 1] = fac;
    fac /= static_cast<double>(j);
    v[j - 1] = (1.0 - std::pow(h, static_cast<double>(j))) * fac;
  }
  const double corner = std::pow(std::fmax(2 * h - 1, 0.0), static_cast<double>(m)) -
                        2 * std::pow(h, static_cast<double>(m));
  v[m - 1] = (1.0 + corner) * fac;
  matrix hm(m * m, 0.0);
  for (std::size_t c = 1; c < m; ++c)
    for (std::size_t r = c - 1; r < m; ++r) hm[r * m + c] = w[r - (c - 1)];
  for (std::size_t r = 0; r < m; ++r) hm[r * m] = v[r];
  for (std::size_t c = 0; c < m; ++c) hm[(m - 1) * m + c] = v[m - 1 - c];

  matrix power(m * m, 0.0);
  for (std::size_t i = 0; i < m; ++i) power[i * m + i] = 1.0;
  int expnt = 0, hexpnt = 0;
  const std::size_t kk = (k - 1) * m + (k - 1);
  for (std::size_t e = n; e > 0; e /= 2) {
    if (e % 2) {
      power = multiply(power, hm, m);
      expnt += hexpnt;
      if (std::fabs(power[kk]) > two_128) {
        for (auto& x : power) x *= two_m128;
        expnt += 128;
      }
    }
    if (e / 2 == 0) break;
    hm = multiply(hm, hm, m);
    hexpnt *= 2;
    if (std::fabs(hm[kk]) > two_128) {
      for (auto& x : hm) x *= two_m128;
      hexpnt += 128;
    }
  }
  double p = power[kk];
  const auto nn = static_cast<double>(n);
  for (std::size_t i = 1; i <= n; ++i) {  // times n! / n^n
    p = static_cast<double>(i) * p / nn;
    if (std::fabs(p) < two_m128) {
      p *= two_128;
      expnt -= 128;
    }
  }
  return clip01(std::ldexp(p, expnt));
}

// Pelz & Good (1976): P(D_n <= d) ~ K0(z) + K1(z)/sqrt(n) + K2(z)/n + K3(z)/n^1.5, z = sqrt(n) d,
// in the theta-function form suited to small z.
double pelz_good_cdf(std::size_t n, double d) {
  if (d <= 0) return 0.0;
  if (d >= 1) return 1.0;
  const double nn = static_cast<double>(n);
  const double z = std::sqrt(nn) * d;
  const double z2 = z * z, z3 = z2 * z, z4 = z2 * z2, z6 = z4 * z2;
  const double qlog = -pi * pi / 8 / z2;
  if (qlog < -708) return 0.0;
  double q = std::exp(qlog);
  const double pi2 = pi * pi, pi4 = pi2 * pi2, pi6 = pi4 * pi2;
  const double k1a = -z2, k1b = pi2 / 4;
  const double k2a = 6 * z6 + 2 * z4, k2b = (2 * z4 - 5 * z2) * pi2 / 4,
               k2c = pi4 * (1 - 2 * z2) / 16;
  const double k3d = pi6 * (5 - 30 * z2) / 64, k3c = pi4 * (-60 * z2 + 212 * z4) / 16,
               k3b = pi2 * (135 * z4 - 96 * z6) / 4, k3a = -30 * z6 - 90 * z4 * z4;
  double kk[4] = {0, 0, 0, 0};
  const auto maxk = static_cast<int>(std::ceil(16 * z / pi));
  for (int k = maxk; k >= 1; --k) {  // Horner in q^(8k) over the odd m = 2k - 1
    const double m = 2.0 * k - 1, m2 = m * m, m4 = m2 * m2, m6 = m4 * m2;
    const double qp = std::pow(q, 8.0 * k);
    const double c[4] = {1.0, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4,
                         k3a + k3b * m2 + k3c * m4 + k3d * m6};
    for (int i = 0; i < 4; ++i) kk[i] = kk[i] * qp + c[i];
  }
  const double sqrt2pi = std::sqrt(2 * pi);
  const double div[4] = {z, 6 * z4, 72 * z6 * z, 6480 * z6 * z4};
  for (int i = 0; i < 4; ++i) kk[i] = kk[i] * q * sqrt2pi / div[i];
  // The terms over all integers k for K2 and K3.
  q = std::exp(-pi2 / 2 / z2);
  double k2extra = 0, k3extra = 0;
  const double sqrt3z = std::sqrt(3.0) * z;
  for (int k = maxk; k >= 1; --k) {
    const double ks = static_cast<double>(k) * k;
    const double qp = std::pow(q, ks);
    const double kpi = pi * k;
    k2extra += ks * qp;
    k3extra += (sqrt3z + kpi) * (sqrt3z - kpi) * ks * qp;
  }
  kk[2] += k2extra * pi2 * sqrt2pi / (-36 * z3);
  kk[3] += k3extra * pi2 * sqrt2pi / (216 * z6);
  double total = 0;
  for (int i = 0; i < 4; ++i) total += kk[i] / std::pow(nn, i / 2.0);
  return total;
}

}  // namespace

double kstwo_sf(std::size_t n, double d) {
  if (n == 0 || std::isnan(d)) return std::numeric_limits<double>::quiet_NaN();
  if (d >= 1) return 0.0;
  if (d <= 0) return 1.0;
  const double nn = static_cast<double>(n);
  const double t = nn * d;
  if (t <= 1.0) {  // Ruben-Gambino: P(D_n <= d) = n!/n^n (2t - 1)^n for 1/(2n) <= d <= 1/n
    if (t <= 0.5) return 1.0;
    double prob = 1.0;
    if (n <= 140) {
      for (std::size_t i = 1; i <= n; ++i)
        prob *= static_cast<double>(i) * (1.0 / nn) * (2 * t - 1);
    } else {
      const long double ln = static_cast<long double>(n);
      prob = static_cast<double>(std::exp(std::lgamma(ln + 1) - ln * std::log(ln) +
                                          ln * std::log(static_cast<long double>(2 * t - 1))));
    }
    return clip01(1.0 - prob);
  }
  if (t >= nn - 1) return clip01(2 * std::pow(1.0 - d, nn));  // Ruben-Gambino
  if (d >= 0.5) return clip01(2 * smirnov_sf(n, d));          // exact: the events are disjoint
  const double nx2 = t * d;
  if (n <= 140) {
    // scipy: Durbin matrix up to n d^2 = 0.754693, Pomeranz up to 4 (both exact); we use the
    // Durbin matrix for both.
    if (nx2 <= 4) return clip01(1.0 - durbin_cdf(n, d));
    return clip01(2 * smirnov_sf(n, d));
  }
  if (nx2 >= 370.0) return 0.0;
  if (nx2 >= 2.2) return clip01(2 * smirnov_sf(n, d));
  const double cdf =
      (n <= 100000 && nn * std::pow(d, 1.5) <= 1.4) ? durbin_cdf(n, d) : pelz_good_cdf(n, d);
  return clip01(1.0 - cdf);
}

}  // namespace loadwright::analysis
