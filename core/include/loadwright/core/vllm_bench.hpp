#pragma once
// `vllm bench serve`'s result formats (reference/vllm-bench-serve.md §4, §6), computed from
// our request records: the --save-result JSON (same keys, same order, same definitions) and
// the console summary block, as vLLM's vllm/benchmarks/serve.py (main, @009e6d4a) writes
// them. Pure functions: no I/O.

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "loadwright/core/report_spec.hpp"
#include "loadwright/core/request_record.hpp"
#include "loadwright/core/scenario_plan.hpp"

namespace loadwright::runtime::vllm_bench {

/// The run's set-up, as vLLM's JSON starts.
struct setup {
  std::string date;  // "%Y%m%d-%H%M%S"
  std::string model_id;
  /// The tokenizer's name (vLLM: --tokenizer, else the model), or none: vLLM without a
  /// tokenizer (--skip-tokenizer-init) writes null and leaves out every token-based row
  /// (generated tokens, the token throughputs, TTFT, TPOT and ITL).
  std::optional<std::string> tokenizer_id;
  std::uint64_t num_prompts = 0;
  double request_rate = infinite_rate;
  double burstiness = 1.0;
  std::optional<int> max_concurrency;
  std::string ramp_up_strategy;  // "" without a ramp-up
  double ramp_up_start_rps = 0, ramp_up_end_rps = 0;
  slo_spec slo;  // --goodput
  /// loadwright's own notes (an emulated run says so here): written after all of vLLM's
  /// keys, never among the --metadata keys.
  std::vector<std::pair<std::string, std::string>> metadata;
  /// When the measured run started (for a ramp-up's rps_change_events); unset: `date`.
  std::optional<std::chrono::system_clock::time_point> run_start;
};

/// vLLM's per-request view of one record (seconds): TTFT is the first event with choices
/// (our TTFR), latency the last such event, ITLs the gaps between all of them.
struct request_view {
  bool success = false;
  double scheduled_s = 0, start_s = 0, ttft_s = 0, latency_s = 0, queue_s = 0;
  std::vector<double> itl_s;
  std::int64_t prompt_len = 0, output_tokens = 0;
  bool output_from_usage = false;  // output_tokens is usage.completion_tokens
  std::string error;
};
request_view view_of(const request_record& r);

/// calculate_metrics' results for one run's measured records (in dataset order).
struct metrics {
  double duration_s = 0;
  std::int64_t completed = 0, failed = 0, total_input = 0, total_output = 0;
  double request_throughput = 0, output_throughput = 0, total_token_throughput = 0;
  std::optional<double> request_goodput;
  double max_output_tokens_per_s = 0;
  std::int64_t max_concurrent_requests = 0;
  std::vector<request_view> requests;
  std::vector<std::int64_t> output_lens;  // per request: its out_len, 0 when it failed
  std::vector<double> ttfts, tpots, itls, e2els, queue_times, e2els_with_queue;  // seconds
};
metrics calculate(std::span<const request_record> records, double duration_s, const setup& s);

/// The --save-result JSON: one object on one line, Python's json.dump layout (ASCII only),
/// no newline after it.
std::string save_result_json(const setup& s, const vllm_bench_spec& spec, const metrics& m);
/// What --append-result adds to the result file for one more object: "\n" before it unless
/// the file is empty, and never a newline after (vLLM's file has no trailing newline).
std::string appended_result(std::string_view json, bool file_empty);
/// The "Serving Benchmark Result" block as vLLM prints it (trailing spaces included).
std::string console_block(const setup& s, const vllm_bench_spec& spec, const metrics& m);
/// vLLM's file name: {label or backend}-{rate}qps[-concurrency{N}]-{model}-{date}.json.
std::string result_filename(const setup& s, const vllm_bench_spec& spec);

}  // namespace loadwright::runtime::vllm_bench
