#pragma once
// What a scenario's `dataset = …` says, validated. Samplers turn it into samples.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace loadwright::datasets {

/// `lognormal { median, sigma, min, max }`: the methodology chapter's realistic lengths,
/// `np.random.lognormal(mean=log(median), sigma)` then `astype(int)` then `clip(min, max)`
/// (see lengths.hpp for how they are drawn from the seed).
struct lognormal_lengths {
  double median = 0;
  double sigma = 0.8;
  std::int64_t min = 1;  // clip bounds, inclusive
  std::int64_t max = 1;
  bool operator==(const lognormal_lengths&) const = default;
};

/// `random { input_tokens, output_tokens, range_ratio, prefix_tokens }` (vLLM's semantics:
/// lengths uniform in [X(1-r), X(1+r)], a shared random prefix of prefix_tokens).
/// Either length may instead be a lognormal distribution (`input_tokens = lognormal { … }`),
/// drawn per request; `workload = "chat"` (or "code", "long_context", "summarization") sets
/// both to the chapter's preset. A length given as a number keeps vLLM's uniform rule.
struct random_spec {
  std::int64_t input_tokens = 1024;  // with a distribution: its median, rounded
  std::int64_t output_tokens = 128;
  double range_ratio = 0.0;  // in [0, 1); applies to the lengths given as numbers
  std::int64_t prefix_tokens = 0;
  std::optional<lognormal_lengths> input_lengths;   // per-request prompt lengths
  std::optional<lognormal_lengths> output_lengths;  // per-request max_tokens
  std::string workload;                             // the preset named, for descriptions
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
  std::int64_t prompt_tokens = 0;  // > 0: each text cut to its first prompt_tokens tokens
  bool shuffle = false;
};

/// `sharegpt { path, … }`: ShareGPT-format JSON (a list of {"conversations": [{from, value}…]},
/// "conversation" accepted too). vLLM's sampling: entries with at least two turns, shuffled
/// with the seed; prompt = the first turn, output length = the second turn's token count
/// unless `output_tokens` fixes it; vLLM's filters unless `filter = false`.
struct sharegpt_spec {
  std::string path;
  std::int64_t output_tokens = -1;  // fixed output length; -1: the reply's length
  bool shuffle = true;
  bool filter = true;
  std::int64_t min_prompt_tokens = 4;
  std::int64_t max_prompt_tokens = 1024;
  std::int64_t min_output_tokens = 4;  // not checked when output_tokens is fixed
  std::int64_t max_total_tokens = 2048;
};

/// `gutenberg { path | url, prompt_tokens, depth_tokens, no_cache }`: llama-benchy's prompts.
/// Book text from the start marker on, tokenized once; each sample is a random slice:
/// `depth_tokens` of prior context (a system message) then `prompt_tokens` of user prompt.
/// `no_cache` appends a unique suffix against prefix caching (counted in prompt_tokens).
struct gutenberg_spec {
  std::string path;  // local file (a downloaded `url` is cached to a file first)
  std::string url;
  std::int64_t prompt_tokens = 512;
  std::int64_t depth_tokens = 0;
  std::int64_t output_tokens = -1;
  bool no_cache = false;
  bool strip_license = false;  // also cut the text at "*** END OF …"
  /// llama-benchy's --adapt-prompt: before the run, measure how many tokens the server's chat
  /// template adds (from `usage`) and shorten the prompt (or, with depth, the context) by that,
  /// so the server counts `prompt_tokens + depth_tokens`. Chat API only; needs `usage`.
  bool adapt_prompt = false;
};

/// `shared_prefix { system_tokens, question_tokens, prefixes }`: prefix-cache tests. Each sample
/// is one of `prefixes` long system prompts (sample i gets prefix i mod prefixes) followed by
/// its own question; all text is book text of exact token counts.
struct shared_prefix_spec {
  std::string path;  // the book; default Debian's pg1661.txt
  std::int64_t system_tokens = 2048;
  std::int64_t question_tokens = 64;
  std::int64_t prefixes = 1;
  std::int64_t output_tokens = -1;
};

/// `conversations { turns, prompt_tokens, followup_tokens, think_time, system_tokens }`:
/// multi-turn sessions. Turn k+1 is sent after turn k finishes and carries the whole
/// history with the server's real replies; an optional system prompt shared by every session.
struct conversations_spec {
  std::string path;  // the book the user turns are cut from; default Debian's pg1661.txt
  /// Real conversations instead: the human turns of a ShareGPT-format file, in order (at most
  /// `turns` of them), entries shuffled with the seed. prompt/followup_tokens do not apply.
  std::string sharegpt;
  /// Or the prompter's messages of OpenAssistant oasst2 trees (its `*.trees.jsonl`): from each
  /// tree's root along the best-ranked replies, at most `turns` of them.
  std::string oasst;
  std::int64_t turns = 3;
  std::int64_t prompt_tokens = 256;   // the first user turn
  std::int64_t followup_tokens = 64;  // each later user turn
  std::int64_t system_tokens = 0;     // shared by every conversation (prefix caching)
  std::int64_t output_tokens = 128;   // max_tokens of every turn
  double think_time_s = 0;            // pause between a reply and the next turn
};

using dataset_spec = std::variant<random_spec, prompts_spec, jsonl_spec, sharegpt_spec,
                                  gutenberg_spec, shared_prefix_spec, conversations_spec>;

/// The constructor name of a spec as written in Lua: "random", "prompts", "jsonl".
const char* dataset_kind(const dataset_spec& spec);

}  // namespace loadwright::datasets
