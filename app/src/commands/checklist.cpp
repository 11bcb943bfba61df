// The methodology chapter's validation checklist as notes (see checklist.hpp).

#include "checklist.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>

#include "loadwright/core/arrival.hpp"
#include "loadwright/core/summary.hpp"

namespace loadwright::app {

namespace rt = loadwright::runtime;
namespace ds = loadwright::datasets;

namespace {

constexpr std::uint64_t kMinWarmup = 50;               // "Warm up: ~50 requests"
constexpr double kMinSecondsPerRate = 60;              // "60 s per level"
const std::uint64_t kTailCount = rt::tail_min_values;  // "p99.9 (when n ≥ 1000)"

std::string rate_text(double r) {
  return std::isinf(r) ? "all at once" : fmt::format("{:g} req/s", r);
}

// The measured requests of one run, when they are known before it runs (at most kTailCount:
// enough to tell).
std::optional<std::uint64_t> requests_per_run(const rt::scenario_plan& p) {
  if (p.phases) return std::nullopt;                    // a timeline: as many as the server answers
  if (!rt::is_open_loop(p.arrival)) return p.requests;  // a closed loop by duration: unknown
  if (p.requests && !p.duration) return p.requests;
  const auto limit = std::min<std::uint64_t>(p.requests.value_or(kTailCount), kTailCount);
  return rt::build_open_schedule(p.arrival, limit, p.duration, p.seed).size();
}

// How long one run measures at its rate, when that is known: the shortest stage of `stages`.
std::optional<double> seconds_per_rate(const rt::scenario_plan& p, std::string& what) {
  if (p.phases) {  // what is measured is the measure window
    what = fmt::format("phases.measure is {:g} s", p.phases->measure.count());
    return p.phases->measure.count();
  }
  if (const auto* st = std::get_if<rt::stages_arrival>(&p.arrival)) {
    double shortest = INFINITY;
    for (std::size_t i = 0; i < st->stages.size(); ++i)
      if (st->stages[i].duration.count() < shortest) {
        shortest = st->stages[i].duration.count();
        what = fmt::format("stage {} lasts {:g} s", i + 1, shortest);
      }
    return shortest;
  }
  if (!rt::is_open_loop(p.arrival)) {
    if (!p.duration) return std::nullopt;
    what = fmt::format("{:g} s per run", p.duration->count());
    return p.duration->count();
  }
  double span = p.duration ? p.duration->count() : INFINITY;
  double rate = NAN;
  if (const auto* po = std::get_if<rt::poisson_arrival>(&p.arrival); po && po->ramp_up.empty())
    rate = po->rate;
  else if (const auto* c = std::get_if<rt::constant_arrival>(&p.arrival))
    rate = c->rate;
  if (!std::isnan(rate)) {
    if (p.requests) span = std::min(span, std::isinf(rate) ? 0.0 : *p.requests / rate);
    what = fmt::format("about {:.3g} s at {}", span, rate_text(rate));
    return span;
  }
  // A ramp: its schedule says (bounded by `requests` or `duration`, one of which is set).
  const auto schedule = rt::build_open_schedule(p.arrival, p.requests, p.duration, p.seed);
  span = schedule.empty() ? 0.0 : schedule.back();
  what = fmt::format("about {:.3g} s", span);
  return span;
}

// Why the lengths are not realistic, or "".
std::string fixed_lengths(const rt::scenario_plan& p) {
  return std::visit(
      [](const auto& d) -> std::string {
        using T = std::decay_t<decltype(d)>;
        if constexpr (std::is_same_v<T, ds::random_spec>) {
          if (d.input_lengths || d.output_lengths) return {};
          if (d.range_ratio > 0)
            return fmt::format("lengths uniform around {} in / {} out tokens (random)",
                               d.input_tokens, d.output_tokens);
          return fmt::format("every prompt {} tokens, every reply {} (random)", d.input_tokens,
                             d.output_tokens);
        } else if constexpr (std::is_same_v<T, ds::gutenberg_spec>) {
          return fmt::format("every prompt {} tokens (gutenberg)",
                             d.prompt_tokens + d.depth_tokens);
        } else if constexpr (std::is_same_v<T, ds::shared_prefix_spec>) {
          return fmt::format("every prompt {} tokens (shared_prefix)",
                             d.system_tokens + d.question_tokens);
        } else if constexpr (std::is_same_v<T, ds::conversations_spec>) {
          return d.sharegpt.empty() && d.oasst.empty()
                     ? "turns of fixed lengths cut from a book (conversations)"
                     : "";
        } else {
          return {};  // the user's own prompts or real data
        }
      },
      p.dataset);
}

// The load levels a scenario runs at ("rate 2", "concurrency 8"); several for ramps and stages.
void load_levels(const rt::scenario_plan& p, std::set<std::string>& levels) {
  auto open = [&](const rt::open_arrival& a) {
    std::visit(
        [&](const auto& x) {
          using T = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<T, rt::poisson_arrival>) {
            if (!x.ramp_up.empty()) {
              levels.insert(fmt::format("rate {:g}", x.ramp_from));
              levels.insert(fmt::format("rate {:g}", x.ramp_to));
            } else {
              levels.insert(fmt::format("rate {:g}", x.rate));
            }
          } else if constexpr (std::is_same_v<T, rt::constant_arrival>) {
            levels.insert(fmt::format("rate {:g}", x.rate));
          } else {
            levels.insert(fmt::format("rate {:g}", x.from));
            levels.insert(fmt::format("rate {:g}", x.to));
          }
        },
        a);
  };
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, rt::closed_arrival>)
          levels.insert(fmt::format("concurrency {}", x.concurrency));
        else if constexpr (std::is_same_v<T, rt::batch_arrival>)
          levels.insert(fmt::format("batch {}", x.size));
        else if constexpr (std::is_same_v<T, rt::stages_arrival>)
          for (const auto& s : x.stages) open(s.arrival);
        else
          open(x);
      },
      p.arrival);
}

