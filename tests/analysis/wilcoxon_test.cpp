// Wilcoxon signed-rank test and its effect sizes against published outputs of scipy and R.
// Sources:
//   [scipy] scipy.stats.wilcoxon documentation, Examples (scipy 1.15+:
//           https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.wilcoxon.html),
//           Fisher's corn data and the x - y roundoff example.
//   [R-HW]  R's ?wilcox.test example, Hollander & Wolfe (1973) p. 29 depression scores:
//           wilcox.test(x, y, paired = TRUE) -> V = 40, p-value = 0.03906.
//   [R-CS]  R 3.4.0 values recorded (options(digits = 20)) in Apache Commons Statistics,
//           commons-statistics-inference/src/test/java/org/apache/commons/statistics/
//           inference/WilcoxonSignedRankTestTest.java (wilcox.test(x, y, paired = TRUE,
//           exact, correct, mu)); p-values in the order two-sided, greater, less.
//   [R-sleep] wilcox.test(extra ~ group, data = sleep, paired = TRUE) -> V = 0,
//           p-value = 0.009091 ("with continuity correction"; R tutorials print it).
//   [hand]  counted by hand from the definition (shown in the comment).
//   [py]    tests/analysis/reference_values.py (exact Python arithmetic).
#include "loadwright/analysis/wilcoxon.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "catch.hpp"
#include "loadwright/analysis/random.hpp"

using namespace loadwright::analysis;

namespace {

const std::vector<double> hw_x{1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30};
const std::vector<double> hw_y{0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29};
const std::vector<double> corn{6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75};
const std::vector<double> sleep1{0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0};
const std::vector<double> sleep2{1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4};

wilcoxon_options with(alternative alt, wilcoxon_method m = wilcoxon_method::automatic,
                      bool correct = false, double mu = 0) {
  wilcoxon_options o;
  o.alt = alt;
  o.method = m;
  o.continuity_correction = correct;
  o.mu = mu;
  return o;
}

// The three alternatives of one case, against [R-CS]'s (two-sided, greater, less).
void check_three(const std::vector<double>& x, const std::vector<double>& y, double v,
                 const double (&p)[3], wilcoxon_method m, bool correct, double mu, double rel) {
  const alternative alts[3] = {alternative::two_sided, alternative::greater, alternative::less};
  for (int i = 0; i < 3; ++i) {
    const auto r = wilcoxon_signed_rank(x, y, with(alts[i], m, correct, mu));
    CHECK(r.r_plus == v);
    CHECK(r.p_value == Approx(p[i]).epsilon(rel));
  }
}

}  // namespace

TEST_CASE("wilcoxon: scipy's documented examples", "[analysis][wilcoxon]") {
  // [scipy] res = wilcoxon(d) -> (24.0, 0.041259765625), exact (15 distinct |d|)
  auto r = wilcoxon_signed_rank_differences(corn);
  CHECK(r.statistic == 24.0);
  CHECK(r.p_value == 0.041259765625);
  CHECK(r.branch == wilcoxon_branch::exact);
  // [scipy] wilcoxon(d, alternative='greater') -> (96.0, 0.0206298828125)
  r = wilcoxon_signed_rank_differences(corn, with(alternative::greater));
  CHECK(r.statistic == 96.0);
  CHECK(r.p_value == 0.0206298828125);
  // [scipy] wilcoxon(d, method='asymptotic') -> (24.0, 0.04088813291185591)
  r = wilcoxon_signed_rank_differences(corn,
                                       with(alternative::two_sided, wilcoxon_method::asymptotic));
  CHECK(r.statistic == 24.0);
  CHECK(r.p_value == Approx(0.04088813291185591).epsilon(1e-14));
  CHECK(r.branch == wilcoxon_branch::asymptotic);
  // [scipy] x - y has roundoff, so |d| are all distinct: wilcoxon(x, y, alternative='greater')
  // -> WilcoxonResult(statistic=5.0, pvalue=0.5625)
  const std::vector<double> x{0.5, 0.825, 0.375, 0.5}, y{0.525, 0.775, 0.325, 0.55};
  r = wilcoxon_signed_rank(x, y, with(alternative::greater));
  CHECK(r.statistic == 5.0);
  CHECK(r.p_value == 0.5625);
  CHECK_FALSE(r.has_ties);
  // [scipy] the rounded differences tie: wilcoxon(d2, alternative='greater') ->
  // (6.0, 0.5); scipy >= 1.15 takes the exhaustive permutation test here (ties, n <= 13).
  const std::vector<double> d2{-0.025, 0.05, 0.05, -0.05};
  r = wilcoxon_signed_rank_differences(d2, with(alternative::greater));
  CHECK(r.statistic == 6.0);
  CHECK(r.p_value == 0.5);
  CHECK(r.has_ties);
  CHECK(r.branch == wilcoxon_branch::permutation);
}

