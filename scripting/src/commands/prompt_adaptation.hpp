#pragma once
// llama-benchy's prompt adaptation: a chat server wraps every prompt in its template, so a
// prompt of N tokens arrives as N + overhead. Before the clock starts, two tiny non-streaming
// requests measure that overhead from `usage.prompt_tokens` (a user message alone, and a system
// context plus a user "."), and gutenberg datasets with `adapt_prompt` are shortened by it.

#include "loadwright/datasets/token_counter.hpp"
#include "loadwright/runtime/engine.hpp"
#include "loadwright/runtime/scenario_plan.hpp"

namespace loadwright::scripting {

/// Adapts `plan`'s dataset when it asks to; false after printing why it cannot.
bool adapt_prompts(runtime::scenario_plan& plan, const runtime::engine_target& target,
                   const datasets::token_counter& counter, bool quiet);

}  // namespace loadwright::scripting
