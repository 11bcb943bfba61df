#include "lua_host.hpp"

#include <fmt/format.h>

#include <luajit.h>
#include <fstream>
#include <sstream>

#include "loadwright/scripting/scenario_loader.hpp"

extern const unsigned char lw_prelude[];
extern const unsigned long lw_prelude_size;

namespace loadwright::scripting {

namespace {

constexpr int kHookEvery = 10'000;  // instructions between limit checks
const char* const kHostKey = "loadwright.host";

lua_host* host_of(lua_State* L) {
  lua_getfield(L, LUA_REGISTRYINDEX, kHostKey);
  auto* h = static_cast<lua_host*>(lua_touserdata(L, -1));
  lua_pop(L, 1);
  return h;
}

// Error handler: keeps the message (which already carries file:line) as it is.
int traceback_free_handler(lua_State* L) {
  if (!lua_isstring(L, 1)) {
    lua_pushstring(L, "(error object is not a string)");
  }
  return 1;
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

lua_host::lua_host(host_options options) : options_(std::move(options)) {
  L_ = luaL_newstate();
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
      lua_pcall(L_, 0, 0, 0)) {
    std::string msg = lua_tostring(L_, -1);
    lua_close(L_);
    throw script_error("the DSL prelude failed to load: " + msg);
  }
  if (!options_.unsafe) {
    for (const char* g : kUnsafeGlobals) {
      lua_pushnil(L_);
      lua_setglobal(L_, g);
    }
    lua_pushnil(L_);
    lua_setglobal(L_, "debug");  // the prelude kept what it needs
    lua_getglobal(L_, "string");
    lua_pushnil(L_);
    lua_setfield(L_, -2, "dump");
    lua_pop(L_, 1);
  }
  lua_sethook(L_, &lua_host::limit_hook, LUA_MASKCOUNT, kHookEvery);
}

lua_host::~lua_host() {
  if (L_) lua_close(L_);
}

void lua_host::limit_hook(lua_State* L, lua_Debug* ar) {
  auto* h = host_of(L);
  h->instructions_ += kHookEvery;
  std::string problem;
  if (h->instructions_ > h->options_.max_instructions) {
    problem = fmt::format("the script ran for more than {} instructions (a runaway loop?)",
                          h->options_.max_instructions);
  } else if (static_cast<std::size_t>(lua_gc(L, LUA_GCCOUNT, 0)) * 1024 >
             h->options_.max_memory_bytes) {
    problem = fmt::format("the script used more than {} MiB of memory",
                          h->options_.max_memory_bytes >> 20);
  }
  if (problem.empty()) return;
  // Name the place: the hook's activation record is the running Lua function.
  std::string where;
  if (lua_getinfo(L, "Sl", ar) && ar->currentline > 0)
    where = fmt::format("{}:{}: ", ar->short_src, ar->currentline);
  lua_pushstring(L, (where + problem).c_str());
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
      std::string text;
      try {
        text = read_text_file(candidate);
      } catch (const std::exception& e) {
        return luaL_error(L, "%s", e.what());
      }
      const std::string chunk = "@" + candidate.lexically_normal().string();
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

void lua_host::run_file(const std::filesystem::path& path, const std::string& display_name) {
  const std::string text = read_text_file(path);
  instructions_ = 0;
  lua_pushcfunction(L_, traceback_free_handler);
  const int handler = lua_gettop(L_);
  const std::string chunk = "@" + display_name;
  if (luaL_loadbufferx(L_, text.data(), text.size(), chunk.c_str(), options_.unsafe ? "bt" : "t")) {
    std::string msg = lua_tostring(L_, -1);
    lua_settop(L_, handler - 1);
    throw script_error(msg);
  }
  if (lua_pcall(L_, 0, 1, handler)) {
    std::string msg =
        lua_isstring(L_, -1) ? lua_tostring(L_, -1) : "(error object is not a string)";
    lua_settop(L_, handler - 1);
    throw script_error(msg);
  }
  lua_remove(L_, handler);
}

}  // namespace loadwright::scripting
