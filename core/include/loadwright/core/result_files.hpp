#pragma once
// The result files of DESIGN §5, as text: one JSONL line per request, the JSON summary,
// CSV rows and the console summary block. Pure functions; the runner does the file I/O.

#include <span>
#include <string>
#include <vector>

#include "loadwright/core/prepared_scenario.hpp"
#include "loadwright/core/request_record.hpp"
#include "loadwright/core/steady_state.hpp"
#include "loadwright/core/summary.hpp"

namespace loadwright::runtime {

class json_writer;

/// Appends one JSON line (with '\n') for `r`.
void append_record_jsonl(std::string& out, const request_record& r);
/// Parses a line written by append_record_jsonl; false with `*why` on failure.
bool parse_record_jsonl(std::string_view line, request_record& r, std::string* why);

/// Appends the CSV header line / one CSV row for `r`.
void append_records_csv_header(std::string& out);
void append_record_csv(std::string& out, const request_record& r);

/// Describes the scenario in the summary's leading keys (vLLM's "setup" keys and ours).
struct summary_setup {
  std::string date;  // "%Y%m%d-%H%M%S"
  std::string scenario;
  std::string source;
  std::string base_url;
  std::string target_name;  // a named target's name (target = { name }), else ""
  std::string model_id;
  std::string endpoint_type;  // "openai-chat" or "openai"
  std::uint64_t seed = 0;
  std::string arrival;
  double request_rate = 0;  // 0 when the arrival has no single rate
  bool has_rate = false;
  double burstiness = 0;
  bool has_burstiness = false;
  int max_concurrency = -1;  // -1 = none
  std::uint64_t num_prompts = 0;
  std::uint64_t warmup = 0;
  std::string dataset;
  std::string token_counter;
  bool interrupted = false;
  bool emulated = false;
  double time_scale = 1.0;  // the emulator's; send times were scaled with it
  std::string emulator_faults;
  bool unsafe = false;                         // the scenario script ran without its sandbox
  bool bounded_memory = false;                 // records were not kept in memory (long runs)
  bool percentiles_from_histogram = false;     // some series passed the exact limit
  context_spec context;                        // the scenario's `context = { … }`
  server_facts server;                         // what the server said about itself
  std::vector<steady_state_run> steady_state;  // `phases`: written as "steady_state"
};

/// The summary's "context" object: the scenario's `context` keys as given, then "discovered":
/// the served model id and what the server said about itself (owned_by, Server header, version
/// and where it came from, max_model_len), each only when known.
void write_context_json(json_writer& w, const summary_setup& setup);

/// The whole summary file: setup keys, the metrics (means over runs), errors by class, and
/// for several runs the per-run summaries and the std of each metric.
/// `custom`: a script's on_done metrics, written under "custom" when there are any.
std::string summary_json(const summary_setup& setup, const summary& combined,
                         std::span<const summary> runs, const summary* std_across_runs,
                         std::span<const std::pair<std::string, double>> custom = {});

/// The console block, laid out like `vllm bench serve`'s (40-column labels).
std::string console_summary(const std::string& title, const summary& combined,
                            const summary* std_across_runs, const std::vector<double>& percentiles);

}  // namespace loadwright::runtime
