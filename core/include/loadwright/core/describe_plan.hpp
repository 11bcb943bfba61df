#pragma once
// A plan in a few lines: what `validate` and `run --dry-run` print.

#include <optional>
#include <string>

#include <vector>

#include "loadwright/core/scenario_plan.hpp"

namespace loadwright::runtime {

std::string describe_plan(const scenario_plan& plan);

/// A per-user decode speed a loaded server plausibly keeps (tokens/s): a request of T output
/// tokens plausibly takes T / this.
inline constexpr double plausible_user_tokens_per_s = 20.0;

/// `phases.measure` shorter than one request of the plan can plausibly take: a warning naming
/// the scenario's source line (never an error: a fast server may do better).
std::optional<std::string> short_measure_warning(const scenario_plan& plan);

/// How long a scenario runs when that is known in advance (phases: to the drain's end; a
/// duration; an open loop's natural end), times its runs; nullopt when it runs to a request
/// count (the server's speed decides).
std::optional<double> planned_seconds(const scenario_plan& plan);
/// "expected time: 2 h 41 min for 48 of 48 scenarios", then ", plus 50 warm-up requests (as
/// fast as the server answers them)" when there are any (--dry-run's last line before "nothing
/// sent").
std::string describe_total_time(const std::vector<scenario_plan>& plans);

}  // namespace loadwright::runtime
