#pragma once
// The closed-loop steady-state framework's figures (methodology §1), computed from one run's
// records and its phase timeline, and whether the run was steady. Pure.
//
// The measured set is the framework's: requests *sent* inside the measure window and
// completed (status ok) by the end of the drain. Beside it, window-exact throughput counts
// only the output tokens whose timestamps fall inside the window, whoever sent them.

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "loadwright/core/json_writer.hpp"
#include "loadwright/core/phase_timeline.hpp"
#include "loadwright/core/request_record.hpp"

namespace loadwright::runtime {

/// The share of N that must be in flight (vLLM's Rust client: 0.95 × max concurrency).
inline constexpr double full_load_fraction = 0.95;
/// The share of the measure window that must be at full load for the run to be steady.
inline constexpr double full_load_min_share = 0.95;
/// Throughput drift counts only above this (relative) and above twice its standard error.
inline constexpr double drift_tolerance = 0.05;

struct steady_state_figures {
  int concurrency = 0;               // N (closed loops), 0 for open loops
  double window_s = 0;               // the measure window's length
  std::uint64_t sent_in_window = 0;  // every request sent in the window
  std::uint64_t measured = 0;        // … of which completed by the drain's end
  std::uint64_t cut_by_drain = 0;    // still in flight when the drain ended
  std::int64_t measured_output_tokens = 0;
  double user_tps_mean = 0, user_tps_std = 0;              // tokens / (sent → last token)
  double generation_tps_mean = 0, generation_tps_std = 0;  // tokens / (last − first token)
  double server_tps = 0;                  // mean user_tps × N (its definition; NaN open loop)
  double window_output_tps = 0;           // tokens timestamped in the window / its length
  double itl_p50_ms = 0, itl_p99_ms = 0;  // the framework's index percentiles
  double jitter_ratio = 0;                // itl_p99_ms / itl_p50_ms (index percentiles)
  double jitter_ratio_interpolated = 0;   // the same with numpy's interpolated percentiles
  double mean_in_flight = 0;              // time-weighted over the window
  double full_load_share = 0;             // share of the window with in flight ≥ 0.95 × N
  double first_half_tps = 0, second_half_tps = 0;  // window-exact output tokens/s
  double drift = 0;                                // (second − first) / first
  double drift_noise = 0;  // twice the standard error of that difference, relative
  bool steady = false;
  std::string steady_reason;  // empty when steady
};

/// Builds one run's figures from its records (any order, every phase), in memory that grows
/// with the requests of the run (a few numbers each) and the ITL values of the measured set.
class steady_state_accumulator {
 public:
  explicit steady_state_accumulator(phase_timeline timeline);
  void add(const request_record& r);
  steady_state_figures finish() const;

 private:
  phase_timeline timeline_;
  std::int64_t window_start_ns_, window_end_ns_;
  std::vector<double> user_tps_, generation_tps_, itl_ms_;
  std::vector<std::pair<std::int64_t, std::int64_t>> busy_;  // [sent, end) of each request
  std::vector<double> window_tokens_;                        // per drift bucket
  steady_state_figures f_;
};

/// The figures a scenario with `phases` derives for thresholds and the suite's reports (means
/// over runs; `steady_state.steady` is 1 when every run was steady, else 0).
inline constexpr const char* steady_state_keys[] = {
    "steady_state.user_tps",          "steady_state.generation_tps", "steady_state.server_tps",
    "steady_state.window_output_tps", "steady_state.jitter_ratio",   "steady_state.steady"};

/// The framework's index percentile: sorted[int(len × p / 100)] (p = 50: sorted[len // 2]).
double index_percentile(std::span<const double> sorted, double p);

/// One run of a phased scenario as the summary reports it.
struct steady_state_run {
  std::uint32_t run = 1;
  std::string wall_start;  // ISO 8601 (UTC) of the run's start
  std::vector<phase_span> phases;
  std::vector<std::string> phase_start, phase_end;  // ISO 8601 of each phase's ends
  double total_wall_s = 0;
  steady_state_figures figures;
};

/// "steady_state": { which requests count, steady, steady_reason, runs: [...] } in NAME.json.
void write_steady_state_json(json_writer& w, std::span<const steady_state_run> runs);

/// The console block: the figures, and a WARNING line for a run that was not steady.
std::string steady_state_console(std::span<const steady_state_run> runs);

/// ISO 8601 in UTC with milliseconds: "2026-12-03T21:07:21.123Z".
std::string iso8601_utc(std::chrono::system_clock::time_point t);

}  // namespace loadwright::runtime
