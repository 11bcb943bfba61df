#include "probe_evidence.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "loadwright/analysis/bootstrap.hpp"

namespace loadwright::app {

namespace an = loadwright::analysis;
namespace rt = loadwright::runtime;

void add_record_values(const rt::request_record& r, double time_scale, metric_values& out) {
  if (!r.ok() || r.phase != rt::run_phase::measure) return;
  const double to_model = 1.0 / time_scale;
  if (r.ttft_ns >= 0) out["ttft"].push_back(static_cast<double>(r.ttft_ns) * 1e-6 * to_model);
  if (r.e2el_ns >= 0) out["e2el"].push_back(static_cast<double>(r.e2el_ns) * 1e-6 * to_model);
  if (const double t = r.tpot_ms(); t >= 0) out["tpot"].push_back(t * to_model);
  auto& itl = out["itl"];
  for (const float g : r.itl_ms) itl.push_back(static_cast<double>(g) * to_model);
}

std::vector<bound_evidence> measure_bounds(const std::vector<rt::slo_bound>& slo,
                                           const metric_values& values, double confidence,
                                           std::uint64_t seed) {
  std::vector<bound_evidence> out;
  for (const auto& b : slo) {
    bound_evidence e;
    e.name = b.name;
    e.limit_ms = b.limit_ms;
    const auto it = values.find(b.metric);
    if (it == values.end() || it->second.empty()) {
      e.sure = true;  // no value: a fail, and a sure one (nothing to doubt)
      out.push_back(e);
      continue;
    }
    an::bootstrap_options o;
    o.statistic = b.percentile ? an::bootstrap_statistic::percentile(*b.percentile)
                               : an::bootstrap_statistic::mean();
    o.resamples = 2000;
    o.confidence = confidence;
    o.seed = seed;
    const auto r = an::bootstrap_one_sample(it->second, o);
    e.n = it->second.size();
    e.estimate_ms = r.estimate;
    e.ci_ms = r.best();
    e.pass = r.estimate <= b.limit_ms;
    e.sure = e.pass ? e.ci_ms.high <= b.limit_ms : e.ci_ms.low > b.limit_ms;
    out.push_back(e);
  }
  return out;
}

void classify_probe(probe_evidence& p) {
  const bool saturated = 2 * p.saturated_repeats > p.repeats;
  const bool all_saturated = p.repeats > 0 && p.saturated_repeats == p.repeats;
  bool bounds_pass = true, bounds_sure_pass = true, bound_sure_fail = false;
  for (const auto& b : p.bounds) {
    bounds_pass = bounds_pass && b.pass;
    bounds_sure_pass = bounds_sure_pass && b.pass && b.sure;
    bound_sure_fail = bound_sure_fail || (!b.pass && b.sure);
  }
  p.passed = !saturated && bounds_pass;
  p.sure_pass = p.passed && p.saturated_repeats == 0 && bounds_sure_pass;
  p.sure_fail = !p.passed && (all_saturated || bound_sure_fail);
}

load_band band_of(const std::vector<probe_evidence>& probes, double answer) {
  load_band band;
  for (const auto& p : probes) {
    if (p.sure_pass && p.load <= answer && (!band.low || p.load > *band.low)) band.low = p.load;
    if (p.sure_fail && p.load > answer && (!band.high || p.load < *band.high)) band.high = p.load;
  }
  return band;
}

}  // namespace loadwright::app
