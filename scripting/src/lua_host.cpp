#include "lua_host.hpp"

#include <fmt/format.h>

#include <luajit.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "loadwright/core/printable.hpp"
#include "loadwright/scripting/sandbox_policy.hpp"
#include "loadwright/scripting/scenario_loader.hpp"

extern const unsigned char lw_prelude[];
extern const unsigned long lw_prelude_size;

namespace loadwright::scripting {

namespace {

constexpr int kHookEvery = 10'000;  // instructions between limit checks
const char* const kHostKey = "loadwright.host";
const char* const kPlainCopyKey = "loadwright.plain_copy";
const char* const kNoBytecode =
    "precompiled bytecode is not allowed: a sandboxed script loads Lua source only";

lua_host* host_of(lua_State* L) {
  lua_getfield(L, LUA_REGISTRYINDEX, kHostKey);
  auto* h = static_cast<lua_host*>(lua_touserdata(L, -1));
  lua_pop(L, 1);
  return h;
}

// A sandboxed script's print: like Lua's, but control characters are escaped, so a shared
// script cannot send escape sequences to the terminal. Upvalue 1 is the original tostring.
int printable_print(lua_State* L) {
  const int n = lua_gettop(L);
  std::string line;
  for (int i = 1; i <= n; ++i) {
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_pushvalue(L, i);
    lua_call(L, 1, 1);
    std::size_t len = 0;
    const char* s = lua_tolstring(L, -1, &len);
    if (!s) return luaL_error(L, "'tostring' must return a string to 'print'");
    if (i > 1) line += '\t';
    line += runtime::printable(std::string_view(s, len));
    lua_pop(L, 1);
  }
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), stdout);
  return 0;
}

// Globals a scenario script must not reach unless --unsafe.
constexpr const char* kUnsafeGlobals[] = {"dofile",         "loadfile", "load",     "loadstring",
                                          "getfenv",        "setfenv",  "newproxy", "module",
                                          "collectgarbage", "gcinfo"};

}  // namespace

