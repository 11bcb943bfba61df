// Two-sample Kolmogorov-Smirnov against scipy, full enumeration and exact integer arithmetic.
// Sources:
//   [scipy-CS] scipy 1.9.3 stats.ks_2samp / kstest(x, y) outputs (statistic, two-sided p)
//              recorded in Apache Commons Statistics, commons-statistics-inference/src/test/
//              java/org/apache/commons/statistics/inference/KolmogorovSmirnovTestTest.java,
//              including method='asymp' (kstwo.sf(d, round(en))).
//   [enum-CS]  the same project's ks.twosample.small.txt: p(D >= d) for (m, n, D m n),
//              "computed using combinations" (every arrangement enumerated).
//   [Hodges]   Hodges (1958), Table 1, as quoted in the same test file.
//   [py]       tests/analysis/reference_values.py: lattice paths counted with Python
//              integers; kstwo.sf from the Durbin matrix and the one-sided Smirnov sum in
//              40-digit mpmath arithmetic.
#include "loadwright/analysis/ks.hpp"

#include <cmath>
#include <vector>

#include "catch.hpp"
#include "loadwright/analysis/random.hpp"

using namespace loadwright::analysis;

namespace {

// R rnorm samples used by [scipy-CS] (N(0, 1), n = 102, and N(0, 1.6), n = 100).
const std::vector<double> gaussian{
    0.26055895,  -0.63665233, 1.51221323,  0.61246988,  -0.03013003, -1.73025682, -0.51435805,
    0.70494168,  0.18242945,  0.94734336,  -0.04286604, -0.37931719, -1.07026403, -2.05861425,
    0.11201862,  0.71400136,  -0.52122185, -0.02478725, -1.86811649, -1.79907688, 0.15046279,
    1.32390193,  1.55889719,  1.83149171,  -0.03948003, -0.98579207, -0.76790540, 0.89080682,
    0.19532153,  0.40692841,  0.15047336,  -0.58546562, -0.39865469, 0.77604271,  -0.65188221,
    -1.80368554, 0.65273365,  -0.75283102, -1.91022150, -0.07640869, -1.08681188, -0.89270600,
    2.09017508,  0.43907981,  0.10744033,  -0.70961218, 1.15707300,  0.44560525,  -2.04593349,
    0.53816843,  -0.08366640, 0.24652218,  1.80549401,  -0.99220707, -1.14589408, -0.27170290,
    -0.49696855, 0.00968353,  -1.87113545, -1.91116529, 0.97151891,  -0.73576115, -0.59437029,
    0.72148436,  0.01747695,  -0.62601157, -1.00971538, -1.42691397, 1.03250131,  -0.30672627,
    -0.15353992, -1.19976069, -0.68364218, 0.37525652,  -0.46592881, -0.52116168, -0.17162202,
    1.04679215,  0.25165971,  -0.04125231, -0.23756244, -0.93389975, 0.75551407,  0.08347445,
    -0.27482228, -0.4717632,  -0.1867746,  -0.1166976,  0.5763333,   0.1307952,   0.7630584,
    -0.3616248,  2.1383790,   -0.7946630,  0.0231885,   0.7919195,   1.6057144,   -0.3802508,
    0.1229078,   1.5252901,   -0.8543149,  0.3025040};
const std::vector<double> gaussian2{
    2.88041498038308,    -0.632349445671017, 0.402121295225571,    0.692626364613243,
    1.30693446815426,    -0.714176317131286, -0.233169206599583,   1.09113298322107,
    -1.53149079994305,   1.23259966205809,   1.01389927412503,     0.0143898711497477,
    -0.512813545447559,  2.79364360835469,   0.662008875538092,    1.04861546834788,
    -0.321280099931466,  0.250296656278743,  1.75820367603736,     -2.31433523590905,
    -0.462694696086403,  0.187725700950191,  -2.24410950019152,    2.83473751105445,
    0.252460174391016,   1.39051945380281,   -1.56270144203134,    0.998522814471644,
    -1.50147469080896,   0.145307533554146,  0.469089457043406,    -0.0914780723809334,
    -0.123446939266548,  -0.610513388160565, -3.71548343891957,    -0.329577317349478,
    -0.312973794075871,  2.02051909758923,   2.85214308266271,     0.0193222002327237,
    -0.0322422268266562, 0.514736012106768,  0.231484953375887,    -2.22468798953629,
    1.42197716075595,    2.69988043856357,   0.0443757119128293,   0.721536984407798,
    -0.0445688839903234, -0.294372724550705, 0.234041580912698,    -0.868973119365727,
    1.3524893453845,     -0.931054600134503, -0.263514296006792,   0.540949457402918,
    -0.882544288773685,  -0.34148675747989,  1.56664494810034,     2.19850536566584,
    -0.667972122928022,  -0.70889669526203,  -0.00251758193079668, 2.39527162977682,
    -2.7559594317269,    -0.547393502656671, -2.62144031572617,    2.81504147017922,
    -1.02036850201042,   -1.00713927602786,  -0.520197775122254,   1.00625480138649,
    2.46756916531313,    1.64364743727799,   0.704545210648595,    -0.425885789416992,
    -1.78387854908546,   -0.286783886710481, 0.404183648369076,    -0.369324280845769,
    -0.0391185138840443, 2.41257787857293,   2.49744281317859,     -0.826964496939021,
    -0.792555379958975,  1.81097685787403,   -0.475014580016638,   1.23387615291805,
    0.646615294802053,   1.88496377454523,   1.20390698380814,     -0.27812153371728,
    2.50149494533101,    0.406964323253817,  -1.72253451309982,    1.98432494184332,
    2.2223658560333,     0.393086362404685,  -0.504073151377089,   -0.0484610869883821};

void check_ks(const std::vector<double>& x, const std::vector<double>& y, double d, double p,
              ks_method m = ks_method::automatic, double rel = 1e-14) {
  const auto r = ks_2samp(x, y, m);
  CHECK(r.statistic == Approx(d).epsilon(1e-15));
  CHECK(r.p_value == Approx(p).epsilon(rel));
}

}  // namespace

