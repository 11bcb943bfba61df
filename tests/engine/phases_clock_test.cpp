// A scenario with `phases` on a manual clock, with exact expectations: the fill adds one slot
// per interval, N requests stay in flight through stabilize and measure, nothing new is sent
// in the drain, and what is still in flight when it ends is cancelled, at that instant.
// (The server's socket I/O is real; the test waits only on its log of what it received.)

#include <atomic>
#include <future>
#include <thread>

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
using loadwright::testing::scripted_server;
using namespace std::chrono_literals;

namespace {

// Waits (real time, bounded) until the earliest timer on `clock` is `at`: every coroutine
// that should be asleep by now is.
bool wait_for_wake(const manual_clock& clock, engine_time at) {
  for (int i = 0; i < 10000; ++i) {
    if (clock.next_wake() == at) return true;
    std::this_thread::sleep_for(1ms);
  }
  return false;
}

// Moves the clock to each send of an open loop's `schedule` in turn (from `t0`) and waits until
// the server has read that request.
void send_schedule(const std::vector<double>& schedule, const scripted_server& server,
                   manual_clock& clock, engine_time t0) {
  for (std::size_t i = 0; i < schedule.size(); ++i) {
    const auto at = t0 + std::chrono::duration_cast<engine_time::duration>(seconds_d(schedule[i]));
    if (at > clock.now()) {
      REQUIRE(wait_for_wake(clock, at));
      clock.advance_to(at);
    }
    REQUIRE(server.wait_requests(static_cast<int>(i) + 1));
  }
}

scenario_plan phased_plan(arrival_spec arrival, phases_spec phases) {
  auto plan = loadwright::testing::tiny_plan("phased", arrival, 1, 8, 2);
  plan.requests.reset();
  plan.phases = phases;
  return plan;
}

phases_spec spec(double fill, double stabilize, double measure, double drain, double interval = 1) {
  return {seconds_d(fill), seconds_d(stabilize), seconds_d(measure), seconds_d(drain),
          seconds_d(interval)};
}

constexpr std::int64_t s_ns = 1'000'000'000;

}  // namespace

TEST_CASE("phases on a manual clock: fill one slot per interval, N in flight, drain, cancel",
          "[engine][clock][phases]") {
  scripted_server server({{loadwright::testing::wire::short_answer()}});
  server.hold_replies();
  manual_clock clock;
  const auto t0 = clock.now();
  // N = 3, one slot a second: fill 0–2 s, stabilize 2–3 s, measure 3–5 s, drain 5–6 s.
  clocked_run run(phased_plan(closed_arrival{3}, spec(2, 1, 2, 1)), server, clock);
  int released = 0;
  auto in_flight = [&] { return static_cast<int>(server.requests().size()) - released; };

  // The fill: slot 0 at once, then exactly one more at each interval.
  REQUIRE(server.wait_requests(1));
  for (int k = 1; k < 3; ++k) {
    REQUIRE(wait_for_wake(clock, t0 + k * 1s));
    CHECK(in_flight() == k);
    clock.advance_to(t0 + k * 1s);
    REQUIRE(server.wait_requests(k + 1));
    CHECK(in_flight() == k + 1);
  }
  // Stabilize (2.5 s) and measure (3.5 s): each answer's slot sends again at once.
  for (const auto at : {2500ms, 3500ms}) {
    clock.advance_to(t0 + at);
    server.release(1);
    ++released;
    REQUIRE(server.wait_requests(3 + released));
    CHECK(in_flight() == 3);
  }
  // The measure window ends at 5 s: an answer then frees its slot, and nothing new is sent.
  REQUIRE(wait_for_wake(clock, t0 + 6s));  // only the drain's end is left to wait for
  clock.advance_to(t0 + 5s);
  server.release(1);
  ++released;
  REQUIRE(run.wait_ended(3));  // the answer is in before the drain's end
  // The drain ends at 6 s with two requests still in flight: both are cancelled then.
  clock.advance_to(t0 + 6s);
  const auto r = run.finish();
  CHECK_FALSE(r.interrupted);
  CHECK(server.requests().size() == 5);  // 3 from the fill, 1 in stabilize, 1 in measure
  REQUIRE(r.records.size() == 5);
  // Sent: 3 by the fill (0, 1 and 2 s: the third slot starts as the fill ends), 1 in
  // stabilize (2.5 s), 1 in measure (3.5 s). Which requests the server answered is its own
  // business; the two it never answered were cancelled when the drain ended, at 6 s.
  std::vector<std::int64_t> sent;
  int cut = 0;
  for (const auto& rec : r.records) {
    INFO(rec.request_id << " sent " << rec.sent_ns << " " << phase_name(rec.phase) << " "
                        << rec.error);
    sent.push_back(rec.sent_ns);
    if (rec.phase == run_phase::drain) {
      ++cut;
      CHECK(rec.status == request_status::cancelled);
      CHECK(rec.error == "cancelled at the end of the drain");
      CHECK(rec.sent_ns + rec.end_ns == 6 * s_ns);
    } else {
      CHECK(rec.ok());
      const run_phase by_send = rec.sent_ns < 2 * s_ns   ? run_phase::fill
                                : rec.sent_ns < 3 * s_ns ? run_phase::stabilize
                                                         : run_phase::measure;
      CHECK(rec.phase == by_send);
    }
  }
  std::sort(sent.begin(), sent.end());
  CHECK(sent == std::vector<std::int64_t>{0, s_ns, 2 * s_ns, 2500'000'000, 3500'000'000});
  CHECK(cut == 2);
  // The answers came when they were released: 2.5 s, 3.5 s and 5 s.
  std::vector<std::int64_t> ends;
  for (const auto& rec : r.records)
    if (rec.ok()) ends.push_back(rec.sent_ns + rec.end_ns);
  std::sort(ends.begin(), ends.end());
  CHECK(ends == std::vector<std::int64_t>{2500'000'000, 3500'000'000, 5 * s_ns});
  REQUIRE(r.phases.size() == 4);
  const double want[4][2] = {{0, 2}, {2, 3}, {3, 5}, {5, 6}};
  const run_phase names[4] = {run_phase::fill, run_phase::stabilize, run_phase::measure,
                              run_phase::drain};
  for (std::size_t i = 0; i < 4; ++i) {
    CHECK(r.phases[i].phase == names[i]);
    CHECK(r.phases[i].start_s == want[i][0]);
    CHECK(r.phases[i].end_s == want[i][1]);
  }
}

