#pragma once
// The record pipeline, in the spirit of spdlog's sinks: everything that turns a scenario's
// requests into output is a record_consumer — the records file, the JSON summary, the
// console block, the progress line, the peers' formats, the Arena table and curves, the
// checks that set the exit code, and a script's Lua hooks. The runner only runs the phases
// and tells the consumers what happened; it knows no format.
//
// Calls come in this order: scenario_started; then per run (the warm-up is run 0) run_started,
// record × n, progress × k, run_finished; then scenario_finished. Every call is made on the
// thread that runs the scenario, records in batches as requests end (never inside an I/O
// loop), except for consumers that ask for records on the engine's threads as they end
// (live_records(): the records file, so a crash loses nothing).

#include <chrono>
#include <filesystem>
#include <optional>
#include <ostream>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "loadwright/core/phase_timeline.hpp"
#include "loadwright/core/prepared_scenario.hpp"
#include "loadwright/core/request_record.hpp"
#include "loadwright/core/steady_state.hpp"
#include "loadwright/core/summary.hpp"

namespace loadwright::runtime {

/// Where results go and what the run's output says about itself.
struct output_options {
  std::filesystem::path out_dir = "results";
  std::ostream* console = nullptr;  // plan lines and the summary block; null = quiet
  bool progress = false;            // a live line on stderr (for terminals)
  bool emulated = false;            // the target is the built-in emulator
  std::string token_counter;        // how prompt tokens were counted
  /// The tokenizer's name as vLLM writes `tokenizer_id` (a path or model name), or none when
  /// counts are estimates.
  std::optional<std::string> tokenizer_name;
  double time_scale = 1.0;      // the emulator's (and the schedule's) time scale
  std::string emulator_faults;  // the fault mix the emulator was given, if any
  bool unsafe = false;          // the script ran with its sandbox lifted (--unsafe)
  server_facts server;          // what the server said about itself (summary "context")
};

/// What every consumer may look at, for the whole scenario.
struct scenario_context {
  const prepared_scenario& prepared;
  const engine_target& target;
  const output_options& out;
  std::string stem;      // file-name-safe scenario name: NAME in NAME.json
  bool bounded = false;  // long run: records are not kept in memory, summaries are streamed
  const scenario_plan& plan() const { return *prepared.plan; }
};

/// One phase of the scenario: the warm-up (run 0) or measured run `run` of `runs`.
struct run_context {
  std::uint32_t run = 0;
  run_phase phase = run_phase::measure;
  int runs = 1;
};

/// A finished run. `records` are the run's records by sequence number (all phases of it),
/// empty for a bounded (long) run; `summary` is null for the warm-up.
struct run_outcome {
  const summary* run_summary = nullptr;
  std::span<const request_record> records;
  bool interrupted = false;
  std::int64_t peak_in_flight = 0;
  /// When the run started (wall clock) and, with `phases`, each phase as it happened.
  std::chrono::system_clock::time_point wall_start{};
  std::span<const phase_span> phases;
};

/// The finished scenario, built up by the consumers in pipeline order: earlier ones may add
/// custom metrics, checks and files that later ones (the summary file, the console) report.
struct scenario_report {
  summary combined;  // means over runs
  summary std_across_runs;
  std::vector<summary> runs;
  bool interrupted = false;
  bool percentiles_from_histogram = false;
  /// Metrics a script computed (`on_done`), written under "custom" and printed.
  std::vector<std::pair<std::string, double>> custom;
  /// Figures a consumer derived for the ones after it, by dotted name ("llama_benchy.tg"):
  /// thresholds and the Arena table read them.
  std::vector<std::pair<std::string, double>> derived;
  /// Lines printed after the summary (each threshold, pass or fail).
  std::vector<std::string> notes;
  /// Why the run fails (exit 1): failures over the allowance, SLO, thresholds, hook errors.
  std::vector<std::string> failed_checks;
  /// A scenario with `phases`: each measured run's phases and steady-state figures.
  std::vector<steady_state_run> steady_state;
  std::vector<std::filesystem::path> files;  // what was written
  std::filesystem::path records_path;        // NAME.requests.jsonl (records() reads it back)
  /// The value of a summary key, "custom.NAME" or a derived name; nullopt when there is none.
  std::optional<double> value(std::string_view key) const;
};

/// Thrown by a consumer that cannot let the scenario go on (llama-benchy's coherence test
/// failed): the scenario stops before anything is measured. Any other exception from a
/// consumer is reported and that consumer is left out for the rest of the scenario.
class scenario_refused : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class record_consumer {
 public:
  virtual ~record_consumer() = default;
  /// A short name for messages ("records file", "on_record hook (x.lua:12)").
  virtual std::string name() const = 0;
  /// True: record() is called on the engine's threads as each request ends (so it must be
  /// thread-safe and quick), not in batches on the scenario's thread.
  virtual bool live_records() const { return false; }

  virtual void scenario_started(const scenario_context&) {}
  virtual void run_started(const scenario_context&, const run_context&) {}
  virtual void record(const request_record&) {}
  virtual void progress(const run_context&, const progress_snapshot&) {}
  virtual void run_finished(const scenario_context&, const run_context&, const run_outcome&) {}
  virtual void scenario_finished(const scenario_context&, scenario_report&) {}
};

}  // namespace loadwright::runtime
