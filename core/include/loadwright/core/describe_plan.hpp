#pragma once
// A plan in a few lines: what `validate` and `run --dry-run` print.

#include <string>

#include "loadwright/core/scenario_plan.hpp"

namespace loadwright::runtime {

std::string describe_plan(const scenario_plan& plan);

}  // namespace loadwright::runtime
