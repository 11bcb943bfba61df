#pragma once
// The CLI verbs (DESIGN §4). cli/main.cpp parses arguments into these structs; each
// function returns the process exit code: 0 ok, 1 a check failed, 2 bad script or
// arguments (nothing sent), 130 interrupted.

#include <optional>
#include <string>
#include <vector>

namespace loadwright::app {

inline constexpr int exit_ok = 0;
inline constexpr int exit_check_failed = 1;
inline constexpr int exit_bad_input = 2;
inline constexpr int exit_interrupted = 130;

struct run_args {
  std::string file;
  std::string base_url;    // empty: OPENAI_BASE_URL, the scenario's target, or the emulator
  std::string base_url_b;  // an A/B's B side (ab { b = { base_url } } otherwise)
  std::vector<std::string> targets;  // --target NAME=URL: the URL of a scenario's named target
  std::string model;
  std::string api_key;
  std::string out_dir = "results";
  std::vector<std::string> overrides;
  std::optional<std::uint64_t> seed;
  bool dry_run = false;
  bool insecure = false;
  bool unsafe = false;
  bool quiet = false;
  int workers = 1;
  std::string tokenizer;  // a tokenizer.json or its folder; overrides the scenario's
  std::string emulator_profile = "fast";  // when running against the built-in emulator
  std::optional<double> emulator_time_scale;
  std::string emulator_log;  // the built-in emulator appends every request it gets here
  bool emulator_prefix_cache = false;
  std::string emulator_faults;  // a fault mix for the built-in emulator: "reset:0.1,503:0.05"
};
int run_command(const run_args& args);

struct validate_args {
  std::string file;
  std::string tokenizer;
  std::vector<std::string> overrides;
  std::optional<std::uint64_t> seed;
  bool unsafe = false;
};
int validate_command(const validate_args& args);

struct emulate_args {
  std::string host = "127.0.0.1";
  int port = 8000;
  std::string profile = "fast";
  std::optional<std::string> model;
  std::optional<double> prefill_tps, decode_ms, decode_exponent, time_scale;
  std::optional<int> max_batch;
  std::string tokenizer;    // count prompts with this tokenizer.json (exact usage, /tokenize ids)
  std::string request_log;  // append every request received here (JSON lines)
  bool prefix_cache = false;
  std::string faults;  // a fault mix: "reset:0.1,503:0.05"
};
int emulate_command(const emulate_args& args);

struct report_args {
  std::string path;  // a results folder or a .requests.jsonl file
  std::vector<double> percentiles{50, 90, 95, 99};
  std::string json_out;  // also write the recomputed summary here
};
int report_command(const report_args& args);

/// `loadwright compare A B`: A/B of two result folders (or NAME.json / NAME.requests.jsonl
/// files) of the same scenario and seed; docs/compare.md.
struct compare_args {
  std::string a, b;           // results of the baseline (A) and the candidate (B)
  std::string out_dir = ".";  // compare.md and compare.json go here
  double margin = 0.05;       // equivalence margin, relative (0.05 = ±5 %)
  double alpha = 0.05;
  std::size_t resamples = 10000;  // bootstrap replicates
};
int compare_command(const compare_args& args);

int list_command();

struct tokenize_args {
  std::string tokenizer;  // a tokenizer.json or its folder
  std::string text;       // "-": read standard input
  bool decode = false;    // text is a JSON array of ids; print the text
  bool add_special_tokens = false;
  bool skip_special_tokens = false;
  bool count = false;  // print only the number of tokens
};
int tokenize_command(const tokenize_args& args);

/// Finds a scenario: the path as given, else relative to the shipped scenario folders
/// ("arena/01-chat" → …/scenarios/arena/01-chat.lua).
std::string resolve_scenario_path(const std::string& name);
/// The folders holding shipped scenarios and examples, in search order.
std::vector<std::string> shipped_dirs();

}  // namespace loadwright::app
