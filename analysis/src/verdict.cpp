#include "loadwright/analysis/verdict.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "loadwright/analysis/descriptive.hpp"

namespace loadwright::analysis {

namespace {

std::string format(const char* fmt, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

std::string p_text(double p) {
  if (p < 0.0001) return "p < 0.0001";
  return "p = " + format(p < 0.1 ? "%.3g" : "%.2g", p);
}

std::string ci_label(double confidence) {
  return format("%g", confidence * 100) + " % CI";
}

// The margin as words: "±5 %" or "the bounds [-3, 2]".
std::string margin_text(const tost_result& t) {
  if (std::isfinite(t.margin)) return "\u00b1" + format("%g", t.margin * 100) + " %";
  return "the bounds [" + format("%g", t.bounds.lower) + ", " + format("%g", t.bounds.upper) + "]";
}

}  // namespace

verdict decide(const verdict_inputs& in) {
  verdict v;
  const bool relative = std::isfinite(in.baseline) && in.baseline != 0;
  const double scale = relative ? std::fabs(in.baseline) : 1.0;
  v.relative_change = relative ? in.estimate / scale : NAN;
  v.relative_ci = relative ? interval{in.ci.low / scale, in.ci.high / scale} : interval{NAN, NAN};
  // A signed difference: "+0.4 %" (relative) or "+12.5" (absolute).
  auto diff = [&](double d) {
    return relative ? format("%+.1f", d / scale * 100) + " %" : format("%+.4g", d);
  };
  auto magnitude = [&](double d) {
    return relative ? format("%.1f", std::fabs(d) / scale * 100) : format("%.4g", std::fabs(d));
  };
  const std::string unit = relative ? " %" : "";
  const std::string ci = ci_label(in.confidence);
  const std::string diff_with_ci = "B - A = " + diff(in.estimate) + " (" + ci + " " +
                                   diff(in.ci.low) + " to " + diff(in.ci.high) + ", " +
                                   p_text(in.p_value) + ")";

  const bool data =
      std::isfinite(in.estimate) && std::isfinite(in.ci.low) && std::isfinite(in.ci.high);
  const bool test_says = in.p_value < in.alpha;  // false for NaN
  const bool ci_says = in.ci.low > 0 || in.ci.high < 0;
  const bool different = data && test_says && ci_says;
  const bool equivalent = in.tost.equivalent;
  const bool b_lower = in.estimate < 0;
  const bool b_better = (in.better == better_when::lower) == b_lower;
  const char* good = in.latency ? "faster" : "better";
  const char* bad = in.latency ? "slower" : "worse";

  // "B is faster by 12.3 % (95 % CI 10.1–14.5 %, p = 0.0012)"
  auto directional = [&]() {
    const double m1 = std::fabs(in.ci.low), m2 = std::fabs(in.ci.high);
    return std::string("B is ") + (b_better ? good : bad) + " by " + magnitude(in.estimate) + unit +
           " (" + ci + " " + magnitude(std::min(m1, m2)) + "\u2013" + magnitude(std::max(m1, m2)) +
           unit + ", " + p_text(in.p_value) + ")";
  };

  if (equivalent) {
    v.kind = verdict_kind::equivalent;
    v.text = "no difference larger than " + margin_text(in.tost) + " (equivalent: TOST " +
             p_text(in.tost.p_value) + "; " + diff_with_ci + ")";
    if (different) v.text += "; " + directional() + ", a real difference smaller than the margin";
  } else if (different) {
    v.kind = b_better ? verdict_kind::better : verdict_kind::worse;
    v.text = directional();
  } else {
    v.kind = verdict_kind::inconclusive;
    if (!data) {
      v.text = "inconclusive: not enough data for a test";
    } else if (test_says != ci_says) {
      v.text = "inconclusive: the test and the interval disagree (" + diff_with_ci +
               "); no equivalence within " + margin_text(in.tost) + " either";
    } else {
      v.text = "inconclusive: " + diff_with_ci + "; neither a difference nor equivalence within " +
               margin_text(in.tost) + " is shown";
    }
  }
  return v;
}

paired_comparison compare_paired(std::span<const double> baseline,
                                 std::span<const double> candidate,
                                 const compare_options& options) {
  paired_comparison c;
  c.test = wilcoxon_signed_rank(candidate, baseline);
  c.hodges_lehmann = hodges_lehmann_paired(candidate, baseline);
  bootstrap_options bo = options.bootstrap;
  bo.statistic = bootstrap_statistic::median();
  c.median_diff = bootstrap_paired(baseline, candidate, bo);
  bo.statistic = bootstrap_statistic::p99();
  c.p99_diff = bootstrap_paired(baseline, candidate, bo);
  c.tost = tost_paired(baseline, candidate, options.margin, options.alpha);
  verdict_inputs in;
  in.better = options.better;
  in.latency = options.latency;
  in.baseline = median(baseline);
  in.estimate = c.median_diff.estimate;
  in.ci = c.median_diff.best();
  in.confidence = bo.confidence;
  in.p_value = c.test.p_value;
  in.tost = c.tost;
  in.alpha = options.alpha;
  c.result = decide(in);
  return c;
}

}  // namespace loadwright::analysis
