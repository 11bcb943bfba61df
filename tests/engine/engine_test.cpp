// The engine against the built-in emulator on loopback.

#include <algorithm>
#include <map>

#include "catch.hpp"
#include "emulated_run.hpp"
#include "fixtures.hpp"
#include "loadwright/core/summary.hpp"
#include "loadwright/datasets/tokenizer.hpp"
#include "tiny_plan.hpp"

using namespace loadwright::runtime;
using loadwright::testing::run_against_emulator;

namespace {

scenario_plan small_plan(arrival_spec arrival, std::uint64_t requests,
                         std::int64_t out_tokens = 8) {
  auto p = loadwright::testing::tiny_plan("t", arrival, requests, 32, out_tokens);
  p.idle_timeout = seconds_d(5);  // a lost response fails the test quickly instead of hanging it
  return p;
}

// Exact peak of [sent, end) intervals.
std::int64_t peak_in_flight(const std::vector<request_record>& rs) {
  std::vector<std::pair<std::int64_t, int>> ev;
  for (const auto& r : rs) {
    ev.emplace_back(r.sent_ns, 1);
    ev.emplace_back(r.sent_ns + r.end_ns, -1);
  }
  std::sort(ev.begin(), ev.end());
  std::int64_t cur = 0, peak = 0;
  for (auto& e : ev) peak = std::max(peak, cur += e.second);
  return peak;
}

}  // namespace

TEST_CASE("engine: every request is recorded with exact token counts from usage",
          "[runtime][engine]") {
  auto r = run_against_emulator(small_plan(closed_arrival{3}, 12));
  REQUIRE(r.measured.records.size() == 12);
  for (std::size_t i = 0; i < 12; ++i) {
    const auto& rec = r.measured.records[i];
    INFO(rec.error);
    CHECK(rec.ok());
    CHECK(rec.seq == i);
    CHECK(rec.http_status == 200);
    CHECK(rec.output_tokens == 8);
    CHECK(rec.output_tokens_from_usage);
    CHECK(rec.input_tokens == 32);
    CHECK(rec.itl_ms.size() == 7);
    CHECK(rec.ttfr_ns > 0);
    CHECK(rec.ttft_ns >= rec.ttfr_ns);
    CHECK(rec.e2el_ns > rec.ttft_ns);
    CHECK(rec.finish_reason == "length");
    CHECK(rec.request_id == "t-1-" + std::to_string(i));
  }
}

TEST_CASE("engine: closed loop holds exactly N in flight", "[runtime][engine]") {
  for (const int workers : {1, 2}) {
    auto r = run_against_emulator(small_plan(closed_arrival{5}, 40, 20), "fast", workers);
    REQUIRE(r.measured.records.size() == 40);
    for (const auto& rec : r.measured.records) {
      INFO(rec.error);
      CHECK(rec.ok());
    }
    CHECK(peak_in_flight(r.measured.records) == 5);
    std::map<std::uint32_t, int> per_worker;
    for (const auto& rec : r.measured.records) ++per_worker[rec.worker];
    CHECK(per_worker.size() == static_cast<std::size_t>(workers));
  }
}

TEST_CASE("engine: max_concurrency caps an open loop and the wait shows as lag",
          "[runtime][engine]") {
  auto plan = small_plan(poisson_arrival{infinite_rate, 1.0}, 30, 20);
  plan.max_concurrency = 4;
  auto r = run_against_emulator(plan);
  REQUIRE(r.measured.records.size() == 30);
  CHECK(peak_in_flight(r.measured.records) == 4);
  // How long each waited for its slot is checked exactly on a manual clock
  // (engine_clock_test.cpp); here: the lag is there, on top of the schedule.
  for (const auto& rec : r.measured.records) {
    CHECK(rec.scheduled_ns == 0);
    CHECK(rec.sent_ns >= rec.scheduled_ns);
  }
}

TEST_CASE("engine: batches are sent together, the next after all have finished",
          "[runtime][engine]") {
  auto r = run_against_emulator(small_plan(batch_arrival{4}, 12, 10));
  REQUIRE(r.measured.records.size() == 12);
  for (int b = 0; b < 3; ++b) {
    std::int64_t last_sent = 0, first_end = INT64_MAX, end = 0;
    for (int i = 0; i < 4; ++i) {
      const auto& rec = r.measured.records[static_cast<std::size_t>(b * 4 + i)];
      last_sent = std::max(last_sent, rec.sent_ns);
      first_end = std::min(first_end, rec.sent_ns + rec.end_ns);
      end = std::max(end, rec.sent_ns + rec.end_ns);
      CHECK(rec.scheduled_ns == r.measured.records[static_cast<std::size_t>(b * 4)].scheduled_ns);
    }
    CHECK(last_sent < first_end);  // the whole batch was out before any of it came back
    if (b < 2) CHECK(r.measured.records[static_cast<std::size_t>(b * 4 + 4)].scheduled_ns >= end);
  }
}

TEST_CASE("engine: open loop sends on schedule without waiting for responses",
          "[runtime][engine]") {
  auto plan = small_plan(poisson_arrival{100.0, 1.0}, 60, 50);  // responses take ~50 ms: overlap
  auto r = run_against_emulator(plan);
  REQUIRE(r.measured.records.size() == 60);
  // Sends follow the schedule in order (exact times and not waiting for answers are checked
  // on a manual clock in engine_clock_test.cpp; lag is measured in bench/).
  for (std::size_t i = 0; i < 60; ++i) {
    const auto& rec = r.measured.records[i];
    CHECK(rec.ok());
    CHECK(rec.scheduled_s() == Approx(r.prepared.schedule_s[i]).margin(1e-6));
    CHECK(rec.sent_ns >= rec.scheduled_ns);
    if (i > 0) CHECK(rec.sent_ns >= r.measured.records[i - 1].sent_ns);
  }
}

