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

}  // namespace loadwright::datasets::detail