std::string read_text_file(const std::filesystem::path& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw script_error(fmt::format("{}: cannot read the file", path.string()));
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

void* lua_host::allocate(void* self, void* block, std::size_t old_size, std::size_t new_size) {
  auto* h = static_cast<lua_host*>(self);
  if (new_size == 0) {
    std::free(block);
    h->allocated_bytes_ -= old_size;
    return nullptr;
  }
  // old_size is the block's size when `block` is set (else a type tag, not a size).
  const std::size_t before = block ? old_size : 0;
  if (new_size > before && h->allocated_bytes_ - before + new_size > h->options_.max_memory_bytes) {
    h->allocation_refused_ = true;
    return nullptr;  // Lua raises "not enough memory"
  }
  void* grown = std::realloc(block, new_size);
  if (grown) h->allocated_bytes_ = h->allocated_bytes_ - before + new_size;
  return grown;
}

lua_host::lua_host(host_options options) : options_(std::move(options)) {
  L_ = lua_newstate(&lua_host::allocate, this);
  if (!L_) throw script_error("cannot create a Lua state");
  // The interpreter only: hooks (the instruction limit) do not run inside JIT-compiled code,
  // and a scenario file does not need the compiler.
  luaJIT_setmode(L_, 0, LUAJIT_MODE_ENGINE | LUAJIT_MODE_OFF);
  lua_pushlightuserdata(L_, this);
  lua_setfield(L_, LUA_REGISTRYINDEX, kHostKey);

  if (options_.unsafe) {
    luaL_openlibs(L_);
  } else {
    const lua_CFunction libs[] = {luaopen_base, luaopen_table, luaopen_string,
                                  luaopen_math, luaopen_bit,   luaopen_debug};
    const char* names[] = {
        "", LUA_TABLIBNAME, LUA_STRLIBNAME, LUA_MATHLIBNAME, LUA_BITLIBNAME, LUA_DBLIBNAME};
    for (std::size_t i = 0; i < std::size(libs); ++i) {
      lua_pushcfunction(L_, libs[i]);
      lua_pushstring(L_, names[i]);
      lua_call(L_, 1, 0);
    }
  }
  // Our require: plain-text Lua modules only, from the script's folder and the shipped ones.
  lua_pushcfunction(L_, &lua_host::require_module);
  lua_setglobal(L_, "require");

  if (luaL_loadbuffer(L_, reinterpret_cast<const char*>(lw_prelude), lw_prelude_size, "=prelude") ||
      lua_pcall(L_, 0, 1, 0)) {
    std::string msg = lua_tostring(L_, -1);
    lua_close(L_);
    throw script_error("the DSL prelude failed to load: " + msg);
  }
  lua_setfield(L_, LUA_REGISTRYINDEX, kPlainCopyKey);  // the prelude returns plain_copy
  if (!options_.unsafe) {
    for (const char* g : kUnsafeGlobals) {
      lua_pushnil(L_);
      lua_setglobal(L_, g);
    }
    lua_pushnil(L_);
    lua_setglobal(L_, "debug");  // the prelude kept what it needs
    lua_getglobal(L_, "tostring");
    lua_pushcclosure(L_, printable_print, 1);
    lua_setglobal(L_, "print");
    lua_getglobal(L_, "string");
    lua_pushnil(L_);
    lua_setfield(L_, -2, "dump");
    lua_pop(L_, 1);
  }
  lua_sethook(L_, &lua_host::limit_hook, LUA_MASKCOUNT, kHookEvery);
  // out.write(name, text): files into the output folder, from on_done only.
  lua_newtable(L_);
  lua_pushcfunction(L_, &lua_host::out_write);
  lua_setfield(L_, -2, "write");
  lua_setglobal(L_, "out");
  watchdog_ = std::make_unique<call_watchdog>(options_.on_stuck);
}

lua_host::~lua_host() {
  watchdog_.reset();
  if (L_) lua_close(L_);
}

void lua_host::limit_hook(lua_State* L, lua_Debug* ar) {
  auto* h = host_of(L);
  if (!h->tripped_.empty()) {  // a pcall caught the limit's error: raise it again, at once
    lua_pushstring(L, h->tripped_.c_str());
    lua_error(L);
  }
  h->instructions_ += kHookEvery;
  std::string problem;
  if (h->instructions_ > h->options_.max_instructions) {
    problem = fmt::format("the script ran for more than {} instructions (a runaway loop?)",
                          h->options_.max_instructions);
  } else if (h->allocation_refused_ || h->allocated_bytes_ > h->options_.max_memory_bytes -
                                                                 h->options_.max_memory_bytes / 8) {
    // Near the limit: stop here, where the line is known, rather than at the failing allocation.
    problem = fmt::format("the script reached its limit of {} MiB of memory",
                          h->options_.max_memory_bytes >> 20);
  }
  if (problem.empty()) return;
  // Name the place: the hook's activation record is the running Lua function.
  std::string where;
  if (lua_getinfo(L, "Sl", ar) && ar->currentline > 0)
    where = fmt::format("{}:{}: ", ar->short_src, ar->currentline);
  h->tripped_ = where + problem;
  // From now on every instruction raises it, so no pcall loop can outlast the limit.
  lua_sethook(L, &lua_host::limit_hook, LUA_MASKCOUNT, 1);
  lua_pushstring(L, h->tripped_.c_str());
  lua_error(L);
}

int lua_host::require_module(lua_State* L) {
  const char* name = luaL_checkstring(L, 1);
  lua_getfield(L, LUA_REGISTRYINDEX, "_LOADED");
  lua_getfield(L, -1, name);
  if (!lua_isnil(L, -1)) return 1;
  lua_pop(L, 1);
  auto* h = host_of(L);
  std::string rel = name;
  for (auto& c : rel)
    if (c == '.') c = '/';
  if (rel.find("..") != std::string::npos || (!rel.empty() && rel.front() == '/'))
    return luaL_error(L, "module '%s': a module name cannot leave the module folders", name);
  std::string tried;
  for (const auto& dir : h->options_.module_dirs) {
    for (const auto& candidate : {dir / (rel + ".lua"), dir / rel / "init.lua"}) {
      std::error_code ec;
      if (!std::filesystem::is_regular_file(candidate, ec)) {
        tried += "\n\tno file '" + candidate.string() + "'";
        continue;
      }
      const auto& dirs = h->options_.module_dirs;
      if (!h->options_.unsafe && std::none_of(dirs.begin(), dirs.end(), [&](const auto& d) {
            return is_inside_folder(candidate, d);
          }))
        return luaL_error(L, "module '%s': %s is a link out of the module folders", name,
                          candidate.lexically_normal().c_str());
      std::string text;
      try {
        text = read_text_file(candidate);
      } catch (const std::exception& e) {
        return luaL_error(L, "%s", e.what());
      }
      const std::string chunk = "@" + candidate.lexically_normal().string();
      if (!h->options_.unsafe && !text.empty() && text.front() == LUA_SIGNATURE[0])
        return luaL_error(L, "%s: %s", candidate.lexically_normal().c_str(), kNoBytecode);
      if (luaL_loadbufferx(L, text.data(), text.size(), chunk.c_str(),
                           h->options_.unsafe ? "bt" : "t"))
        return lua_error(L);
      lua_pushstring(L, name);
      lua_call(L, 1, 1);
      if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_pushboolean(L, 1);
      }
      lua_pushvalue(L, -1);
      lua_setfield(L, -3, name);  // _LOADED[name]
      return 1;
    }
  }
  return luaL_error(L, "module '%s' not found:%s", name, tried.c_str());
}

