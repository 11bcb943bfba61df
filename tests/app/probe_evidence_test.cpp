// find_max's evidence: bounds on pooled values with bootstrap intervals, each probe classified,
// and the band read off the probes.

#include <catch2/catch.hpp>

#include "experiments/probe_evidence.hpp"

using namespace loadwright::app;
namespace rt = loadwright::runtime;

namespace {

rt::slo_bound bound(double limit_ms) {
  rt::slo_bound b;
  b.name = "p99_ttft";
  b.summary_key = "p99_ttft_ms";
  b.metric = "ttft";
  b.percentile = 99;
  b.limit_ms = limit_ms;
  return b;
}

probe_evidence probe(double load, bool pass, bool sure, int saturated = 0) {
  probe_evidence p;
  p.load = load;
  p.repeats = 3;
  p.saturated_repeats = saturated;
  bound_evidence b;
  b.n = 100;
  b.pass = pass;
  b.sure = sure;
  p.bounds.push_back(b);
  classify_probe(p);
  return p;
}

}  // namespace

TEST_CASE("probe evidence: a bound far from its limit is sure, one at it is not",
          "[app][experiments]") {
  metric_values values;
  for (int i = 1; i <= 200; ++i) values["ttft"].push_back(i);  // p99 = 198.01
  const auto far = measure_bounds({bound(400)}, values, 0.95, 1);
  REQUIRE(far.size() == 1);
  CHECK(far[0].n == 200);
  CHECK(far[0].estimate_ms == Approx(198.01));
  CHECK(far[0].ci_ms.low <= 198.01);
  CHECK(far[0].ci_ms.high >= 198.01);
  CHECK(far[0].pass);
  CHECK(far[0].sure);
  const auto near = measure_bounds({bound(199)}, values, 0.95, 1);
  CHECK(near[0].pass);
  CHECK_FALSE(near[0].sure);  // the interval reaches past 199
  const auto over = measure_bounds({bound(100)}, values, 0.95, 1);
  CHECK_FALSE(over[0].pass);
  CHECK(over[0].sure);
  // No value at all (every request failed): a sure fail.
  const auto none = measure_bounds({bound(100)}, metric_values{}, 0.95, 1);
  CHECK(none[0].n == 0);
  CHECK_FALSE(none[0].pass);
  CHECK(none[0].sure);
}

TEST_CASE("probe evidence: records give modelled values of measured requests only",
          "[app][experiments]") {
  rt::request_record ok;
  ok.status = rt::request_status::ok;
  ok.ttft_ns = 10'000'000;  // 10 ms
  ok.e2el_ns = 50'000'000;  // 50 ms
  ok.output_tokens = 5;
  ok.itl_ms = {10, 10, 10, 10};
  rt::request_record warm = ok;
  warm.phase = rt::run_phase::warmup;
  rt::request_record failed = ok;
  failed.status = rt::request_status::http_status;
  metric_values v;
  for (const auto& r : {ok, warm, failed}) add_record_values(r, 0.5, v);
  CHECK(v["ttft"] == std::vector<double>{20});  // at time scale 0.5: twice as long modelled
  CHECK(v["e2el"] == std::vector<double>{100});
  CHECK(v["itl"].size() == 4);
  CHECK(v["tpot"].size() == 1);
}

TEST_CASE("probe evidence: classification and the band", "[app][experiments]") {
  CHECK(probe(1, true, true).sure_pass);
  CHECK(probe(1, true, false).passed);
  CHECK_FALSE(probe(1, true, false).sure_pass);
  CHECK(probe(1, false, true).sure_fail);
  CHECK_FALSE(probe(1, false, false).sure_fail);
  // Saturated in 2 of 3 repeats: a fail, not sure; in all 3: sure.
  CHECK_FALSE(probe(1, true, true, 2).passed);
  CHECK_FALSE(probe(1, true, true, 2).sure_fail);
  CHECK(probe(1, true, true, 3).sure_fail);
  // Saturated once of three: still a pass, but not a sure one.
  CHECK(probe(1, true, true, 1).passed);
  CHECK_FALSE(probe(1, true, true, 1).sure_pass);

  const std::vector<probe_evidence> probes{probe(4, true, true),   probe(8, true, true),
                                           probe(16, false, true), probe(12, false, false),
                                           probe(10, true, false), probe(11, false, true)};
  const auto band = band_of(probes, 10);
  CHECK(band.low == 8);    // 10 passed, but within the noise
  CHECK(band.high == 11);  // 12 failed within the noise; 11 surely
  CHECK_FALSE(band_of({probe(4, true, false)}, 4).low);
  CHECK_FALSE(band_of({probe(4, true, false)}, 4).high);
}
