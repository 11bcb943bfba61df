#pragma once
// `sweep { … }` and `find_max { … }` tables → validated experiment plans. The experiment's
// `scenario` is validated by the caller (it keeps the scenario's hooks) and passed in.

#include <lua.hpp>

#include <string>

#include "loadwright/core/experiment_plan.hpp"

namespace loadwright::scripting {

/// Validates the `sweep { … }` (kind "sweep") or `find_max { … }` (kind "find_max") table at
/// `index`, written at `where`, around the validated `base` scenario. Throws script_error.
runtime::experiment_plan build_experiment(lua_State* L, int index, const std::string& kind,
                                          const std::string& where, runtime::scenario_plan base,
                                          std::size_t hooks);

}  // namespace loadwright::scripting
