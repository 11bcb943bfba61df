// A scenario file's hooks, called into its Lua state: request_hook as the engine's request
// shaper, on_record and on_done as record consumers, and a suite function's run().

#include "loadwright/scripting/script_session.hpp"

#include <fmt/format.h>

#include <exception>

#include "lua_values.hpp"
#include "plan_builder.hpp"
#include "session_state.hpp"

namespace loadwright::scripting {

namespace rt = loadwright::runtime;

namespace {

void push_ref(lua_State* L, int ref) {
  lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
}

// request_hook(sample, i): the body fields and headers of one sample's requests.
class lua_request_shaper final : public rt::request_shaper {
 public:
  lua_request_shaper(session_state& s, int ref, std::string scenario, std::uint64_t seed)
      : s_(s), ref_(ref), label_("request_hook of " + std::move(scenario)) {
    // The hooks' math.random starts from the scenario's seed: the same file and seed send the
    // same bytes.
    lua_State* L = s_.host->state();
    lua_getglobal(L, "math");
    lua_getfield(L, -1, "randomseed");
    lua_remove(L, -2);
    lua_pushnumber(L, static_cast<double>(seed % (1ull << 53)));
    s_.host->call(1, 0, "math.randomseed");
  }
  rt::request_shape shape(const datasets::sample& sample, std::size_t index, rt::run_phase phase,
                          std::int64_t max_tokens) override {
    lua_State* L = s_.host->state();
    const int base = lua_gettop(L);
    push_ref(L, ref_);
    push_sample(L, sample, index, phase, max_tokens);
    lua_pushnumber(L, static_cast<double>(index + 1));
    s_.host->call(2, 1, label_);
    // Read a plain copy: a metatable on the answer cannot run code while it is read.
    s_.host->plain_copy_top(label_);
    auto shape = read_shape(L, -1, label_);
    lua_settop(L, base);
    return shape;
  }

 private:
  session_state& s_;
  int ref_;
  std::string label_;
};

// on_record(rec): each finished request, in batches on the scenario's thread.
class on_record_hook final : public rt::record_consumer {
 public:
  on_record_hook(session_state& s, int ref, const std::string& scenario)
      : s_(s), ref_(ref), label_("on_record of " + scenario) {}
  std::string name() const override { return label_; }
  void record(const rt::request_record& r) override {
    lua_State* L = s_.host->state();
    const int base = lua_gettop(L);
    push_ref(L, ref_);
    push_record(L, r);
    try {
      s_.host->call(1, 0, label_);
    } catch (...) {
      lua_settop(L, base);
      throw;
    }
    lua_settop(L, base);
  }

 private:
  session_state& s_;
  int ref_;
  std::string label_;
};

// on_done(result): custom metrics and files, once the scenario is over.
class on_done_hook final : public rt::record_consumer {
 public:
  on_done_hook(session_state& s, int ref, const std::string& scenario)
      : s_(s), ref_(ref), label_("on_done of " + scenario) {}
  std::string name() const override { return label_; }
  void scenario_finished(const rt::scenario_context& ctx, rt::scenario_report& report) override {
    lua_State* L = s_.host->state();
    const int base = lua_gettop(L);
    struct writes_allowed {
      lua_host& h;
      writes_allowed(lua_host& host, const std::filesystem::path& dir) : h(host) {
        h.allow_writes(dir);
      }
      ~writes_allowed() { h.allow_writes({}); }
    } allowed(*s_.host, ctx.out.out_dir);
    try {
      push_ref(L, ref_);
      push_result(L, ctx.plan().name, report, report.records_path);
      s_.host->call(1, 1, label_);
      s_.host->plain_copy_top(label_);
      auto custom = read_custom(L, -1, label_);
      report.custom.insert(report.custom.end(), custom.begin(), custom.end());
    } catch (...) {
      for (auto& f : s_.host->take_written()) report.files.push_back(std::move(f));
      lua_settop(L, base);
      throw;
    }
    for (auto& f : s_.host->take_written()) report.files.push_back(std::move(f));
    lua_settop(L, base);
  }