TEST_CASE("wilcoxon: R's Hollander & Wolfe example", "[analysis][wilcoxon]") {
  // [R-HW] V = 40, p-value = 0.03906; [R-CS] exact: 0.0390625, 0.01953125, 0.986328125.
  const auto r = wilcoxon_signed_rank(hw_x, hw_y);
  CHECK(r.r_plus == 40);  // R's V
  CHECK(r.r_minus == 5);
  CHECK(r.statistic == 5);  // scipy's min(R+, R-)
  CHECK(r.p_value == 0.0390625);
  CHECK(r.branch == wilcoxon_branch::exact);
  check_three(hw_x, hw_y, 40, {0.0390625, 0.01953125, 0.986328125}, wilcoxon_method::exact, false,
              0, 1e-15);
  // [R-CS] exact = FALSE, correct = TRUE / FALSE
  check_three(hw_x, hw_y, 40, {0.044010984012951455, 0.022005492006475728, 0.98351530937788989},
              wilcoxon_method::asymptotic, true, 0, 1e-14);
  check_three(hw_x, hw_y, 40, {0.038151710173415156, 0.019075855086707578, 0.98092414491329238},
              wilcoxon_method::asymptotic, false, 0, 1e-14);
  // [R-CS] with mu (d = x - y - mu): exact at mu = -2.5 and 1, asymptotic at 0.5.
  check_three(hw_x, hw_y, 45, {0.00390625, 0.001953125, 1}, wilcoxon_method::automatic, false, -2.5,
              1e-15);
  check_three(hw_x, hw_y, 1, {0.0078125, 0.998046875, 0.00390625}, wilcoxon_method::automatic,
              false, 1, 1e-15);
  check_three(hw_x, hw_y, 19, {0.72228296271619219, 0.68220693886061667, 0.36114148135809609},
              wilcoxon_method::asymptotic, true, 0.5, 1e-14);
}

