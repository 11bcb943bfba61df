#pragma once
// llama-benchy's steps before a cell's measured requests (reference/llama-benchy.md §2):
// the coherence question and the latency measurement. They talk to the server.

#include <string>

#include "loadwright/core/prepared_scenario.hpp"

namespace loadwright::runtime::llama_benchy {

/// The latency subtracted from TTFR: the mean of 3 samples in seconds ("api": GET /models
/// read whole; "generation": a 1-token stream until its first bytes; "none": 0). Failed
/// samples are skipped; 0 when all fail.
double measure_latency(const engine_target& target, const std::string& mode);
/// Asks "What is the capital of France? …" (non-streaming, 100 tokens). True when the reply
/// (content + reasoning) contains "paris"; `*reply` gets the reply or what went wrong.
bool coherence_check(const engine_target& target, std::string* reply);

}  // namespace loadwright::runtime::llama_benchy
