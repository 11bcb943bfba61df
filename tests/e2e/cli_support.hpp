#pragma once
// Running the built CLI from the end-to-end tests, and the files it leaves.

#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

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
/// the background is listening), for up to 15 s.
inline result sh_once_listening(const std::string& args, const std::string& env = "") {
  result r{};
  for (int attempt = 0; attempt < 150; ++attempt) {
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

/// The rows of a CSV the CLI wrote (no quoting in ours), split at commas; the header is row 0.
/// As std::getline splits, a row's empty last cell is dropped.
inline std::vector<std::vector<std::string>> csv_rows(const fs::path& p) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines(read(p));
  for (std::string line; std::getline(lines, line);) {
    std::istringstream row(line);
    auto& cells = rows.emplace_back();
    for (std::string cell; std::getline(row, cell, ',');) cells.push_back(cell);
  }
  return rows;
}

namespace json = boost::json;

/// One JSON object per non-empty line (records, the emulator's request log).
inline std::vector<json::object> json_lines(const fs::path& p) {
  std::vector<json::object> out;
  std::istringstream in(read(p));
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(json::parse(line).as_object());
  return out;
}

// The chat requests the emulator received, by X-Request-Id order of the records.
inline std::vector<json::object> chat_bodies(const fs::path& log) {
  std::vector<json::object> out;
  for (auto& l : json_lines(log))
    if (json::value_to<std::string>(l.at("path")).ends_with("chat/completions"))
      out.push_back(l.at("body").as_object());
  return out;
}

inline std::string content_of(const json::value& message) {
  const auto& c = message.as_object().at("content");
  if (c.is_string()) return std::string(c.as_string());
  std::string text;  // a list of parts
  for (const auto& part : c.as_array())
    text += json::value_to<std::string>(part.as_object().at("text"));
  return text;
}

}  // namespace lw_e2e
