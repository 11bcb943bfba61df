// The `spark` profile against the machine it is shaped after: every value of the published
// llama-benchy table (reference/arena-suite.md) within 10 %, measured the way llama-benchy
// measures (batches of c requests fired together, its formulas: runtime::run_scenario with a
// llama_benchy cell, as `llama_benchy.sweep` runs one), and vLLM-style staggered Poisson
// arrivals at 64 in flight giving a TTFT of hundreds of milliseconds, not seconds.
//
// The emulator runs time-scaled; the client's own costs (a new connection per run, thread
// wake-ups: about a millisecond, more on a loaded machine) are not. Each cell therefore runs at
// a scale where its shortest measured interval lasts long enough for them to stay small
// (checked against unscaled runs: the same figures within 1–3 %).

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "catch.hpp"
#include "emulated_run.hpp"
#include "fixtures.hpp"
#include "loadwright/app/runner.hpp"
#include "tiny_plan.hpp"

using namespace loadwright::runtime;

namespace {

constexpr double none = -1;  // the table has no value here

// reference/arena-suite.md, "Reference figures from a published write-up (gpt-oss-120b MXFP4,
// one DGX Spark, vLLM)": llama-benchy, 1024 in / 128 out, 50 runs each. "ms per token" is
// 1000 / llama-benchy's per-request decode t/s (17.47 = 1000 / 57.22 at c1).
struct published_row {
  int concurrency;
  double decode_tps, prefill_tps, ttfr_ms, ms_per_token;
  double time_scale;  // this test's, not the table's
};
constexpr published_row kTable[] = {
    {1, 57.22, 3310, 311, 17.47, 0.3},      {2, 77.81, none, none, none, 0.08},
    {4, 107.40, 4579, 682, none, 0.15},     {8, 150.62, none, none, 52.88, 0.05},
    {16, 214.47, 6918, 2112, none, 0.08},   {32, 314.36, 6991, none, 100.91, 0.05},
    {64, 452.54, 6809, 7796, 138.50, 0.04},
};

// The same write-up under `vllm bench serve` (staggered Poisson arrivals): TTFT p50 307 ms at
// 64 in flight (where llama-benchy's simultaneous 64 wait 7.8 s).
constexpr double kPoissonTtftP50Ms = 307;

emulator_profile spark(double time_scale) {
  auto p = find_emulator_profile("spark");
  p.time_scale = time_scale;
  return p;
}

// A cell's figures on the modelled machine's clock.
struct measured_cell {
  double decode_tps = 0, prefill_tps = 0, ttfr_ms = 0, ms_per_token = 0;
};

// One cell of `llama_benchy.sweep { pp = 1024, tg = 128, concurrency = c }`: c prompts of 1024
// tokens fired together, 128 tokens each. No coherence question or warm-up run (they change
// nothing in the emulator), and latency_mode "none": the latency llama-benchy subtracts would
// be measured in real time from a time-scaled TTFR (on the real machine it is ~1 ms of 311).
measured_cell measure_cell(int c, double time_scale) {
  preparation_choices runtime_choices;
  auto plan = loadwright::testing::tiny_plan("spark-c" + std::to_string(c), batch_arrival{c},
                                             static_cast<std::uint64_t>(c), 1024, 128);
  plan.request.ignore_eos = std::nullopt;  // llama-benchy does not send it
  plan.fresh_prompts = true;
  plan.idle_timeout = seconds_d(30);
  llama_benchy_spec spec;
  spec.report = "spark";
  spec.pp = 1024;
  spec.tg = 128;
  spec.concurrency = c;
  spec.latency_mode = "none";
  spec.coherence = false;
  spec.grid_max_concurrency = 64;
  plan.llama_benchy = spec;

  emulator emu(spark(time_scale));
  emu.start();
  loadwright::datasets::estimate_token_counter counter;
  runtime_choices.time_scale = time_scale;
  const auto prepared =
      prepare_scenario(plan, emu.profile().model, counter, nullptr, runtime_choices);
  engine_options eo;
  std::string why;
  eo.target.url = *base_url::parse(emu.base_url(), &why);
  eo.target.model = emu.profile().model;
  output_options out;
  out.out_dir = lw_test::temp_dir("spark-calibration-c" + std::to_string(c));
  out.emulated = true;
  out.time_scale = time_scale;
  const auto outcome = run_scenario(prepared, eo, out);
  // The cell's llama-benchy figures, as its report consumer derived them.
  const auto tg = outcome.value("llama_benchy.tg"), pp = outcome.value("llama_benchy.pp"),
             ttfr = outcome.value("llama_benchy.ttfr_ms"),
             tg_req = outcome.value("llama_benchy.tg_req");
  REQUIRE(tg);
  REQUIRE(pp);
  REQUIRE(ttfr);
  REQUIRE(tg_req);
  // Back to the modelled machine's clock: rates × scale, times ÷ scale.
  measured_cell m;
  m.decode_tps = *tg * time_scale;
  m.prefill_tps = *pp * time_scale;
  m.ttfr_ms = *ttfr / time_scale;
  m.ms_per_token = 1000.0 / (*tg_req * time_scale);
  return m;
}

bool within(double measured, double published, double tolerance) {
  return published == none || std::abs(measured - published) <= tolerance * published;
}

bool matches(const measured_cell& m, const published_row& row) {
  return within(m.decode_tps, row.decode_tps, 0.10) &&
         within(m.prefill_tps, row.prefill_tps, 0.10) && within(m.ttfr_ms, row.ttfr_ms, 0.10) &&
         within(m.ms_per_token, row.ms_per_token, 0.10);
}

}  // namespace