TEST_CASE("wilcoxon: R 3.4.0 exact and asymptotic values", "[analysis][wilcoxon]") {
  // [R-CS] statistic == 0 edge: exact and both asymptotic variants.
  const std::vector<double> a{1, 2, 3}, b{2, 4, 6};
  check_three(a, b, 0, {0.25, 1, 0.125}, wilcoxon_method::exact, false, 0, 1e-15);
  check_three(a, b, 0, {0.18144920772142031, 0.96931558543029894, 0.090724603860710157},
              wilcoxon_method::asymptotic, true, 0, 1e-14);
  check_three(a, b, 0, {0.10880943004054568, 0.94559528497972711, 0.054404715020272838},
              wilcoxon_method::asymptotic, false, 0, 1e-14);

  // [R-CS] n = 10 and n = 20, exact.
  const std::vector<double> x10{-2.35, 1.46, 0.88, 0.24, 0.52, -1.10, -0.36, -0.93, 0.60, 0.76};
  const std::vector<double> y10{1.31, -0.88, 0.24, -0.99, 0.79, 0.23, 1.09, -0.01, -0.02, 0.07};
  check_three(x10, y10, 24, {0.76953125, 0.65234375, 0.384765625}, wilcoxon_method::automatic,
              false, 0, 1e-15);
  const std::vector<double> x20{-0.45, 0.75, 0.81, 0.24,  -0.68, 1.05,  -0.52, 1.12, -1.22, -1.59,
                                0.32,  1.18, 0.63, -1.21, 0.29,  -0.51, -0.59, 1.10, -1.18, -1.08};
  const std::vector<double> y20{1.50, 0.82,  -0.85, 0.17, 1.87, -0.56, 0.57, 0.04,  -0.02, 0.38,
                                0.53, -0.97, -0.29, 0.48, 0.07, 0.01,  1.09, -0.37, 1.11,  2.49};
  check_three(x20, y20, 69, {0.18934822082519531, 0.91157341003417969, 0.094674110412597656},
              wilcoxon_method::automatic, false, 0, 1e-14);

  // [R-CS] n = 50 with ties (V = 530.5), asymptotic, with and without continuity correction.
  // scipy's automatic method takes the asymptotic branch without correction here (ties,
  // 13 < n <= 50), so it must equal R's correct = FALSE.
  const std::vector<double> x50{
      0.716, 0.113,  0.507,  0.506,  -0.11,  -1.063, -1.543, -0.735, -0.38,  0.751,
      0.778, -1.923, 0.053,  0.342,  -0.121, -0.045, -0.086, 0.153,  0.802,  -0.402,
      1.443, 1.355,  -0.518, -0.884, 0.027,  0.129,  -1.219, -1.461, -1.426, -0.975,
      1.332, -0.472, -1.028, -1.029, -0.962, 0.402,  1.0,    0.147,  -0.536, 0.947,
      0.721, -0.154, 0.061,  -2.281, -1.993, -0.283, 0.02,   -0.41,  -1.586, 0.129};
  const std::vector<double> y50{
      0.143,  -0.741, -2.008, -0.96,  0.474,  1.527,  1.514,  0.551,  -2.142, -0.127,
      -1.152, 1.531,  0.557,  1.256,  0.629,  1.265,  0.488,  -1.981, -0.489, -1.21,
      1.52,   0.362,  -0.235, -0.207, 1.497,  0.211,  2.054,  0.243,  -1.18,  -0.817,
      -0.42,  0.166,  1.575,  -1.642, -0.389, -0.482, 2.789,  -1.452, 0.795,  0.472,
      -0.221, -1.589, 1.26,   -0.168, 0.647,  -0.582, -0.999, -0.217, 0.058,  0.77};
  check_three(x50, y50, 530.5, {0.30391211935371887, 0.85030292827375042, 0.15195605967685943},
              wilcoxon_method::asymptotic, true, 0, 1e-14);
  check_three(x50, y50, 530.5, {0.30164750033598381, 0.84917624983200812, 0.1508237501679919},
              wilcoxon_method::automatic, false, 0, 1e-14);
  CHECK(wilcoxon_signed_rank(x50, y50).branch == wilcoxon_branch::asymptotic);

  // [R-CS] tied |d| with R's normal approximation (continuity correction).
  check_three({1, 2, 3, 4}, {0, 3, 4, 6}, 2,
              {0.34470422200695772, 0.90706163381706195, 0.17235211100347886},
              wilcoxon_method::asymptotic, true, 0, 1e-14);
  check_three({1, 4, 3, 4}, {0, 3, 4, 6}, 4,
              {0.85010673913852575, 0.71462480597091305, 0.42505336956926287},
              wilcoxon_method::asymptotic, true, 0, 1e-14);
  // [hand] scipy's automatic method permutes instead: |d| = 1, 1, 1, 2 -> ranks 2, 2, 2, 4,
  // R+ = 2; of the 16 sign patterns 4 have R+ <= 2 and 15 have R+ >= 2 -> p = 2 x 4/16.
  const auto perm =
      wilcoxon_signed_rank(std::vector<double>{1, 2, 3, 4}, std::vector<double>{0, 3, 4, 6});
  CHECK(perm.branch == wilcoxon_branch::permutation);
  CHECK(perm.statistic == 2);
  CHECK(perm.p_value == 0.5);

  // [R-CS] x = 0:1022, y = 1023:1 + 0.5 (1023 distinct |d|), exact = FALSE, correct = TRUE.
  std::vector<double> xl(1023), yl(1023);
  for (int i = 0; i < 1023; ++i) {
    xl[static_cast<std::size_t>(i)] = i;
    yl[static_cast<std::size_t>(i)] = 1023 - i + 0.5;
  }
  check_three(xl, yl, 261121, {0.9353698195565141, 0.53235715699599806, 0.46768490977825705},
              wilcoxon_method::asymptotic, true, 0, 1e-13);
  // ... and exact (R sums count x exp(-n log 2), hence [R-CS]'s tolerance of 5e-14); one
  // alternative only, the O(n^3) count is slow under the sanitizers.
  const auto exact =
      wilcoxon_signed_rank(xl, yl, with(alternative::two_sided, wilcoxon_method::exact));
  CHECK(exact.branch == wilcoxon_branch::exact);
  CHECK(exact.p_value == Approx(0.93539811751499313).epsilon(5e-13));
}

