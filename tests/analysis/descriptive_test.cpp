// Descriptive statistics. Reference values: numpy's documentation, R's `quantile` (type 7,
// numpy's "linear"), and hand computation from the definition v = (n - 1) p / 100.
#include "loadwright/analysis/descriptive.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "catch.hpp"

using namespace loadwright::analysis;

TEST_CASE("descriptive: percentiles as numpy's default linear interpolation",
          "[analysis][descriptive]") {
  // numpy.percentile docs: a = [[10, 7, 4], [3, 2, 1]]; np.percentile(a, 50) -> 3.5
  const std::vector<double> a{10, 7, 4, 3, 2, 1};
  CHECK(percentile(a, 50) == 3.5);
  // R: quantile(1:10) -> 0% 1, 25% 3.25, 50% 5.5, 75% 7.75, 100% 10 (type 7 = numpy linear)
  std::vector<double> ten(10);
  std::iota(ten.begin(), ten.end(), 1.0);
  CHECK(percentile_sorted(ten, 0) == 1);
  CHECK(percentile_sorted(ten, 25) == 3.25);
  CHECK(percentile_sorted(ten, 50) == 5.5);
  CHECK(percentile_sorted(ten, 75) == 7.75);
  CHECK(percentile_sorted(ten, 100) == 10);
  // By the definition: v = 9 x 0.99 = 8.91 -> 9 + 0.91 (1) = 9.91
  CHECK(percentile_sorted(ten, 99) == Approx(9.91).epsilon(1e-15));
  // np.percentile([1, 2, 3, 4], 99) = 3.97 (as loadwright's runtime/src/stats.cpp)
  CHECK(percentile(std::vector<double>{4, 1, 3, 2}, 99) == Approx(3.97).epsilon(1e-15));
  CHECK(std::isnan(percentile(std::vector<double>{}, 50)));
}

TEST_CASE("descriptive: median, mean and sample variance", "[analysis][descriptive]") {
  CHECK(median(std::vector<double>{3, 1, 2}) == 2);
  CHECK(median(std::vector<double>{4, 1, 3, 2}) == 2.5);  // np.median: mean of the middle two
  CHECK(mean(std::vector<double>{1, 2, 3, 4}) == 2.5);
  // R: var(c(1, 2, 3, 4)) = 1.666667 (= 5/3, ddof = 1)
  CHECK(sample_variance(std::vector<double>{1, 2, 3, 4}) == Approx(5.0 / 3).epsilon(1e-15));
  CHECK(std::isnan(sample_variance(std::vector<double>{1})));
  CHECK(std::isnan(mean(std::vector<double>{})));
}

TEST_CASE("descriptive: p99.9 only from 1000 values (the chapter's rule)",
          "[analysis][descriptive]") {
  CHECK_FALSE(percentile_reportable(99.9, 999));
  CHECK(percentile_reportable(99.9, 1000));
  CHECK_FALSE(percentile_reportable(99.99, 9999));
  CHECK(percentile_reportable(99.99, 10000));
  CHECK(percentile_reportable(99, 1));
  CHECK(percentile_reportable(50, 1));
  CHECK_FALSE(percentile_reportable(50, 0));
}

TEST_CASE("descriptive: the tail report", "[analysis][descriptive]") {
  std::vector<double> v(1000);
  std::iota(v.begin(), v.end(), 1.0);  // 1 .. 1000
  const tail_summary t = describe_tail(v);
  CHECK(t.count == 1000);
  CHECK(t.mean == 500.5);
  CHECK(t.p50 == 500.5);
  // v = 999 x 0.99 = 989.01 -> 990 + 0.01; v = 999 x 0.999 = 998.001 -> 999 + 0.001
  CHECK(t.p99 == Approx(990.01).epsilon(1e-15));
  REQUIRE(t.p999);
  CHECK(*t.p999 == Approx(999.001).epsilon(1e-15));
  CHECK(t.max == 1000);
  CHECK(t.tail_ratio == Approx(990.01 / 500.5).epsilon(1e-15));

  v.pop_back();  // 999 values: no p99.9
  CHECK_FALSE(describe_tail(v).p999);

  const tail_summary empty = describe_tail(std::vector<double>{});
  CHECK(std::isnan(empty.p50));
  CHECK(std::isnan(empty.tail_ratio));
  CHECK_FALSE(empty.p999);
  // p50 = 0 has no ratio
  CHECK(std::isnan(tail_ratio_sorted(std::vector<double>{0, 0, 0, 5})));
}

TEST_CASE("descriptive: the chapter's example of equal means with different tails",
          "[analysis][descriptive]") {
  // Same mean (100), p99/p50 of 1 versus 91: only the tail ratio tells them apart.
  std::vector<double> tight(100, 100.0), tail(100, 10.0);
  for (int i = 0; i < 10; ++i) tail[static_cast<std::size_t>(90 + i)] = 910.0;
  CHECK(mean(tight) == mean(tail));
  std::sort(tail.begin(), tail.end());
  CHECK(tail_ratio_sorted(tight) == 1.0);
  CHECK(tail_ratio_sorted(tail) == Approx(91.0));
}
