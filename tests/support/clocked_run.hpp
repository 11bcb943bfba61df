#pragma once
// A plan, its preparation, and the engine running it on a manual clock on another thread, for
// the engine's exact-timing tests (engine_clock_test, phases_clock_test).

#include <atomic>
#include <chrono>
#include <future>
#include <string>
#include <thread>

#include "catch.hpp"
#include "loadwright/datasets/token_counter.hpp"
#include "loadwright/engine/engine.hpp"
#include "loadwright/engine/engine_clock.hpp"
#include "scripted_server.hpp"

namespace loadwright::testing {

struct clocked_run {
  runtime::scenario_plan plan;
  runtime::prepared_scenario prepared;
  runtime::engine_options options;
  std::future<runtime::phase_result> result;
  std::atomic<int> ended{0};  // records the engine has finished

  clocked_run(runtime::scenario_plan p, const scripted_server& server,
              const runtime::manual_clock& clock, runtime::stop_signal* stop = nullptr)
      : plan(std::move(p)) {
    datasets::estimate_token_counter counter;
    prepared = runtime::prepare_scenario(plan, "m", counter);
    std::string why;
    options.target.url = *runtime::base_url::parse(server.base_url(), &why);
    options.target.model = "m";
    options.clock = &clock;
    options.stop = stop;
    options.on_record = [this](const runtime::request_record&) { ++ended; };
    result = std::async(std::launch::async, [this] {
      return runtime::execute_phase(prepared, runtime::run_phase::measure, 1, options);
    });
  }
  /// Waits (real time, bounded) until the engine has finished `n` requests.
  bool wait_ended(int n) const {
    for (int i = 0; i < 10000 && ended < n; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return ended >= n;
  }
  runtime::phase_result finish() {
    // A hang fails, not blocks.
    REQUIRE(result.wait_for(std::chrono::seconds(30)) == std::future_status::ready);
    return result.get();
  }
};

}  // namespace loadwright::testing
