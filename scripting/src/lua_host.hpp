#pragma once
// A LuaJIT state for loading scenario files: sandboxed by default, with instruction and
// memory limits, the DSL prelude, and a `require` that finds plain-Lua modules beside the
// script or among the shipped scenarios.

#include <lua.hpp>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace loadwright::scripting {

struct host_options {
  bool unsafe = false;
  std::uint64_t max_instructions = 500'000'000;
  std::size_t max_memory_bytes = 512u << 20;
  /// Wall-clock limit on loading, for what the instruction count cannot see: a long call
  /// inside a C library function (a pathological string pattern). Past it the process
  /// reports the file and exits 2.
  std::chrono::seconds max_load_time{30};
  std::vector<std::filesystem::path> module_dirs;  // searched by require, in order
};

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

 private:
  static int require_module(lua_State* L);
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
};

/// Reads a whole file; throws script_error naming it when it cannot.
std::string read_text_file(const std::filesystem::path& path);

}  // namespace loadwright::scripting
