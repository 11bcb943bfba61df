#pragma once
// Capacity plans (methodology chapter §2, "Capacity planning"; issue 17): from the maximum
// rate one instance sustains under the SLOs, how many instances and GPUs a target rate needs,
// at the rate found and at both ends of its band. `loadwright run` of a file that returns
// `capacity { … }` calls present_capacity; a search that finds the maximum rate (find_max)
// fills a capacity_spec with its answer and band and calls the same function.

#include <filesystem>
#include <ostream>
#include <string>

#include "loadwright/core/capacity_spec.hpp"

namespace loadwright::app {

/// The plan as the console shows it, as NAME.json and as NAME.md.
struct capacity_texts {
  std::string console;
  std::string json;
  std::string markdown;
};
/// Computes the plan (loadwright::analysis::plan_capacity / plan_capacity_band). Throws
/// std::invalid_argument for numbers no plan can use (a non-positive rate, a band that does not
/// contain the max rate).
capacity_texts render_capacity(const runtime::capacity_spec& spec);

/// Prints the plan to `console` (when not null) and, when `out_dir` is given, writes
/// NAME.json and NAME.md there (and prints "wrote …"). Returns the exit code: 0, or 2 when the
/// numbers cannot make a plan or the files cannot be written (the reason printed on stderr).
int present_capacity(const runtime::capacity_spec& spec, const std::filesystem::path* out_dir,
                     std::ostream* console);

}  // namespace loadwright::app
