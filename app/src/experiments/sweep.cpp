// sweep { scenario, rates | concurrency, slo, saturation }: one run per load, in order, each
// with the scenario's warm-up, stopping at the first load whose SLO fails or that is clearly
// saturated (the knee), with the reason printed; the curve (p50/p90/p99 of TTFT, TPOT, ITL,
// E2EL, achieved rate, output tokens/s, goodput, verdict) in NAME.curve.md / .curve.csv and
// the loads' verdicts in NAME.sweep.json.

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "../result_io.hpp"
#include "experiments.hpp"
#include "loadwright/core/json_writer.hpp"
#include "loadwright/core/load_points.hpp"
#include "loadwright/core/suite_reports.hpp"

namespace loadwright::app {

namespace rt = loadwright::runtime;

namespace {

struct sweep_point {
  double load = 0;
  std::string scenario;
  rt::load_verdict verdict;
};

std::string point_name(const rt::sweep_plan& plan, double load) {
  return plan.name + (plan.axis == rt::load_axis::rate ? "-rate-" : "-c") + rt::format_load(load);
}

std::string sweep_json(const rt::sweep_plan& plan, const std::vector<sweep_point>& points,
                       const std::string& stop_reason) {
  std::string out;
  rt::json_writer w(out, 2);
  begin_experiment_json(w, "sweep", plan.name, plan.source, plan.axis, plan.slo);
  w.key("points").begin_array();
  std::optional<double> last_pass, knee;
  for (const auto& p : points) {
    w.begin_object().field("load", p.load).field("scenario", p.scenario);
    w.field("passed", p.verdict.passed).field("saturated", p.verdict.saturated);
    w.key("reasons").begin_array();
    for (const auto& r : p.verdict.reasons) w.value(r);
    w.end_array().end_object();
    if (p.verdict.passed && !knee) last_pass = p.load;
    if (!p.verdict.passed && !knee) knee = p.load;
  }
  w.end_array();
  w.key("last_passing_load");
  last_pass ? w.value(*last_pass) : w.null();
  w.key("knee");
  knee ? w.value(*knee) : w.null();
  w.field("stop_reason", stop_reason);
  w.end_object();
  return out + "\n";
}

}  // namespace

int run_sweep(const rt::sweep_plan& plan, experiment_io& io) {
  std::vector<sweep_point> points;
  std::vector<rt::curve_point> curve;
  std::string stop_reason = "every load ran";
  const std::string unit = plan.axis == rt::load_axis::rate ? " req/s" : "";
  for (const double load : plan.loads) {
    if (io.stopped && io.stopped()) {
      stop_reason = "interrupted";
      break;
    }
    sweep_point p;
    p.load = load;
    p.scenario = point_name(plan, load);
    const auto scenario = rt::plan_at_load(plan.base, plan.axis, load, p.scenario);
    auto report = io.run(scenario);
    if (report.interrupted) {
      stop_reason = "interrupted";
      break;
    }
    p.verdict = rt::judge_load(report.combined, plan.axis, load, plan.slo, plan.limits,
                               plan.base.allowed_failure_ratio, io.time_scale);
    auto c = rt::curve_point_from(report.combined, rt::format_load(load) + unit, io.time_scale);
    c.asked = load;
    c.verdict = p.verdict.passed ? "pass" : p.verdict.reasons.front();
    curve.push_back(c);
    points.push_back(p);
    if (io.console)
      *io.console << fmt::format("sweep {}: {}: {}\n", plan.name,
                                 rt::describe_load(plan.axis, load),
                                 p.verdict.passed ? "pass" : "FAIL: " + c.verdict);
    if (!p.verdict.passed && plan.stop_at_knee) {
      stop_reason = fmt::format("the knee at {}: {}", rt::describe_load(plan.axis, load),
                                fmt::join(p.verdict.reasons, "; "));
      break;
    }
  }
  if (!plan.stop_at_knee)
    for (const auto& p : points)
      if (!p.verdict.passed) {
        stop_reason =
            fmt::format("every load ran; the knee at {}: {}", rt::describe_load(plan.axis, p.load),
                        fmt::join(p.verdict.reasons, "; "));
        break;
      }
  std::string note = io.note;
  if (io.time_scale != 1.0)
    note += (note.empty() ? "" : "; ") + std::string("in the modelled machine's time");
  const auto md = io.out_dir / (plan.name + ".curve.md"),
             csv = io.out_dir / (plan.name + ".curve.csv"),
             json = io.out_dir / (plan.name + ".sweep.json");
  const auto text = rt::curve_text(plan.name, curve, note);
  rt::write_atomically(md, text + "\n" + stop_reason + "\n");
  rt::write_atomically(csv, rt::curve_csv(curve));
  rt::write_atomically(json, sweep_json(plan, points, stop_reason));
  if (io.console) {
    *io.console << '\n' << text << '\n' << "sweep " << plan.name << ": " << stop_reason << '\n';
    for (const auto& f : {md, csv, json}) *io.console << "wrote " << f.string() << '\n';
  }
  return 0;
}

}  // namespace loadwright::app
