// The steady-state pieces of issue 16, pure: the phase timeline, the framework's figures from
// hand-made records (every expectation worked out by hand in the comments), the time series'
// text (golden), and the warning for a measure window shorter than a request.

#include <cmath>

#include "catch.hpp"
#include "loadwright/core/describe_plan.hpp"
#include "loadwright/core/phase_timeline.hpp"
#include "loadwright/core/steady_report.hpp"
#include "loadwright/core/steady_state.hpp"
#include "loadwright/core/summary.hpp"
#include "loadwright/core/timeseries.hpp"

using namespace loadwright::runtime;

namespace {

phases_spec spec(double fill, double stabilize, double measure, double drain, double interval = 1) {
  return {seconds_d(fill), seconds_d(stabilize), seconds_d(measure), seconds_d(drain),
          seconds_d(interval)};
}

constexpr std::int64_t ms = 1'000'000;

// A completed request: sent at `sent_ms`, first token after `ttft_ms`, then `gaps` (ms).
request_record done(std::int64_t sent_ms, std::int64_t ttft_ms, std::vector<float> gaps,
                    run_phase phase) {
  request_record r;
  r.phase = phase;
  r.run = 1;
  r.sent_ns = sent_ms * ms;
  r.ttft_ns = ttft_ms * ms;
  double last = static_cast<double>(ttft_ms);
  for (const float g : gaps) last += g;
  r.e2el_ns = static_cast<std::int64_t>(last) * ms;
  r.end_ns = r.e2el_ns;
  r.itl_ms = std::move(gaps);
  r.text_events = static_cast<std::uint32_t>(r.itl_ms.size() + 1);
  r.output_tokens = r.text_events;
  return r;
}

// Closed loop N = 2, one slot a second: fill 0–1, stabilize 1–2, measure 2–6, drain 6–8.
phase_timeline two_slots() {
  return make_phase_timeline(spec(1, 1, 4, 2), 2);
}

// Slot A sends every second from 0, slot B from 1 (the fill); each request takes 1 s:
// first token at 200 ms, then a token every 200 ms (5 tokens, the last at 1 s).
void add_slot(steady_state_accumulator& acc, const phase_timeline& t, int first_s, int last_s) {
  for (int s = first_s; s <= last_s; ++s)
    acc.add(done(s * 1000, 200, {200, 200, 200, 200}, t.phase_at(s)));
}

}  // namespace

TEST_CASE("phase timeline: one slot per interval, the fill long enough for N", "[core][phases]") {
  const auto t = make_phase_timeline(spec(30, 60, 120, 30), 16);
  CHECK(t.fill_end_s == 30);
  CHECK(t.stabilize_end_s == 90);
  CHECK(t.measure_end_s == 210);
  CHECK(t.drain_end_s == 240);
  CHECK(t.slot_start_s(15) == 15);
  CHECK(t.phase_at(0) == run_phase::fill);
  CHECK(t.phase_at(29.999) == run_phase::fill);
  CHECK(t.phase_at(30) == run_phase::stabilize);
  CHECK(t.phase_at(90) == run_phase::measure);
  CHECK(t.phase_at(210) == run_phase::drain);
  // 64 slots one a second need 63 s: the fill lasts that long.
  const auto wide = make_phase_timeline(spec(30, 60, 120, 30), 64);
  CHECK(wide.fill_end_s == 63);
  CHECK(wide.measure_end_s == 243);
  // The time scale shrinks every phase and the interval.
  const auto fast = make_phase_timeline(spec(30, 60, 120, 30), 16, 0.5);
  CHECK(fast.fill_interval_s == 0.5);
  CHECK(fast.drain_end_s == 120);
  // An open loop has no fill.
  const auto open = make_phase_timeline(spec(0, 60, 120, 30), std::nullopt);
  CHECK(open.fill_end_s == 0);
  REQUIRE(open.spans().size() == 3);
  CHECK(open.spans()[0].phase == run_phase::stabilize);
  CHECK(describe_timeline(t) ==
        "fill 30 s (one slot every 1 s up to 16), stabilize 60 s, measure 120 s, drain up to "
        "30 s: 240 s at most (measure window 90..210 s)");
}

