#pragma once
// A loaded scenario file whose Lua stays alive for the run: a scenario's hooks
// (request_hook, on_record, on_done) and a file that returns function(run) to decide what to
// run. Every call into Lua is made on the thread that runs the scenarios, under the
// sandbox's limits, counted per call. Does not include lua.h.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "loadwright/core/prepared_scenario.hpp"
#include "loadwright/core/record_consumer.hpp"
#include "loadwright/scripting/scenario_loader.hpp"

namespace loadwright::scripting {

struct session_state;

class script_session {
 public:
  explicit script_session(std::unique_ptr<session_state> state);
  ~script_session();
  script_session(const script_session&) = delete;
  script_session& operator=(const script_session&) = delete;

  /// request_hook of scenario `hooks` as a shaper, `math.random` seeded with `seed` so the
  /// same file and seed shape every request the same; null when the scenario has none.
  std::unique_ptr<runtime::request_shaper> request_shaper(std::size_t hooks, std::uint64_t seed);
  /// on_record and on_done of scenario `hooks` as record consumers (none, one or two).
  std::vector<std::unique_ptr<runtime::record_consumer>> consumers(std::size_t hooks);

  /// The file returned function(run): a suite that decides what to run as it goes.
  bool decides() const;
  /// Runs one scenario the suite function asked for: its plan (validated as loading does)
  /// and its hooks' index; returns what run() gives back to the script.
  using scenario_runner =
      std::function<runtime::scenario_report(const runtime::scenario_plan&, std::size_t hooks)>;
  /// Calls the suite function with `run`. Throws script_error for a scenario the script got
  /// wrong (nothing of it sent) and hook_error when the function itself fails.
  void run_suite(const scenario_runner& run_one);

 private:
  std::unique_ptr<session_state> state_;
};

}  // namespace loadwright::scripting
