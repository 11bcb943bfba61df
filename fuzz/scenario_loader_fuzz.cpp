// libFuzzer: the scenario loader (LuaJIT sandbox, DSL prelude, plan validation) on
// arbitrary script text. Every input must end as a plan or a script_error; anything else
// (a crash, another exception, a sanitizer report) is a finding. Seed it with the shipped
// scenarios and examples.

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>

#include "loadwright/scripting/scenario_loader.hpp"

namespace fs = std::filesystem;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const fs::path dir = [] {
    auto d = fs::temp_directory_path() / ("lw_fuzz_loader_" + std::to_string(::getpid()));
    fs::create_directories(d);
    return d;
  }();
  const fs::path script = dir / "fuzz.lua";
  std::ofstream(script, std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  loadwright::scripting::load_options o;
  o.module_dirs = {fs::path(LW_SOURCE_DIR) / "scenarios" / "lib"};
  o.max_instructions = 5'000'000;  // keep each input quick
  o.max_memory_bytes = 64u << 20;
  try {
    loadwright::scripting::load_scenario_file(script, o);
  } catch (const loadwright::scripting::script_error&) {
  }
  return 0;
}
