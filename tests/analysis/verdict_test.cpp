// The plain-words verdict: its rules on constructed inputs, then compare_paired end to end on
// runs whose difference is known by construction.
#include "loadwright/analysis/verdict.hpp"

#include <cmath>
#include <string>
#include <vector>

#include "catch.hpp"
#include "loadwright/analysis/random.hpp"

using namespace loadwright::analysis;

namespace {

tost_result tost_with(double p, bool equivalent) {
  tost_result t;
  t.p_lower = t.p_upper = t.p_value = p;
  t.equivalent = equivalent;
  t.margin = 0.05;
  return t;
}

verdict_inputs inputs(double estimate, interval ci, double p, tost_result t) {
  verdict_inputs in;
  in.baseline = 100;
  in.estimate = estimate;
  in.ci = ci;
  in.p_value = p;
  in.tost = t;
  return in;
}

}  // namespace

TEST_CASE("verdict: the four answers", "[analysis][verdict]") {
  auto v = decide(inputs(-12.3, {-14.5, -10.1}, 0.0012, tost_with(0.9, false)));
  CHECK(v.kind == verdict_kind::better);
  CHECK(v.text == "B is faster by 12.3 % (95 % CI 10.1\u201314.5 %, p = 0.0012)");
  CHECK(v.relative_change == Approx(-0.123));
  CHECK(v.relative_ci.low == Approx(-0.145));

  v = decide(inputs(8, {5.2, 11}, 0.00001, tost_with(1, false)));
  CHECK(v.kind == verdict_kind::worse);
  CHECK(v.text == "B is slower by 8.0 % (95 % CI 5.2\u201311.0 %, p < 0.0001)");

  v = decide(inputs(0.4, {-1.2, 2}, 0.6, tost_with(0.003, true)));
  CHECK(v.kind == verdict_kind::equivalent);
  CHECK(v.text ==
        "no difference larger than \u00b15 % (equivalent: TOST p = 0.003; B - A = +0.4 % "
        "(95 % CI -1.2 % to +2.0 %, p = 0.6))");

  v = decide(inputs(-3.1, {-9, 2.5}, 0.21, tost_with(0.4, false)));
  CHECK(v.kind == verdict_kind::inconclusive);
  CHECK(v.text ==
        "inconclusive: B - A = -3.1 % (95 % CI -9.0 % to +2.5 %, p = 0.21); neither a "
        "difference nor equivalence within \u00b15 % is shown");
}

TEST_CASE("verdict: edge rules", "[analysis][verdict]") {
  // A real but small difference inside the margin: equivalent, and the text says so.
  auto v = decide(inputs(-1.5, {-2.0, -1.0}, 0.001, tost_with(0.0001, true)));
  CHECK(v.kind == verdict_kind::equivalent);
  CHECK(v.text.find("a real difference smaller than the margin") != std::string::npos);
  CHECK(v.text.find("B is faster by 1.5 %") != std::string::npos);
  // The test and the interval disagree: inconclusive.
  v = decide(inputs(-4, {-8, 0.5}, 0.03, tost_with(0.5, false)));
  CHECK(v.kind == verdict_kind::inconclusive);
  CHECK(v.text.find("disagree") != std::string::npos);
  // No test possible.
  v = decide(inputs(NAN, {NAN, NAN}, NAN, tost_with(NAN, false)));
  CHECK(v.kind == verdict_kind::inconclusive);
  CHECK(v.text == "inconclusive: not enough data for a test");
  // Higher is better (throughput): B higher is better, in "better/worse" words.
  auto in = inputs(10, {6, 14}, 0.002, tost_with(1, false));
  in.better = better_when::higher;
  in.latency = false;
  v = decide(in);
  CHECK(v.kind == verdict_kind::better);
  CHECK(v.text == "B is better by 10.0 % (95 % CI 6.0\u201314.0 %, p = 0.002)");
  in.estimate = -10;
  in.ci = {-14, -6};
  CHECK(decide(in).kind == verdict_kind::worse);
}

TEST_CASE("verdict: compare_paired on runs with a known difference", "[analysis][verdict]") {
  xoshiro256ss g(17);
  std::vector<double> a(300), faster(300), same(300), noisy(8), noisy_a(8);
  for (std::size_t i = 0; i < a.size(); ++i) {
    a[i] = 200 + 100 * g.next_uniform();                    // TTFT of A, ms
    faster[i] = a[i] * 0.8 + 2 * (g.next_uniform() - 0.5);  // B 20 % faster
    same[i] = a[i] + 2 * (g.next_uniform() - 0.5);          // B the same, +-1 ms of noise
  }
  for (std::size_t i = 0; i < noisy.size(); ++i) {
    noisy_a[i] = 200 + 100 * g.next_uniform();
    noisy[i] = noisy_a[i] * (0.9 + 0.3 * g.next_uniform());  // 8 pairs, +-15 % scatter
  }
  compare_options o;
  o.bootstrap.resamples = 2000;
  auto c = compare_paired(a, faster, o);
  CHECK(c.result.kind == verdict_kind::better);
  CHECK(c.result.text.rfind("B is faster by ", 0) == 0);
  CHECK(c.result.relative_change == Approx(-0.2).margin(0.02));
  CHECK(c.test.p_value < 1e-10);
  CHECK(c.hodges_lehmann < 0);
  CHECK(c.median_diff.percentile_ci.high < 0);
  CHECK(c.p99_diff.estimate < 0);

  c = compare_paired(a, same, o);
  CHECK(c.result.kind == verdict_kind::equivalent);
  CHECK(c.result.text.rfind("no difference larger than \u00b15 %", 0) == 0);

  c = compare_paired(noisy_a, noisy, o);
  CHECK(c.result.kind == verdict_kind::inconclusive);
}
