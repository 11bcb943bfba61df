// The pure parts of sweep and find_max: loads, verdicts, the search's sequence of probes.

#include <catch2/catch.hpp>

#include "loadwright/core/load_points.hpp"

using namespace loadwright::runtime;

namespace {

summary run_summary(double completed, double failed, double rps, double p99_ttft_ms) {
  summary s;
  s.add("completed", completed, true);
  s.add("failed", failed, true);
  s.add("request_throughput", rps);
  s.add("p99_ttft_ms", p99_ttft_ms);
  return s;
}

slo_bound p99_ttft(double limit_ms) {
  slo_bound b;
  b.name = "p99_ttft";
  b.summary_key = "p99_ttft_ms";
  b.metric = "ttft";
  b.percentile = 99;
  b.limit_ms = limit_ms;
  b.text = "500ms";
  return b;
}

// The loads a search probes when `passes(load)` decides each.
template <class F>
std::vector<double> probes(load_search search, F passes) {
  std::vector<double> seen;
  while (const auto load = search.next()) {
    seen.push_back(*load);
    search.record(*load, passes(*load));
    REQUIRE(seen.size() < 100);
  }
  return seen;
}

}  // namespace

TEST_CASE("load_points: loads print short and set the arrival", "[core][experiments]") {
  CHECK(format_load(2.5) == "2.5");
  CHECK(format_load(8) == "8");
  CHECK(format_load(43.75) == "43.75");
  CHECK(format_load(1.0 / 3) == "0.3333");
  CHECK(describe_load(load_axis::rate, 2) == "rate 2 req/s");
  CHECK(describe_load(load_axis::concurrency, 16) == "concurrency 16");

  scenario_plan base;
  base.name = "chat";
  base.arrival = poisson_arrival{1.0, 0.5};
  base.curve = curve_spec{"x", "y"};
  auto p = plan_at_load(base, load_axis::rate, 7.5, "chat-rate-7.5");
  CHECK(p.name == "chat-rate-7.5");
  CHECK(std::get<poisson_arrival>(p.arrival).rate == 7.5);
  CHECK(std::get<poisson_arrival>(p.arrival).burstiness == 0.5);  // the rest of it kept
  CHECK_FALSE(p.curve);
  base.arrival = constant_arrival{1};
  CHECK(std::get<constant_arrival>(plan_at_load(base, load_axis::rate, 3, "c").arrival).rate == 3);
  base.arrival = closed_arrival{1};
  CHECK(std::get<closed_arrival>(plan_at_load(base, load_axis::concurrency, 12, "c").arrival)
            .concurrency == 12);
}

TEST_CASE("load_points: a load's verdict names each reason", "[core][experiments]") {
  const saturation_limits limits;
  SECTION("within everything") {
    const auto v = judge_load(run_summary(100, 0, 9.5, 400), load_axis::rate, 10, {p99_ttft(500)},
                              limits, 0, 1.0);
    CHECK(v.passed);
    CHECK_FALSE(v.saturated);
    CHECK(v.reasons.empty());
  }
  SECTION("the SLO alone: failed, not saturated") {
    const auto v = judge_load(run_summary(100, 0, 9.5, 612), load_axis::rate, 10, {p99_ttft(500)},
                              limits, 0, 1.0);
    CHECK_FALSE(v.passed);
    CHECK_FALSE(v.saturated);
    REQUIRE(v.reasons.size() == 1);
    CHECK(v.reasons[0] == "p99_ttft 612.0 ms > 500ms (SLO)");
  }
  SECTION("achieved under 90 % of the asked rate") {
    const auto v =
        judge_load(run_summary(100, 0, 8.9, 100), load_axis::rate, 10, {}, limits, 0, 1.0);
    CHECK(v.saturated);
    CHECK(v.reasons.at(0) == "achieved 8.9 req/s, under 90 % of the asked 10: saturated");
    // A concurrency load has no asked rate to fall short of.
    CHECK(judge_load(run_summary(100, 0, 8.9, 100), load_axis::concurrency, 10, {}, limits, 0, 1.0)
              .passed);
  }
  SECTION("p99 TTFT over 10 s") {
    const auto v =
        judge_load(run_summary(100, 0, 10, 12'300), load_axis::concurrency, 64, {}, limits, 0, 1.0);
    CHECK(v.saturated);
    CHECK(v.reasons.at(0) == "p99 TTFT 12.30 s over 10 s: saturated");
  }
  SECTION("errors over the scenario's allowance, or the sweep's own") {
    CHECK_FALSE(
        judge_load(run_summary(99, 1, 10, 100), load_axis::rate, 10, {}, limits, 0, 1.0).passed);
    CHECK(
        judge_load(run_summary(99, 1, 10, 100), load_axis::rate, 10, {}, limits, 0.02, 1.0).passed);
    saturation_limits strict = limits;
    strict.max_error_rate = 0.0;
    const auto v =
        judge_load(run_summary(99, 1, 10, 100), load_axis::rate, 10, {}, strict, 0.02, 1.0);
    CHECK(v.reasons.at(0) == "errors 1.0 % above the allowance 0.0 %");
  }
  SECTION("on the emulator's clock: 20× faster, judged as the modelled machine") {
    // Measured 30 ms p99 and 190 req/s at time scale 0.05 are 600 ms and 9.5 req/s modelled.
    const auto v = judge_load(run_summary(100, 0, 190, 30), load_axis::rate, 10, {p99_ttft(500)},
                              limits, 0, 0.05);
    CHECK(v.reasons == std::vector<std::string>{"p99_ttft 600.0 ms > 500ms (SLO)"});
  }
}

TEST_CASE("load_search: doubling, then bisection to the precision", "[core][experiments]") {
  SECTION("a rate capacity of 13") {
    const auto seen =
        probes(load_search(load_axis::rate, 1, 64, 0.05), [](double load) { return load <= 13; });
    CHECK(seen == std::vector<double>{1, 2, 4, 8, 16, 12, 14, 13, 13.5});
  }
  SECTION("the cap is probed: a doubling never passes `to`") {
    const auto seen =
        probes(load_search(load_axis::rate, 5, 80, 0.05), [](double load) { return load < 44; });
    CHECK(seen == std::vector<double>{5, 10, 20, 40, 80, 60, 50, 45, 42.5, 43.75});
  }
  SECTION("every load passes: the answer is at least `to`") {
    load_search s(load_axis::rate, 1, 10, 0.05);
    CHECK(probes(s, [](double) { return true; }) == std::vector<double>{1, 2, 4, 8, 10});
  }
  SECTION("the first load fails: no answer") {
    CHECK(probes(load_search(load_axis::rate, 4, 64, 0.05), [](double) { return false; }) ==
          std::vector<double>{4});
  }
  SECTION("concurrency: whole numbers, until neighbours") {
    const auto seen = probes(load_search(load_axis::concurrency, 1, 64, 0.05),
                             [](double load) { return load <= 23; });
    CHECK(seen == std::vector<double>{1, 2, 4, 8, 16, 32, 24, 20, 22, 23});
  }
}
