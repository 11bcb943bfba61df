#pragma once
// Loading a scenario file: run the Lua in a sandbox, validate what it returns into
// scenario plans. Nothing here sends traffic. The only header of this library, and it does
// not include lua.h.

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "loadwright/core/capacity_spec.hpp"
#include "loadwright/core/experiment_plan.hpp"
#include "loadwright/core/scenario_plan.hpp"

namespace loadwright::scripting {

/// A bad script: Lua syntax or runtime errors, or a value that fails validation. `what()` is
/// one line naming the file, line and field: "x.lua:7: scenario.arrival.rate: expected a
/// positive number, got -1".
class script_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A script's hook failed while the run was going: "on_record (x.lua:12): x.lua:14: …",
/// naming the hook and where it was written. The run reports it and writes its results.
class hook_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class script_session;

struct load_options {
  /// `--set path=value` overrides, applied to every scenario before validation.
  std::vector<std::string> overrides;
  /// `--seed N`: replaces every scenario's seed.
  std::optional<std::uint64_t> seed;
  /// Lift the sandbox (the user's own scripts).
  bool unsafe = false;
  /// Extra folders searched by `require` (the shipped scenarios), after the script's own.
  std::vector<std::filesystem::path> module_dirs;
  /// Limits while the script runs.
  std::uint64_t max_instructions = 500'000'000;
  std::size_t max_memory_bytes = 512u << 20;
  std::chrono::seconds max_load_time{30};  // wall clock, per load and per hook call
  /// What to do when that limit passes inside a C call (see host_options::on_stuck).
  std::function<void(const std::string&)> on_stuck;
};

/// What a file returns: one scenario, a suite (run one after another), a function that
/// decides what to run (session->decides()), an experiment over loads, or a capacity plan on
/// its own. The session keeps the
/// script's Lua alive for its hooks: scenario i's hooks are session->…(i).
struct loaded_file {
  std::filesystem::path path;
  std::vector<runtime::scenario_plan> scenarios;
  /// The file returned `capacity { … }`: a plan to compute, nothing to send (no scenarios).
  std::optional<runtime::capacity_spec> capacity;
  /// The file returned `sweep { … }` or `find_max { … }`: an experiment over loads of one
  /// scenario (no scenarios of its own; its scenario's hooks are session->…(experiment.hooks)).
  std::optional<runtime::experiment_plan> experiment;
  bool suite = false;
  std::shared_ptr<script_session> session;
};

loaded_file load_scenario_file(const std::filesystem::path& path, const load_options& options);

/// Parses "250ms", "30s", "2m", "1h", "1m30s" or a plain number of seconds.
std::optional<double> parse_duration_seconds(const std::string& text);

}  // namespace loadwright::scripting
