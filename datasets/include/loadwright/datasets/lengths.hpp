#pragma once
// Realistic request lengths, as the methodology chapter defines them (§2, "Realistic
// lengths"): `np.random.lognormal(mean=log(m), sigma)` then `astype(int)` then `clip(min,
// max)`, and its four workload presets.
//
// The normals are numpy's legacy generator's (`np.random.seed`, the polar method with its
// cached second value), the same generator the Poisson schedule uses, but seeded with
// length_seed(seed) so that lengths and arrival gaps are independent draws. A scenario's
// lengths are therefore reproducible in Python:
//
//   np.random.seed(length_seed)            # (seed ^ 0x4E475448) & 0xFFFFFFFF
//   inputs  = np.random.lognormal(np.log(m_in),  s_in,  n).astype(int).clip(lo_in,  hi_in)
//   outputs = np.random.lognormal(np.log(m_out), s_out, n).astype(int).clip(lo_out, hi_out)
//
// (input lengths first, then output lengths, from one stream; a length given as a number
// draws nothing from it). Note the definition's truncation: the median m itself gives m - 1
// when exp(log(m)) rounds just below m (500 → 499.99999999999983 → 499), as numpy does.
//
// The analysis library has the same definition (analysis/lengths.hpp) driven by any uniform
// source; datasets depends on nothing of ours, so it has its own copy, driven by numpy's
// generator. tests/datasets/lengths_test.cpp checks that the two preset tables agree.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "loadwright/datasets/dataset_spec.hpp"
#include "loadwright/datasets/rng.hpp"

namespace loadwright::datasets {

/// The numpy seed of a scenario's lengths: (seed ^ 0x4E475448) & 0xFFFFFFFF ("NGTH").
std::uint32_t length_seed(std::uint64_t seed);

/// "" when `spec` is usable, else why not (median > 0 and finite, sigma ≥ 0 and finite,
/// 1 ≤ min ≤ max).
std::string lognormal_problem(const lognormal_lengths& spec);

/// The length for one standard normal z: exp(log(median) + sigma z), truncated, clipped.
std::int64_t lognormal_length(const lognormal_lengths& spec, double z);

/// `n` lengths from `rng` (np.random.lognormal(log(median), sigma, n).astype(int).clip(…)).
std::vector<std::int64_t> draw_lognormal_lengths(const lognormal_lengths& spec, std::size_t n,
                                                 numpy_legacy_rng& rng);

/// "lognormal median 500, sigma 0.8, clipped to 50..4000"
std::string describe_lengths(const lognormal_lengths& spec);

/// One of the chapter's four workloads.
struct workload_preset {
  std::string_view name;  // "chat", "code", "long_context", "summarization"
  std::string_view description;
  lognormal_lengths prompt;
  lognormal_lengths output;
};
/// The chapter's table, in its order (chat, code generation, long-context QA, summarization).
std::span<const workload_preset> workload_presets();
/// By name; null when unknown.
const workload_preset* find_workload_preset(std::string_view name);

}  // namespace loadwright::datasets
