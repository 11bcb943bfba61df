#pragma once
// Reading a scenario's records back (NAME.requests.jsonl), one at a time.

#include <filesystem>
#include <fstream>
#include <string>

#include "loadwright/core/result_files.hpp"

namespace loadwright::app {

/// Calls `f(record)` for each record of `path` that parses (a crash's cut last line is skipped).
template <class F>
void for_each_record(const std::filesystem::path& path, F&& f) {
  std::ifstream in(path);
  std::string line;
  runtime::request_record r;
  while (std::getline(in, line))
    if (runtime::parse_record_jsonl(line, r, nullptr)) f(r);
}

}  // namespace loadwright::app