TEST_CASE("ks: scipy's exact two-sided p-values", "[analysis][ks]") {
  // [scipy-CS]
  check_ks({6, 7, 9, 13, 19, 21, 22, 23, 24}, {10, 11, 12, 16, 20, 27, 28, 32, 44, 54}, 0.5,
           0.10557708545324647);
  check_ks({6, 7, 9, 13, 19, 21, 22, 23, 24, 29, 30, 34, 36, 41, 45, 47, 51, 63, 33, 91},
           {10, 11, 12, 16, 20, 27, 28, 32, 44, 54, 56, 57, 64, 69, 71, 80, 81, 88, 90},
           0.4263157894736842, 0.0462986609429517);
  check_ks({-10, -5, 17, 21, 22, 23, 24, 30, 44, 50, 56, 57, 59, 67,  73,  75,  77,  78,
            79,  80, 81, 83, 84, 85, 88, 90, 92, 93, 94, 95, 98, 100, 101, 103, 105, 110},
           {-2, -1, 0,  10, 14, 15, 16, 20, 25, 26, 27,  31,  32,  33, 34,  45,  47, 48,
            51, 52, 53, 54, 60, 61, 62, 63, 74, 82, 106, 107, 109, 11, 112, 113, 114},
           0.4103174603174603, 0.0030074360223340544);
  check_ks({0, 2, 3, 4, 5, 6, 7, 8, 9, 12}, {1, 10, 11, 13, 14, 15, 16, 17, 18}, 0.7888888888888889,
           0.002749572409015134);
  check_ks({2, 4, 6, 8, 9, 10, 11, 12, 13}, {0, 1, 3, 5, 7}, 0.6666666666666666,
           0.08591408591408592);
  check_ks({4, 6, 7, 8, 9, 10, 11}, {0, 1, 2, 3, 5}, 0.8571428571428571, 0.01515151515151515);
  check_ks({0, 6, 9, 5, 2}, {1, 8, 3, 4, 7}, 0.2, 1);
  check_ks({6, 10, 11, 9, 8, 12, 19, 5, 14, 7}, {3, 0, 2, 15, 13, 16, 4, 17, 18, 1}, 0.5,
           0.16782134274394334);
  check_ks({1, 2, 3}, {1, 2, 3}, 0, 1);
  // Ties: scipy uses the exact (continuous) distribution as is.
  check_ks({1, 2, 2, 2, 3}, {0, 2, 4}, 1.0 / 3, 0.9642857142857143);
  check_ks({1, 2, 2, 5, 6}, {0, 2, 2, 3, 3, 3}, 0.4, 0.6883116883116883);
  // 102 vs 100 values: automatic is exact (scipy: max(n1, n2) <= 10000).
  const auto r = ks_2samp(gaussian, gaussian2);
  CHECK(r.method == ks_method::exact);
  CHECK(r.statistic == Approx(0.2023529411764706).epsilon(1e-15));
  CHECK(r.p_value == Approx(0.026098802349515924).epsilon(1e-12));
}

TEST_CASE("ks: scipy's method='asymp'", "[analysis][ks]") {
  // [scipy-CS] kstwo.sf(d, round(m n / (m + n)))
  check_ks(gaussian, gaussian2, 0.2023529411764706, 0.028514899820936468, ks_method::asymptotic,
           1e-12);
  check_ks({1, 2, 2, 2, 3}, {0, 2, 4}, 1.0 / 3, 0.9444444444444444, ks_method::asymptotic);
  check_ks({1, 2, 2, 5, 6}, {0, 2, 2, 3, 3, 3}, 0.4, 0.5946666666666665, ks_method::asymptotic,
           1e-13);
}

