#pragma once
// Runs a scenario plan against an in-process emulator on a free loopback port.

#include <string>

#include "loadwright/datasets/token_counter.hpp"
#include "loadwright/runtime/emulator.hpp"
#include "loadwright/runtime/engine.hpp"

namespace loadwright::testing {

struct emulated_result {
  runtime::prepared_scenario prepared;
  runtime::phase_result measured;
  std::uint64_t connections = 0;  // TCP connections the emulator accepted
};

inline emulated_result run_against_emulator(const runtime::scenario_plan& plan,
                                            const std::string& profile = "fast", int workers = 1,
                                            std::string url_suffix = "") {
  runtime::emulator emu(runtime::find_emulator_profile(profile));
  emu.start();
  datasets::estimate_token_counter counter;
  emulated_result r;
  r.prepared = runtime::prepare_scenario(plan, emu.profile().model, counter);
  runtime::engine_options o;
  std::string why;
  o.target.url = *runtime::base_url::parse(emu.base_url() + url_suffix, &why);
  o.target.model = emu.profile().model;
  o.workers = workers;
  r.measured = runtime::execute_phase(r.prepared, runtime::run_phase::measure, 1, o);
  r.connections = emu.connections_accepted();
  return r;
}

}  // namespace loadwright::testing
