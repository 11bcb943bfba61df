// find_max { scenario, slo, from, to, precision, repeats, confidence, confirm, capacity }:
// doubling from `from` until a load fails the SLO (or saturates), then bisection between the
// last passing and the first failing load; every probe run `repeats` times, its requests
// pooled and each SLO bound bootstrapped. The answer is the last passing load, with the band
// [largest sure pass, smallest sure fail]; then, if asked, a sustained run at the answer and a
// capacity plan from the answer and its band. NAME.find_max.md / .json hold the evidence.

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "../result_io.hpp"
#include "experiments.hpp"
#include "find_max_report.hpp"
#include "loadwright/app/capacity.hpp"
#include "loadwright/core/load_points.hpp"
#include "probe_evidence.hpp"
#include "records_reader.hpp"

namespace loadwright::app {

namespace rt = loadwright::runtime;

namespace {

std::string probe_name(const rt::find_max_plan& plan, double load, int repeat) {
  return fmt::format("{}-{}{}-{}", plan.name, plan.axis == rt::load_axis::rate ? "rate-" : "c",
                     rt::format_load(load), repeat);
}

// Runs the probe at `load`: its repeats, pooled; false when interrupted.
bool run_probe(const rt::find_max_plan& plan, experiment_io& io, double load,
               const std::string& stage, std::size_t number, probe_evidence& p) {
  p.load = load;
  p.stage = stage;
  metric_values values;
  double achieved = 0, failed = 0, sent = 0;
  for (int k = 1; k <= plan.repeats; ++k) {
    if (io.stopped && io.stopped()) return false;
    auto scenario = rt::plan_at_load(plan.base, plan.axis, load, probe_name(plan, load, k));
    scenario.seed = plan.base.seed + static_cast<std::uint64_t>(k - 1);  // repeats differ
    const auto report = io.run(scenario);
    if (report.interrupted) return false;
    p.scenarios.push_back(scenario.name);
    ++p.repeats;
    const auto v = rt::judge_load(report.combined, plan.axis, load, {}, plan.limits,
                                  plan.base.allowed_failure_ratio, io.time_scale);
    if (v.saturated) {
      ++p.saturated_repeats;
      if (p.reasons.empty()) p.reasons = v.reasons;
    }
    achieved += plan.axis == rt::load_axis::rate
                    ? rt::modelled_value(report.combined, "request_throughput", io.time_scale)
                    : report.combined.get("max_concurrent_requests");
    failed += report.combined.get("failed");
    sent += report.combined.get("failed") + report.combined.get("completed");
    for_each_record(report.records_path, [&](const rt::request_record& r) {
      add_record_values(r, io.time_scale, values);
    });
  }
  p.achieved_mean = achieved / p.repeats;
  p.error_rate = sent > 0 ? failed / sent : 0;
  p.bounds = measure_bounds(plan.slo, values, plan.confidence, plan.base.seed + number);
  for (const auto& b : p.bounds)
    if (!b.pass)
      p.reasons.push_back(
          b.n == 0 ? fmt::format("{}: no value", b.name)
                   : fmt::format("{} {:.1f} ms > {:.1f} ms", b.name, b.estimate_ms, b.limit_ms));
  classify_probe(p);
  return true;
}

}  // namespace

int run_find_max(const rt::find_max_plan& plan, experiment_io& io) {
  find_max_outcome out;
  rt::load_search search(plan.axis, plan.from, plan.to, plan.precision);
  bool interrupted = false;
  while (const auto load = search.next()) {
    probe_evidence p;
    const std::string stage = search.bisecting() ? "bisect" : "coarse";
    if (!run_probe(plan, io, *load, stage, out.probes.size() + 1, p)) {
      interrupted = true;
      break;
    }
    if (io.console) *io.console << probe_line(plan, out.probes.size() + 1, p) << '\n';
    search.record(*load, p.passed);
    out.probes.push_back(std::move(p));
  }
  out.answer = search.last_pass();
  out.first_fail = search.first_fail();
  if (out.answer) out.band = band_of(out.probes, *out.answer);
  out.interrupted = interrupted;

  // The sustained run at the answer.
  if (!interrupted && out.answer && plan.confirm) {
    auto scenario = rt::plan_at_load(plan.base, plan.axis, *out.answer, plan.name + "-confirm");
    scenario.requests.reset();
    scenario.duration = *plan.confirm;
    if (io.console)
      *io.console << fmt::format("find_max {}: confirming {} for {:.0f} s\n", plan.name,
                                 rt::describe_load(plan.axis, *out.answer), plan.confirm->count());
    const auto report = io.run(scenario);
    if (report.interrupted) {
      out.interrupted = true;
    } else {
      const auto v = rt::judge_load(report.combined, plan.axis, *out.answer, plan.slo, plan.limits,
                                    plan.base.allowed_failure_ratio, io.time_scale);
      out.confirmation = v;
    }
  }

  const auto md = io.out_dir / (plan.name + ".find_max.md"),
             json = io.out_dir / (plan.name + ".find_max.json");
  const auto text = find_max_markdown(plan, out, io.note);
  rt::write_atomically(md, text);
  rt::write_atomically(json, find_max_json(plan, out));
  if (io.console) {
    *io.console << '\n' << text;
    for (const auto& f : {md, json}) *io.console << "wrote " << f.string() << '\n';
  }
  if (out.interrupted) return 0;  // the caller reports the interruption
  int code = out.answer ? 0 : 1;
  if (out.confirmation && !out.confirmation->passed) code = 1;
  if (plan.capacity && out.answer) {
    auto spec = *plan.capacity;
    spec.max_rate = *out.answer;
    if (out.band.low && out.band.high) {
      spec.max_rate_low = *out.band.low;
      spec.max_rate_high = *out.band.high;
    }
    const int c = present_capacity(spec, &io.out_dir, io.console);
    if (c != 0) code = c;
  }
  return code;
}

}  // namespace loadwright::app
