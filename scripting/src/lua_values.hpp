#pragma once
// C++ values as the Lua tables a script's hooks see, and back: a record (every field of its
// JSONL line), a summary, a finished scenario's result, a sample; and what hooks return (a
// request's shape, custom metrics). Reading never runs a script's metamethods (raw access).

#include <lua.hpp>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "loadwright/core/prepared_scenario.hpp"
#include "loadwright/core/record_consumer.hpp"
#include "loadwright/datasets/sample.hpp"

namespace loadwright::scripting {

/// Pushes a table with every field of `r`, named as in NAME.requests.jsonl.
void push_record(lua_State* L, const runtime::request_record& r);
/// Pushes {KEY = value, …, errors = {class = n}, error_examples = {…}}.
void push_summary(lua_State* L, const runtime::summary& s);
/// Pushes a finished scenario as on_done and run() give it: name, summary, runs, std, custom,
/// notes, failed_checks, passed, interrupted, files, and records() — an iterator over the
/// records read back from `records_path` (nothing of them is held in memory).
void push_result(lua_State* L, const std::string& name, const runtime::scenario_report& report,
                 const std::filesystem::path& records_path);
/// Pushes what request_hook sees of a sample: messages, prompt, input_tokens, max_tokens,
/// turns, phase, index.
void push_sample(lua_State* L, const datasets::sample& s, std::size_t index,
                 runtime::run_phase phase, std::int64_t max_tokens);

/// Reads a request_hook's answer at `index`: nil, or { body = {…}, headers = {…} }. Throws
/// hook_error naming `label` for anything else.
runtime::request_shape read_shape(lua_State* L, int index, const std::string& label);
/// Reads on_done's answer at `index`: nil, or { NAME = number, … } (at most 1000).
std::vector<std::pair<std::string, double>> read_custom(lua_State* L, int index,
                                                        const std::string& label);

}  // namespace loadwright::scripting
