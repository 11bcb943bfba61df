// The human-readable plan that `loadwright validate` and `run --dry-run` print.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "loadwright/core/describe_plan.hpp"
#include "loadwright/core/phase_timeline.hpp"

namespace loadwright::runtime {

namespace {

std::string rate_text(double r) {
  return std::isinf(r) ? "all at once" : fmt::format("{}/s", r);
}

std::string open_text(const open_arrival& a) {
  return std::visit(
      [](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, poisson_arrival>)
          return x.ramp_up.empty()
                     ? fmt::format("poisson rate {} burstiness {}{}", rate_text(x.rate),
                                   x.burstiness, x.normalize ? " (vLLM-normalised)" : "")
                     : fmt::format("poisson {} ramp-up {}/s → {}/s by request index burstiness {}",
                                   x.ramp_up, x.ramp_from, x.ramp_to, x.burstiness);
        else if constexpr (std::is_same_v<T, constant_arrival>)
          return fmt::format("constant rate {}", rate_text(x.rate));
        else
          return fmt::format(
              "ramp {}/s → {}/s over {:g} s{}", x.from, x.to, x.over.count(),
              x.burstiness ? fmt::format(" burstiness {}", *x.burstiness) : std::string());
      },
      a);
}

// The output length a request of the plan asks for, as far as the plan says.
std::int64_t planned_output_tokens(const scenario_plan& p) {
  if (p.request.max_tokens) return *p.request.max_tokens;
  return std::visit(
      [](const auto& d) -> std::int64_t {
        if constexpr (requires { d.output_lengths; })
          if (d.output_lengths) return static_cast<std::int64_t>(d.output_lengths->median);
        if constexpr (requires { d.output_tokens; }) return d.output_tokens;
        return -1;
      },
      p.dataset);
}

}  // namespace

std::optional<std::string> short_measure_warning(const scenario_plan& p) {
  if (!p.phases) return std::nullopt;
  const auto tokens = planned_output_tokens(p);
  if (tokens <= 0) return std::nullopt;
  const double plausible_s = static_cast<double>(tokens) / plausible_user_tokens_per_s;
  const double measure_s = p.phases->measure.count();
  if (measure_s >= plausible_s) return std::nullopt;
  return fmt::format(
      "{}: phases.measure ({:g} s) is shorter than one request can plausibly take ({} output "
      "tokens at {:g} tokens/s: {:g} s); few requests sent in it will finish inside it",
      p.source, measure_s, tokens, plausible_user_tokens_per_s, plausible_s);
}

