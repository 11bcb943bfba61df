#include "loadwright/datasets/rng.hpp"

#include <cmath>

namespace loadwright::datasets {

__extension__ using uint128 = unsigned __int128;  // GCC/Clang extension; -Wpedantic-clean

std::int64_t seeded_rng::uniform_int(std::int64_t lo, std::int64_t hi) {
  if (hi <= lo) return lo;
  const std::uint64_t range = static_cast<std::uint64_t>(hi - lo) + 1;  // 0 means 2^64
  if (range == 0) return static_cast<std::int64_t>(next_u64());
  // Lemire's nearly divisionless method.
  uint128 m = static_cast<uint128>(next_u64()) * range;
  auto low = static_cast<std::uint64_t>(m);
  if (low < range) {
    const std::uint64_t threshold = (0 - range) % range;
    while (low < threshold) {
      m = static_cast<uint128>(next_u64()) * range;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return lo + static_cast<std::int64_t>(m >> 64);
}

double numpy_legacy_rng::next_double() {
  const std::uint32_t a = mt_() >> 5;
  const std::uint32_t b = mt_() >> 6;
  return (a * 67108864.0 + b) / 9007199254740992.0;
}

double numpy_legacy_rng::gauss() {
  if (has_gauss_) {
    has_gauss_ = false;
    return cached_gauss_;
  }
  double x1 = 0, x2 = 0, r2 = 0;
  do {
    x1 = 2.0 * next_double() - 1.0;
    x2 = 2.0 * next_double() - 1.0;
    r2 = x1 * x1 + x2 * x2;
  } while (r2 >= 1.0 || r2 == 0.0);
  const double f = std::sqrt(-2.0 * std::log(r2) / r2);
  cached_gauss_ = f * x1;
  has_gauss_ = true;
  return f * x2;
}

double numpy_legacy_rng::standard_exponential() {
  return -std::log(1.0 - next_double());
}

double numpy_legacy_rng::standard_gamma(double shape) {
  if (shape == 1.0) return standard_exponential();
  if (shape == 0.0) return 0.0;
  if (shape < 1.0) {
    for (;;) {
      const double u = next_double();
      const double v = standard_exponential();
      if (u <= 1.0 - shape) {
        const double x = std::pow(u, 1.0 / shape);
        if (x <= v) return x;
      } else {
        const double y = -std::log((1.0 - u) / shape);
        const double x = std::pow(1.0 - shape + shape * y, 1.0 / shape);
        if (x <= v + y) return x;
      }
    }
  }
  // Marsaglia and Tsang.
  const double b = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * b);
  for (;;) {
    double x = 0, v = 0;
    do {
      x = gauss();
      v = 1.0 + c * x;
    } while (v <= 0.0);
    v = v * v * v;
    const double u = next_double();
    if (u < 1.0 - 0.0331 * (x * x) * (x * x)) return b * v;
    if (std::log(u) < 0.5 * x * x + b * (1.0 - v + std::log(v))) return b * v;
  }
}

}  // namespace loadwright::datasets
