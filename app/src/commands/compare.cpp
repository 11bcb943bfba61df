// `loadwright compare RESULTS_A RESULTS_B`: A/B with real statistics (issue 17). Reads two
// result folders (or NAME.json / NAME.requests.jsonl files), pairs each common scenario's
// measured requests by request id and tests them (compare_model.cpp); prints the report and
// writes compare.md and compare.json. docs/compare.md describes the tests.

#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "compare_model.hpp"
#include "loadwright/app/commands.hpp"
#include "loadwright/core/result_files.hpp"
#include "loadwright/core/summary.hpp"
#include "result_io.hpp"

namespace loadwright::app {

namespace rt = loadwright::runtime;
namespace fs = std::filesystem;
namespace json = boost::json;
using compare::compare_error;
using compare::side_results;

namespace {

bool ends_with(const std::string& s, std::string_view tail) {
  return s.ends_with(tail);
}

// "DIR/NAME" of a records file (NAME.requests.jsonl, or NAME.jsonl).
fs::path stem_of_records(const fs::path& records) {
  std::string s = records.string();
  for (std::string_view tail : {".requests.jsonl", ".jsonl"})
    if (ends_with(s, tail)) return s.substr(0, s.size() - tail.size());
  return s;
}

std::string read_text(const fs::path& p, const char* side) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw compare_error(fmt::format("{}: cannot read {}", side, p.string()));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::optional<double> number_of(const json::value& v) {
  if (v.is_double()) return v.as_double();
  if (v.is_int64()) return static_cast<double>(v.as_int64());
  if (v.is_uint64()) return static_cast<double>(v.as_uint64());
  return std::nullopt;
}

compare::run_values run_values_of(const json::object& o) {
  compare::run_values values;
  for (const auto& [k, v] : o)
    if (const auto d = number_of(v)) values.emplace(std::string(k), *d);
  return values;
}

// What a summary file tells: the scenario, its seed, the target, and each run's metrics.
struct summary_facts {
  std::string scenario;
  std::optional<std::uint64_t> seed;
  std::string base_url, model_id;
  bool emulated = false;
  double time_scale = 1.0;
  std::vector<compare::run_values> runs;
  std::map<std::string, std::string> setup;
};

summary_facts read_summary(const fs::path& p, const char* side) {
  const std::string text = read_text(p, side);
  json::error_code ec;
  const json::value doc = json::parse(text, ec);
  if (ec)
    throw compare_error(fmt::format("{}: {} is not a loadwright summary (invalid JSON: {})", side,
                                    p.string(), ec.message()));
  if (!doc.is_object() || !doc.as_object().contains("scenario"))
    throw compare_error(
        fmt::format("{}: {} is not a loadwright summary (no \"scenario\" key)", side, p.string()));
  const auto& o = doc.as_object();
  summary_facts f;
  if (const auto* s = o.if_contains("scenario"); s && s->is_string())
    f.scenario = std::string(s->as_string());
  if (const auto* s = o.if_contains("seed")) {
    if (s->is_uint64()) f.seed = s->as_uint64();
    if (s->is_int64() && s->as_int64() >= 0) f.seed = static_cast<std::uint64_t>(s->as_int64());
  }
  if (const auto* s = o.if_contains("base_url"); s && s->is_string())
    f.base_url = std::string(s->as_string());
  if (const auto* s = o.if_contains("model_id"); s && s->is_string())
    f.model_id = std::string(s->as_string());
  if (const auto* s = o.if_contains("emulated"); s && s->is_bool()) f.emulated = s->as_bool();
  if (const auto* s = o.if_contains("time_scale"))
    if (const auto d = number_of(*s)) f.time_scale = *d;
  for (const char* key : {"dataset", "arrival", "request_rate", "burstiness", "max_concurrency",
                          "num_prompts", "warmup", "num_runs", "endpoint_type"})
    if (const auto* v = o.if_contains(key)) f.setup.emplace(key, json::serialize(*v));
  if (const auto* runs = o.if_contains("runs"); runs && runs->is_array()) {
    for (const auto& r : runs->as_array())
      if (r.is_object()) f.runs.push_back(run_values_of(r.as_object()));
  } else {
    f.runs.push_back(run_values_of(o));  // one run: its metrics are the top-level keys
  }
  return f;
}

// Reads one records file; its records grouped by scenario.
std::map<std::string, std::vector<rt::request_record>> read_records(const fs::path& p,
                                                                    const char* side) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw compare_error(fmt::format("{}: cannot read {}", side, p.string()));
  std::map<std::string, std::vector<rt::request_record>> out;
  std::string line;
  for (std::size_t n = 1; std::getline(in, line); ++n) {
    if (line.empty()) continue;
    rt::request_record r;
    std::string why;
    if (!rt::parse_record_jsonl(line, r, &why))
      throw compare_error(fmt::format("{}: {}:{}: {}", side, p.string(), n, why));
    out[r.scenario].push_back(std::move(r));
  }
  return out;
}

// Each measured run's summary, recomputed from the records (when there is no summary file).
std::vector<compare::run_values> runs_from_records(const std::vector<rt::request_record>& records) {
  std::map<std::uint32_t, std::vector<rt::request_record>> by_run;
  for (const auto& r : records)
    if (r.phase == rt::run_phase::measure) by_run[r.run].push_back(r);
  std::vector<compare::run_values> out;
  for (const auto& [run, rs] : by_run) {
    const rt::summary s = rt::summarize_run(rs, rt::summary_options{});
    compare::run_values v;
    for (const auto& f : s.fields) v.emplace(f.key, f.value);
    out.push_back(std::move(v));
  }
  return out;
}

void add_records_file(const fs::path& records, const std::optional<fs::path>& summary_path,
                      const char* side, std::map<std::string, side_results>& out) {
  auto groups = read_records(records, side);
  std::optional<summary_facts> facts;
  if (summary_path) facts = read_summary(*summary_path, side);
  for (auto& [scenario, recs] : groups) {
    if (out.count(scenario))
      throw compare_error(fmt::format("{}: scenario {} has records in more than one file ({})",
                                      side, scenario, records.string()));
    side_results s;
    s.scenario = scenario;
    s.records_file = records.string();
    if (facts && facts->scenario == scenario) {
      s.summary_file = summary_path->string();
      s.seed = facts->seed;
      s.base_url = facts->base_url;
      s.model_id = facts->model_id;
      s.emulated = facts->emulated;
      s.time_scale = facts->time_scale;
      s.runs = facts->runs;
      s.setup = facts->setup;
      s.runs_from_summary = true;
    } else {
      s.runs = runs_from_records(recs);
    }
    s.records = std::move(recs);
    out.emplace(scenario, std::move(s));
  }
}

// Every scenario of one input: a folder (each NAME.requests.jsonl with its NAME.json), a
// NAME.json summary (with its records beside it) or a records file.
std::map<std::string, side_results> load_side(const std::string& path, const char* side) {
  std::map<std::string, side_results> out;
  std::error_code ec;
  const fs::path p(path);
  if (fs::is_directory(p, ec)) {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(p, ec))
      if (e.is_regular_file() && ends_with(e.path().filename().string(), ".requests.jsonl"))
        files.push_back(e.path());
    std::sort(files.begin(), files.end());
    if (files.empty())
      throw compare_error(fmt::format(
          "{}: {}: no results found (no NAME.requests.jsonl: the folder `loadwright run --out` "
          "wrote?)",
          side, path));
    for (const auto& f : files) {
      fs::path summary = stem_of_records(f).string() + ".json";
      add_records_file(f, fs::is_regular_file(summary, ec) ? std::optional(summary) : std::nullopt,
                       side, out);
    }
    return out;
  }
  if (!fs::exists(p, ec))
    throw compare_error(fmt::format("{}: {}: no such file or folder", side, path));
  const std::string name = p.string();
  if (ends_with(name, ".jsonl")) {
    fs::path summary = stem_of_records(p).string() + ".json";
    add_records_file(p, fs::is_regular_file(summary, ec) ? std::optional(summary) : std::nullopt,
                     side, out);
  } else if (ends_with(name, ".json")) {
    const fs::path records = name.substr(0, name.size() - 5) + ".requests.jsonl";
    if (!fs::is_regular_file(records, ec))
      throw compare_error(fmt::format(
          "{}: {} has no records file {} beside it: compare pairs the per-request records", side,
          path, records.string()));
    add_records_file(records, p, side, out);
  } else {
    throw compare_error(
        fmt::format("{}: {}: not a results folder, NAME.json or NAME.requests.jsonl", side, path));
  }
  if (out.empty()) throw compare_error(fmt::format("{}: {}: no request records in it", side, path));
  return out;
}