TEST_CASE("wilcoxon: zeros are dropped (zero_method wilcox)", "[analysis][wilcoxon]") {
  // [R-sleep] one zero and one tie: R's normal approximation with continuity correction,
  // V = 0, p-value = 0.009091.
  auto r = wilcoxon_signed_rank(sleep1, sleep2,
                                with(alternative::two_sided, wilcoxon_method::asymptotic, true));
  CHECK(r.r_plus == 0);
  CHECK(r.n_zero == 1);
  CHECK(r.n_used == 9);
  CHECK(r.has_ties);
  CHECK(r.p_value == Approx(0.009091).margin(5e-7));
  // [hand] scipy's automatic method (zeros and ties, n = 10 <= 13) permutes: all nine nonzero
  // differences are negative, R+ = 0 is the single smallest of 2^9 outcomes -> p = 2/512.
  r = wilcoxon_signed_rank(sleep1, sleep2);
  CHECK(r.branch == wilcoxon_branch::permutation);
  CHECK(r.statistic == 0);
  CHECK(r.p_value == 2.0 / 512);
  CHECK(r.rank_biserial == -1);
  // All differences zero: nothing to test.
  r = wilcoxon_signed_rank(sleep1, sleep1);
  CHECK(r.n_used == 0);
  CHECK(std::isnan(r.p_value));
  CHECK(r.branch == wilcoxon_branch::none);
}

TEST_CASE("wilcoxon: which branch scipy's automatic method takes", "[analysis][wilcoxon]") {
  std::vector<double> d(50);
  for (std::size_t i = 0; i < d.size(); ++i) d[i] = (i % 2 ? -1.0 : 1.0) * (1.0 + i);
  CHECK(wilcoxon_signed_rank_differences(d).branch == wilcoxon_branch::exact);  // 50, no ties
  d.push_back(1000);
  CHECK(wilcoxon_signed_rank_differences(d).branch == wilcoxon_branch::asymptotic);  // 51
  std::vector<double> t{1, -1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};  // a tie, n = 13
  CHECK(wilcoxon_signed_rank_differences(t).branch == wilcoxon_branch::permutation);
  t.push_back(13);  // n = 14
  CHECK(wilcoxon_signed_rank_differences(t).branch == wilcoxon_branch::asymptotic);
  t.back() = 0;  // a zero instead, n = 14
  CHECK(wilcoxon_signed_rank_differences(t).branch == wilcoxon_branch::asymptotic);
}

TEST_CASE("wilcoxon: effect sizes", "[analysis][wilcoxon]") {
  // Kerby (2014) simple difference formula (R+ - R-) / (R+ + R-):
  // corn: (96 - 24) / 120 = 0.6; depression: (40 - 5) / 45.
  CHECK(wilcoxon_signed_rank_differences(corn).rank_biserial == Approx(0.6).epsilon(1e-15));
  CHECK(wilcoxon_signed_rank(hw_x, hw_y).rank_biserial == Approx(35.0 / 45).epsilon(1e-15));
  // Hodges-Lehmann: depression (pseudo)median 0.46 (R wilcox.test(x, y, paired = TRUE,
  // conf.int = TRUE); [py] the median of the 45 Walsh averages is 0.4600000000000001).
  CHECK(hodges_lehmann_paired(hw_x, hw_y) == Approx(0.46).epsilon(1e-12));
  // [py] corn: 120 Walsh averages, median 25.0; permeability (R ?wilcox.test two-sample
  // data, Hollander & Wolfe p. 110): median of the 50 x_i - y_j = 0.305.
  CHECK(hodges_lehmann_differences(corn) == 25.0);
  const std::vector<double> px{0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46};
  const std::vector<double> py{1.15, 0.88, 0.90, 0.74, 1.21};
  CHECK(hodges_lehmann_two_sample(px, py) == Approx(0.305).epsilon(1e-12));
  CHECK(std::isnan(hodges_lehmann_differences(std::vector<double>{})));
  CHECK(hodges_lehmann_differences(std::vector<double>{3}) == 3);
  CHECK(hodges_lehmann_two_sample(std::vector<double>{5}, std::vector<double>{2}) == 3);
}

