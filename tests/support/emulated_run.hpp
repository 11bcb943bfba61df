#pragma once
// Runs a scenario plan against an in-process emulator on a free loopback port.

#include <functional>
#include <map>
#include <string>

#include "loadwright/datasets/token_counter.hpp"
#include "loadwright/emulator/emulator.hpp"
#include "loadwright/engine/engine.hpp"

namespace loadwright::testing {

struct emulated_result {
  runtime::prepared_scenario prepared;
  runtime::phase_result measured;
  std::uint64_t connections = 0;  // TCP connections the emulator accepted
  std::map<std::string, std::uint64_t> faults_injected;
};

/// Runs `plan` against an emulator with `profile`; `tweak` adjusts the engine's options.
inline emulated_result run_against_profile(
    const runtime::scenario_plan& plan, runtime::emulator_profile profile,
    const std::function<void(runtime::engine_options&)>& tweak = {},
    const std::string& url_suffix = "") {
  runtime::emulator emu(std::move(profile));
  emu.start();
  datasets::estimate_token_counter counter;
  emulated_result r;
  // The schedule runs on the emulator's clock, as `run` prepares it.
  runtime::preparation_choices choices;
  choices.time_scale = emu.profile().time_scale;
  r.prepared = runtime::prepare_scenario(plan, emu.profile().model, counter, nullptr, choices);
  runtime::engine_options o;
  std::string why;
  o.target.url = *runtime::base_url::parse(emu.base_url() + url_suffix, &why);
  o.target.model = emu.profile().model;
  if (tweak) tweak(o);
  r.measured = runtime::execute_phase(r.prepared, runtime::run_phase::measure, 1, o);
  r.connections = emu.connections_accepted();
  for (const auto& [name, n] : emu.faults_injected()) r.faults_injected[name] = n;
  return r;
}

inline emulated_result run_against_emulator(const runtime::scenario_plan& plan,
                                            const std::string& profile = "fast", int workers = 1,
                                            std::string url_suffix = "") {
  return run_against_profile(
      plan, runtime::find_emulator_profile(profile),
      [workers](runtime::engine_options& o) { o.workers = workers; }, url_suffix);
}

}  // namespace loadwright::testing