TEST_CASE("steady state: the framework's figures from a run at full load", "[core][phases]") {
  const auto t = two_slots();
  steady_state_accumulator acc(t);
  add_slot(acc, t, 0, 5);  // slot A: 0..5 (nothing is sent from 6 s)
  add_slot(acc, t, 1, 5);  // slot B: 1..5
  const auto f = acc.finish();
  CHECK(f.concurrency == 2);
  CHECK(f.window_s == 4);
  CHECK(f.sent_in_window == 8);  // sent at 2, 3, 4, 5 by both slots
  CHECK(f.measured == 8);
  CHECK(f.measured_output_tokens == 40);
  CHECK(f.user_tps_mean == Approx(5.0));  // 5 tokens / 1 s, TTFT included
  CHECK(f.user_tps_std == Approx(0.0).margin(1e-12));
  CHECK(f.generation_tps_mean == Approx(6.25));  // 5 tokens / (1 s − 0.2 s)
  CHECK(f.server_tps == Approx(10.0));           // 5 × N
  // Tokens inside [2, 6): the 2.0 s token of each request sent at 1 s (2), all 5 of each sent
  // at 2, 3, 4 (30), 4 of each sent at 5 (8, the 6.0 s one is outside): 40 / 4 s.
  CHECK(f.window_output_tps == Approx(10.0));
  CHECK(f.jitter_ratio == Approx(1.0));
  CHECK(f.mean_in_flight == Approx(2.0));
  CHECK(f.full_load_share == Approx(1.0));
  CHECK(f.first_half_tps == Approx(10.0));
  CHECK(f.second_half_tps == Approx(10.0));
  CHECK(f.drift == Approx(0.0).margin(1e-12));
  CHECK(f.steady);
  CHECK(f.steady_reason.empty());
}

TEST_CASE("steady state: a slot lost half-way is not steady, for two reasons", "[core][phases]") {
  const auto t = two_slots();
  steady_state_accumulator acc(t);
  add_slot(acc, t, 0, 5);
  add_slot(acc, t, 1, 3);  // slot B stops after its request of 3 s (ends at 4 s)
  const auto f = acc.finish();
  CHECK(f.measured == 6);
  CHECK(f.mean_in_flight == Approx(1.5));
  CHECK(f.full_load_share == Approx(0.5));  // 2 in flight over [2, 4), 1 over [4, 6)
  // Buckets of the window: 10, 10, then 6 (1 + 4 + 1) and 5 (1 + 4) tokens a second.
  CHECK(f.first_half_tps == Approx(10.0));
  CHECK(f.second_half_tps == Approx(5.5));
  CHECK(f.drift == Approx(-0.45));
  CHECK(f.drift_noise == Approx(0.1));  // 2 × sqrt(0 / 2 + 0.5 / 2) / 10
  CHECK_FALSE(f.steady);
  CHECK(f.steady_reason ==
        "in flight was at least 0.95 × 2 only 50.0 % of the measure window (mean 1.50); "
        "output tokens/s drifted -45.0 % from the first half of the measure window to the "
        "second (10.0 → 5.5; noise ±10.0 %)");
}

TEST_CASE("steady state: the measured set leaves out what the drain cut", "[core][phases]") {
  const auto t = two_slots();
  steady_state_accumulator acc(t);
  add_slot(acc, t, 0, 4);
  add_slot(acc, t, 1, 4);
  for (int slot = 0; slot < 2; ++slot) {
    request_record cut = done(5000, 200, {}, run_phase::drain);
    cut.status = request_status::cancelled;
    cut.output_tokens = -1;
    cut.end_ns = 3000 * ms;  // cancelled at the drain's end, 8 s
    acc.add(cut);
  }
  const auto f = acc.finish();
  CHECK(f.sent_in_window == 8);
  CHECK(f.measured == 6);
  CHECK(f.cut_by_drain == 2);
  CHECK(f.full_load_share == Approx(1.0));  // the cut requests were in flight
}

