#pragma once
// Deterministic pseudo-random numbers for the analysis library: the bootstrap's resampling and
// the lognormal length sampler. Every value is defined by this code (no std:: distribution,
// whose output differs between standard libraries), so a seed gives the same numbers on every
// machine.

#include <cstdint>
#include <utility>

namespace loadwright::analysis {

/// A source of uniform doubles in [0, 1). The length samplers draw from this, so any seeded
/// generator can drive them: this library's xoshiro256ss, or loadwright's own RNG through
/// `uniform_from`.
class uniform_source {
 public:
  virtual ~uniform_source() = default;
  /// The next uniform double in [0, 1).
  virtual double next_uniform() = 0;
};

/// Adapts any callable returning a double in [0, 1) (e.g. `[&] { return rng.uniform01(); }`).
template <class F>
class uniform_from final : public uniform_source {
 public:
  explicit uniform_from(F f) : f_(std::move(f)) {}
  double next_uniform() override { return f_(); }

 private:
  F f_;
};

/// One step of SplitMix64 (Steele, Lea & Flood 2014; Vigna's splitmix64.c): adds the golden
/// gamma 0x9E3779B97F4A7C15 to `state` and returns the mixed value.
std::uint64_t splitmix64_next(std::uint64_t& state);

/// xoshiro256** 1.0 (Blackman & Vigna 2018, https://prng.di.unimi.it/xoshiro256starstar.c).
/// Seeded from one 64-bit seed by four SplitMix64 steps (the authors' recommendation).
/// Doubles: (next() >> 11) * 2^-53. Integers in [0, n): Lemire's multiply-and-reject
/// (unbiased; "Fast Random Integer Generation in an Interval", 2019).
class xoshiro256ss final : public uniform_source {
 public:
  explicit xoshiro256ss(std::uint64_t seed);
  /// A generator in a given state (for reference vectors); the state must not be all zero.
  static xoshiro256ss from_state(std::uint64_t s0, std::uint64_t s1, std::uint64_t s2,
                                 std::uint64_t s3);

  std::uint64_t next();
  double next_uniform() override;
  /// Uniform integer in [0, n); n must be > 0.
  std::uint64_t below(std::uint64_t n);

 private:
  xoshiro256ss() = default;
  std::uint64_t s_[4] = {0, 0, 0, 0};
};

}  // namespace loadwright::analysis