std::string names(const std::map<std::string, side_results>& m) {
  std::string out;
  for (const auto& [k, v] : m) out += (out.empty() ? "" : ", ") + k;
  return out;
}

compare::comparison run_comparison(const compare_args& args) {
  if (!(args.margin > 0 && args.margin < 1))
    throw compare_error(
        fmt::format("--margin {:g}: give a fraction in (0, 1), e.g. 0.05 for "
                    "\u00b15 %",
                    args.margin));
  if (!(args.alpha > 0 && args.alpha < 0.5))
    throw compare_error(fmt::format("--alpha {:g}: give a level in (0, 0.5)", args.alpha));
  if (args.resamples < 100)
    throw compare_error(fmt::format("--resamples {}: at least 100", args.resamples));
  const auto a = load_side(args.a, "A");
  const auto b = load_side(args.b, "B");

  compare::comparison c;
  c.a_label = args.a;
  c.b_label = args.b;
  c.options.margin = args.margin;
  c.options.alpha = args.alpha;
  c.options.resamples = args.resamples;
  std::vector<std::string> common;
  for (const auto& [name, s] : a)
    if (b.count(name)) common.push_back(name);
  if (common.empty()) {
    if (a.size() == 1 && b.size() == 1)
      throw compare_error(fmt::format(
          "A is scenario '{}' and B is scenario '{}': compare results of the same scenario",
          a.begin()->first, b.begin()->first));
    throw compare_error(
        fmt::format("no scenario is in both A ({}) and B ({})", names(a), names(b)));
  }
  for (const auto& [name, s] : a)
    if (!b.count(name)) c.notes.push_back(fmt::format("scenario {} is only in A: left out", name));
  for (const auto& [name, s] : b)
    if (!a.count(name)) c.notes.push_back(fmt::format("scenario {} is only in B: left out", name));
  std::error_code ec;
  if (fs::equivalent(args.a, args.b, ec))
    c.notes.push_back("A and B are the same results: every difference is zero");
  for (const auto& name : common)
    c.scenarios.push_back(compare::compare_scenario(a.at(name), b.at(name), c.options));

  bool any = false;
  for (const auto& s : c.scenarios) any = any || s.tested();
  if (!any) {
    const auto& s = c.scenarios.front();
    throw compare_error(fmt::format(
        "scenario {}: too few paired requests to compare: {} completed on both sides (the "
        "signed-rank test needs at least {}), and Welch's test needs 2 runs on each side ({} "
        "and {})",
        s.scenario, s.pairs.ok_pairs, compare::minimum_pairs(args.alpha), s.a.runs, s.b.runs));
  }
  return c;
}

}  // namespace

int compare_command(const compare_args& args) {
  compare::comparison c;
  try {
    c = run_comparison(args);
  } catch (const compare_error& e) {
    std::cerr << "loadwright compare: " << e.what() << '\n';
    return exit_bad_input;
  }
  std::cout << compare::console_text(c);
  const fs::path dir(args.out_dir.empty() ? "." : args.out_dir);
  try {
    std::error_code ec;
    fs::create_directories(dir, ec);
    rt::write_atomically(dir / "compare.md", compare::markdown_text(c));
    rt::write_atomically(dir / "compare.json", compare::json_text(c));
  } catch (const std::exception& e) {
    std::cerr << "loadwright compare: " << e.what() << '\n';
    return exit_bad_input;
  }
  std::cout << "wrote " << (dir / "compare.md").string() << '\n'
            << "wrote " << (dir / "compare.json").string() << '\n';
  return exit_ok;
}

}  // namespace loadwright::app
