#include "loadwright/core/stats.hpp"

#include <cmath>
#include <vector>

#include "catch.hpp"

using namespace loadwright::runtime;

TEST_CASE("stats: numpy semantics", "[runtime][stats]") {
  const std::vector<double> x{1, 2, 3, 4};
  CHECK(numpy_mean(x) == 2.5);
  CHECK(numpy_std(x) == Approx(std::sqrt(1.25)));
  const auto st = compute_series_stats({4, 1, 3, 2}, {50, 99, 0, 100});
  CHECK(st.median == 2.5);
  CHECK(st.percentiles[0] == 2.5);
  CHECK(st.percentiles[1] == Approx(3.97));  // np.percentile([1,2,3,4], 99)
  CHECK(st.percentiles[2] == 1);
  CHECK(st.percentiles[3] == 4);
  CHECK(compute_series_stats({}, {99}).mean == 0);
}

TEST_CASE("stats: blocked pairwise sum differs from naive summation like numpy's",
          "[runtime][stats]") {
  // 0.1 added 20000 times: numpy gives 2000.0000000000002 (pairwise, blocks of 8192); a
  // naive loop drifts to 2000.0000000003 or so.
  std::vector<double> x(20000, 0.1);
  double naive = 0;
  for (double v : x) naive += v;
  CHECK(numpy_sum(x) != naive);
  CHECK(std::abs(numpy_sum(x) - 2000.0) < 1e-9);
}
