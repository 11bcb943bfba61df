#pragma once
// Runs one scenario end to end: warm-up, each measured run, summaries and result files.
// What `loadwright run` does per scenario, usable from C++ without Lua.

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "loadwright/runtime/engine.hpp"
#include "loadwright/runtime/llama_benchy.hpp"
#include "loadwright/runtime/summary.hpp"

namespace loadwright::runtime {

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
};

struct scenario_outcome {
  summary combined;  // means over runs
  summary std_across_runs;
  std::vector<summary> runs;
  bool interrupted = false;
  std::vector<std::string> failed_checks;    // why the run fails (exit 1): SLO, failure ratio
  std::vector<std::filesystem::path> files;  // what was written
  /// `llama_benchy` cells: the context phase (prefix-caching mode) and the standard phase.
  std::vector<llama_benchy::benchmark_run> llama_benchy_runs;
  double llama_benchy_latency_s = 0;
};

/// File-name-safe version of a scenario name.
std::string file_stem(const std::string& scenario_name);

scenario_outcome run_scenario(const prepared_scenario& prepared, const engine_options& engine,
                              const output_options& out);

}  // namespace loadwright::runtime