TEST_CASE("emulator: the spark profile gives the published llama-benchy table within 10%",
          "[runtime][emulator][calibration]") {
  for (const auto& row : kTable) {
    // A stalled machine (another process holding both cores through a step) shows as a slow
    // cell; a cell is measured again, up to twice, before its figures count.
    auto m = measure_cell(row.concurrency, row.time_scale);
    for (int retry = 0; retry < 2 && !matches(m, row); ++retry)
      m = measure_cell(row.concurrency, row.time_scale);
    INFO("c" << row.concurrency << ": decode " << m.decode_tps << " t/s, prefill " << m.prefill_tps
             << " t/s, TTFR " << m.ttfr_ms << " ms, " << m.ms_per_token << " ms per token");
    CHECK(within(m.decode_tps, row.decode_tps, 0.10));
    CHECK(within(m.prefill_tps, row.prefill_tps, 0.10));
    CHECK(within(m.ttfr_ms, row.ttfr_ms, 0.10));
    CHECK(within(m.ms_per_token, row.ms_per_token, 0.10));
  }
}

TEST_CASE(
    "emulator: spark under staggered Poisson arrivals at 64 in flight answers in "
    "hundreds of milliseconds",
    "[runtime][emulator][calibration]") {
  // vllm bench serve --request-rate 3 --max-concurrency 64, random 1024 in / 128 out: at 3
  // requests/s the engine fills up to its 64 (each request takes ~19 s at that batch). A new
  // prompt waits for the running step, then is prefilled beside the decoding sequences (and
  // any prompt that came with it), instead of queueing behind 63 others as in llama-benchy's
  // burst. The published 307 ms is barely above one prompt alone (304 ms at c1): in a
  // step-by-step engine the wait for the running step (~70 ms on average at 64) and prompts
  // arriving together put this p50 higher: 0.46 s unscaled, ~0.55 s here (each new connection
  // costs the client a millisecond or so of real time).
  constexpr double s = 0.05;
  auto plan = loadwright::testing::tiny_plan("spark-poisson", poisson_arrival{3.0, 1.0, true}, 100,
                                             1024, 128);
  plan.max_concurrency = 64;
  plan.idle_timeout = seconds_d(30);
  const auto r = loadwright::testing::run_against_profile(plan, spark(s),
                                                          [](engine_options& o) { o.workers = 2; });
  REQUIRE(r.measured.records.size() == 100);
  std::vector<double> ttft_ms;  // vLLM's TTFT: the first event with choices (our TTFR)
  for (const auto& rec : r.measured.records) {
    REQUIRE(rec.ok());
    ttft_ms.push_back(static_cast<double>(rec.ttfr_ns) * 1e-6 / s);
  }
  std::sort(ttft_ms.begin(), ttft_ms.end());
  const double p50 = (ttft_ms[49] + ttft_ms[50]) / 2;  // numpy's median
  INFO("TTFT p50 " << p50 << " ms, peak in flight " << r.measured.peak_in_flight);
  CHECK(r.measured.peak_in_flight >= 56);
  CHECK(p50 > kPoissonTtftP50Ms * 0.9);  // at least a prompt's prefill
  CHECK(p50 < 1000);                     // hundreds of ms; a burst of 64 waits 7.8 s
}
