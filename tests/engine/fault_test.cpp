// Every way the emulator can misbehave ends as a classified record, and the run goes on.

#include <map>

#include "catch.hpp"
#include "emulated_run.hpp"
#include "loadwright/core/summary.hpp"
#include "loadwright/datasets/token_counter.hpp"
#include "loadwright/emulator/emulator.hpp"
#include "loadwright/emulator/emulator_faults.hpp"
#include "loadwright/engine/engine.hpp"
#include "tiny_plan.hpp"

using namespace loadwright::runtime;

namespace {

scenario_plan fault_plan(std::uint64_t requests, bool stream) {
  auto p = loadwright::testing::tiny_plan("faults", closed_arrival{2}, requests, 16, 6);
  p.request.stream = stream;
  p.idle_timeout = seconds_d(0.3);  // stalls end quickly
  p.timeout = seconds_d(20);
  return p;
}

loadwright::testing::emulated_result run_with_faults(const scenario_plan& plan,
                                                     const std::string& mix) {
  auto profile = find_emulator_profile("fast");
  profile.faults = parse_fault_mix(mix);
  return loadwright::testing::run_against_profile(plan, profile);
}

struct expectation {
  const char* fault;
  request_status status;
  const char* message;
};

}  // namespace

TEST_CASE("fault mixes parse, and pick each fault for its share of requests", "[runtime][faults]") {
  const auto mix = parse_fault_mix("reset:0.25, 503:0.1,429:0.05 ,stall:0.1");
  REQUIRE(mix.size() == 4);
  CHECK(mix[0].kind == emulator_fault::reset);
  CHECK(mix[1].kind == emulator_fault::status);
  CHECK(mix[1].status == 503);
  CHECK(mix[2].kind == emulator_fault::rate_limit);
  CHECK(fault_name(mix[2]) == "429");
  for (const std::uint64_t n : {7u, 100u, 1000u, 12345u}) {
    std::map<std::string, std::uint64_t> hits;
    for (std::uint64_t i = 0; i < n; ++i) ++hits[fault_name(pick_fault(mix, i))];
    INFO("n = " << n);
    const double dn = static_cast<double>(n);
    CHECK(std::abs(static_cast<double>(hits["reset"]) - 0.25 * dn) <= 2);
    CHECK(std::abs(static_cast<double>(hits["503"]) - 0.1 * dn) <= 2);
    CHECK(std::abs(static_cast<double>(hits["429"]) - 0.05 * dn) <= 2);
    CHECK(std::abs(static_cast<double>(hits["none"]) - 0.5 * dn) <= 2);
  }
  CHECK(pick_fault({}, 3).kind == emulator_fault::none);
  CHECK(parse_fault_mix("").empty());
  CHECK(parse_fault_mix("huge_body").at(0).fraction == 1.0);
  CHECK_THROWS_WITH(parse_fault_mix("reset:0.7,stall:0.5"), Catch::Contains("above 1"));
  CHECK_THROWS_WITH(parse_fault_mix("resett:0.1"),
                    Catch::Contains("unknown fault 'resett'") && Catch::Contains("no_headers"));
  CHECK_THROWS_WITH(parse_fault_mix("reset:x"), Catch::Contains("(0, 1]"));
  CHECK_THROWS_WITH(parse_fault_mix("302"), Catch::Contains("unknown fault '302'"));
}

TEST_CASE("every injected fault is a record with its class; the run goes on", "[runtime][faults]") {
  const bool stream = GENERATE(true, false);
  const std::vector<expectation> cases = stream ? std::vector<expectation>{
      {"close", request_status::read, "connection closed before a response"},
      {"reset", request_status::read, "read:"},
      {"500", request_status::http_status, "injected fault: HTTP 500"},
      {"404", request_status::http_status, "HTTP 404"},
      {"429", request_status::http_status, "Retry-After: 2"},
      {"no_headers", request_status::timeout, "idle timeout"},
      {"stall", request_status::timeout, "idle timeout"},
      {"malformed", request_status::protocol, "malformed JSON"},
      {"error_event", request_status::protocol, "server error in response"},
      {"truncated", request_status::truncated, "inside an event"},
      {"no_done", request_status::truncated, "without [DONE]"},
      {"long_line", request_status::protocol, "SSE event exceeded the size limit"},
      {"huge_body", request_status::protocol, "body exceeded the size limit"},
  } : std::vector<expectation>{
      {"close", request_status::read, "connection closed before a response"},
      {"reset", request_status::read, "read:"},
      {"503", request_status::http_status, "injected fault: HTTP 503"},
      {"429", request_status::http_status, "RateLimitError"},
      {"no_headers", request_status::timeout, "idle timeout"},
      {"stall", request_status::timeout, "idle timeout"},
      {"malformed", request_status::protocol, "malformed JSON"},
      {"error_event", request_status::protocol, "server error in response"},
      {"truncated", request_status::read, "connection closed mid-response"},
      {"huge_body", request_status::protocol, "body exceeded the size limit"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION((stream ? "stream: " : "whole: ") << c.fault) {
      const auto r = run_with_faults(fault_plan(4, stream), c.fault);
      REQUIRE(r.measured.records.size() == 4);
      for (const auto& rec : r.measured.records) {
        INFO(rec.error);
        CHECK(rec.status == c.status);
        CHECK_THAT(rec.error, Catch::Contains(c.message));
        CHECK(rec.end_ns >= 0);
      }
      CHECK(r.faults_injected.at(c.fault) >=
            4);  // `close` on a kept-alive connection is retried once
      const auto s = summarize_run(r.measured.records, {});
      CHECK(s.get("failed") == 4);
      REQUIRE(s.errors.size() == 1);
      CHECK(s.errors[0].first == status_name(c.status));
    }
  }
}

TEST_CASE("a mix of faults: the summary counts errors by class exactly as injected",
          "[runtime][faults]") {
  const auto r =
      run_with_faults(fault_plan(60, true), "reset:0.2,500:0.1,truncated:0.1,no_done:0.05");
  REQUIRE(r.measured.records.size() == 60);
  const auto s = summarize_run(r.measured.records, {});
  std::map<std::string, std::uint64_t> errors(s.errors.begin(), s.errors.end());
  CHECK(errors["read"] == r.faults_injected.at("reset"));
  CHECK(errors["http_status"] == r.faults_injected.at("500"));
  CHECK(errors["truncated"] == r.faults_injected.at("truncated") + r.faults_injected.at("no_done"));
  // The emulator picked the faults as pick_fault says, request by request.
  std::map<std::string, std::uint64_t> expected;
  const auto mix = parse_fault_mix("reset:0.2,500:0.1,truncated:0.1,no_done:0.05");
  for (std::uint64_t i = 0; i < 60; ++i) ++expected[fault_name(pick_fault(mix, i))];
  CHECK(r.faults_injected.at("reset") == expected["reset"]);
  CHECK(r.faults_injected.at("500") == expected["500"]);
  CHECK(s.get("completed") == static_cast<double>(expected["none"]));
  // The requests that were not faulted are whole and exact.
  for (const auto& rec : r.measured.records)
    if (rec.ok()) CHECK(rec.output_tokens == 6);
}
