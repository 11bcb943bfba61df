// Welch's t-test against R and scipy outputs.
// Sources:
//   [R-sleep] R: t.test(extra ~ group, data = sleep) -> t = -1.8608, df = 17.776,
//             p-value = 0.07939, 95 percent CI -3.3654832 0.2054832 (printed in R tutorials
//             and the ?sleep example); alternative = "less" -> 0.0397.
//   [py]      tests/analysis/reference_values.py: the same in 40-digit arithmetic (mpmath,
//             p = I_{df/(df+t^2)}(df/2, 1/2)).
//   [R-CS]    R 3.4.0 t.test(s1, s2, var.equal = FALSE, mu), 20 digits, recorded in Apache
//             Commons Statistics TTestTest.java; p-values as (two-sided, greater, less).
//   [scipy-CS] scipy 1.9.3 ttest_ind_from_stats(..., equal_var=False) on the two examples of
//             scipy's documentation, recorded in the same file.
#include "loadwright/analysis/welch.hpp"

#include <cmath>
#include <vector>

#include "catch.hpp"
#include "loadwright/analysis/random.hpp"

using namespace loadwright::analysis;

namespace {

void check_three(const sample_summary& x, const sample_summary& y, double mu, double t, double df,
                 const double (&p)[3]) {
  const alternative alts[3] = {alternative::two_sided, alternative::greater, alternative::less};
  for (int i = 0; i < 3; ++i) {
    const auto r = welch_t_test(x, y, alts[i], mu);
    CHECK(r.statistic == Approx(t).epsilon(1e-14));
    CHECK(r.df == Approx(df).epsilon(1e-14));
    CHECK(r.p_value == Approx(p[i]).epsilon(1e-13));
  }
}

}  // namespace

TEST_CASE("welch: R's sleep example", "[analysis][welch]") {
  const std::vector<double> g1{0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0};
  const std::vector<double> g2{1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4};
  const auto r = welch_t_test(g1, g2);
  // [R-sleep] at R's printed precision
  CHECK(r.statistic == Approx(-1.8608).margin(5e-5));
  CHECK(r.df == Approx(17.776).margin(5e-4));
  CHECK(r.p_value == Approx(0.07939).margin(5e-6));
  CHECK(r.ci.low == Approx(-3.3654832).margin(5e-8));
  CHECK(r.ci.high == Approx(0.2054832).margin(5e-8));
  CHECK(r.mean_difference == Approx(0.75 - 2.33).epsilon(1e-14));
  // [py] to 14 digits
  CHECK(r.statistic == Approx(-1.8608134674868531).epsilon(1e-14));
  CHECK(r.df == Approx(17.77647351617849).epsilon(1e-14));
  CHECK(r.p_value == Approx(0.079394140187358138).epsilon(1e-13));
  // [R-sleep] one-sided
  CHECK(welch_t_test(g1, g2, alternative::less).p_value == Approx(0.0397).margin(5e-5));
}

TEST_CASE("welch: R 3.4.0 values with and without mu", "[analysis][welch]") {
  const std::vector<double> s1{7, -4, 18, 17, -3, -5, 1, 10, 11, -2};
  const std::vector<double> s2{-1, 12, -1, -3, 3, -5, 5, 2, -11, -1, -3};
  const std::vector<double> s3{2, 4, 6, 8, 10, 97};
  const std::vector<double> s4{4, 6, 8, 10, 16};
  const std::vector<double> s5{1, 3};
  const std::vector<double> s6{4, 5};
  check_three(summarize(s1), summarize(s2), 0, 1.6037172876755148021, 15.590512968733776233,
              {0.12883936962193396, 0.064419684810966979, 0.93558031518903295});
  check_three(summarize(s3), summarize(s4), 0, 0.80568260610405273425, 5.1827667502020595691,
              {0.45578652613550491, 0.22789326306775246, 0.77210673693224752});
  check_three(summarize(s5), summarize(s6), 0, -2.2360679774997898051, 1.4705882352941177516,
              {0.19872738893452604, 0.90063630553273699, 0.099363694467263022});
  check_three(summarize(s1), summarize(s2), -3, 2.5161771237667562851, 15.590512968733776233,
              {0.023237365545493296, 0.011618682772746648, 0.98838131722725331});
  check_three(summarize(s3), summarize(s4), 1.5, 0.70795830078145871589, 5.1827667502020595691,
              {0.50953294711549812, 0.25476647355774906, 0.74523352644225094});
  // The span overload gives the same.
  CHECK(welch_t_test(s1, s2).p_value == Approx(0.12883936962193396).epsilon(1e-13));
}

TEST_CASE("welch: scipy's ttest_ind_from_stats examples", "[analysis][welch]") {
  // ttest_ind_from_stats(15, sqrt(87.5), 13, 12, sqrt(39), 11, equal_var=False)
  check_three({15, 87.5, 13}, {12, 39, 11}, 0, 0.9358461935556048, 20.984611233429924,
              {0.35999818693244245, 0.17999909346622123, 0.8200009065337788});
  // ttest_ind_from_stats(0.2, sqrt(0.161073), 150, 0.225, sqrt(0.175251), 200, ...)
  check_three({0.2, 0.161073, 150}, {0.225, 0.175251, 200}, 0, -0.5661276301071694,
              327.90436123021186, {0.5716942537704801, 0.71415287311476, 0.28584712688524005});
}

TEST_CASE("welch: properties and edges", "[analysis][welch]") {
  xoshiro256ss g(5);
  for (int trial = 0; trial < 30; ++trial) {
    std::vector<double> x(2 + g.below(30)), y(2 + g.below(30));
    for (auto& v : x) v = g.next_uniform() * 10;
    for (auto& v : y) v = g.next_uniform() * 10 + (trial % 2 ? 2 : 0);
    const auto xy = welch_t_test(x, y), yx = welch_t_test(y, x);
    CHECK(xy.statistic == Approx(-yx.statistic).epsilon(1e-12));
    CHECK(xy.df == Approx(yx.df).epsilon(1e-12));
    CHECK(xy.p_value == Approx(yx.p_value).epsilon(1e-12));
    CHECK(xy.p_value >= 0);
    CHECK(xy.p_value <= 1);
    CHECK(xy.ci.contains(xy.mean_difference));
    // Shifting both samples by the same amount (a power of two keeps it exact enough).
    for (auto& v : x) v += 64;
    for (auto& v : y) v += 64;
    CHECK(welch_t_test(x, y).p_value == Approx(xy.p_value).epsilon(1e-9));
  }
  // No variance at all: t = -inf, p = 0 (scipy uses df = 1 then); equal constants: NaN.
  const auto r = welch_t_test(std::vector<double>{1, 1, 1}, std::vector<double>{2, 2});
  CHECK(std::isinf(r.statistic));
  CHECK(r.p_value == 0);
  CHECK(std::isnan(welch_t_test(std::vector<double>{1, 1}, std::vector<double>{1, 1}).p_value));
  CHECK_THROWS_AS(welch_t_test(std::vector<double>{1}, std::vector<double>{1, 2}),
                  std::invalid_argument);
}
