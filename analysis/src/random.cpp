#include "loadwright/analysis/random.hpp"

#include <stdexcept>

namespace loadwright::analysis {

namespace {

__extension__ using uint128 = unsigned __int128;  // GCC/Clang extension; -Wpedantic-clean

constexpr std::uint64_t rotl(std::uint64_t x, int k) {
  return (x << k) | (x >> (64 - k));
}

}  // namespace

std::uint64_t splitmix64_next(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

xoshiro256ss::xoshiro256ss(std::uint64_t seed) {
  std::uint64_t sm = seed;
  for (auto& s : s_) s = splitmix64_next(sm);
  // SplitMix64 is a bijection of its counter, so four consecutive outputs are never all zero.
}

xoshiro256ss xoshiro256ss::from_state(std::uint64_t s0, std::uint64_t s1, std::uint64_t s2,
                                      std::uint64_t s3) {
  if ((s0 | s1 | s2 | s3) == 0) throw std::invalid_argument("xoshiro256**: all-zero state");
  xoshiro256ss g;
  g.s_[0] = s0;
  g.s_[1] = s1;
  g.s_[2] = s2;
  g.s_[3] = s3;
  return g;
}

std::uint64_t xoshiro256ss::next() {
  const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

double xoshiro256ss::next_uniform() {
  return static_cast<double>(next() >> 11) * 0x1.0p-53;
}

std::uint64_t xoshiro256ss::below(std::uint64_t n) {
  if (n == 0) throw std::invalid_argument("xoshiro256**: below(0)");
  uint128 m = static_cast<uint128>(next()) * n;
  auto low = static_cast<std::uint64_t>(m);
  if (low < n) {
    const std::uint64_t threshold = (0 - n) % n;
    while (low < threshold) {
      m = static_cast<uint128>(next()) * n;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64);
}

}  // namespace loadwright::analysis
