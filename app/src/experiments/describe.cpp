// What an experiment will run, before anything is sent (validate, --dry-run), and the head of
// its JSON.

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "experiments.hpp"
#include "loadwright/core/load_points.hpp"

namespace loadwright::app {

namespace rt = loadwright::runtime;

namespace {

std::string slo_text(const std::vector<rt::slo_bound>& slo) {
  if (slo.empty()) return "none (only the saturation limits)";
  std::vector<std::string> parts;
  for (const auto& b : slo) parts.push_back(fmt::format("{} ≤ {}", b.name, b.text));
  return fmt::format("{}", fmt::join(parts, ", "));
}

std::string limits_text(const rt::saturation_limits& l, rt::load_axis axis) {
  std::string t = fmt::format("p99 TTFT over {:.3g} s", l.max_p99_ttft_ms / 1000);
  if (axis == rt::load_axis::rate)
    t += fmt::format(", achieved under {:.0f} % of the asked rate", 100 * l.min_achieved_ratio);
  t += l.max_error_rate ? fmt::format(", errors over {:.1f} %", 100 * *l.max_error_rate)
                        : std::string(", errors over the scenario's allowance");
  return t;
}

}  // namespace

void begin_experiment_json(rt::json_writer& w, const char* kind, const std::string& name,
                           const std::string& source, rt::load_axis axis,
                           const std::vector<rt::slo_bound>& slo) {
  w.begin_object();
  w.field(kind, name).field("source", source);
  w.field("axis", axis == rt::load_axis::rate ? "rate" : "concurrency");
  w.key("slo").begin_object();
  for (const auto& b : slo) w.field(b.name + "_ms", b.limit_ms);
  w.end_object();
}

const rt::scenario_plan& experiment_base(const rt::experiment_plan& plan) {
  return std::visit([](const auto& p) -> const rt::scenario_plan& { return p.base; }, plan);
}

std::size_t experiment_hooks(const rt::experiment_plan& plan) {
  return std::visit([](const auto& p) { return p.hooks; }, plan);
}

namespace {

std::vector<double> coarse_loads(const rt::find_max_plan& f) {
  std::vector<double> loads;
  rt::load_search search(f.axis, f.from, f.to, f.precision);
  while (const auto v = search.next()) {
    loads.push_back(*v);
    search.record(*v, true);
  }
  return loads;
}

}  // namespace

std::vector<rt::scenario_plan> experiment_scenarios(const rt::experiment_plan& plan) {
  std::vector<rt::scenario_plan> out;
  if (std::holds_alternative<rt::ab_plan>(plan)) return {experiment_base(plan)};
  const auto* s = std::get_if<rt::sweep_plan>(&plan);
  const auto& base = experiment_base(plan);
  const auto axis = s ? s->axis : std::get<rt::find_max_plan>(plan).axis;
  for (const double v : s ? s->loads : coarse_loads(std::get<rt::find_max_plan>(plan)))
    out.push_back(rt::plan_at_load(base, axis, v, base.name + "@" + rt::format_load(v)));
  return out;
}

std::string describe_experiment(const rt::experiment_plan& plan) {
  if (const auto* s = std::get_if<rt::sweep_plan>(&plan)) {
    std::vector<std::string> loads;
    for (const double v : s->loads) loads.push_back(rt::format_load(v));
    return fmt::format(
        "sweep {} ({}): {} = {{{}}}, one run of {} per load{}\n  slo:        {}\n  saturated:  "
        "{}\n",
        s->name, s->source, s->axis == rt::load_axis::rate ? "rates" : "concurrency",
        fmt::join(loads, ", "), s->base.name,
        s->stop_at_knee ? ", stopping at the knee" : ", every load", slo_text(s->slo),
        limits_text(s->limits, s->axis));
  }
  if (const auto* ab = std::get_if<rt::ab_plan>(&plan)) {
    auto where = [](const rt::ab_side& side, const char* option) {
      return side.base_url.empty() ? fmt::format("{} from {}", side.label, option)
                                   : fmt::format("{} at {}", side.label, side.base_url);
    };
    return fmt::format(
        "ab {} ({}): {} against {}, the same requests of {} in {} rounds\n  order:      {} "
        "first in odd rounds, {} first in even ones; {:g} s between runs\n  warm-up:    {} "
        "requests before each run\n  compare:    Wilcoxon signed-rank on request pairs, "
        "bootstrap intervals, Welch across rounds, equivalence within ±{:.0f} % (alpha {})\n",
        ab->name, ab->source, where(ab->a, "--base-url"), where(ab->b, "--base-url-b"),
        ab->base.name, ab->rounds, ab->a.label, ab->b.label, ab->pause.count(),
        std::max(ab->base.warmup, ab->warmup), 100 * ab->margin, ab->alpha);
  }
  const auto& f = std::get<rt::find_max_plan>(plan);
  // The coarse loads the search may try (doubling from `from`, capped at `to`); the
  // bisection's loads depend on the results.
  std::vector<std::string> coarse;
  for (const double v : coarse_loads(f)) coarse.push_back(rt::format_load(v));
  return fmt::format(
      "find_max {} ({}): the highest {} of {} under the SLO\n  slo:        {}\n  saturated:  "
      "{}\n  coarse:     {} (until one fails), then bisection to {:.0f} %\n  repeats:    {} "
      "per load, {:.0f} % bootstrap intervals\n  confirm:    {}\n",
      f.name, f.source, f.axis == rt::load_axis::rate ? "rate" : "concurrency", f.base.name,
      slo_text(f.slo), limits_text(f.limits, f.axis), fmt::join(coarse, ", "), 100 * f.precision,
      f.repeats, 100 * f.confidence,
      f.confirm ? fmt::format("{:.0f} s at the answer", f.confirm->count()) : std::string("no"));
}

}  // namespace loadwright::app
