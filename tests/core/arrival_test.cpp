#include "loadwright/core/arrival.hpp"

#include <cmath>

#include "catch.hpp"
#include "loadwright/datasets/rng.hpp"

using namespace loadwright::runtime;
using loadwright::datasets::numpy_legacy_rng;

TEST_CASE("numpy legacy RNG reproduces np.random for the same seed", "[runtime][arrival]") {
  numpy_legacy_rng r0(0);
  CHECK(r0.next_double() == 0.5488135039273248);  // np.random.seed(0); np.random.random()
  numpy_legacy_rng r42(42);
  CHECK(r42.next_double() == 0.3745401188473625);  // np.random.seed(42); np.random.random()
  numpy_legacy_rng e(0);
  CHECK(e.standard_exponential() == Approx(-std::log(1 - 0.5488135039273248)).epsilon(1e-15));
}

TEST_CASE("poisson schedule: mean rate and coefficient of variation", "[runtime][arrival]") {
  for (const double g : {0.5, 1.0, 4.0}) {
    const auto s = build_open_schedule(poisson_arrival{10.0, g}, 20000, std::nullopt, 7);
    REQUIRE(s.size() == 20000);
    const auto st = describe_schedule(s);
    INFO("burstiness " << g);
    CHECK(st.mean_gap_s == Approx(0.1).epsilon(0.03));
    CHECK(st.cv_gap == Approx(1.0 / std::sqrt(g)).epsilon(0.05));
  }
}

TEST_CASE("schedules are deterministic in the seed and non-decreasing", "[runtime][arrival]") {
  const auto a = build_open_schedule(poisson_arrival{3.0, 0.7}, 500, std::nullopt, 42);
  const auto b = build_open_schedule(poisson_arrival{3.0, 0.7}, 500, std::nullopt, 42);
  const auto c = build_open_schedule(poisson_arrival{3.0, 0.7}, 500, std::nullopt, 43);
  CHECK(a == b);
  CHECK(a != c);
  CHECK(std::is_sorted(a.begin(), a.end()));
}

TEST_CASE("constant, infinite rate, duration limits", "[runtime][arrival]") {
  const auto c = build_open_schedule(constant_arrival{4.0}, std::nullopt, seconds_d(2.0), 1);
  REQUIRE(c.size() == 8);
  CHECK(c.front() == Approx(0.25));
  CHECK(c.back() == Approx(2.0));
  const auto inf = build_open_schedule(poisson_arrival{infinite_rate, 1.0}, 5, std::nullopt, 1);
  CHECK(inf == std::vector<double>(5, 0.0));
  CHECK_THROWS(build_open_schedule(poisson_arrival{1.0, 1.0}, std::nullopt, std::nullopt, 1));
  CHECK_THROWS(build_open_schedule(closed_arrival{2}, 5, std::nullopt, 1));
}

TEST_CASE("ramp: arrivals follow the integral of the rate", "[runtime][arrival]") {
  // 0 → 10/s over 10 s: 50 arrivals expected in the ramp, rate rising linearly.
  const auto s = build_open_schedule(ramp_arrival{0.0, 10.0, seconds_d(10), std::nullopt},
                                     std::nullopt, seconds_d(10), 1);
  CHECK(s.size() == 50);
  const auto first_half = std::count_if(s.begin(), s.end(), [](double t) { return t < 5.0; });
  CHECK(first_half == 12);  // Λ(5) = 12.5
}

TEST_CASE("stages run one after another", "[runtime][arrival]") {
  stages_arrival st;
  st.stages.push_back({constant_arrival{1.0}, seconds_d(5)});
  st.stages.push_back({constant_arrival{10.0}, seconds_d(1)});
  const auto s = build_open_schedule(st, std::nullopt, std::nullopt, 1);
  CHECK(s.size() == 15);
  CHECK(s[4] == Approx(5.0));
  CHECK(s[5] == Approx(5.1));
  CHECK(natural_duration(st)->count() == 6.0);
}
