#pragma once
// Runs one scenario: its warm-up and measured runs, telling a pipeline of record consumers
// what happened (record_consumer.hpp). What `loadwright run` does per scenario, usable from
// C++ without Lua.

#include <string>

#include "loadwright/app/consumers.hpp"
#include "loadwright/core/record_pipeline.hpp"
#include "loadwright/engine/engine.hpp"

namespace loadwright::runtime {

/// File-name-safe version of a scenario name.
std::string file_stem(const std::string& scenario_name);

/// True when the scenario is summarized in bounded memory (a long run: a duration, or more
/// than 100 000 requests per run), without keeping its records.
bool runs_bounded(const prepared_scenario& prepared);

/// Runs the phases and feeds `pipeline`; returns the report its consumers built. Throws
/// scenario_refused when a consumer stops the scenario before it starts.
scenario_report run_scenario(const prepared_scenario& prepared, const engine_options& engine,
                             const output_options& out, record_pipeline& pipeline);

/// The same with the standard consumers of the plan, as a suite of one (no hooks).
scenario_report run_scenario(const prepared_scenario& prepared, const engine_options& engine,
                             const output_options& out);

}  // namespace loadwright::runtime
