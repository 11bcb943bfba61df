#pragma once
// A plan in a few lines: what `validate` and `run --dry-run` print.

#include <optional>
#include <string>

#include "loadwright/core/scenario_plan.hpp"

namespace loadwright::runtime {

std::string describe_plan(const scenario_plan& plan);

/// A per-user decode speed a loaded server plausibly keeps (tokens/s): a request of T output
/// tokens plausibly takes T / this.
inline constexpr double plausible_user_tokens_per_s = 20.0;

/// `phases.measure` shorter than one request of the plan can plausibly take: a warning naming
/// the scenario's source line (never an error: a fast server may do better).
std::optional<std::string> short_measure_warning(const scenario_plan& plan);

}  // namespace loadwright::runtime
