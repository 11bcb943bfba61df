#pragma once
// Experiments over loads (sweep, find_max): each load is a scenario run through the same
// runner as any other (the caller's `run`), judged on the modelled machine's clock, with its
// own report. The caller prepares nothing here: `run` readies, runs and returns the report.

#include <filesystem>
#include <functional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "loadwright/core/experiment_plan.hpp"
#include "loadwright/core/json_writer.hpp"
#include "loadwright/core/record_consumer.hpp"

namespace loadwright::app {

/// A load that could not run (bad input found only then): the experiment stops, exit 2.
class experiment_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct experiment_io {
  /// Runs one scenario to the end and returns its report (throws experiment_error when it
  /// cannot start).
  std::function<runtime::scenario_report(const runtime::scenario_plan&)> run;
  /// An A/B's run against side 0 (A) or 1 (B); prepared for that side's server and model.
  std::function<runtime::scenario_report(const runtime::scenario_plan&, int side)> run_on;
  /// Waits (wall clock), ending early when stopped().
  std::function<void(runtime::seconds_d)> pause;
  /// True once the user asked to stop (Ctrl-C): no further load is started.
  std::function<bool()> stopped;
  std::filesystem::path out_dir;
  std::ostream* console = nullptr;  // nullptr: quiet
  double time_scale = 1.0;          // the emulator's; results are judged in modelled time
  std::string note;                 // "emulated: profile spark, …" for the reports
  /// An A/B's servers as resolved (URL, model), for its report.
  std::string side_url[2], side_model[2];
};

/// Runs the sweep; returns the exit code (0 when it ran, knee or not).
int run_sweep(const runtime::sweep_plan& plan, experiment_io& io);
/// Runs the search; returns the exit code (0 with an answer, and a confirmation when asked
/// that held; 1 when no load met the SLO or the confirmation failed).
int run_find_max(const runtime::find_max_plan& plan, experiment_io& io);

/// Runs the A/B protocol and compares; returns the exit code (0 when the comparison was made,
/// 2 when the two sides did not get the same requests).
int run_ab(const runtime::ab_plan& plan, experiment_io& io);

/// The head every experiment's JSON starts with: {"KIND": name, "source", "axis", "slo": {…}}
/// (left open for the experiment's own fields).
void begin_experiment_json(runtime::json_writer& w, const char* kind, const std::string& name,
                           const std::string& source, runtime::load_axis axis,
                           const std::vector<runtime::slo_bound>& slo);

/// What the experiment will run, for --dry-run and validate: its loads, the SLO and limits.
std::string describe_experiment(const runtime::experiment_plan& plan);
/// The base scenario of either experiment.
const runtime::scenario_plan& experiment_base(const runtime::experiment_plan& plan);
std::size_t experiment_hooks(const runtime::experiment_plan& plan);
/// The scenarios known before it runs (a sweep's loads; find_max's coarse loads), for the
/// checklist.
std::vector<runtime::scenario_plan> experiment_scenarios(const runtime::experiment_plan& plan);

}  // namespace loadwright::app
