#pragma once
// Lua tables (as the prelude's constructors build them) → validated scenario plans.

#include <lua.hpp>

#include <filesystem>

#include "loadwright/core/capacity_spec.hpp"
#include "loadwright/core/scenario_plan.hpp"

namespace loadwright::scripting {

/// Validates the scenario table at `index`. Relative dataset paths are resolved against
/// `script_dir`. Throws script_error naming file, line and field.
/// `ordinal` is the scenario's position in the file (0 for a lone scenario).
runtime::scenario_plan build_scenario(lua_State* L, int index,
                                      const std::filesystem::path& script_dir, std::size_t ordinal);

/// Validates the `capacity { … }` table at `index`, written at `where`. Inside find_max
/// (`max_rate_given` false) the maximum rate and its band come from the search.
runtime::capacity_spec build_capacity(lua_State* L, int index, const std::string& where,
                                      bool max_rate_given = true);

/// The `__kind` tag of the table at `index`, or "" for an untagged value.
std::string kind_of(lua_State* L, int index);
/// The `__where` tag ("file:line") of the table at `index`, or `fallback`.
std::string where_of(lua_State* L, int index, const std::string& fallback);

}  // namespace loadwright::scripting
