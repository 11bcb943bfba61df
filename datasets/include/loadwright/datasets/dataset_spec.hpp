#pragma once
// What a scenario's `dataset = …` says, validated. Samplers turn it into samples.

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace loadwright::datasets {

/// `random { input_tokens, output_tokens, range_ratio, prefix_tokens }` (vLLM's semantics:
/// lengths uniform in [X(1-r), X(1+r)], a shared random prefix of prefix_tokens).
struct random_spec {
  std::int64_t input_tokens = 1024;
  std::int64_t output_tokens = 128;
  double range_ratio = 0.0;  // in [0, 1)
  std::int64_t prefix_tokens = 0;
};

/// `prompts { "…", "…" }`: the listed prompts, cycled in order.
struct prompts_spec {
  std::vector<std::string> prompts;
  std::string system;  // optional system message for every prompt
  std::int64_t output_tokens = -1;
};

/// `jsonl { path, field = "prompt" }`: one JSON object per line; `field` holds the prompt
/// (a string, or a list of {role, content} messages); `output_field` an optional max_tokens.
struct jsonl_spec {
  std::string path;
  std::string field = "prompt";
  std::string output_field = "output_tokens";
  std::int64_t output_tokens = -1;
  bool shuffle = false;
};

using dataset_spec = std::variant<random_spec, prompts_spec, jsonl_spec>;

/// The constructor name of a spec as written in Lua: "random", "prompts", "jsonl".
const char* dataset_kind(const dataset_spec& spec);

}  // namespace loadwright::datasets
