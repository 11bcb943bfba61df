#include "loadwright/analysis/wilcoxon.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "numeric.hpp"

namespace loadwright::analysis {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
// scipy: method "auto" is asymptotic above 50 pairs; the exhaustive permutation test with ties
// or zeros is used up to 13 pairs (2^13 = 8192 <= 9999 resamples).
constexpr std::size_t auto_exact_max = 50;
constexpr std::size_t auto_permutation_max = 13;
// The explicit exact method's dynamic programme is O(n^3); beyond this it falls back to the
// asymptotic p-value (and says so in `branch`).
constexpr std::size_t exact_max = 2000;

// Null distribution of R+ (doubled, so tied average ranks stay integers) over the 2^n equally
// likely sign assignments of the given doubled ranks; returns P(2R+ <= obs2) and P(2R+ >= obs2).
struct tails {
  double cdf = 0;
  double sf = 0;
};
tails signed_rank_tails(const std::vector<std::int64_t>& doubled_ranks, std::int64_t obs2) {
  std::int64_t total = 0;
  for (const auto r : doubled_ranks) total += r;
  std::vector<double> pmf(static_cast<std::size_t>(total) + 1, 0.0);
  pmf[0] = 1.0;
  std::int64_t reach = 0;
  for (const auto r : doubled_ranks) {
    reach += r;
    // Halving is exact in binary, so for n <= 53 every value is an exact dyadic count / 2^n.
    for (std::int64_t s = reach; s >= 0; --s) {
      const double with = s >= r ? pmf[static_cast<std::size_t>(s - r)] : 0.0;
      pmf[static_cast<std::size_t>(s)] = (pmf[static_cast<std::size_t>(s)] + with) * 0.5;
    }
  }
  tails t;
  for (std::int64_t s = 0; s <= total; ++s) {
    if (s <= obs2) t.cdf += pmf[static_cast<std::size_t>(s)];
    if (s >= obs2) t.sf += pmf[static_cast<std::size_t>(s)];
  }
  return t;
}

}  // namespace

wilcoxon_result wilcoxon_signed_rank_differences(std::span<const double> d_in,
                                                 const wilcoxon_options& options) {
  wilcoxon_result r;
  r.n = d_in.size();
  if (std::isnan(options.mu)) throw std::invalid_argument("wilcoxon: mu is NaN");

  // Nonzero differences: |d| and sign.
  std::vector<double> mag;
  std::vector<bool> positive;
  mag.reserve(d_in.size());
  positive.reserve(d_in.size());
  for (const double v : d_in) {
    if (std::isnan(v)) throw std::invalid_argument("wilcoxon: NaN value");
    const double d = v - options.mu;
    if (d == 0) {
      ++r.n_zero;
      continue;
    }
    mag.push_back(std::fabs(d));
    positive.push_back(d > 0);
  }
  const std::size_t count = mag.size();
  r.n_used = count;

  // Average ranks of |d|, doubled (start + end, 1-based) so ties stay integers.
  std::vector<std::size_t> order(count);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return mag[a] < mag[b]; });
  std::vector<std::int64_t> doubled(count);
  double tie_term = 0;  // sum of t^3 - t
  for (std::size_t i = 0; i < count;) {
    std::size_t j = i;
    while (j + 1 < count && mag[order[j + 1]] == mag[order[i]]) ++j;
    const auto rank2 = static_cast<std::int64_t>(i + 1 + j + 1);
    for (std::size_t k = i; k <= j; ++k) doubled[order[k]] = rank2;
    const auto t = static_cast<double>(j - i + 1);
    if (j > i) r.has_ties = true;
    tie_term += t * t * t - t;
    i = j + 1;
  }
  std::int64_t plus2 = 0, minus2 = 0;
  for (std::size_t i = 0; i < count; ++i) (positive[i] ? plus2 : minus2) += doubled[i];
  r.r_plus = static_cast<double>(plus2) / 2.0;
  r.r_minus = static_cast<double>(minus2) / 2.0;
  r.statistic = options.alt == alternative::two_sided ? std::min(r.r_plus, r.r_minus) : r.r_plus;
  r.rank_biserial = count ? (r.r_plus - r.r_minus) / (r.r_plus + r.r_minus) : nan;
  r.z = nan;

  if (count == 0) {  // nothing left to rank (scipy gives NaN too)
    r.p_value = nan;
    r.branch = wilcoxon_branch::none;
    return r;
  }

  // Which p-value (see the header).
  wilcoxon_branch branch = wilcoxon_branch::asymptotic;
  switch (options.method) {
    case wilcoxon_method::asymptotic:
      branch = wilcoxon_branch::asymptotic;
      break;
    case wilcoxon_method::exact:
      branch = count > exact_max          ? wilcoxon_branch::asymptotic
               : (r.has_ties || r.n_zero) ? wilcoxon_branch::permutation
                                          : wilcoxon_branch::exact;
      break;
    case wilcoxon_method::automatic:
      if (r.n > auto_exact_max)
        branch = wilcoxon_branch::asymptotic;
      else if (!r.has_ties && r.n_zero == 0)
        branch = wilcoxon_branch::exact;
      else if (r.n <= auto_permutation_max)
        branch = wilcoxon_branch::permutation;
      else
        branch = wilcoxon_branch::asymptotic;
      break;
  }
  r.branch = branch;

  if (branch == wilcoxon_branch::asymptotic) {
    const auto nn = static_cast<double>(count);
    const double mn = nn * (nn + 1) * 0.25;
    const double se = std::sqrt((nn * (nn + 1) * (2 * nn + 1) - tie_term / 2) / 24);
    double z = (r.r_plus - mn) / se;
    if (options.continuity_correction) {
      const double sign = options.alt == alternative::greater ? 1.0
                          : options.alt == alternative::less  ? -1.0
                          : z > 0                             ? 1.0
                          : z < 0                             ? -1.0
                                                              : 0.0;
      z -= sign * 0.5 / se;
    }
    switch (options.alt) {
      case alternative::less:
        r.p_value = detail::normal_cdf(z);
        break;
      case alternative::greater:
        r.p_value = detail::normal_sf(z);
        break;
      case alternative::two_sided:
        r.p_value = std::fmin(1.0, 2.0 * detail::normal_sf(std::fabs(z)));
        break;
    }
    r.z = options.alt == alternative::two_sided ? -std::fabs(z) : z;
    return r;
  }

  const tails t = signed_rank_tails(doubled, plus2);
  r.p_value = detail::p_from_tails(t.cdf, t.sf, options.alt);
  return r;
}

wilcoxon_result wilcoxon_signed_rank(std::span<const double> x, std::span<const double> y,
                                     const wilcoxon_options& options) {
  if (x.size() != y.size())
    throw std::invalid_argument("wilcoxon: x and y must have the same length (paired data)");
  std::vector<double> d(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) d[i] = x[i] - y[i];
  return wilcoxon_signed_rank_differences(d, options);
}

}  // namespace loadwright::analysis