TEST_CASE("engine: non-streaming and completions requests", "[runtime][engine]") {
  auto plan = small_plan(closed_arrival{2}, 4);
  plan.request.stream = false;
  plan.request.api = api_kind::completions;
  auto r = run_against_emulator(plan);
  for (const auto& rec : r.measured.records) {
    INFO(rec.error);
    CHECK(rec.ok());
    CHECK(rec.output_tokens == 8);
    CHECK(rec.ttft_ns == rec.e2el_ns);
  }
}

TEST_CASE("engine: failures are records with a class", "[runtime][engine]") {
  SECTION("HTTP 404 keeps the error body") {
    auto r = run_against_emulator(small_plan(closed_arrival{1}, 2), "fast", 1, "/../nope");
    for (const auto& rec : r.measured.records) {
      CHECK(rec.status == request_status::http_status);
      CHECK(rec.http_status == 404);
      CHECK(rec.error.find("no route") != std::string::npos);
    }
  }
  SECTION("connection refused") {
    scenario_plan plan = small_plan(closed_arrival{2}, 3);
    loadwright::datasets::estimate_token_counter counter;
    auto prepared = prepare_scenario(plan, "m", counter);
    engine_options o;
    std::string why;
    o.target.url = *base_url::parse("http://127.0.0.1:1/v1", &why);
    const auto res = execute_phase(prepared, run_phase::measure, 1, o);
    REQUIRE(res.records.size() == 3);
    for (const auto& rec : res.records) {
      CHECK(rec.status == request_status::connect);
      CHECK_FALSE(rec.error.empty());
    }
    const auto s = summarize_run(res.records, {});
    CHECK(s.get("failed") == 3);
    REQUIRE(s.errors.size() == 1);
    CHECK(s.errors[0].first == "connect");
  }
}

TEST_CASE("engine: keep-alive connections are reused", "[runtime][engine]") {
  auto r = run_against_emulator(small_plan(closed_arrival{2}, 20));
  for (const auto& rec : r.measured.records) CHECK(rec.ok());
  CHECK(r.connections == 2);  // one per slot, reused for all 20 requests
}

TEST_CASE("engine: model discovery", "[runtime][engine]") {
  emulator emu(find_emulator_profile("fast"));
  emu.start();
  engine_target t;
  std::string why;
  t.url = *base_url::parse(emu.base_url(), &why);
  CHECK(discover_model(t, &why) == "loadwright/emulated");
  t.url = *base_url::parse("http://127.0.0.1:1", &why);
  CHECK(discover_model(t, &why).empty());
  CHECK(why.find("127.0.0.1:1") != std::string::npos);
}

TEST_CASE("engine: conversations send each turn after the last, with the real reply",
          "[runtime][engine][conversations]") {
  scenario_plan plan = small_plan(closed_arrival{2}, 3);
  loadwright::datasets::conversations_spec conv;
  conv.turns = 3;
  conv.prompt_tokens = 40;
  conv.followup_tokens = 10;
  conv.output_tokens = 6;
  conv.think_time_s = 0.03;
  plan.dataset = conv;
  auto r = run_against_emulator(plan);
  REQUIRE(r.measured.records.size() == 9);  // 3 conversations of 3 turns
  for (std::size_t i = 0; i < 9; ++i) {
    const auto& rec = r.measured.records[i];
    INFO(rec.request_id << " " << rec.error);
    REQUIRE(rec.ok());
    CHECK(rec.seq == i / 3);
    CHECK(rec.turn == i % 3 + 1);
    CHECK(rec.output_tokens == 6);
    CHECK(rec.input_tokens_from_usage);
    if (rec.turn == 1) continue;
    const auto& prev = r.measured.records[i - 1];
    // The emulator counts prompts with the estimate, under which its reply words are one token
    // each and whitespace is free: the history grew by exactly the reply and the next turn.
    const auto& sample = r.prepared.samples[rec.seq];
    CHECK(rec.input_tokens ==
          prev.input_tokens + prev.output_tokens + sample.followup_tokens[rec.turn - 2]);
    // After the previous turn finished (the think time to the nanosecond: engine_clock_test).
    CHECK(rec.sent_ns >= prev.sent_ns + prev.end_ns);
  }
}

TEST_CASE("engine: the server's /tokenize counts prompts when no tokenizer is local",
          "[runtime][engine][tokenizer]") {
  auto profile = find_emulator_profile("fast");
  profile.tokenizer = loadwright::datasets::tokenizer::load(lw_test::fixture_path("mistral"));
  emulator with_tokenizer(profile);
  with_tokenizer.start();
  engine_target t;
  std::string why;
  t.url = *base_url::parse(with_tokenizer.base_url(), &why);
  t.model = profile.model;
  const auto counter = make_server_token_counter(t, &why);
  REQUIRE(counter);
  CHECK(counter->exact());
  const std::string text = "Hello world, what a fine day for a benchmark.";
  CHECK(counter->count(text) ==
        static_cast<std::int64_t>(profile.tokenizer->encode(text, true).size()));
  CHECK(counter->describe().find("/tokenize") != std::string::npos);

  // Without a tokenizer the emulator only estimates, and says so: not used as a counter, and
  // nothing to warn about (the run says it estimates anyway).
  emulator estimating(find_emulator_profile("fast"));
  estimating.start();
  t.url = *base_url::parse(estimating.base_url(), &why);
  why.clear();
  CHECK_FALSE(make_server_token_counter(t, &why));
  CHECK(why.empty());
  // No server at all.
  t.url = *base_url::parse("http://127.0.0.1:1", &why);
  CHECK_FALSE(make_server_token_counter(t, &why));
}