TEST_CASE("wilcoxon: Hodges-Lehmann selection equals brute force", "[analysis][wilcoxon]") {
  xoshiro256ss g(3);
  for (int n : {1, 2, 3, 7, 20, 101}) {
    std::vector<double> d(static_cast<std::size_t>(n));
    for (auto& v : d) v = std::round((g.next_uniform() - 0.4) * 20) / 4;  // ties on purpose
    std::vector<double> w;
    for (std::size_t i = 0; i < d.size(); ++i)
      for (std::size_t j = i; j < d.size(); ++j) w.push_back((d[i] + d[j]) / 2);
    std::sort(w.begin(), w.end());
    const std::size_t m = w.size();
    const double expect = m % 2 ? w[m / 2] : (w[m / 2 - 1] + w[m / 2]) / 2;
    CHECK(hodges_lehmann_differences(d) == expect);
    std::vector<double> e(static_cast<std::size_t>(n / 2 + 1));
    for (auto& v : e) v = g.next_uniform() * 3;
    std::vector<double> diffs;
    for (const double a : d)
      for (const double b : e) diffs.push_back(a - b);
    std::sort(diffs.begin(), diffs.end());
    const std::size_t k = diffs.size();
    const double expect2 = k % 2 ? diffs[k / 2] : (diffs[k / 2 - 1] + diffs[k / 2]) / 2;
    CHECK(hodges_lehmann_two_sample(d, e) == expect2);
  }
}

TEST_CASE("wilcoxon: properties", "[analysis][wilcoxon]") {
  xoshiro256ss g(11);
  for (int trial = 0; trial < 40; ++trial) {
    const std::size_t n = 3 + g.below(70);
    std::vector<double> x(n), y(n);
    for (std::size_t i = 0; i < n; ++i) {
      // Integers, so x + c - (y + c) == x - y exactly and ties and zeros occur.
      x[i] = static_cast<double>(g.below(40));
      y[i] = static_cast<double>(g.below(40)) + (trial % 3 == 0 ? 5.0 : 0.0);
    }
    for (const auto m :
         {wilcoxon_method::automatic, wilcoxon_method::exact, wilcoxon_method::asymptotic}) {
      const auto xy = wilcoxon_signed_rank(x, y, with(alternative::two_sided, m));
      const auto yx = wilcoxon_signed_rank(y, x, with(alternative::two_sided, m));
      if (xy.n_used == 0) continue;
      // Symmetry: swapping the samples swaps R+ and R-, keeps the two-sided p.
      CHECK(xy.r_plus == yx.r_minus);
      CHECK(xy.statistic == yx.statistic);
      CHECK(xy.p_value == Approx(yx.p_value).epsilon(1e-12));
      CHECK(xy.rank_biserial == -yx.rank_biserial);
      CHECK(xy.p_value >= 0);
      CHECK(xy.p_value <= 1);
      // R+ + R- = n(n+1)/2 over the nonzero differences.
      const auto u = static_cast<double>(xy.n_used);
      CHECK(xy.r_plus + xy.r_minus == u * (u + 1) / 2);
      // Shifting both samples changes nothing.
      std::vector<double> xs(x), ys(y);
      for (auto& v : xs) v += 1000;
      for (auto& v : ys) v += 1000;
      const auto shifted = wilcoxon_signed_rank(xs, ys, with(alternative::two_sided, m));
      CHECK(shifted.p_value == xy.p_value);
      CHECK(shifted.r_plus == xy.r_plus);
      // One-sided p-values: less + greater >= 1 (both tails include the observed value).
      const auto le = wilcoxon_signed_rank(x, y, with(alternative::less, m));
      const auto gr = wilcoxon_signed_rank(x, y, with(alternative::greater, m));
      CHECK(le.p_value + gr.p_value >= 1 - 1e-12);
      CHECK(le.p_value <= 1);
      CHECK(gr.p_value <= 1);
    }
  }
}

TEST_CASE("wilcoxon: bad input", "[analysis][wilcoxon]") {
  CHECK_THROWS_AS(wilcoxon_signed_rank(std::vector<double>{1, 2}, std::vector<double>{1}),
                  std::invalid_argument);
  CHECK_THROWS_AS(wilcoxon_signed_rank_differences(std::vector<double>{1, NAN}),
                  std::invalid_argument);
  CHECK_THROWS_AS(hodges_lehmann_paired(std::vector<double>{1}, std::vector<double>{}),
                  std::invalid_argument);
}
