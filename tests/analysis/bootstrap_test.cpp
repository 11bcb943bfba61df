// Bootstrap confidence intervals. A bootstrap interval has no published value to match (it
// depends on the generator), so the pieces with a closed form are checked against it:
//   [py]  tests/analysis/reference_values.py: the BCa levels
//         Phi(z0 + (z0 + z_a) / (1 - a (z0 + z_a))) with Python's statistics.NormalDist.
//   [ET]  Efron & Tibshirani (1993), An Introduction to the Bootstrap, eq. 14.15: for the mean
//         the jackknife acceleration is sum (x - xbar)^3 / (6 (sum (x - xbar)^2)^1.5); for two
//         samples scipy.stats.bootstrap adds the per-sample sums with weights 1/n^3, 1/n^2.
// and the rest by properties (determinism, symmetry, shift invariance, containment).
#include "loadwright/analysis/bootstrap.hpp"

#include <cmath>
#include <vector>

#include "catch.hpp"
#include "loadwright/analysis/descriptive.hpp"
#include "loadwright/analysis/random.hpp"

using namespace loadwright::analysis;

namespace {

std::vector<double> lognormalish(xoshiro256ss& g, std::size_t n, double scale) {
  std::vector<double> v(n);
  for (auto& x : v) x = scale * std::exp(0.5 * (g.next_uniform() + g.next_uniform() - 1) * 2);
  return v;
}

double skew_sum(const std::vector<double>& x, int power) {
  const double m = mean(x);
  double s = 0;
  for (const double v : x) s += std::pow(v - m, power);
  return s;
}

}  // namespace

TEST_CASE("bootstrap: BCa levels", "[analysis][bootstrap]") {
  // [py]
  auto l = detail::bca_levels(0, 0, 0.95);
  CHECK(l.low == Approx(0.025).epsilon(1e-12));
  CHECK(l.high == Approx(0.975).epsilon(1e-12));
  l = detail::bca_levels(0.1, 0.05, 0.95);
  CHECK(l.low == Approx(0.05461007689835956).epsilon(1e-12));
  CHECK(l.high == Approx(0.9917237368688839).epsilon(1e-12));
  l = detail::bca_levels(-0.2, -0.03, 0.95);
  CHECK(l.low == Approx(0.006042968140212157).epsilon(1e-12));
  CHECK(l.high == Approx(0.9294490501390706).epsilon(1e-12));
}

TEST_CASE("bootstrap: jackknife acceleration of the mean has the closed form",
          "[analysis][bootstrap]") {
  xoshiro256ss g(8);
  const auto a = lognormalish(g, 60, 100), b = lognormalish(g, 45, 120);
  bootstrap_options o;
  o.statistic = bootstrap_statistic::mean();
  o.resamples = 2000;
  // [ET] one sample
  auto r = bootstrap_one_sample(a, o);
  CHECK(r.acceleration ==
        Approx(skew_sum(a, 3) / (6 * std::pow(skew_sum(a, 2), 1.5))).epsilon(1e-9));
  CHECK(r.estimate == Approx(mean(a)).epsilon(1e-15));
  // [ET] paired: the mean of the differences
  std::vector<double> b60(a.size()), d(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    b60[i] = a[i] * 1.1 + g.next_uniform();
    d[i] = b60[i] - a[i];
  }
  r = bootstrap_paired(a, b60, o);
  CHECK(r.acceleration ==
        Approx(skew_sum(d, 3) / (6 * std::pow(skew_sum(d, 2), 1.5))).epsilon(1e-8));
  // [ET] two independent samples, scipy's weighting: U = b_j - mean(b), U = -(a_i - mean(a))
  r = bootstrap_independent(a, b, o);
  const double na = static_cast<double>(a.size()), nb = static_cast<double>(b.size());
  const double num = skew_sum(b, 3) / (nb * nb * nb) - skew_sum(a, 3) / (na * na * na);
  const double den = skew_sum(b, 2) / (nb * nb) + skew_sum(a, 2) / (na * na);
  CHECK(r.acceleration == Approx(num / (6 * std::pow(den, 1.5))).epsilon(1e-8));
  CHECK(r.estimate == Approx(mean(b) - mean(a)).epsilon(1e-12));
}

