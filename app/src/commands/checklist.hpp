#pragma once
// The methodology chapter's validation checklist (§2) as a lint: which of its checks what a
// file will run fails. `validate` prints the notes, and so do the first lines of `run`; they
// are advice, never errors, and never change the exit code.

#include <span>
#include <string>
#include <vector>

#include "loadwright/core/scenario_plan.hpp"

namespace loadwright::app {

/// One "note: …" line per failed check, in the chapter's order: fewer than 50 warm-up
/// requests; closed loop only; too few requests per run for p99.9 (< 1000); fixed lengths;
/// one rate; under 60 s per rate; no hardware context (context.gpu / quantization). Checks of
/// one scenario name the scenarios when the file has several; "closed loop only" and "one
/// rate" are judged over the whole file. Empty when every check passes (or nothing is known
/// yet: a suite function).
std::vector<std::string> checklist_notes(std::span<const runtime::scenario_plan> plans);

}  // namespace loadwright::app
