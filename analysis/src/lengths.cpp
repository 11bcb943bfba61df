#include "loadwright/analysis/lengths.hpp"

#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "numeric.hpp"

namespace loadwright::analysis {

namespace {

// The methodology chapter's table (§2, "Realistic lengths"): mean / min / max of the prompt
// and of the output, sigma 0.8 throughout.
constexpr std::array<workload_preset, 4> presets{{
    {"chat", "chat", {500, 0.8, 50, 4000}, {200, 0.8, 10, 2000}},
    {"code", "code generation", {1500, 0.8, 200, 8000}, {500, 0.8, 50, 4000}},
    {"long_context", "long-context QA", {16000, 0.8, 2000, 128000}, {300, 0.8, 20, 2000}},
    {"summarization", "summarization", {4000, 0.8, 500, 32000}, {150, 0.8, 50, 500}},
}};

}  // namespace

std::int64_t lognormal_length(const lognormal_lengths& spec, double u) {
  if (!(spec.median > 0) || !std::isfinite(spec.median))
    throw std::invalid_argument("lognormal: the median must be a positive number");
  if (!(spec.sigma >= 0) || !std::isfinite(spec.sigma))
    throw std::invalid_argument("lognormal: sigma must be a non-negative number");
  if (spec.min > spec.max) throw std::invalid_argument("lognormal: min must not exceed max");
  if (!(u > 0)) u = std::numeric_limits<double>::min();  // [0, 1): 0 -> smallest positive
  if (u >= 1) u = 1 - 0x1.0p-53;
  const double z = detail::normal_quantile(u);
  const double x = std::exp(std::log(spec.median) + spec.sigma * z);
  // astype(int) then clip(min, max): truncation toward zero is monotone, so clamping first in
  // double gives the same integer and never overflows.
  const auto lo = static_cast<double>(spec.min), hi = static_cast<double>(spec.max);
  if (!(x < hi)) return spec.max;
  if (x < lo) return spec.min;
  return std::max(spec.min, static_cast<std::int64_t>(x));
}

std::int64_t sample_length(const lognormal_lengths& spec, uniform_source& source) {
  return lognormal_length(spec, source.next_uniform());
}

std::span<const workload_preset> workload_presets() {
  return presets;
}

std::optional<workload_preset> find_workload_preset(std::string_view name) {
  for (const auto& p : presets)
    if (p.name == name) return p;
  return std::nullopt;
}

}  // namespace loadwright::analysis