TEST_CASE("steady state: jitter with the framework's index percentiles", "[core][phases]") {
  const std::vector<double> sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  CHECK(index_percentile(sorted, 50) == 6);   // sorted[len // 2]
  CHECK(index_percentile(sorted, 99) == 10);  // sorted[int(len * 0.99)]
  const auto t = make_phase_timeline(spec(1, 1, 4, 2), 1);
  steady_state_accumulator acc(t);
  acc.add(done(2000, 100, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, run_phase::measure));
  const auto f = acc.finish();
  CHECK(f.itl_p50_ms == 6);
  CHECK(f.itl_p99_ms == 10);
  CHECK(f.jitter_ratio == Approx(10.0 / 6.0));
  CHECK(f.jitter_ratio_interpolated == Approx(9.91 / 5.5));  // numpy: p99 9.91, p50 5.5
}

TEST_CASE("time series: golden text, second by second", "[core][phases]") {
  timeseries_accumulator series;
  auto a = done(0, 500, {1000}, run_phase::measure);  // tokens at 0.5 and 1.5 s, ends 1.5 s
  auto b = done(500, 250, {}, run_phase::measure);    // one token at 0.75 s, ends then
  request_record failed;
  failed.run = 1;
  failed.sent_ns = 1200 * ms;
  failed.end_ns = 100 * ms;
  failed.status = request_status::http_status;
  series.add(a);
  series.add(b);
  series.add(failed);
  request_record warm = a;
  warm.phase = run_phase::warmup;  // its own clock: left out
  series.add(warm);
  CHECK(series.csv() ==
        "run,second,phase,in_flight,sent,completed,output_tokens_per_s,ttft_p50_ms\n"
        "1,0,measure,1.250,2,1,2.000,250.000\n"
        "1,1,measure,0.600,1,1,1.000,500.000\n");
}

TEST_CASE("time series: the phase of each second comes from the timeline", "[core][phases]") {
  // N = 1: fill 0–1, stabilize 1–2, measure 2–3, drain 3–4.
  timeseries_accumulator series(make_phase_timeline(spec(1, 1, 1, 1), 1));
  auto long_one = done(0, 100, {3400}, run_phase::fill);  // ends at 3.5 s
  series.add(long_one);
  CHECK(series.csv() ==
        "run,second,phase,in_flight,sent,completed,output_tokens_per_s,ttft_p50_ms\n"
        "1,0,fill,1.000,1,0,1.000,\n"
        "1,1,stabilize,1.000,0,0,0.000,\n"
        "1,2,measure,1.000,0,0,0.000,\n"
        "1,3,drain,0.500,0,1,1.000,100.000\n");
}

TEST_CASE("phases: a measure window shorter than a request is warned about", "[core][phases]") {
  scenario_plan plan;
  plan.source = "x.lua:3";
  plan.arrival = closed_arrival{4};
  loadwright::datasets::random_spec ds;
  ds.output_tokens = 512;
  plan.dataset = ds;
  plan.phases = spec(30, 60, 10, 30);
  const auto w = short_measure_warning(plan);
  REQUIRE(w);
  CHECK(*w ==
        "x.lua:3: phases.measure (10 s) is shorter than one request can plausibly take (512 "
        "output tokens at 20 tokens/s: 25.6 s); few requests sent in it will finish inside it");
  plan.phases->measure = seconds_d(120);
  CHECK_FALSE(short_measure_warning(plan));
  CHECK(describe_plan(plan).find("  phases:    fill 30 s") != std::string::npos);
}

