#pragma once
// llama-benchy's prompt adaptation: a chat server wraps every prompt in its template, so a
// prompt of N tokens arrives as N + overhead. Before the clock starts, two tiny non-streaming
// requests measure that overhead from `usage.prompt_tokens` (a user message alone, and a system
// context plus a user "."), and gutenberg datasets with `adapt_prompt` are shortened by it.

#include "loadwright/core/scenario_plan.hpp"
#include "loadwright/datasets/token_counter.hpp"
#include "loadwright/engine/engine.hpp"

namespace loadwright::app {

/// Adapts `dataset` (the plan's, as preparation will read it) when it asks to; false after
/// printing why it cannot.
bool adapt_prompts(const runtime::scenario_plan& plan, datasets::dataset_spec& dataset,
                   const runtime::engine_target& target, const datasets::token_counter& counter,
                   bool quiet);

}  // namespace loadwright::app
