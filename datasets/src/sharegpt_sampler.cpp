// sharegpt { path, … }: ShareGPT V3-format conversations, sampled as vLLM's ShareGPTDataset
// does: entries with at least two turns, shuffled with the seed, the first turn as the prompt
// and the second's token count as the output length, vLLM's length filters. Only the entries
// actually used are unescaped and tokenized.

#include <fmt/format.h>

#include "samplers.hpp"
#include "sharegpt_file.hpp"

namespace loadwright::datasets::detail {

std::vector<sample> draw_sharegpt(const sharegpt_spec& spec, std::size_t count, std::uint64_t seed,
                                  const token_counter& counter) {
  const sharegpt_file file(spec.path, 2);
  std::vector<std::size_t> usable;  // entries with a prompt and a reply
  for (std::size_t e = 0; e < file.entries(); ++e)
    if (file.turns(e).size() >= 2) usable.push_back(e);
  if (usable.empty())
    throw dataset_error(
        fmt::format("{}: none of its {} entries has two turns (a prompt and a reply)", spec.path,
                    file.records()));

  // vLLM: shuffle, then take entries in order while they pass the filter.
  std::vector<std::size_t> order(usable.size());
  if (spec.shuffle)
    order = seeded_permutation(usable.size(), seed);
  else
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::vector<sample> pool;
  const bool fixed_output = spec.output_tokens > 0;
  for (std::size_t k = 0; k < order.size() && pool.size() < count; ++k) {
    const auto turns = file.turns(usable[order[k]]);
    auto prompt = sharegpt_file::text(turns[0]);
    if (!prompt) continue;  // lone surrogates and the like: skip the entry
    std::int64_t out_len = spec.output_tokens;
    if (!fixed_output) {
      const auto reply = sharegpt_file::text(turns[1]);
      if (!reply) continue;
      out_len = counter.count(*reply);
    }
    const std::int64_t in_len = counter.count(*prompt);
    if (spec.filter) {
      if (in_len < spec.min_prompt_tokens || in_len > spec.max_prompt_tokens) continue;
      if (!fixed_output && out_len < spec.min_output_tokens) continue;
      if (in_len + out_len > spec.max_total_tokens) continue;
    }
    sample s;
    s.messages.push_back({"user", std::move(*prompt)});
    s.input_tokens = in_len;
    s.input_tokens_estimated = !counter.exact();
    s.max_output_tokens = std::max<std::int64_t>(1, out_len);
    pool.push_back(std::move(s));
  }
  if (pool.empty())
    throw dataset_error(fmt::format(
        "{}: no entry passes the filter (prompt {}..{} tokens, output >= {}, total <= {}); "
        "set filter = false or widen the limits",
        spec.path, spec.min_prompt_tokens, spec.max_prompt_tokens, spec.min_output_tokens,
        spec.max_total_tokens));
  // Too few: oversample by cycling (vLLM duplicates random entries).
  return cycle(pool, count);
}

}  // namespace loadwright::datasets::detail
