// Lognormal lengths as the methodology chapter defines them (§2, "Realistic lengths"):
// np.random.lognormal(mean=log(m), sigma=0.8) -> astype(int) -> clip(min, max).
// Reference values: tests/analysis/reference_values.py, with Python's statistics.NormalDist
// (inverse CDF) and math.exp/log: int(exp(log(m) + 0.8 Phi^-1(u))).
#include "loadwright/analysis/lengths.hpp"

#include <algorithm>
#include <vector>

#include "catch.hpp"
#include "loadwright/analysis/random.hpp"

using namespace loadwright::analysis;

TEST_CASE("lengths: the chapter's definition, one uniform per length", "[analysis][lengths]") {
  const lognormal_lengths chat{500, 0.8, 50, 4000};
  // exp(log(500)) = 499.99999999999983, and astype(int) truncates: 499, as numpy would.
  CHECK(lognormal_length(chat, 0.5) == 499);
  CHECK(lognormal_length(chat, 0.975) == 2398);               // exp(...) = 2398.45
  CHECK(lognormal_length(chat, 0.8413447460685429) == 1112);  // z = 1: 1112.77
  CHECK(lognormal_length({200, 0.8, 10, 2000}, 0.1) == 71);   // 71.74
  // Clipping at both ends (u = 0 is taken as the smallest positive double).
  CHECK(lognormal_length(chat, 0.0) == 50);
  CHECK(lognormal_length(chat, 1e-300) == 50);
  CHECK(lognormal_length(chat, 1 - 0x1.0p-53) == 4000);
  // sigma = 0: always the (truncated) median.
  CHECK(lognormal_length({300, 0, 1, 1000}, 0.9) == 299);
  CHECK_THROWS(lognormal_length({0, 0.8, 1, 10}, 0.5));
  CHECK_THROWS(lognormal_length({10, 0.8, 20, 10}, 0.5));
}

TEST_CASE("lengths: the distribution", "[analysis][lengths]") {
  const auto chat = find_workload_preset("chat");
  REQUIRE(chat);
  xoshiro256ss g(2024);
  std::vector<std::int64_t> v(40000);
  for (auto& x : v) x = sample_length(chat->prompt, g);
  std::sort(v.begin(), v.end());
  CHECK(v.front() >= 50);
  CHECK(v.back() <= 4000);
  // Median 500 (within sampling error: sd of the sample median is about 0.5 %).
  CHECK(std::abs(static_cast<double>(v[v.size() / 2]) - 500) < 15);
  // [py] P(clip at 50) = Phi((log 50 - log 500)/0.8) = 0.0019996; P(clip at 4000) = 0.0046707.
  const auto low = std::count(v.begin(), v.end(), 50), high = std::count(v.begin(), v.end(), 4000);
  CHECK(std::abs(static_cast<double>(low) / 40000 - 0.0019996) < 0.0012);
  CHECK(std::abs(static_cast<double>(high) / 40000 - 0.0046707) < 0.0018);
  // Any uniform source drives it (e.g. loadwright's own RNG through uniform_from).
  double u = 0.5;
  uniform_from fixed([&] { return u; });
  CHECK(sample_length(chat->prompt, fixed) == 499);
}

TEST_CASE("lengths: the chapter's four presets", "[analysis][lengths]") {
  const auto presets = workload_presets();
  REQUIRE(presets.size() == 4);
  struct row {
    const char* name;
    double pm;
    std::int64_t pmin, pmax;
    double om;
    std::int64_t omin, omax;
  };
  // The chapter's table: prompt mean / min / max, output mean / min / max.
  const row table[] = {{"chat", 500, 50, 4000, 200, 10, 2000},
                       {"code", 1500, 200, 8000, 500, 50, 4000},
                       {"long_context", 16000, 2000, 128000, 300, 20, 2000},
                       {"summarization", 4000, 500, 32000, 150, 50, 500}};
  for (std::size_t i = 0; i < 4; ++i) {
    const auto& p = presets[i];
    const auto& t = table[i];
    CHECK(p.name == t.name);
    CHECK(p.prompt.median == t.pm);
    CHECK(p.prompt.min == t.pmin);
    CHECK(p.prompt.max == t.pmax);
    CHECK(p.output.median == t.om);
    CHECK(p.output.min == t.omin);
    CHECK(p.output.max == t.omax);
    CHECK(p.prompt.sigma == 0.8);
    CHECK(p.output.sigma == 0.8);
    REQUIRE(find_workload_preset(t.name));
  }
  CHECK_FALSE(find_workload_preset("poetry"));
}