TEST_CASE("bootstrap: paired medians and p99", "[analysis][bootstrap]") {
  xoshiro256ss g(1);
  const auto a = lognormalish(g, 300, 200);
  std::vector<double> b(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) b[i] = a[i] * 0.9 + 5 * g.next_uniform();
  bootstrap_options o;  // median, B = 10 000, 95 %, seed 42
  const auto r = bootstrap_paired(a, b, o);
  CHECK(r.resamples == 10000);
  CHECK(r.estimate == median(b) - median(a));
  CHECK(r.percentile_ci.contains(r.estimate));
  REQUIRE(r.bca_ci);
  CHECK(r.bca_ci->contains(r.estimate));
  CHECK(r.percentile_ci.low < r.percentile_ci.high);
  // Deterministic for a seed; another seed moves the ends.
  const auto again = bootstrap_paired(a, b, o);
  CHECK(again.percentile_ci.low == r.percentile_ci.low);
  CHECK(again.percentile_ci.high == r.percentile_ci.high);
  CHECK(again.bca_ci->low == r.bca_ci->low);
  o.seed = 43;
  const auto other = bootstrap_paired(a, b, o);
  CHECK((other.percentile_ci.low != r.percentile_ci.low ||
         other.percentile_ci.high != r.percentile_ci.high));
  // Swapping the runs negates everything (same seed, same resampled pairs).
  o.seed = 42;
  const auto swapped = bootstrap_paired(b, a, o);
  CHECK(swapped.estimate == -r.estimate);
  CHECK(swapped.percentile_ci.low == Approx(-r.percentile_ci.high).epsilon(1e-12));
  CHECK(swapped.percentile_ci.high == Approx(-r.percentile_ci.low).epsilon(1e-12));
  // Shifting both runs by a constant changes nothing (up to rounding).
  std::vector<double> as(a), bs(b);
  for (auto& v : as) v += 1024;
  for (auto& v : bs) v += 1024;
  const auto shifted = bootstrap_paired(as, bs, o);
  CHECK(shifted.percentile_ci.low == Approx(r.percentile_ci.low).margin(1e-9));
  CHECK(shifted.percentile_ci.high == Approx(r.percentile_ci.high).margin(1e-9));
  // p99
  o.statistic = bootstrap_statistic::p99();
  const auto p99 = bootstrap_paired(a, b, o);
  CHECK(p99.estimate == percentile(b, 99) - percentile(a, 99));
  CHECK(p99.percentile_ci.contains(p99.estimate));
  // A higher confidence gives a wider interval.
  o.statistic = bootstrap_statistic::median();
  o.confidence = 0.99;
  const auto wide = bootstrap_paired(a, b, o);
  CHECK(wide.percentile_ci.low <= r.percentile_ci.low);
  CHECK(wide.percentile_ci.high >= r.percentile_ci.high);
}

TEST_CASE("bootstrap: independent samples and one sample", "[analysis][bootstrap]") {
  xoshiro256ss g(2);
  const auto a = lognormalish(g, 250, 100), b = lognormalish(g, 180, 130);
  bootstrap_options o;
  o.resamples = 5000;
  const auto r = bootstrap_independent(a, b, o);
  CHECK(r.estimate == median(b) - median(a));
  CHECK(r.percentile_ci.contains(r.estimate));
  REQUIRE(r.bca_ci);
  CHECK(r.bca_ci->contains(r.estimate));
  CHECK(r.percentile_ci.low > 0);  // B is clearly slower (scale 130 vs 100)
  // The band of one p99 (find_max's probes).
  o.statistic = bootstrap_statistic::p99();
  const auto one = bootstrap_one_sample(a, o);
  CHECK(one.estimate == percentile(a, 99));
  CHECK(one.percentile_ci.contains(one.estimate));
  CHECK(one.percentile_ci.low >= percentile(a, 0));
  CHECK(one.percentile_ci.high <= percentile(a, 100));
}

TEST_CASE("bootstrap: degenerate data", "[analysis][bootstrap]") {
  // B = A + 10 exactly: every replicate's difference of medians is 10; z0 = 0 and the
  // jackknife has no spread, so there is no BCa interval.
  std::vector<double> a{5, 1, 4, 2, 3, 9, 7}, b(a);
  for (auto& v : b) v += 10;
  const auto r = bootstrap_paired(a, b);
  CHECK(r.estimate == 10);
  CHECK(r.percentile_ci.low == 10);
  CHECK(r.percentile_ci.high == 10);
  CHECK_FALSE(r.bca_ci);
  CHECK(r.best().low == 10);
  // One pair: still an interval (of one point).
  const auto one = bootstrap_paired(std::vector<double>{1}, std::vector<double>{3});
  CHECK(one.percentile_ci.low == 2);
  CHECK_FALSE(one.bca_ci);
}

TEST_CASE("bootstrap: bad input", "[analysis][bootstrap]") {
  const std::vector<double> a{1, 2, 3}, b{1, 2};
  CHECK_THROWS_AS(bootstrap_paired(a, b), std::invalid_argument);
  CHECK_THROWS_AS(bootstrap_independent(a, std::vector<double>{}), std::invalid_argument);
  bootstrap_options o;
  o.confidence = 1;
  CHECK_THROWS_AS(bootstrap_one_sample(a, o), std::invalid_argument);
  o.confidence = 0.95;
  o.statistic = bootstrap_statistic::percentile(101);
  CHECK_THROWS_AS(bootstrap_one_sample(a, o), std::invalid_argument);
  CHECK_THROWS_AS(bootstrap_one_sample(std::vector<double>{1, NAN}), std::invalid_argument);
}
