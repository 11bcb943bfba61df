// `loadwright report`: summaries recomputed from raw request records.

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

#include "loadwright/app/commands.hpp"
#include "loadwright/core/result_files.hpp"

namespace loadwright::app {

namespace rt = loadwright::runtime;
namespace fs = std::filesystem;

int report_command(const report_args& args) {
  std::vector<fs::path> files;
  std::error_code ec;
  if (fs::is_directory(args.path, ec)) {
    for (const auto& e : fs::directory_iterator(args.path))
      if (e.path().string().ends_with(".requests.jsonl") || (e.path().extension() == ".jsonl"))
        files.push_back(e.path());
    std::sort(files.begin(), files.end());
  } else if (fs::is_regular_file(args.path, ec)) {
    files.push_back(args.path);
  }
  if (files.empty()) {
    std::cerr << "loadwright: " << args.path << ": no request records (.requests.jsonl) found\n";
    return exit_bad_input;
  }
  // scenario → run → records
  std::map<std::string, std::map<std::uint32_t, std::vector<rt::request_record>>> by_scenario;
  for (const auto& f : files) {
    std::ifstream in(f);
    std::string line;
    for (std::size_t n = 1; std::getline(in, line); ++n) {
      if (line.empty()) continue;
      rt::request_record r;
      std::string why;
      if (!rt::parse_record_jsonl(line, r, &why)) {
        std::cerr << fmt::format("loadwright: {}:{}: {}\n", f.string(), n, why);
        return exit_bad_input;
      }
      by_scenario[r.scenario][r.run].push_back(std::move(r));
    }
  }
  std::string json_text;
  rt::summary_options so;
  so.percentiles = args.percentiles;
  for (const auto& [name, runs] : by_scenario) {
    std::vector<rt::summary> summaries;
    for (const auto& [run, records] : runs) summaries.push_back(rt::summarize_run(records, so));
    auto [means, stds] = rt::combine_runs(summaries);
    const bool many = summaries.size() > 1;
    std::cout << rt::console_summary(
        many ? fmt::format("{} (mean ± std of {} runs)", name, summaries.size()) : name, means,
        many ? &stds : nullptr, args.percentiles);
    rt::summary_setup setup;
    setup.scenario = name;
    json_text += rt::summary_json(setup, means, summaries, many ? &stds : nullptr);
  }
  if (!args.json_out.empty()) {
    std::ofstream out(args.json_out);
    out << json_text;
    if (!out) {
      std::cerr << "loadwright: cannot write " << args.json_out << '\n';
      return exit_bad_input;
    }
    std::cout << "wrote " << args.json_out << '\n';
  }
  return exit_ok;
}

}  // namespace loadwright::app
