#include "loadwright/datasets/lengths.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace loadwright::datasets {

namespace {

// The methodology chapter's table (§2, "Realistic lengths"): median (the chapter's "mean"),
// min and max of the prompt and of the output, sigma 0.8 throughout.
constexpr std::array<workload_preset, 4> presets{{
    {"chat", "chat", {500, 0.8, 50, 4000}, {200, 0.8, 10, 2000}},
    {"code", "code generation", {1500, 0.8, 200, 8000}, {500, 0.8, 50, 4000}},
    {"long_context", "long-context QA", {16000, 0.8, 2000, 128000}, {300, 0.8, 20, 2000}},
    {"summarization", "summarization", {4000, 0.8, 500, 32000}, {150, 0.8, 50, 500}},
}};

}  // namespace

std::uint32_t length_seed(std::uint64_t seed) {
  return static_cast<std::uint32_t>((seed ^ 0x4E475448u) & 0xFFFFFFFFu);
}

std::string lognormal_problem(const lognormal_lengths& spec) {
  if (!(spec.median > 0) || !std::isfinite(spec.median))
    return fmt::format("the median must be a positive number, got {}", spec.median);
  if (!(spec.sigma >= 0) || !std::isfinite(spec.sigma))
    return fmt::format("sigma must be a number ≥ 0, got {}", spec.sigma);
  if (spec.min < 1) return fmt::format("min must be at least 1, got {}", spec.min);
  if (spec.min > spec.max)
    return fmt::format("min ({}) must not exceed max ({})", spec.min, spec.max);
  return {};
}

std::int64_t lognormal_length(const lognormal_lengths& spec, double z) {
  // numpy's legacy_lognormal: exp(legacy_normal(mean, sigma)) = exp(mean + sigma * gauss).
  const double x = std::exp(std::log(spec.median) + spec.sigma * z);
  // astype(int) then clip(min, max): truncation toward zero is monotone, so clamping first in
  // double gives the same integer and never overflows.
  if (!(x < static_cast<double>(spec.max))) return spec.max;
  if (x < static_cast<double>(spec.min)) return spec.min;
  return std::max(spec.min, static_cast<std::int64_t>(x));
}

std::vector<std::int64_t> draw_lognormal_lengths(const lognormal_lengths& spec, std::size_t n,
                                                 numpy_legacy_rng& rng) {
  std::vector<std::int64_t> out(n);
  for (auto& v : out) v = lognormal_length(spec, rng.gauss());
  return out;
}

std::string describe_lengths(const lognormal_lengths& spec) {
  return fmt::format("lognormal median {:g}, sigma {:g}, clipped to {}..{}", spec.median,
                     spec.sigma, spec.min, spec.max);
}

std::span<const workload_preset> workload_presets() {
  return presets;
}

const workload_preset* find_workload_preset(std::string_view name) {
  for (const auto& p : presets)
    if (p.name == name) return &p;
  return nullptr;
}

}  // namespace loadwright::datasets