 private:
  session_state& s_;
  int ref_;
  std::string label_;
};

// What run(scenario) needs while the suite function runs.
struct suite_call {
  session_state* state;
  const script_session::scenario_runner* run_one;
  std::exception_ptr pending;  // a C++ error to rethrow once out of Lua
  std::size_t scenarios_run = 0;
};

// Runs the scenario table at 1 and pushes its result, or pushes an error message and returns
// false. Everything with a destructor lives here, not in the frame that raises the Lua error.
bool run_and_push(lua_State* L, suite_call* call) {
  if (kind_of(L, 1) != "scenario") {
    lua_pushfstring(
        L, "run(scenario { … }): expected a scenario, got %s",
        lua_type(L, 1) == LUA_TTABLE ? "a table that is not scenario { … }" : luaL_typename(L, 1));
    return false;
  }
  lua_settop(L, 1);
  rt::scenario_report report;
  std::string name, error;
  std::filesystem::path records;
  try {
    call->state->host->plain_copy_top("run()");
    std::size_t hooks = 0;
    const auto plan = call->state->take_scenario(-1, &hooks);
    name = plan.name;
    report = (*call->run_one)(plan, hooks);
    ++call->scenarios_run;
    records = report.records_path;
    if (report.interrupted) error = "interrupted: the suite stops here";
  } catch (const script_error& e) {
    error = e.what();  // the script's own mistake: a Lua error it may catch
  } catch (...) {
    call->pending = std::current_exception();
    error = "stopped: " + name;
  }
  if (!error.empty()) {
    lua_pushstring(L, error.c_str());
    return false;
  }
  push_result(L, name, report, records);
  return true;
}

int suite_run(lua_State* L) {
  auto* call = static_cast<suite_call*>(lua_touserdata(L, lua_upvalueindex(1)));
  if (!run_and_push(L, call)) return lua_error(L);
  return 1;
}

}  // namespace

script_session::script_session(std::unique_ptr<session_state> state) : state_(std::move(state)) {}

script_session::~script_session() = default;

std::unique_ptr<rt::request_shaper> script_session::request_shaper(std::size_t hooks,
                                                                   std::uint64_t seed) {
  const auto& h = state_->hooks.at(hooks);
  if (h.request == LUA_NOREF) return nullptr;
  return std::make_unique<lua_request_shaper>(*state_, h.request, h.scenario, seed);
}

std::vector<std::unique_ptr<rt::record_consumer>> script_session::consumers(std::size_t hooks) {
  const auto& h = state_->hooks.at(hooks);
  std::vector<std::unique_ptr<rt::record_consumer>> out;
  if (h.on_record != LUA_NOREF)
    out.push_back(std::make_unique<on_record_hook>(*state_, h.on_record, h.scenario));
  if (h.on_done != LUA_NOREF)
    out.push_back(std::make_unique<on_done_hook>(*state_, h.on_done, h.scenario));
  return out;
}

bool script_session::decides() const {
  return state_->suite_function != LUA_NOREF;
}

void script_session::run_suite(const scenario_runner& run_one) {
  lua_State* L = state_->host->state();
  const int base = lua_gettop(L);
  suite_call call{state_.get(), &run_one, nullptr, 0};
  push_ref(L, state_->suite_function);
  lua_pushlightuserdata(L, &call);
  lua_pushcclosure(L, suite_run, 1);
  try {
    state_->host->call(1, 0, "the suite function");
  } catch (const hook_error& e) {
    lua_settop(L, base);
    if (call.pending) std::rethrow_exception(call.pending);
    // Nothing ran yet: the script is wrong as written (exit 2, nothing sent).
    if (call.scenarios_run == 0) throw script_error(e.what());
    throw;
  }
  lua_settop(L, base);
  if (call.pending) std::rethrow_exception(call.pending);
}

}  // namespace loadwright::scripting