TEST_CASE("ks: exact distribution against enumeration", "[analysis][ks]") {
  // [enum-CS] (m, n, D m n) -> P(D >= d)
  CHECK(ks_2samp_exact_sf(3, 4, 8) == Approx(0.4).epsilon(1e-14));
  CHECK(ks_2samp_exact_sf(3, 4, 12) == Approx(0.05714285714285714).epsilon(1e-14));
  CHECK(ks_2samp_exact_sf(4, 5, 16) == Approx(0.07936507936507936).epsilon(1e-14));
  CHECK(ks_2samp_exact_sf(7, 7, 42) == Approx(0.008158508158508158).epsilon(1e-14));
  CHECK(ks_2samp_exact_sf(4, 10, 36) == Approx(0.00999000999000999).epsilon(1e-14));
  CHECK(ks_2samp_exact_sf(9, 10, 72) == Approx(0.0013639611162830976).epsilon(1e-13));
  CHECK(ks_2samp_exact_sf(10, 10, 70) == Approx(0.012340600575894693).epsilon(1e-13));
  CHECK(ks_2samp_exact_sf(10, 10, 100) == Approx(1.082508822446903e-5).epsilon(1e-13));
  CHECK(ks_2samp_exact_sf(4, 7, 21) == Approx(0.06666666666666667).epsilon(1e-14));
  CHECK(ks_2samp_exact_sf(2, 2, 0) == 1);
  // [Hodges] 7, 8, D m n = 35 -> 0.05594
  CHECK(ks_2samp_exact_sf(7, 8, 35) == Approx(0.05594).margin(1e-5));
  // [py] larger samples, exact integers
  CHECK(ks_2samp_exact_sf(300, 200, 6000) == Approx(0.17313583335670973).epsilon(1e-12));
  CHECK(ks_2samp_exact_sf(300, 200, 12000) == Approx(0.0001177162820328725).epsilon(1e-11));
  CHECK(ks_2samp_exact_sf(250, 250, 12500) == Approx(8.6598646209084688e-5).epsilon(1e-11));
}

TEST_CASE("ks: kstwo.sf in each of scipy's regions", "[analysis][ks]") {
  // [py] exact Durbin matrix, 40 digits.
  CHECK(kstwo_sf(100, 0.15) == Approx(0.01983924212564604).epsilon(1e-12));  // n <= 140
  CHECK(kstwo_sf(200, 0.02) == Approx(0.99999484801798572).epsilon(1e-14));  // Durbin
  CHECK(kstwo_sf(1000, 0.03) == Approx(0.3226902464132999).epsilon(1e-5));   // Pelz-Good
  // n > 140, n d^2 >= 2.2: scipy's value is 2 x the one-sided Smirnov sf ([py], exact sum:
  // 0.0031305058199356277), an approximation of the exact 0.0031305058091482696.
  CHECK(kstwo_sf(500, 0.08) == Approx(0.0031305058199356277).epsilon(1e-13));
  CHECK(kstwo_sf(500, 0.08) == Approx(0.0031305058091482696).epsilon(1e-8));
  // d >= 0.5: exactly 2 x Smirnov ([py] 0.0005681672).
  CHECK(kstwo_sf(10, 0.6) == Approx(0.0005681672).epsilon(1e-13));
  // Ruben-Gambino closed forms: n d <= 1/2 -> 1; d >= 1 - 1/n -> 2 (1 - d)^n.
  CHECK(kstwo_sf(10, 0.04) == 1);
  CHECK(kstwo_sf(10, 0.95) == Approx(2 * std::pow(0.05, 10)).epsilon(1e-14));
  CHECK(kstwo_sf(10, 1.0) == 0);
}

TEST_CASE("ks: properties", "[analysis][ks]") {
  xoshiro256ss g(4);
  for (int trial = 0; trial < 25; ++trial) {
    std::vector<double> x(1 + g.below(60)), y(1 + g.below(60));
    for (auto& v : x) v = std::floor(g.next_uniform() * 50);  // ties on purpose
    for (auto& v : y) v = std::floor(g.next_uniform() * 50) + (trial % 2 ? 8 : 0);
    for (const auto m : {ks_method::exact, ks_method::asymptotic}) {
      const auto xy = ks_2samp(x, y, m), yx = ks_2samp(y, x, m);
      CHECK(xy.statistic == yx.statistic);
      CHECK(xy.p_value == Approx(yx.p_value).epsilon(1e-12));
      CHECK(xy.p_value >= 0);
      CHECK(xy.p_value <= 1);
      CHECK(xy.statistic >= 0);
      CHECK(xy.statistic <= 1);
      // Rank-based: shifting and scaling both samples changes nothing.
      std::vector<double> xs(x), ys(y);
      for (auto& v : xs) v = 3 * v + 7;
      for (auto& v : ys) v = 3 * v + 7;
      const auto s = ks_2samp(xs, ys, m);
      CHECK(s.statistic == xy.statistic);
      CHECK(s.p_value == xy.p_value);
    }
  }
  // Large samples take the asymptotic route automatically; same distribution -> large p.
  std::vector<double> big(10001), big2(10001);
  for (auto& v : big) v = g.next_uniform();
  for (auto& v : big2) v = g.next_uniform();
  const auto r = ks_2samp(big, big2);
  CHECK(r.method == ks_method::asymptotic);
  CHECK(r.p_value > 0.001);
  CHECK_THROWS_AS(ks_2samp(std::vector<double>{}, big), std::invalid_argument);
}