TEST_CASE(
    "--dry-run's expected time: phases, durations and runs timed; counts and warm-ups "
    "named",
    "[core][phases]") {
  scenario_plan steady;
  steady.arrival = closed_arrival{4};
  steady.phases = spec(30, 60, 120, 30);  // to the drain's end: 240 s
  steady.runs = 2;
  scenario_plan timed;
  timed.arrival = closed_arrival{1};
  timed.duration = seconds_d(90);
  CHECK(describe_total_time({steady, timed}) == "expected time: 9 min 30 s for 2 of 2 scenarios");
  scenario_plan counted;
  counted.arrival = closed_arrival{1};
  counted.requests = 100;
  counted.warmup = 50;
  CHECK(describe_total_time({steady, counted}) ==
        "expected time: 8 min 0 s for 1 of 2 scenarios (the other 1 run to a request count, "
        "which the server's speed decides), plus 50 warm-up requests (as fast as the server "
        "answers them)");
  CHECK(describe_total_time({counted}) ==
        "expected time: as long as the server takes (every scenario runs to a request count), "
        "plus 50 warm-up requests (as fast as the server answers them)");
}

TEST_CASE("phases: the summary's duration counts from the measure window's start",
          "[core][phases]") {
  const auto t = two_slots();
  std::vector<request_record> records;
  for (int s = 0; s <= 5; ++s)
    records.push_back(done(s * 1000, 200, {200, 200, 200, 200}, t.phase_at(s)));
  summary_options options;
  options.origin_ns = timeline_ns(t.stabilize_end_s);
  const auto s = summarize_run(records, options);
  // Measured: sent at 2, 3, 4, 5 s; the last ends at 6 s, 4 s after the window opened.
  CHECK(s.get("completed") == 4);
  CHECK(s.get("duration") == Approx(4.0));
  CHECK(s.get("request_throughput") == Approx(1.0));
  CHECK(s.get("output_throughput") == Approx(5.0));
  streaming_summary streamed(options);
  for (const auto& r : records) streamed.add(r);
  CHECK(streamed.finish(1).get("duration") == Approx(4.0));
}

TEST_CASE("steady-state report: a table per target and the difficulty matrix, golden",
          "[core][phases]") {
  auto cell = [](std::string target, std::string scenario, int n, double server_tps) {
    steady_cell c;
    c.target = std::move(target);
    c.scenario = std::move(scenario);
    c.batch_size = n;
    c.server_tps = server_tps;
    c.user_tps = server_tps / n;
    c.user_tps_std = 1;
    c.window_output_tps = server_tps - 2;
    c.ttft_p50_ms = 10;
    c.ttft_p99_ms = 30;
    c.tpot_ms = 5;
    c.jitter_ratio = 1.5;
    c.steady = n < 8;
    return c;
  };
  const std::vector<steady_cell> cells = {cell("", "A1", 1, 100), cell("", "A1", 8, 400),
                                          cell("", "B2", 1, 50), cell("", "B2", 8, 160)};
  CHECK(difficulty_reference(cells) == "A1");
  CHECK(steady_report_markdown("grid", cells) ==
        "# Steady state: grid\n\n"
        "| scenario | N | server tok/s | user tok/s | counted tok/s | TTFT p50 ms | TTFT p99 ms "
        "| TPOT ms | jitter | steady |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n"
        "| A1 | 1 | 100.0 | 100.0 ± 1.0 | 98.0 | 10.0 | 30.0 | 5.00 | 1.50 | yes |\n"
        "| A1 | 8 | 400.0 | 50.0 ± 1.0 | 398.0 | 10.0 | 30.0 | 5.00 | 1.50 | **no** |\n"
        "| B2 | 1 | 50.0 | 50.0 ± 1.0 | 48.0 | 10.0 | 30.0 | 5.00 | 1.50 | yes |\n"
        "| B2 | 8 | 160.0 | 20.0 ± 1.0 | 158.0 | 10.0 | 30.0 | 5.00 | 1.50 | **no** |\n"
        "\nDifficulty: server tok/s of A1 over each scenario's at the same N (2.00 = half A1's "
        "throughput)\n\n"
        "| scenario | N=1 | N=8 |\n|---|---:|---:|\n"
        "| A1 | 1.00 | 1.00 |\n"
        "| B2 | 2.00 | 2.50 |\n\n");
  CHECK(steady_report_csv({cells[0]}) ==
        "target,scenario,batch_size,server_tps,user_tps,user_tps_std,window_output_tps,"
        "ttft_p50_ms,ttft_p99_ms,tpot_ms,jitter_ratio,steady\n"
        ",A1,1,100.000,100.000,1.000,98.000,10.000,30.000,5.000,1.500,true\n");
  // Two targets: a section each; a cell missing on one side shows as "–".
  const std::vector<steady_cell> two = {cell("vllm", "A1", 1, 100), cell("sglang", "B1", 1, 80)};
  const auto md = steady_report_markdown("cmp", two);
  CHECK(md.find("## vllm\n") != std::string::npos);
  CHECK(md.find("## sglang\n") != std::string::npos);
  CHECK(md.find("| B1 | – |") != std::string::npos);
}