TEST_CASE("phases on a manual clock: a request sent in measure that ends in the drain counts",
          "[engine][clock][phases]") {
  scripted_server server({{loadwright::testing::wire::short_answer()}});
  server.hold_replies();
  manual_clock clock;
  const auto t0 = clock.now();
  // N = 1: fill 0–1 s, stabilize 1–2 s, measure 2–3 s, drain 3–11 s.
  clocked_run run(phased_plan(closed_arrival{1}, spec(1, 1, 1, 8)), server, clock);
  REQUIRE(server.wait_requests(1));
  clock.advance_to(t0 + 2500ms);  // the first answer comes in the measure window
  server.release(1);
  REQUIRE(server.wait_requests(2));  // sent at 2.5 s: a measured request
  clock.advance_to(t0 + 4s);         // it ends in the drain, long before the drain's end
  server.release(1);
  const auto r = run.finish();
  REQUIRE(r.records.size() == 2);
  CHECK(r.records[0].phase == run_phase::fill);  // sent at 0, inside the (1 s) fill
  CHECK(r.records[1].phase == run_phase::measure);
  CHECK(r.records[1].ok());
  CHECK(r.records[1].sent_ns == 2500'000'000);
  CHECK(r.records[1].sent_ns + r.records[1].end_ns == 4 * s_ns);
  CHECK(server.requests().size() == 2);  // nothing was sent in the drain
  REQUIRE(r.phases.size() == 4);
  CHECK(r.phases.back().phase == run_phase::drain);
  CHECK(r.phases.back().start_s == 3);
  CHECK(r.phases.back().end_s == 4);  // the drain ended with its last request
}

TEST_CASE("phases on a manual clock: an open loop sends by its schedule until the window ends",
          "[engine][clock][phases]") {
  scripted_server server({{loadwright::testing::wire::short_answer()}});
  server.hold_replies();
  manual_clock clock;
  const auto t0 = clock.now();
  // constant 2/s; stabilize 0–1 s, measure 1–2 s, drain 2–3 s.
  clocked_run run(phased_plan(constant_arrival{2}, spec(0, 1, 1, 1)), server, clock);
  const auto& schedule = run.prepared.schedule_s;
  REQUIRE_FALSE(schedule.empty());
  for (const double at : schedule) CHECK(at < 2.0);
  send_schedule(schedule, server, clock, t0);
  clock.advance_to(t0 + 2500ms);  // in the drain: every answer comes now
  server.release(static_cast<int>(schedule.size()));
  const auto r = run.finish();
  REQUIRE(r.records.size() == schedule.size());
  for (const auto& rec : r.records) {
    INFO(rec.request_id);
    CHECK(rec.ok());
    CHECK(rec.phase == (rec.sent_ns < s_ns ? run_phase::stabilize : run_phase::measure));
  }
  REQUIRE(r.phases.size() == 3);  // an open loop has no fill
  CHECK(r.phases[0].phase == run_phase::stabilize);
  CHECK(r.phases[2].end_s == 2.5);
}

TEST_CASE("phases on a manual clock: an open loop done early still measures its whole window",
          "[engine][clock][phases]") {
  scripted_server server({{loadwright::testing::wire::short_answer()}});
  server.hold_replies();
  manual_clock clock;
  const auto t0 = clock.now();
  // constant 2/s; stabilize 0–1 s, measure 1–2 s, drain 2–3 s.
  clocked_run run(phased_plan(constant_arrival{2}, spec(0, 1, 1, 1)), server, clock);
  const auto& schedule = run.prepared.schedule_s;
  REQUIRE_FALSE(schedule.empty());
  send_schedule(schedule, server, clock, t0);
  server.release(static_cast<int>(schedule.size()));  // every answer before the window ends
  REQUIRE(run.wait_ended(static_cast<int>(schedule.size())));
  REQUIRE(wait_for_wake(clock, t0 + 2s));  // the run waits for the window's end
  clock.advance_to(t0 + 2s);
  const auto r = run.finish();
  REQUIRE(r.phases.size() == 3);
  CHECK(r.phases[1].phase == run_phase::measure);
  CHECK(r.phases[1].end_s == 2);
  CHECK(r.phases[2].phase == run_phase::drain);
  CHECK(r.phases[2].start_s == 2);
  CHECK(r.phases[2].end_s == 2);  // nothing was left to drain
}