std::string describe_plan(const scenario_plan& p) {
  std::string out;
  auto it = std::back_inserter(out);
  fmt::format_to(it, "scenario {} ({})\n", p.name, p.source);
  std::string arrival = std::visit(
      [](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, closed_arrival>)
          return fmt::format("closed loop, {} in flight", x.concurrency);
        else if constexpr (std::is_same_v<T, batch_arrival>)
          return fmt::format("batches of {}", x.size);
        else if constexpr (std::is_same_v<T, stages_arrival>) {
          std::string s = fmt::format("{} stages:", x.stages.size());
          for (const auto& st : x.stages)
            s += fmt::format(" [{:g} s: {}]", st.duration.count(), open_text(st.arrival));
          return s;
        } else
          return open_text(x);
      },
      p.arrival);
  fmt::format_to(it, "  arrival:   {}\n", arrival);
  std::string limits;
  if (p.requests) limits += fmt::format("{} requests", *p.requests);
  if (p.duration)
    limits += fmt::format("{}{:g} s", limits.empty() ? "" : ", at most ", p.duration->count());
  fmt::format_to(it, "  amount:    {}{}{}\n",
                 limits.empty() ? (p.phases ? "by its phases" : "until the stages end") : limits,
                 p.runs > 1 ? fmt::format(", {} runs", p.runs) : "",
                 p.warmup ? fmt::format(", {} warm-up requests", p.warmup) : "");
  if (p.phases) {
    const auto t = *plan_timeline(p);
    fmt::format_to(it, "  phases:    {}{}\n", describe_timeline(t),
                   p.runs > 1 ? fmt::format(", each of {} runs", p.runs) : "");
    if (const auto warning = short_measure_warning(p))
      fmt::format_to(it, "  warning:   {}\n", *warning);
  }
  if (p.max_concurrency)
    fmt::format_to(it, "  cap:       at most {} in flight (client-side waits recorded)\n",
                   *p.max_concurrency);
  fmt::format_to(it, "  request:   {} api, {}, seed {}, timeout {:g} s (idle {:g} s)\n",
                 p.request.api == api_kind::chat ? "chat" : "completions",
                 p.request.stream ? "streaming" : "not streaming", p.seed, p.timeout.count(),
                 p.idle_timeout.count());
  if (!p.context.empty()) {
    const auto& c = p.context;
    std::string text;
    auto add = [&](std::string_view key, const std::string& value) {
      if (!value.empty()) text += fmt::format("{}{} {}", text.empty() ? "" : ", ", key, value);
    };
    add("gpu", c.gpu);
    add("gpus", c.gpus ? std::to_string(*c.gpus) : "");
    add("model", c.model);
    add("quantization", c.quantization);
    add("tp", c.tp ? std::to_string(*c.tp) : "");
    add("engine", c.engine);
    add("engine_version", c.engine_version);
    fmt::format_to(it, "  context:   {}\n", text);
  }
  if (!p.slo.empty()) {
    fmt::format_to(it, "  slo:      ");
    if (p.slo.ttft) fmt::format_to(it, " ttft ≤ {:g} ms", p.slo.ttft->count() * 1e3);
    if (p.slo.tpot) fmt::format_to(it, " tpot ≤ {:g} ms", p.slo.tpot->count() * 1e3);
    if (p.slo.e2el) fmt::format_to(it, " e2el ≤ {:g} ms", p.slo.e2el->count() * 1e3);
    if (p.slo.min_goodput_ratio)
      fmt::format_to(it, ", run fails below {:g}% good", *p.slo.min_goodput_ratio * 100);
    out += '\n';
  }
  return out;
}

}  // namespace loadwright::runtime

namespace loadwright::runtime {

std::optional<double> planned_seconds(const scenario_plan& plan) {
  std::optional<double> one;
  if (const auto t = plan_timeline(plan))
    one = t->drain_end_s;
  else if (plan.duration)
    one = plan.duration->count();
  else if (const auto natural = natural_duration(plan.arrival); natural && !plan.requests)
    one = natural->count();
  if (!one) return std::nullopt;
  return *one * std::max(1, plan.runs);
}

std::string describe_total_time(const std::vector<scenario_plan>& plans) {
  double known_s = 0;
  std::size_t timed = 0;
  std::uint64_t warmup_requests = 0;  // their time is the server's speed: counted, not timed
  for (const auto& p : plans) {
    warmup_requests += p.warmup;
    if (const auto s = planned_seconds(p)) {
      known_s += *s;
      ++timed;
    }
  }
  const std::string warmups =
      warmup_requests == 0
          ? ""
          : fmt::format(", plus {} warm-up request{} (as fast as the server answers them)",
                        warmup_requests, warmup_requests == 1 ? "" : "s");
  if (timed == 0)
    return "expected time: as long as the server takes (every scenario runs to a request "
           "count)" +
           warmups;
  const auto h = static_cast<long long>(known_s / 3600);
  const auto m = static_cast<long long>(std::fmod(known_s, 3600) / 60);
  const double sec = std::fmod(known_s, 60);
  const std::string span = h > 0   ? fmt::format("{} h {} min", h, m)
                           : m > 0 ? fmt::format("{} min {:.0f} s", m, sec)
                                   : fmt::format("{:.1f} s", sec);
  std::string out = fmt::format("expected time: {} for {} of {} scenario{}", span, timed,
                                plans.size(), plans.size() == 1 ? "" : "s");
  if (timed < plans.size())
    out += fmt::format(" (the other {} run to a request count, which the server's speed decides)",
                       plans.size() - timed);
  return out + warmups;
}

}  // namespace loadwright::runtime
