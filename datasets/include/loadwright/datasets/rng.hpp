#pragma once
// Deterministic random numbers that give the same values on every platform and standard
// library (std::uniform_int_distribution and friends do not), so a scenario file and a
// seed always produce the same requests and the same schedule.

#include <cstdint>
#include <random>

namespace loadwright::datasets {

/// 64-bit generator with uniform integers and reals defined by this code, not the library.
class seeded_rng {
 public:
  explicit seeded_rng(std::uint64_t seed) : engine_(seed) {}

  std::uint64_t next_u64() { return engine_(); }

  /// Uniform integer in [lo, hi] (inclusive), unbiased (Lemire's method).
  std::int64_t uniform_int(std::int64_t lo, std::int64_t hi);

  /// Uniform real in [0, 1) with 53 random bits.
  double uniform01() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

 private:
  std::mt19937_64 engine_;
};

/// numpy's legacy global generator (`np.random.seed(s)`; MT19937) and its legacy gamma
/// sampler, bit for bit. vLLM draws its arrival gaps from it, so our Poisson/gamma schedule
/// for a seed is the one `vllm bench serve --seed` computes (see reference/vllm-bench-serve.md §7).
class numpy_legacy_rng {
 public:
  explicit numpy_legacy_rng(std::uint32_t seed) : mt_(seed) {}

  /// `np.random.random_sample()`
  double next_double();
  /// `np.random.standard_normal()` (polar method with a cached second value).
  double gauss();
  /// `np.random.standard_exponential()`
  double standard_exponential();
  /// `np.random.standard_gamma(shape)`
  double standard_gamma(double shape);
  /// `np.random.gamma(shape, scale)`
  double gamma(double shape, double scale) { return scale * standard_gamma(shape); }

 private:
  std::mt19937 mt_;
  bool has_gauss_ = false;
  double cached_gauss_ = 0.0;
};

}  // namespace loadwright::datasets
