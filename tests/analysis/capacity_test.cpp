// Capacity plan. Reference: the methodology chapter's worked example (shared/reference/
// methodology.md §2, "Capacity planning"): 22 QPS per 8-GPU instance, 100 QPS target ->
// 5 instances = 40 GPUs, 48 with 20 % headroom; instances written int(x + 0.99) and headroom
// int(gpus x 1.2).
#include "loadwright/analysis/capacity.hpp"

#include <stdexcept>

#include "catch.hpp"

using namespace loadwright::analysis;

TEST_CASE("capacity: the chapter's worked example comes out exactly", "[analysis][capacity]") {
  const auto p = plan_capacity(100, 22, 8, 0.2);
  CHECK(p.ratio == Approx(100.0 / 22));
  CHECK(p.instances == 5);
  CHECK(p.instances_chapter == 5);  // int(4.545 + 0.99) = int(5.535) = 5: both formulas agree
  CHECK(p.gpus == 40);
  CHECK(p.gpus_with_headroom == 48);
  CHECK(p.gpus_with_headroom_chapter == 48);  // int(40 x 1.2)
  CHECK(p.instances_with_headroom == 6);
  CHECK(describe(p) == "5 instances, 40 GPUs, 48 GPUs with 20 % headroom");
}

TEST_CASE("capacity: the true ceiling versus int(x + 0.99)", "[analysis][capacity]") {
  // 4.005 instances' worth: the chapter's formula gives 4, one short.
  auto p = plan_capacity(400.5, 100, 8);
  CHECK(p.instances == 5);
  CHECK(p.instances_chapter == 4);
  // Exact multiples are not rounded up by binary noise: 1.1 / 0.1 = 11.000000000000002.
  p = plan_capacity(1.1, 0.1, 1);
  CHECK(p.instances == 11);
  CHECK(plan_capacity(44, 22, 8).instances == 2);
  CHECK(plan_capacity(0, 22, 8).instances == 0);
  // Headroom truncation: 24 GPUs x 1.2 = 28.8 -> the chapter's int() gives 28, we need 29.
  p = plan_capacity(60, 22, 8, 0.2);  // 3 instances, 24 GPUs
  CHECK(p.gpus == 24);
  CHECK(p.gpus_with_headroom_chapter == 28);
  CHECK(p.gpus_with_headroom == 29);
  CHECK(p.instances_with_headroom == 4);
}

TEST_CASE("capacity: a band of the max rate", "[analysis][capacity]") {
  // find_max's band 19.9-24 req/s around 22: 100/24 -> 5 instances, 100/19.9 -> 6.
  const auto b = plan_capacity_band(100, 22, 19.9, 24, 8, 0.2);
  CHECK(b.point.instances == 5);
  CHECK(b.at_high.instances == 5);
  CHECK(b.at_low.instances == 6);
  CHECK(describe(b) ==
        "5 instances (5\u20136), 40 GPUs (40\u201348), 48 GPUs with 20 % headroom (48\u201358)");
  const auto tight = plan_capacity_band(100, 22, 21, 23, 8, 0.2);
  CHECK(describe(tight) ==
        "5 instances (5\u20135), 40 GPUs (40\u201340), 48 GPUs with 20 % headroom (48\u201348)");
}

TEST_CASE("capacity: bad input", "[analysis][capacity]") {
  CHECK_THROWS_AS(plan_capacity(100, 0, 8), std::invalid_argument);
  CHECK_THROWS_AS(plan_capacity(-1, 22, 8), std::invalid_argument);
  CHECK_THROWS_AS(plan_capacity(100, 22, 0), std::invalid_argument);
  CHECK_THROWS_AS(plan_capacity(100, 22, 8, -0.1), std::invalid_argument);
  CHECK_THROWS_AS(plan_capacity_band(100, 22, 23, 24, 8), std::invalid_argument);
}