// One thread per host, armed for each load or hook call: past the deadline it reports through
// host_options::on_stuck (the Lua state cannot be interrupted inside a C call).
class call_watchdog {
 public:
  explicit call_watchdog(std::function<void(const std::string&)> on_stuck)
      : on_stuck_(std::move(on_stuck)), thread_([this] { watch(); }) {}
  ~call_watchdog() {
    {
      std::lock_guard lock(mu_);
      quit_ = true;
    }
    cv_.notify_one();
    thread_.join();
  }
  call_watchdog(const call_watchdog&) = delete;
  call_watchdog& operator=(const call_watchdog&) = delete;

  void arm(std::chrono::seconds limit, std::string message) {
    {
      std::lock_guard lock(mu_);
      deadline_ = std::chrono::steady_clock::now() + limit;
      message_ = std::move(message);
      armed_ = true;
    }
    cv_.notify_one();
  }
  void disarm() {
    std::lock_guard lock(mu_);
    armed_ = false;
  }

 private:
  void watch() {
    std::unique_lock lock(mu_);
    while (!quit_) {
      if (!armed_) {
        cv_.wait(lock);
        continue;
      }
      if (cv_.wait_until(lock, deadline_) == std::cv_status::timeout && armed_ &&
          std::chrono::steady_clock::now() >= deadline_) {
        armed_ = false;
        const std::string message = message_;
        lock.unlock();
        if (on_stuck_)
          on_stuck_(message);
        else
          std::fprintf(stderr, "loadwright: %s\n", message.c_str());
        lock.lock();
      }
    }
  }

  std::function<void(const std::string&)> on_stuck_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool armed_ = false, quit_ = false;
  std::chrono::steady_clock::time_point deadline_;
  std::string message_;
  std::thread thread_;
};

// Arms the watchdog for one call, disarmed however the call ends.
struct armed {
  call_watchdog& w;
  armed(call_watchdog& watchdog, std::chrono::seconds limit, std::string message) : w(watchdog) {
    w.arm(limit, std::move(message));
  }
  ~armed() { w.disarm(); }
};

void lua_host::reset_limits() {
  instructions_ = 0;
  tripped_.clear();
  allocation_refused_ = false;
  lua_sethook(L_, &lua_host::limit_hook, LUA_MASKCOUNT, kHookEvery);
}

