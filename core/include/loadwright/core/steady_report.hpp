#pragma once
// The report of a steady-state grid (the framework's scenario × batch size sweep): a table per
// target, the difficulty matrix against A1, as Markdown and CSV. Pure functions.

#include <string>
#include <vector>

namespace loadwright::runtime {

/// One cell: a scenario at one batch size on one target.
struct steady_cell {
  std::string target, scenario;
  int batch_size = 0;
  double server_tps = 0;  // mean user_tps × N (the framework's)
  double user_tps = 0, user_tps_std = 0;
  double window_output_tps = 0;  // counted in the window
  double ttft_p50_ms = 0, ttft_p99_ms = 0;
  double tpot_ms = 0;  // median
  double jitter_ratio = 0;
  bool steady = false;
};

/// A cell measured against the emulator at `time_scale` in the modelled machine's time (as the
/// Arena table is): rates × time_scale, times ÷ time_scale; ratios unchanged.
steady_cell in_modelled_time(steady_cell c, double time_scale);

/// The reference scenario of the difficulty matrix ("A1", else the first scenario seen).
std::string difficulty_reference(const std::vector<steady_cell>& cells);

/// "# Steady state: NAME", then per target a table of every cell (in scenario, then batch
/// size order) and the difficulty matrix: server_tps of the reference at N over the
/// scenario's at N (2.0 = half the throughput: twice as hard); "–" where a cell is missing.
/// With several targets, then each pair's comparison (steady_comparison).
std::string steady_report_markdown(const std::string& name, const std::vector<steady_cell>& cells,
                                   const std::string& note = {});
/// Two targets cell by cell (the cells both have): who has the higher server tok/s, by how
/// much (higher / lower − 1), and the share of cells each won.
std::string steady_comparison(const std::vector<steady_cell>& cells, const std::string& a,
                              const std::string& b);
std::string steady_report_csv(const std::vector<steady_cell>& cells);

}  // namespace loadwright::runtime
