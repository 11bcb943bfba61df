#include "loadwright/scripting/scenario_loader.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <iostream>
#include <set>

#include "experiment_builder.hpp"
#include "loadwright/scripting/sandbox_policy.hpp"
#include "loadwright/scripting/script_session.hpp"
#include "lua_host.hpp"
#include "plan_builder.hpp"
#include "session_state.hpp"
#include "table_reader.hpp"

namespace loadwright::scripting {

namespace {

// Pushes the Lua value written as `text` on the command line: number, boolean, math.huge
// ("inf"), or else the text itself (quotes optional).
void push_override_value(lua_State* L, std::string text) {
  if (text == "true" || text == "false") {
    lua_pushboolean(L, text == "true");
    return;
  }
  if (text == "inf" || text == "math.huge") {
    lua_pushnumber(L, HUGE_VAL);
    return;
  }
  double d = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
  if (ec == std::errc{} && p == text.data() + text.size()) {
    lua_pushnumber(L, d);
    return;
  }
  if (text.size() >= 2 && (text.front() == '"' || text.front() == '\'') &&
      text.back() == text.front())
    text = text.substr(1, text.size() - 2);
  lua_pushlstring(L, text.data(), text.size());
}

// Applies `path=value` to the scenario table at `index`.
void apply_override(lua_State* L, int index, const std::string& spec) {
  const auto eq = spec.find('=');
  if (eq == std::string::npos || eq == 0)
    throw script_error(
        fmt::format("--set {}: expected path=value (e.g. --set arrival.rate=2)", spec));
  const std::string path = spec.substr(0, eq);
  std::vector<std::string> parts;
  for (std::size_t start = 0;;) {
    const auto dot = path.find('.', start);
    parts.push_back(path.substr(start, dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  lua_pushvalue(L, index);
  auto push_key = [&](const std::string& k) {
    int n = 0;
    auto [p, ec] = std::from_chars(k.data(), k.data() + k.size(), n);
    if (ec == std::errc{} && p == k.data() + k.size() && n > 0)
      lua_pushinteger(L, n);
    else
      lua_pushlstring(L, k.data(), k.size());
  };
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    push_key(parts[i]);
    lua_gettable(L, -2);
    if (lua_type(L, -1) != LUA_TTABLE) {
      lua_pop(L, 2);
      throw script_error(
          fmt::format("--set {}: the scenario has no table at '{}'", spec, parts[i]));
    }
    lua_remove(L, -2);
  }
  push_key(parts.back());
  push_override_value(L, spec.substr(eq + 1));
  lua_settable(L, -3);
  lua_pop(L, 1);
}

}  // namespace

std::optional<double> parse_duration_seconds(const std::string& text) {
  if (text.empty()) return std::nullopt;
  double total = 0;
  std::size_t i = 0;
  bool any = false;
  while (i < text.size()) {
    double v = 0;
    auto [p, ec] = std::from_chars(text.data() + i, text.data() + text.size(), v);
    if (ec != std::errc{}) return std::nullopt;
    i = static_cast<std::size_t>(p - text.data());
    std::size_t j = i;
    while (j < text.size() && std::isalpha(static_cast<unsigned char>(text[j]))) ++j;
    const std::string unit = text.substr(i, j - i);
    double scale = 0;
    if (unit == "ms")
      scale = 1e-3;
    else if (unit == "us")
      scale = 1e-6;
    else if (unit == "s" || (unit.empty() && j == text.size() && !any))
      scale = 1;
    else if (unit == "m" || unit == "min")
      scale = 60;
    else if (unit == "h")
      scale = 3600;
    else
      return std::nullopt;
    total += v * scale;
    any = true;
    i = j;
  }
  return total;
}

runtime::scenario_plan session_state::take_scenario(int index, std::size_t* hooks_index) {
  lua_State* L = host->state();
  index = abs_index(L, index);
  for (const auto& o : options.overrides) apply_override(L, index, o);
  auto plan = build_scenario(L, index, script_dir, ordinal++);
  if (options.seed) plan.seed = *options.seed;
  if (!options.unsafe) check_sandbox(plan, roots, overridden);
  if (!names.insert(plan.name).second)
    throw script_error(fmt::format(
        "{}: scenario.name: '{}' is used twice in this suite (result files would collide)",
        plan.source, plan.name));
  scenario_hook_refs refs;
  refs.scenario = plan.name;
  auto take = [&](const char* name, const char* old_name) {
    for (const char* key : {name, old_name}) {
      if (!key) continue;
      lua_getfield(L, index, key);
      if (lua_type(L, -1) == LUA_TFUNCTION) {
        if (key != name)
          std::cerr << fmt::format(
              "loadwright: {}: scenario.{} is now called {} (the old name "
              "works)\n",
              plan.source, key, name);
        return luaL_ref(L, LUA_REGISTRYINDEX);
      }
      lua_pop(L, 1);
    }
    return LUA_NOREF;
  };
  refs.request = take("request_hook", "on_request");
  refs.on_record = take("on_record", "on_response");
  refs.on_done = take("on_done", nullptr);
  hooks.push_back(std::move(refs));
  *hooks_index = hooks.size() - 1;
  return plan;
}

loaded_file load_scenario_file(const std::filesystem::path& path, const load_options& options) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw script_error(fmt::format("{}: no such scenario file", path.string()));
  auto st = std::make_unique<session_state>();
  st->script_dir = std::filesystem::absolute(path).parent_path();
  st->display = path.string();
  st->options = options;
  host_options ho;
  ho.unsafe = options.unsafe;
  ho.max_instructions = options.max_instructions;
  ho.max_memory_bytes = options.max_memory_bytes;
  ho.max_load_time = options.max_load_time;
  ho.on_stuck = options.on_stuck;
  ho.module_dirs.push_back(st->script_dir);
  for (const auto& d : options.module_dirs) ho.module_dirs.push_back(d);
  st->host = std::make_unique<lua_host>(ho);
  lua_State* L = st->host->state();
  const std::string& display = st->display;
  script_source source{display, read_text_file(path)};
  set_current_source(&source);
  struct clear_source {
    ~clear_source() { set_current_source(nullptr); }
  } clear;
  st->host->run_file(path, display);
  for (const auto& o : options.overrides) st->overridden.push_back(o.substr(0, o.find('=')));
  st->roots = default_sandbox_roots(st->script_dir, options.module_dirs);

  loaded_file out;
  out.path = path;
  const int top = lua_gettop(L);
  std::vector<int> scenario_indices;
  const std::string kind = kind_of(L, top);
  if (lua_type(L, top) == LUA_TFUNCTION) {
    // function(run) … end: a suite that decides what to run as it goes.
    out.suite = true;
    lua_pushvalue(L, top);
    st->suite_function = luaL_ref(L, LUA_REGISTRYINDEX);
  } else if (kind == "scenario") {
    scenario_indices.push_back(top);
  } else if (kind == "capacity") {
    // A capacity plan on its own: nothing to send.
    for (const auto& o : options.overrides) apply_override(L, top, o);
    std::string where = where_of(L, top, "");
    if (where.empty()) where = locate_constructor("capacity", 0);
    out.capacity = build_capacity(L, top, where);
  } else if (kind == "sweep" || kind == "find_max" || kind == "ab") {
    // An experiment around one scenario (its hooks kept like any scenario's).
    std::string where = where_of(L, top, "");
    if (where.empty()) where = locate_constructor(kind, 0);
    lua_getfield(L, top, "scenario");
    if (kind_of(L, -1) != "scenario")
      throw script_error(
          fmt::format("{}: {}.scenario: required: the scenario {{ … }} it runs", where, kind));
    std::size_t hooks = 0;
    auto base = st->take_scenario(lua_gettop(L), &hooks);
    lua_pop(L, 1);
    out.experiment = build_experiment(L, top, kind, where, std::move(base), hooks);
  } else if (kind == "parallel") {
    throw script_error(
        fmt::format("{}: parallel {{ … }} is not available in this version of loadwright yet",
                    where_of(L, top, display)));
  } else if (lua_type(L, top) == LUA_TTABLE && kind.empty() && lua_objlen(L, top) > 0) {
    out.suite = true;
    const auto n = lua_objlen(L, top);
    for (std::size_t i = 1; i <= n; ++i) {
      lua_rawgeti(L, top, static_cast<int>(i));
      if (kind_of(L, -1) != "scenario")
        throw script_error(fmt::format("{}: suite[{}]: expected scenario {{ … }}", display, i));
      scenario_indices.push_back(lua_gettop(L));
    }
  } else {
    throw script_error(fmt::format(
        "{}: the file must return scenario {{ … }}, a list of scenarios, function(run), "
        "sweep {{ … }}, find_max {{ … }}, ab {{ … }} or capacity {{ … }} (it returned {})",
        display, kind.empty() ? std::string(lua_typename(L, lua_type(L, top))) : kind + " { … }"));
  }
  for (const int idx : scenario_indices) {
    std::size_t hooks = 0;
    out.scenarios.push_back(st->take_scenario(idx, &hooks));
  }
  lua_settop(L, 0);
  out.session = std::make_shared<script_session>(std::move(st));
  return out;
}

}  // namespace loadwright::scripting
