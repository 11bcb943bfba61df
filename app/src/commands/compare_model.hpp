#pragma once
// `loadwright compare`: what it compares and how, without any file I/O (unit-tested in
// tests/app/compare_test.cpp). compare.cpp reads the result files into `side_results`, then
// `compare_scenario` pairs the records and runs the tests, and the renderers turn a
// `comparison` into the console table, compare.md and compare.json. docs/compare.md says which
// test is used for what and how to read the verdicts.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "loadwright/analysis/verdict.hpp"
#include "loadwright/analysis/welch.hpp"
#include "loadwright/core/request_record.hpp"

namespace loadwright::app::compare {

/// Bad input (results that cannot be compared): one line, printed as is; exit code 2.
class compare_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct compare_options {
  double margin = 0.05;  // equivalence margin, relative to A's level (median or mean)
  double alpha = 0.05;
  std::size_t resamples = 10000;  // bootstrap replicates
  std::uint64_t bootstrap_seed = 42;
  double confidence = 0.95;
};

/// The smallest number of pairs for which a two-sided signed-rank test can reach p < alpha at
/// all (its smallest p is 2 / 2^n): 6 for alpha = 0.05.
std::size_t minimum_pairs(double alpha);

/// One run's run-level metrics (a summary's keys: "output_throughput", "p99_ttft_ms", …).
using run_values = std::map<std::string, double>;

/// One scenario's results from one input (a folder or a file).
struct side_results {
  std::string scenario;
  std::string records_file;           // NAME.requests.jsonl, as given or found
  std::string summary_file;           // NAME.json, empty when there is none
  std::optional<std::uint64_t> seed;  // from the summary
  std::string base_url, model_id;     // from the summary (for the report only)
  bool emulated = false;
  double time_scale = 1.0;
  std::vector<runtime::request_record> records;  // every record of the file, all phases
  std::vector<run_values> runs;                  // one per measured run
  bool runs_from_summary = false;  // false: recomputed from the records (no summary file)
  /// The summary's workload keys (dataset, arrival, request_rate, max_concurrency, …) as JSON
  /// text: a difference is reported as a note (the pairing itself checks the requests).
  std::map<std::string, std::string> setup;
};

/// The per-request metrics compared, in this order.
struct request_metric_def {
  const char* key;    // "ttft_ms"
  const char* label;  // "TTFT"
  const char* unit;   // "ms"
};
std::span<const request_metric_def> request_metrics();
/// A record's value of a per-request metric; nullopt when it is undefined for that record
/// (TPOT with one output token, ITL without gaps).
std::optional<double> request_metric_value(const runtime::request_record& r, std::string_view key);

/// The run-level metrics tested across repeated runs, in this order.
struct run_metric_def {
  const char* key;  // a summary key
  const char* label;
  const char* unit;
  analysis::better_when better;
};
std::span<const run_metric_def> run_metrics();

/// Measured records of A and B matched by request id.
struct pairing {
  std::size_t measured_a = 0, measured_b = 0;  // phase "measure" records
  std::size_t matched = 0;                     // ids in both
  std::size_t only_a = 0, only_b = 0;          // ids in one side only
  std::size_t failed_a = 0, failed_b = 0;      // matched, but not ok on that side
  std::size_t ok_pairs = 0;                    // matched and ok on both sides
  std::vector<std::uint32_t> runs;             // run numbers among the ok pairs
  struct series {
    std::string key;
    std::vector<double> a, b;  // same length, pair i = the same request
  };
  std::vector<series> metrics;  // one per request_metrics(), pairs where both are defined
};

/// Pairs the measured records (phase "measure") of A and B by request id. Throws
/// compare_error when an id appears twice on one side, or when a matched request is not the
/// same request on both sides (different prompt token counts or max_tokens: a different
/// seed, dataset, tokenizer or scenario file). Later turns of a conversation carry the
/// server's earlier replies, so only max_tokens is checked for them.
pairing pair_records(std::span<const runtime::request_record> a,
                     std::span<const runtime::request_record> b, const std::string& scenario);

struct request_metric_result {
  std::string key, label, unit;
  std::size_t n = 0;  // pairs
  double median_a = 0, median_b = 0, p99_a = 0, p99_b = 0, mean_a = 0, mean_b = 0;
  std::optional<analysis::paired_comparison> result;  // absent: not tested (see note)
  std::string note;
};

struct run_metric_result {
  std::string key, label, unit;
  analysis::better_when better = analysis::better_when::lower;
  std::vector<double> a, b;  // per run
  double mean_a = 0, mean_b = 0, sd_a = 0, sd_b = 0;
  double cohens_d = 0;                           // (mean B - mean A) / sqrt((var A + var B) / 2)
  std::optional<analysis::t_test_result> welch;  // welch_t_test(B, A): B - A
  std::optional<analysis::tost_result> tost;
  std::optional<analysis::verdict> result;  // absent: not tested (see note)
  std::string note;
};

struct side_info {
  std::string records_file, summary_file;
  std::optional<std::uint64_t> seed;
  std::string base_url, model_id;
  bool emulated = false;
  double time_scale = 1.0;
  std::size_t runs = 0;
  bool runs_from_summary = false;
};

struct scenario_comparison {
  std::string scenario;
  std::optional<std::uint64_t> seed;
  side_info a, b;
  pairing pairs;  // counts (the series are not kept)
  std::vector<request_metric_result> per_request;
  std::vector<run_metric_result> per_run;
  std::vector<std::string> notes;
  bool tested() const;  // at least one metric was tested
};

/// Pairs, checks and tests one scenario. Throws compare_error when the two sides are not the
/// same requests (scenario names, seeds, or the requests themselves differ). Too few pairs
/// or runs is not an error here: the metrics are left untested with a note.
scenario_comparison compare_scenario(const side_results& a, const side_results& b,
                                     const compare_options& options);

struct comparison {
  std::string a_label, b_label;  // the inputs as given
  compare_options options;
  std::vector<scenario_comparison> scenarios;
  std::vector<std::string> notes;  // e.g. scenarios found on one side only
};

/// Short verdict for a table cell: "B faster by 12.3 %", "equivalent (±5 %)", "inconclusive".
std::string short_verdict(const analysis::verdict& v, double margin);
/// The console report (tables and one sentence per metric).
std::string console_text(const comparison& c);
/// compare.md
std::string markdown_text(const comparison& c);
/// compare.json
std::string json_text(const comparison& c);

}  // namespace loadwright::app::compare
