#pragma once
// Running the built CLI from the end-to-end tests, and the files it leaves.

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace lw_e2e {

namespace fs = std::filesystem;

struct result {
  int code;
  std::string out;
};

/// Runs the CLI with `args` (through the shell); `env` ("NAME=value …") is set for it alone.
inline result sh(const std::string& args, const std::string& env = "") {
  const std::string cmd =
      (env.empty() ? "" : "env " + env + " ") + std::string(LW_BINARY) + " " + args + " 2>&1";
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  const int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

/// `sh` again until the command no longer fails with "Connection refused" (a server started in
/// the background is listening), for up to 5 s.
inline result sh_once_listening(const std::string& args, const std::string& env = "") {
  result r{};
  for (int attempt = 0; attempt < 50; ++attempt) {
    r = sh(args, env);
    if (r.out.find("Connection refused") == std::string::npos) break;
    ::usleep(100'000);
  }
  return r;
}

inline fs::path temp_dir(const std::string& name) {
  const auto d = fs::temp_directory_path() / ("lw_e2e_" + name);
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

inline std::string read(const fs::path& p) {
  std::ifstream f(p);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

inline fs::path write(const fs::path& p, const std::string& text) {
  std::ofstream(p) << text;
  return p;
}

}  // namespace lw_e2e