TEST_CASE("steady-state report: an emulated cell in the modelled machine's time",
          "[core][phases]") {
  steady_cell c;
  c.server_tps = 1000;
  c.user_tps = 100;
  c.user_tps_std = 10;
  c.window_output_tps = 990;
  c.ttft_p50_ms = 2;
  c.ttft_p99_ms = 4;
  c.tpot_ms = 0.5;
  c.jitter_ratio = 1.5;
  const auto m = in_modelled_time(c, 0.02);  // 50 times faster than the machine modelled
  CHECK(m.server_tps == Approx(20));
  CHECK(m.user_tps == Approx(2));
  CHECK(m.user_tps_std == Approx(0.2));
  CHECK(m.window_output_tps == Approx(19.8));
  CHECK(m.ttft_p50_ms == Approx(100));
  CHECK(m.ttft_p99_ms == Approx(200));
  CHECK(m.tpot_ms == Approx(25));
  CHECK(m.jitter_ratio == 1.5);
  CHECK(in_modelled_time(c, 1.0).server_tps == 1000);
}

TEST_CASE("steady-state report: two engines compared cell by cell, golden", "[core][phases]") {
  auto cell = [](std::string target, std::string scenario, int n, double server_tps) {
    steady_cell c;
    c.target = std::move(target);
    c.scenario = std::move(scenario);
    c.batch_size = n;
    c.server_tps = server_tps;
    return c;
  };
  const std::vector<steady_cell> cells = {
      cell("vllm", "A1", 1, 100),  cell("vllm", "A1", 8, 400),   cell("vllm", "B2", 8, 150),
      cell("sglang", "A1", 1, 80), cell("sglang", "A1", 8, 500), cell("sglang", "B2", 8, 150),
      cell("sglang", "C", 8, 300)};  // C: sglang only, not compared
  CHECK(steady_comparison(cells, "vllm", "sglang") ==
        "## vllm vs sglang: server tok/s\n\n"
        "| scenario | N | vllm | sglang | wins | by |\n"
        "|---|---:|---:|---:|---|---:|\n"
        "| A1 | 1 | 100.0 | 80.0 | vllm | 25.0 % |\n"
        "| A1 | 8 | 400.0 | 500.0 | sglang | 25.0 % |\n"
        "| B2 | 8 | 150.0 | 150.0 | tie | 0.0 % |\n"
        "\nvllm wins 1 of 3 cells (33 %), sglang 1 (33 %).\n\n");
  CHECK(steady_report_markdown("cmp", cells).ends_with(steady_comparison(cells, "vllm", "sglang")));
}
