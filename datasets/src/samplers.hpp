#pragma once
// One function per dataset kind; sampler.cpp dispatches.

#include "loadwright/datasets/sampler.hpp"

namespace loadwright::datasets::detail {

std::vector<sample> draw_random(const random_spec& spec, std::size_t count, std::uint64_t seed,
                                const token_counter& counter);
std::vector<sample> draw_prompts(const prompts_spec& spec, std::size_t count,
                                 const token_counter& counter);
std::vector<sample> draw_jsonl(const jsonl_spec& spec, std::size_t count, std::uint64_t seed,
                               const token_counter& counter);

std::vector<sample> draw_sharegpt(const sharegpt_spec& spec, std::size_t count, std::uint64_t seed,
                                  const token_counter& counter);
std::vector<sample> draw_gutenberg(const gutenberg_spec& spec, std::size_t count,
                                   std::uint64_t seed, const token_counter& counter);

std::vector<sample> draw_shared_prefix(const shared_prefix_spec& spec, std::size_t count,
                                       std::uint64_t seed, const token_counter& counter);
std::vector<sample> draw_conversations(const conversations_spec& spec, std::size_t count,
                                       std::uint64_t seed, const token_counter& counter);

/// `count` samples taken from `pool` (not empty) in order, round and round.
std::vector<sample> cycle(const std::vector<sample>& pool, std::size_t count);

/// 0..n-1 shuffled by Fisher-Yates with our seeded generator (the same on every platform).
std::vector<std::size_t> seeded_permutation(std::size_t n, std::uint64_t seed);

}  // namespace loadwright::datasets::detail
