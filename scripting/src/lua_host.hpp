#pragma once
// A LuaJIT state for loading scenario files: sandboxed by default, with instruction and
// memory limits, the DSL prelude, and a `require` that finds plain-Lua modules beside the
// script or among the shipped scenarios.

#include <lua.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace loadwright::scripting {

struct host_options {
  bool unsafe = false;
  std::uint64_t max_instructions = 500'000'000;
  std::size_t max_memory_bytes = 512u << 20;
  /// Wall-clock limit on loading and on each hook call, for what the instruction count
  /// cannot see: a long call inside a C library function (a pathological string pattern).
  std::chrono::seconds max_load_time{30};
  /// Called (from a watchdog thread) with a one-line message when the limit passes: the Lua
  /// state cannot be interrupted inside a C call, so the verb decides what to do (it reports
  /// and ends the process). Unset: the message is printed and the call goes on.
  std::function<void(const std::string&)> on_stuck;
  std::vector<std::filesystem::path> module_dirs;  // searched by require, in order
};

class call_watchdog;

class lua_host {
 public:
  explicit lua_host(host_options options);
  ~lua_host();
  lua_host(const lua_host&) = delete;
  lua_host& operator=(const lua_host&) = delete;

  lua_State* state() const { return L_; }

  /// Runs the file and leaves its first return value on the stack. Throws script_error
  /// with "file:line: message" on syntax or runtime errors.
  void run_file(const std::filesystem::path& path, const std::string& display_name);

  /// Calls the function below the top `nargs` values with fresh limits for this call (the
  /// instruction count and the watchdog; memory is the state's), leaving `nresults` values.
  /// Throws hook_error "LABEL (file:line): message" naming where the function was written.
  void call(int nargs, int nresults, const std::string& label);

  /// Replaces the value on top with a plain copy of it (no metatables), under the limits.
  void plain_copy_top(const std::string& label);

  /// Where `out.write(name, text)` writes while allowed (a script's on_done); empty: refused.
  void allow_writes(std::filesystem::path dir) { write_dir_ = std::move(dir); }
  /// The files out.write wrote since the last call (taken).
  std::vector<std::filesystem::path> take_written() { return std::exchange(written_files_, {}); }

 private:
  static int require_module(lua_State* L);
  static int out_write(lua_State* L);
  void reset_limits();
  static void limit_hook(lua_State* L, lua_Debug* ar);
  // Every allocation of the state goes through here: the memory limit holds exactly, even
  // for one huge string.rep.
  static void* allocate(void* self, void* block, std::size_t old_size, std::size_t new_size);

  host_options options_;
  std::size_t allocated_bytes_ = 0;
  bool allocation_refused_ = false;
  lua_State* L_ = nullptr;
  std::uint64_t instructions_ = 0;
  std::string tripped_;  // the limit's error once one was reached
  std::filesystem::path write_dir_;
  std::uint64_t written_bytes_ = 0;
  std::vector<std::filesystem::path> written_files_;
  std::unique_ptr<call_watchdog> watchdog_;
};

/// Reads a whole file; throws script_error naming it when it cannot.
std::string read_text_file(const std::filesystem::path& path);

}  // namespace loadwright::scripting
