// Long runs in bounded memory: bounded_series and streaming_summary against the exact ones.

#include <cmath>
#include <random>

#include "catch.hpp"
#include "emulated_run.hpp"
#include "loadwright/core/bounded_series.hpp"
#include "loadwright/core/summary.hpp"
#include "loadwright/emulator/emulator.hpp"
#include "loadwright/engine/engine.hpp"
#include "tiny_plan.hpp"

using namespace loadwright::runtime;

namespace {

std::vector<double> latencies(std::size_t n, std::uint32_t seed) {
  std::mt19937_64 rng(seed);
  std::lognormal_distribution<double> d(3.0, 1.2);  // ms: a long right tail
  std::vector<double> v(n);
  for (auto& x : v) x = d(rng);
  return v;
}

}  // namespace

TEST_CASE("bounded_series: exact below its limit, within 0.05% above it", "[runtime][summary]") {
  const std::vector<double> pcts{1, 25, 50, 90, 99, 99.9};
  const auto values = latencies(50'000, 7);
  const auto exact = compute_series_stats(values, pcts);

  bounded_series below(100'000);
  for (const double v : values) below.add(v);
  CHECK(below.exact());
  const auto b = below.stats(pcts);
  CHECK(b.mean == exact.mean);
  CHECK(b.median == exact.median);
  CHECK(b.percentiles == exact.percentiles);

  bounded_series folded(1'000);
  for (const double v : values) folded.add(v);
  CHECK_FALSE(folded.exact());
  CHECK(folded.count() == values.size());
  const auto f = folded.stats(pcts);
  CHECK(f.mean == Approx(exact.mean).epsilon(1e-12));
  CHECK(f.std == Approx(exact.std).epsilon(1e-9));
  CHECK(f.median == Approx(exact.median).epsilon(5e-4));
  for (std::size_t i = 0; i < pcts.size(); ++i) {
    INFO("p" << pcts[i]);
    CHECK(f.percentiles[i] == Approx(exact.percentiles[i]).epsilon(5e-4));
  }
  // Zero and negative values land in the lowest bucket instead of breaking the logarithm.
  bounded_series odd(2);
  for (const double v : {0.0, -1.0, 5.0, 5.0}) odd.add(v);
  CHECK(odd.stats({50}).percentiles[0] == Approx(2.5).epsilon(1e-3));
}

TEST_CASE("streaming_summary equals summarize_run on a real run, and stays close when folded",
          "[runtime][summary]") {
  auto plan = loadwright::testing::tiny_plan("s", closed_arrival{4}, 60, 16, 12);
  plan.slo.ttft = seconds_d(0.5);
  auto r = loadwright::testing::run_against_emulator(plan);
  REQUIRE(r.measured.records.size() == 60);
  r.measured.records[3].status = request_status::http_status;  // one failure, for the counts
  r.measured.records[3].error = "HTTP 503";
  summary_options o{{50, 90, 99}, plan.slo};
  const auto exact = summarize_run(r.measured.records, o);

  streaming_summary same(o);
  for (const auto& rec : r.measured.records) same.add(rec);
  CHECK(same.exact());
  const auto s = same.finish(4);
  REQUIRE(s.fields.size() == exact.fields.size());
  for (std::size_t i = 0; i < s.fields.size(); ++i) {
    const auto& key = s.fields[i].key;
    INFO(key);
    CHECK(key == exact.fields[i].key);
    if (key == "max_output_tokens_per_s") continue;  // bucketed from t = 0, by definition
    CHECK(s.fields[i].value == exact.fields[i].value);
  }
  CHECK(s.errors == exact.errors);
  CHECK(s.error_examples == exact.error_examples);

  streaming_summary folded(o, 16);
  for (const auto& rec : r.measured.records) folded.add(rec);
  CHECK_FALSE(folded.exact());
  const auto f = folded.finish(4);
  for (const std::string key : {"p99_itl_ms", "median_ttft_ms", "p90_e2el_ms", "mean_tpot_ms"})
    CHECK(f.get(key) == Approx(exact.get(key)).epsilon(5e-3));
  CHECK(f.get("completed") == 59);
  CHECK(f.get("goodput_ratio") == exact.get("goodput_ratio"));
}

TEST_CASE("engine: without retained records every record still reaches on_record",
          "[runtime][summary]") {
  const auto plan = loadwright::testing::tiny_plan("lean", closed_arrival{3}, 30, 8, 4);
  std::mutex mu;
  std::size_t seen = 0;
  const auto r = loadwright::testing::run_against_profile(
      plan, find_emulator_profile("fast"), [&](engine_options& o) {
        o.retain_records = false;
        o.on_record = [&](const request_record& rec) {
          std::lock_guard lock(mu);
          seen += rec.ok() ? 1 : 0;
        };
      });
  const auto& res = r.measured;
  CHECK(res.records.empty());
  CHECK(seen == 30);
  CHECK(res.peak_in_flight == 3);
}
