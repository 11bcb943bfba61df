#pragma once
// find_max's outcome and its texts: the console line of each probe, the evidence table
// (NAME.find_max.md) and the same as JSON. Pure functions.

#include <optional>
#include <string>
#include <vector>

#include "loadwright/core/experiment_plan.hpp"
#include "loadwright/core/load_points.hpp"
#include "probe_evidence.hpp"

namespace loadwright::app {

struct find_max_outcome {
  std::vector<probe_evidence> probes;  // in the order run
  std::optional<double> answer;        // the last passing load
  std::optional<double> first_fail;    // the first failing load above it
  load_band band;
  std::optional<runtime::load_verdict> confirmation;  // the sustained run, when it ran
  bool interrupted = false;
};

/// "probe 3 (bisect): rate 12 req/s ×3: p99_ttft 412.0 ms [380.2, 455.9] ≤ 500 ms: pass (sure)"
std::string probe_line(const runtime::find_max_plan& plan, std::size_t number,
                       const probe_evidence& p);
/// The answer in one line: "16 req/s (band 12–20 req/s)", or why there is none.
std::string answer_text(const runtime::find_max_plan& plan, const find_max_outcome& out);
std::string find_max_markdown(const runtime::find_max_plan& plan, const find_max_outcome& out,
                              const std::string& note);
std::string find_max_json(const runtime::find_max_plan& plan, const find_max_outcome& out);

}  // namespace loadwright::app
