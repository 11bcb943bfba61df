// Where shipped scenarios live, and `loadwright list`.

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "loadwright/app/commands.hpp"

#ifndef LW_SOURCE_DIR
#define LW_SOURCE_DIR ""
#endif

namespace loadwright::app {

namespace fs = std::filesystem;

std::vector<std::string> shipped_dirs() {
  std::vector<std::string> dirs;
  auto add = [&](const fs::path& p) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      auto c = fs::canonical(p, ec).string();
      if (std::find(dirs.begin(), dirs.end(), c) == dirs.end()) dirs.push_back(c);
    }
  };
  if (const char* home = std::getenv("LOADWRIGHT_HOME")) {
    add(fs::path(home) / "scenarios");
    add(fs::path(home) / "examples");
  }
  std::error_code ec;
  const auto exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    add(exe.parent_path().parent_path() / "share/loadwright/scenarios");
    add(exe.parent_path().parent_path() / "share/loadwright/examples");
  }
  if (std::string(LW_SOURCE_DIR).size() > 0) {
    add(fs::path(LW_SOURCE_DIR) / "scenarios");
    add(fs::path(LW_SOURCE_DIR) / "examples");
  }
  return dirs;
}

std::string resolve_scenario_path(const std::string& name) {
  std::error_code ec;
  if (fs::is_regular_file(name, ec)) return name;
  for (const auto& dir : shipped_dirs()) {
    for (const auto& candidate : {fs::path(dir) / name, fs::path(dir) / (name + ".lua")}) {
      if (fs::is_regular_file(candidate, ec)) return candidate.string();
    }
  }
  return name;  // the loader reports it missing
}

namespace {
// The first comment line of a scenario file: what it is about.
std::string headline(const fs::path& file) {
  std::ifstream f(file);
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind("--", 0) == 0) {
      auto text = line.substr(2);
      while (!text.empty() && (text.front() == ' ' || text.front() == '-')) text.erase(0, 1);
      if (const auto colon = text.find(".lua:"); colon != std::string::npos)
        text = text.substr(colon + 5);
      while (!text.empty() && text.front() == ' ') text.erase(0, 1);
      if (!text.empty()) return text;
    } else if (!line.empty()) {
      break;
    }
  }
  return "";
}
}  // namespace

int list_command() {
  bool any = false;
  for (const auto& dir : shipped_dirs()) {
    std::vector<fs::path> files;
    for (const auto& e : fs::recursive_directory_iterator(dir))
      if (e.is_regular_file() && e.path().extension() == ".lua" &&
          e.path().parent_path().filename() != "lib")  // lib/: modules, not scenarios
        files.push_back(e.path());
    std::sort(files.begin(), files.end());
    if (files.empty()) continue;
    std::cout << dir << ":\n";
    for (const auto& f : files) {
      auto rel = fs::relative(f, dir).replace_extension().string();
      std::cout << fmt::format("  {:<34} {}\n", rel, headline(f));
      any = true;
    }
  }
  if (!any)
    std::cout << "no shipped scenarios found (set LOADWRIGHT_HOME to the loadwright source or "
                 "install folder)\n";
  return exit_ok;
}

}  // namespace loadwright::app
