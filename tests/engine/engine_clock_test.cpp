// The engine's timing on a manual clock, with exact expectations: the test moves the engine's
// time and releases the server's answers itself, so a schedule, a concurrency cap, a think time,
// a duration and a stop are checked to the nanosecond, with no sleep and no wall-clock bound.
// (The server's socket I/O is real; the test only waits on it, through the server's own log of
// what it received.)

#include <future>

#include "catch.hpp"
#include "clocked_run.hpp"
#include "hostile_wire.hpp"
#include "loadwright/datasets/token_counter.hpp"
#include "loadwright/engine/engine.hpp"
#include "loadwright/engine/engine_clock.hpp"
#include "scripted_server.hpp"
#include "tiny_plan.hpp"

using namespace loadwright::runtime;
using loadwright::testing::clocked_run;
using loadwright::testing::scripted_reply;
using loadwright::testing::scripted_server;
using namespace std::chrono_literals;

namespace {

std::int64_t ns(std::chrono::nanoseconds d) {
  return d.count();
}

// The offset the engine computes for a schedule entry (seconds → clock ticks).
std::int64_t offset_ns(double seconds) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::duration_cast<std::chrono::steady_clock::duration>(seconds_d(seconds)))
      .count();
}

}  // namespace

TEST_CASE("manual clock: an open loop sends each request at its scheduled time, exactly",
          "[engine][clock]") {
  scripted_server server({{loadwright::testing::wire::short_answer()}});
  server.hold_replies();  // no answer until every request is out: the loop does not wait
  manual_clock clock;
  const auto start = clock.now();
  poisson_arrival poisson;
  poisson.rate = 5;
  clocked_run run(loadwright::testing::tiny_plan("open", poisson, 8, 8, 2), server, clock);
  const auto& schedule = run.prepared.schedule_s;
  REQUIRE(schedule.size() == 8);
  for (int i = 0; i < 8; ++i) {
    REQUIRE(clock.wait_for_sleeper(10s));
    const auto wake = clock.next_wake();
    REQUIRE(wake);
    CHECK(ns(*wake - start) == offset_ns(schedule[static_cast<std::size_t>(i)]));
    clock.advance_to(*wake);
    REQUIRE(server.wait_requests(i + 1));  // sent before the clock moves on
  }
  CHECK(server.requests().size() == 8);
  server.release(8);
  const auto r = run.finish();
  REQUIRE(r.records.size() == 8);
  for (std::size_t i = 0; i < 8; ++i) {
    const auto& rec = r.records[i];
    INFO(rec.error);
    CHECK(rec.ok());
    CHECK(rec.scheduled_ns == offset_ns(schedule[i]));
    CHECK(rec.sent_ns == rec.scheduled_ns);
  }
}

TEST_CASE("manual clock: the wait for a max_concurrency slot is schedule lag, exactly",
          "[engine][clock]") {
  scripted_server server({{loadwright::testing::wire::short_answer()}});
  server.hold_replies();
  manual_clock clock;
  auto plan =
      loadwright::testing::tiny_plan("capped", poisson_arrival{infinite_rate, 1.0}, 5, 8, 2);
  plan.max_concurrency = 2;
  clocked_run run(plan, server, clock);
  REQUIRE(server.wait_requests(2));  // two slots, both taken at t = 0
  const auto t0 = clock.now();
  // Each later answer frees a slot 100 ms after the one before.
  for (int k = 1; k <= 3; ++k) {
    clock.advance_to(t0 + k * 100ms);
    server.release(1);
    REQUIRE(server.wait_requests(2 + k));
  }
  server.release(10);
  const auto r = run.finish();
  REQUIRE(r.records.size() == 5);
  const std::int64_t lag_ms[] = {0, 0, 100, 200, 300};
  for (std::size_t i = 0; i < 5; ++i) {
    INFO("request " << i);
    CHECK(r.records[i].ok());
    CHECK(r.records[i].scheduled_ns == 0);
    CHECK(r.records[i].sent_ns == lag_ms[i] * 1'000'000);
  }
  // The first two answers came out at 100 and 200 ms on the engine's clock (which of the two
  // requests the server took first is its business).
  CHECK(std::min(r.records[0].e2el_ns, r.records[1].e2el_ns) == 100'000'000);
  CHECK(std::max(r.records[0].e2el_ns, r.records[1].e2el_ns) == 200'000'000);
  CHECK(r.peak_in_flight == 2);
}

TEST_CASE("manual clock: a conversation's next turn follows the last by its think time",
          "[engine][clock][conversations]") {
  scripted_server server({{loadwright::testing::wire::short_answer()}});
  manual_clock clock;
  auto plan = loadwright::testing::tiny_plan("talk", closed_arrival{1}, 1, 8, 2);
  loadwright::datasets::conversations_spec conv;
  conv.turns = 3;
  conv.prompt_tokens = 20;
  conv.followup_tokens = 5;
  conv.output_tokens = 2;
  conv.think_time_s = 2.5;
  plan.dataset = conv;
  clocked_run run(plan, server, clock);
  for (int turn = 2; turn <= 3; ++turn) {
    REQUIRE(clock.wait_for_sleeper(10s));
    clock.advance_to(*clock.next_wake());
    REQUIRE(server.wait_requests(turn));
  }
  const auto r = run.finish();
  REQUIRE(r.records.size() == 3);
  for (std::size_t k = 1; k < 3; ++k) {
    const auto& prev = r.records[k - 1];
    const auto& rec = r.records[k];
    INFO("turn " << rec.turn);
    CHECK(rec.ok());
    CHECK(rec.scheduled_ns == prev.sent_ns + prev.end_ns + 2'500'000'000);
    CHECK(rec.sent_ns == rec.scheduled_ns);
  }
}

TEST_CASE("manual clock: nothing is sent once the duration is over", "[engine][clock]") {
  scripted_server server({{loadwright::testing::wire::short_answer()}});
  server.hold_replies();
  manual_clock clock;
  auto plan = loadwright::testing::tiny_plan("timed", closed_arrival{1}, 1, 8, 2);
  plan.requests.reset();
  plan.duration = seconds_d(1);
  clocked_run run(plan, server, clock);
  const auto t0 = clock.now();
  REQUIRE(server.wait_requests(1));
  clock.advance_to(t0 + 500ms);
  server.release(1);
  REQUIRE(server.wait_requests(2));  // due at once: the slot is free, 0.5 s is inside 1 s
  clock.advance_to(t0 + 1s);         // the duration is over when this answer comes
  server.release(1);
  const auto r = run.finish();
  REQUIRE(r.records.size() == 2);
  CHECK(r.records[0].sent_ns == 0);
  CHECK(r.records[1].sent_ns == 500'000'000);
  CHECK(server.requests().size() == 2);
}

TEST_CASE("manual clock: a stop ends every wait at once", "[engine][clock]") {
  scripted_server server({{loadwright::testing::wire::short_answer()}});
  manual_clock clock;
  poisson_arrival slow;
  slow.rate = 0.001;  // the first request is due in about 1000 s of the engine's time
  stop_signal stop;
  clocked_run run(loadwright::testing::tiny_plan("stopped", slow, 3, 8, 2), server, clock, &stop);
  REQUIRE(clock.wait_for_sleeper(10s));
  stop.request();  // the clock never moves: only the stop can end the wait
  const auto r = run.finish();
  CHECK(r.interrupted);
  CHECK(r.records.empty());
  CHECK(server.requests().empty());
}