void lua_host::run_file(const std::filesystem::path& path, const std::string& display_name) {
  const std::string text = read_text_file(path);
  reset_limits();
  const armed watch(*watchdog_, options_.max_load_time,
                    fmt::format("{}: the script ran for more than {} s while loading (a runaway "
                                "library call?)",
                                display_name, options_.max_load_time.count()));
  const int base = lua_gettop(L_);
  const std::string chunk = "@" + display_name;
  if (!options_.unsafe && !text.empty() && text.front() == LUA_SIGNATURE[0])
    throw script_error(fmt::format("{}: {}", display_name, kNoBytecode));
  if (luaL_loadbufferx(L_, text.data(), text.size(), chunk.c_str(), options_.unsafe ? "bt" : "t")) {
    std::string msg = lua_tostring(L_, -1);
    lua_settop(L_, base);
    throw script_error(msg);
  }
  // The script, then plain_copy(its result): neither may run code once C++ reads the tables.
  // No error handler: the message already carries file:line, and an error object that is
  // not a string stays as it is (its __tostring is never called).
  lua_getfield(L_, LUA_REGISTRYINDEX, kPlainCopyKey);
  lua_insert(L_, -2);
  const int rc0 = lua_pcall(L_, 0, 1, 0);
  const int rc = rc0 ? rc0 : lua_pcall(L_, 1, 1, 0);
  if (rc0) lua_remove(L_, -2);  // plain_copy, under the error message
  if (rc) {
    std::string msg =
        lua_isstring(L_, -1)
            ? lua_tostring(L_, -1)
            : fmt::format("{}: the script raised an error that is not a string (a {})",
                          display_name, luaL_typename(L_, -1));
    if (rc0 == 0 && tripped_.empty() && rc != LUA_ERRMEM)  // plain_copy's own complaint
      msg = fmt::format("{}: the value the script returned: {}", display_name, msg);
    if (rc == LUA_ERRMEM && allocation_refused_)
      msg = fmt::format("{}: the script reached its limit of {} MiB of memory (in one allocation)",
                        display_name, options_.max_memory_bytes >> 20);
    lua_settop(L_, base);
    throw script_error(msg);
  }
}

}  // namespace loadwright::scripting

namespace loadwright::scripting {

void lua_host::call(int nargs, int nresults, const std::string& label) {
  const int fn = lua_gettop(L_) - nargs;
  // Where the function was written, for every message about it.
  lua_Debug ar{};
  lua_pushvalue(L_, fn);
  std::string where;
  if (lua_getinfo(L_, ">S", &ar) && ar.linedefined > 0)
    where = fmt::format("{}:{}", ar.short_src, ar.linedefined);
  const std::string name = where.empty() ? label : fmt::format("{} ({})", label, where);
  reset_limits();
  int rc = 0;
  {
    const armed watch(*watchdog_, options_.max_load_time,
                      fmt::format("{}: ran for more than {} s in one call (a runaway library "
                                  "call?)",
                                  name, options_.max_load_time.count()));
    rc = lua_pcall(L_, nargs, nresults, 0);
  }
  if (rc == 0) return;
  std::string msg =
      lua_isstring(L_, -1)
          ? lua_tostring(L_, -1)
          : fmt::format("raised an error that is not a string (a {})", luaL_typename(L_, -1));
  if (rc == LUA_ERRMEM && allocation_refused_)
    msg = fmt::format("reached the script's limit of {} MiB of memory (in one allocation)",
                      options_.max_memory_bytes >> 20);
  lua_pop(L_, 1);
  throw hook_error(name + ": " + msg);
}

void lua_host::plain_copy_top(const std::string& label) {
  lua_getfield(L_, LUA_REGISTRYINDEX, kPlainCopyKey);
  lua_insert(L_, -2);
  call(1, 1, label);
}

int lua_host::out_write(lua_State* L) {
  auto* h = host_of(L);
  const char* name = luaL_checkstring(L, 1);
  std::size_t len = 0;
  const char* text = luaL_checklstring(L, 2, &len);
  if (h->write_dir_.empty())
    return luaL_error(L, "out.write: only in on_done (the output folder is known then)");
  const std::string n = name;
  if (n.empty() || n.find('/') != std::string::npos || n.find('\\') != std::string::npos ||
      n.find("..") != std::string::npos || n.front() == '.' || n.find('\0') != std::string::npos ||
      n.size() > 200)
    return luaL_error(L, "out.write: '%s' is not a plain file name (no '/', '..' or leading '.')",
                      runtime::printable(n).c_str());
  constexpr std::uint64_t kMaxBytes = 256ull << 20;  // all files of a run together
  if (h->written_bytes_ + len > kMaxBytes)
    return luaL_error(L, "out.write: more than %d MiB written in all",
                      static_cast<int>(kMaxBytes >> 20));
  const auto path = h->write_dir_ / n;
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f || !f.write(text, static_cast<std::streamsize>(len)) || !f.flush())
    return luaL_error(L, "out.write: cannot write %s", path.c_str());
  h->written_bytes_ += len;
  h->written_files_.push_back(path);
  return 0;
}

}  // namespace loadwright::scripting
