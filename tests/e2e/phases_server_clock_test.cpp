// Issue 16's check against a server that keeps its own clock: a hand-written server that
// answers every request 100 ms after reading it logs when each request came in and when each
// answer went out (system clock). From that log alone: the fill adds one slot per interval, the
// server has N in flight through stabilize and measure, nothing new arrives in the drain, and
// the phase boundaries in the summary (ISO 8601, milliseconds) agree with what the server saw:
// every request it read before the measure window is a fill or stabilize record, every one
// after it a measure record, within a few milliseconds of the boundary.

#include <algorithm>
#include <chrono>
#include <ctime>
#include <map>

#include "catch.hpp"
#include "cli_support.hpp"
#include "hostile_wire.hpp"
#include "scripted_server.hpp"

using namespace lw_e2e;
using loadwright::testing::scripted_server;
namespace wire = loadwright::testing::wire;
using sys_time = std::chrono::system_clock::time_point;
using namespace std::chrono_literals;

namespace {

// "2026-12-03T21:07:21.123Z" → a time point.
sys_time parse_iso(const std::string& s) {
  std::tm tm{};
  int ms = 0;
  REQUIRE(std::sscanf(s.c_str(), "%d-%d-%dT%d:%d:%d.%dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                      &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms) == 7);
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return std::chrono::system_clock::from_time_t(timegm(&tm)) + std::chrono::milliseconds(ms);
}

double ms_between(sys_time a, sys_time b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

std::string header(const std::string& request, const std::string& name) {
  const auto at = request.find("\r\n" + name + ": ");
  if (at == std::string::npos) return {};
  const auto start = at + name.size() + 4;
  return request.substr(start, request.find("\r\n", start) - start);
}

}  // namespace

TEST_CASE("phases: the server's own clock agrees with the summary's phases",
          "[e2e][phases][server-clock]") {
  const auto dir = temp_dir("phases_server_clock");
  scripted_server server({{wire::short_answer()}});
  server.answer("GET /v1/models", wire::whole(200, "application/json", R"({"data":[{"id":"m"}]})"));
  server.answer("POST /tokenize", wire::whole(404, "text/plain", "no"));
  server.answer("POST /v1/tokenize", wire::whole(404, "text/plain", "no"));
  server.reply_after(100ms);
  const auto script = write(dir / "s.lua", R"(return scenario {
  name = "clock", dataset = prompts { "hello" }, request = { max_tokens = 2 },
  arrival = closed { concurrency = 4 },
  phases = { fill = "1500ms", fill_interval = "500ms", stabilize = "1s", measure = "2s",
             drain = "1s" } })");
  const auto r = sh("run " + script.string() + " --base-url " + server.base_url() + " --out " +
                    (dir / "out").string());
  INFO(r.out);
  REQUIRE(r.code == 0);

  // The summary's phases on the wall clock.
  const auto summary = json::parse(read(dir / "out" / "clock.json")).as_object();
  const auto& spans =
      summary.at("steady_state").at("runs").as_array().at(0).at("phases").as_array();
  REQUIRE(spans.size() == 4);
  std::map<std::string, std::pair<sys_time, sys_time>> phase;
  for (const auto& p : spans)
    phase[std::string(p.at("phase").as_string())] = {
        parse_iso(std::string(p.at("start").as_string())),
        parse_iso(std::string(p.at("end").as_string()))};
  const sys_time t0 = phase["fill"].first, measure_start = phase["measure"].first,
                 drain_start = phase["drain"].first;

  // The server's log: generation requests read (with their ids) and answers sent.
  const auto requests = server.requests();
  const auto read_at = server.read_times();
  const auto replied = server.reply_times();
  std::vector<sys_time> reads;
  std::map<std::string, sys_time> read_of;
  for (std::size_t i = 0; i < requests.size(); ++i)
    if (requests[i].rfind("POST /v1/chat/completions", 0) == 0) {
      reads.push_back(read_at[i]);
      read_of[header(requests[i], "X-Request-Id")] = read_at[i];
    }
  REQUIRE(reads.size() > 20);
  // In flight at `t` by the server's count: read by then, not yet answered.
  auto in_flight = [&](sys_time t) {
    const auto in = std::count_if(reads.begin(), reads.end(), [&](sys_time x) { return x <= t; });
    const auto out =
        std::count_if(replied.begin(), replied.end(), [&](sys_time x) { return x <= t; });
    return static_cast<int>(in - out);
  };
  auto most_in_flight = [&](sys_time from, sys_time to) {
    int most = 0;
    for (auto t = from; t < to; t += 2ms) most = std::max(most, in_flight(t));
    return most;
  };

  // The first request came when the summary says the run started.
  CHECK(std::abs(ms_between(t0, reads.front())) < 20);
  // Fill: slot k starts at k × 500 ms, so the server never has more than k + 1 in flight
  // before then, and has k + 1 soon after.
  for (int k = 0; k < 4; ++k) {
    const auto start = t0 + k * 500ms;
    INFO("slot " << k);
    if (k > 0) CHECK(most_in_flight(start - 480ms, start - 20ms) == k);
    CHECK(most_in_flight(start + 20ms, start + 480ms) == k + 1);
  }
  // Stabilize and measure: N = 4 in flight the whole time (each slot's gap between an answer
  // and its next request is well under 10 ms: sampled every 10 ms, the most in any 10 ms).
  for (auto t = phase["stabilize"].first + 20ms; t + 30ms < drain_start; t += 50ms) {
    INFO("at " << ms_between(t0, t) << " ms");
    CHECK(most_in_flight(t, t + 10ms) == 4);
  }
  // Drain: nothing new arrives (the last request came before it, within one answer's time).
  CHECK(ms_between(drain_start, reads.back()) <= 5);
  CHECK(ms_between(reads.back(), drain_start) < 100 + 20);

  // Each record's phase agrees with when the server read it, away from the boundaries.
  int checked = 0;
  for (const auto& rec : json_lines(dir / "out" / "clock.requests.jsonl")) {
    const auto it = read_of.find(std::string(rec.at("request_id").as_string()));
    REQUIRE(it != read_of.end());
    const double from_measure_ms = ms_between(measure_start, it->second);
    const std::string p(rec.at("phase").as_string());
    if (std::abs(from_measure_ms) < 5) continue;  // at the boundary itself: either is right
    INFO(rec.at("request_id").as_string() << " read " << from_measure_ms << " ms from measure");
    if (from_measure_ms < 0)
      CHECK((p == "fill" || p == "stabilize"));
    else
      CHECK(p == "measure");
    ++checked;
  }
  CHECK(checked + 2 >= static_cast<int>(reads.size()));
}
