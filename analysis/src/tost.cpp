#include "loadwright/analysis/tost.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "loadwright/analysis/descriptive.hpp"
#include "loadwright/analysis/welch.hpp"
#include "loadwright/analysis/wilcoxon.hpp"

namespace loadwright::analysis {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

void check_bounds(equivalence_bounds b, double alpha) {
  if (!(b.lower < b.upper))
    throw std::invalid_argument("tost: the lower equivalence bound must be below the upper");
  if (!(alpha > 0 && alpha < 1)) throw std::invalid_argument("tost: alpha must be in (0, 1)");
}

void check_margin(double margin) {
  if (!(margin > 0) || std::isinf(margin))
    throw std::invalid_argument("tost: the margin must be a positive number");
}

// Bounds +-margin x |reference| (a negative reference would flip them).
equivalence_bounds relative_bounds(double margin, double reference) {
  const double half = margin * std::fabs(reference);
  return {-half, half};
}

tost_result finish(tost_result r) {
  r.p_value = std::fmax(r.p_lower, r.p_upper);
  if (std::isnan(r.p_lower) || std::isnan(r.p_upper)) r.p_value = nan;
  r.equivalent = r.p_value < r.alpha;
  return r;
}

}  // namespace

tost_result tost_paired(std::span<const double> baseline, std::span<const double> candidate,
                        equivalence_bounds bounds, double alpha) {
  if (baseline.size() != candidate.size())
    throw std::invalid_argument("tost_paired: the two runs must have the same length (paired)");
  if (baseline.empty()) throw std::invalid_argument("tost_paired: no pairs");
  check_bounds(bounds, alpha);
  tost_result r;
  r.bounds = bounds;
  r.alpha = alpha;
  r.margin = nan;
  r.reference = nan;
  // d = candidate - baseline; H0_lower: shift <= lower -> Wilcoxon of d - lower, "greater".
  wilcoxon_options lo;
  lo.alt = alternative::greater;
  lo.mu = bounds.lower;
  wilcoxon_options hi;
  hi.alt = alternative::less;
  hi.mu = bounds.upper;
  r.p_lower = wilcoxon_signed_rank(candidate, baseline, lo).p_value;
  r.p_upper = wilcoxon_signed_rank(candidate, baseline, hi).p_value;
  return finish(r);
}

tost_result tost_paired(std::span<const double> baseline, std::span<const double> candidate,
                        double margin, double alpha) {
  check_margin(margin);
  if (baseline.empty()) throw std::invalid_argument("tost_paired: no pairs");
  const double ref = median(baseline);
  // A zero baseline median gives empty bounds: nothing can be shown equivalent.
  if (ref == 0) {
    tost_result r;
    r.p_lower = r.p_upper = r.p_value = 1;
    r.alpha = alpha;
    r.margin = margin;
    r.reference = ref;
    return r;
  }
  tost_result r = tost_paired(baseline, candidate, relative_bounds(margin, ref), alpha);
  r.margin = margin;
  r.reference = ref;
  return r;
}

tost_result tost_welch(std::span<const double> baseline, std::span<const double> candidate,
                       equivalence_bounds bounds, double alpha) {
  check_bounds(bounds, alpha);
  const sample_summary a = summarize(baseline), b = summarize(candidate);
  tost_result r;
  r.bounds = bounds;
  r.alpha = alpha;
  r.margin = nan;
  r.reference = nan;
  r.p_lower = welch_t_test(b, a, alternative::greater, bounds.lower).p_value;
  r.p_upper = welch_t_test(b, a, alternative::less, bounds.upper).p_value;
  return finish(r);
}

tost_result tost_welch(std::span<const double> baseline, std::span<const double> candidate,
                       double margin, double alpha) {
  check_margin(margin);
  if (baseline.empty()) throw std::invalid_argument("tost_welch: empty baseline");
  const double ref = mean(baseline);
  if (ref == 0) {
    tost_result r;
    r.p_lower = r.p_upper = r.p_value = 1;
    r.alpha = alpha;
    r.margin = margin;
    r.reference = ref;
    return r;
  }
  tost_result r = tost_welch(baseline, candidate, relative_bounds(margin, ref), alpha);
  r.margin = margin;
  r.reference = ref;
  return r;
}

}  // namespace loadwright::analysis
