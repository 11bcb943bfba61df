#pragma once
// What a script_session holds: the script's Lua state, kept for the run, and each scenario's
// hooks as registry references. Shared by the loader (which fills it) and the session.

#include <lua.hpp>

#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "loadwright/core/scenario_plan.hpp"
#include "loadwright/scripting/sandbox_policy.hpp"
#include "loadwright/scripting/scenario_loader.hpp"
#include "lua_host.hpp"

namespace loadwright::scripting {

struct scenario_hook_refs {
  int request = LUA_NOREF, on_record = LUA_NOREF, on_done = LUA_NOREF;
  std::string scenario;  // its name, for messages
};

struct session_state {
  std::unique_ptr<lua_host> host;
  std::filesystem::path script_dir;
  std::string display;  // the file as shown in messages
  load_options options;
  sandbox_roots roots;
  std::vector<std::string> overridden;  // --set keys: the user's choices, not the script's
  std::set<std::string> names;          // scenario names so far (result files must not collide)
  std::vector<scenario_hook_refs> hooks;
  int suite_function = LUA_NOREF;
  std::size_t ordinal = 0;  // scenarios validated so far, for locating constructors

  /// Validates the scenario table at `index` (overrides, seed, sandbox, a unique name) into a
  /// plan and keeps its hook functions; `*hooks_index` gets their index. Throws script_error.
  runtime::scenario_plan take_scenario(int index, std::size_t* hooks_index);
};

}  // namespace loadwright::scripting
