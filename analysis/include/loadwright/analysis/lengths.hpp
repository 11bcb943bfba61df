#pragma once
// Realistic request lengths, as the methodology chapter defines them (§2, "Realistic
// lengths"): `np.random.lognormal(mean=log(m), sigma=0.8)` then `astype(int)` then
// `clip(min, max)`; that is, exp(log(m) + sigma z) with z standard normal, truncated toward
// zero, then clamped. The median of the unclipped distribution is m.
//
// z comes from ONE uniform u in [0, 1) by the inverse normal CDF (Boost.Math), so any seeded
// uniform source drives the sampler and the same uniforms give the same lengths everywhere.
// (numpy draws its normals differently, so a seed here does not reproduce numpy's numbers;
// the distribution is the same.) u = 0 is taken as the smallest positive double.
// Note the definition's truncation: at u = 0.5, exp(log(500)) = 499.99999999999983 and
// astype(int) gives 499, as numpy does.

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "loadwright/analysis/random.hpp"

namespace loadwright::analysis {

struct lognormal_lengths {
  double median = 0;  // m (the chapter calls it the mean)
  double sigma = 0.8;
  std::int64_t min = 1;  // clip bounds, inclusive
  std::int64_t max = 1;
};

/// The length for one uniform u in [0, 1). std::invalid_argument when median <= 0, sigma < 0
/// or min > max.
std::int64_t lognormal_length(const lognormal_lengths& spec, double u);
/// Draws one uniform from `source`.
std::int64_t sample_length(const lognormal_lengths& spec, uniform_source& source);

/// One of the chapter's four workloads: prompt and output length distributions.
struct workload_preset {
  std::string_view name;  // "chat", "code", "long_context", "summarization"
  std::string_view description;
  lognormal_lengths prompt;
  lognormal_lengths output;
};
/// The chapter's table, in its order (chat, code generation, long-context QA, summarization).
std::span<const workload_preset> workload_presets();
/// By name; empty when unknown.
std::optional<workload_preset> find_workload_preset(std::string_view name);

}  // namespace loadwright::analysis