// One check over the scenarios: the detail for each that fails.
struct check {
  std::string name;
  std::string advice;
  std::vector<std::pair<std::string, std::string>> failing;  // (scenario, detail)
};

std::string note_of(const check& c, std::size_t scenarios) {
  if (c.failing.empty()) return {};
  if (scenarios == 1)
    return fmt::format("note: {}: {}; {}", c.name, c.failing.front().second, c.advice);
  std::string names;
  for (std::size_t i = 0; i < c.failing.size() && i < 3; ++i)
    names += (i ? ", " : "") + c.failing[i].first;
  if (c.failing.size() > 3) names += ", …";
  return fmt::format("note: {} in {} of {} scenarios ({}); {}", c.name, c.failing.size(), scenarios,
                     names, c.advice);
}

}  // namespace

std::vector<std::string> checklist_notes(std::span<const rt::scenario_plan> plans) {
  std::vector<std::string> notes;
  if (plans.empty()) return notes;
  const std::size_t n = plans.size();
  auto add = [&](const check& c) {
    if (auto text = note_of(c, n); !text.empty()) notes.push_back(std::move(text));
  };

  check warmup{"warm-up",
               fmt::format("the first requests carry one-time costs (compilation, caches, "
                           "connections): warmup = {} or more",
                           kMinWarmup),
               {}};
  check tail{"p99.9",
             fmt::format("p99.9 is reported only for a series of at least {} values: requests = "
                         "{} or more per run",
                         kTailCount, kTailCount),
             {}};
  check percentiles{"percentiles", "report p50 and p99 (percentiles = { 50, 90, 95, 99 })", {}};
  check lengths{"fixed lengths",
                "real traffic is long-tailed: random { workload = \"chat\" } (or \"code\", "
                "\"long_context\", \"summarization\"), lognormal { … } lengths, or real prompts "
                "(sharegpt)",
                {}};
  check duration{
      "under 60 s per rate",
      fmt::format("measure at least {:g} s at each rate (duration = \"60s\")", kMinSecondsPerRate),
      {}};
  check context{"no hardware context",
                "say what it ran on: context = { gpu = …, gpus = …, model = …, quantization = "
                "…, engine = … } (written into the summary)",
                {}};
  bool any_open = false;
  std::set<std::string> levels;
  for (const auto& p : plans) {
    if (p.warmup < kMinWarmup && !p.phases)  // with phases, stabilize is the warm-up
      warmup.failing.emplace_back(p.name, p.warmup == 0
                                              ? "no warm-up requests"
                                              : fmt::format("only {} warm-up requests", p.warmup));
    if (const auto count = requests_per_run(p); count && *count < kTailCount)
      tail.failing.emplace_back(p.name, fmt::format("{} requests per run", *count));
    for (const double q : {50.0, 99.0})
      if (std::find(p.percentiles.begin(), p.percentiles.end(), q) == p.percentiles.end()) {
        percentiles.failing.emplace_back(p.name, fmt::format("p{:g} is not reported", q));
        break;
      }
    if (const auto why = fixed_lengths(p); !why.empty()) lengths.failing.emplace_back(p.name, why);
    std::string what;
    if (const auto s = seconds_per_rate(p, what); s && *s < kMinSecondsPerRate)
      duration.failing.emplace_back(p.name, what);
    if (p.context.gpu.empty() || p.context.quantization.empty()) {
      std::string missing;
      if (p.context.gpu.empty()) missing = "gpu";
      if (p.context.quantization.empty())
        missing += missing.empty() ? "quantization" : ", quantization";
      context.failing.emplace_back(p.name, p.context.empty() ? std::string("no context = { … }")
                                                             : "the context has no " + missing);
    }
    any_open = any_open || rt::is_open_loop(p.arrival);
    load_levels(p, levels);
  }
  // The chapter's order: warm-up, open loop, percentiles, lengths, rates, duration, context.
  add(warmup);
  if (!any_open)
    notes.push_back(
        "note: closed loop only: a closed loop throttles itself and never shows saturation; "
        "measure open loop too (poisson { rate = … })");
  add(tail);
  add(percentiles);
  add(lengths);
  if (levels.size() <= 1)
    notes.push_back(fmt::format(
        "note: one rate: {}; latency means little without the load it was measured at: run "
        "several rates (a list of scenarios, or stages)",
        levels.empty() ? std::string("a single load level") : "every run at " + *levels.begin()));
  add(duration);
  add(context);
  return notes;
}

}  // namespace loadwright::app
