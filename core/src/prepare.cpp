// Preparation, before a run's clock starts: samples drawn, requests shaped and serialized,
// the schedule computed.

#include <fmt/format.h>

#include <stdexcept>

#include "loadwright/core/arrival.hpp"
#include "loadwright/core/phase_timeline.hpp"
#include "loadwright/core/prepared_scenario.hpp"
#include "loadwright/core/request_codec.hpp"
#include "loadwright/datasets/sampler.hpp"

namespace loadwright::runtime {

request_options shaped_options(const request_options& base, const request_shape* shape) {
  if (!shape || shape->body.empty()) return base;
  request_options o = base;
  for (const auto& field : shape->body) {
    std::erase_if(o.body, [&](const auto& kv) { return kv.first == field.first; });
    o.body.push_back(field);
  }
  return o;
}

prepared_scenario prepare_scenario(const scenario_plan& plan, const std::string& model,
                                   const datasets::token_counter& counter, request_shaper* shaper,
                                   const preparation_choices& choices) {
  prepared_scenario p;
  p.plan = &plan;
  p.dataset = choices.dataset.value_or(plan.dataset);
  p.time_scale = choices.time_scale;
  p.model = model;
  if (plan.phases) {
    // The timeline decides when sending stops; the description is its own.
    const auto timeline = *plan_timeline(plan);  // before the time scale
    if (is_open_loop(plan.arrival)) {
      // An open loop sends by its schedule through stabilize and measure (no fill).
      p.schedule_s = build_open_schedule(plan.arrival, std::nullopt,
                                         seconds_d(timeline.measure_end_s), plan.seed);
      // Nothing is sent from the window's end on (a schedule may end exactly there).
      std::erase_if(p.schedule_s, [&](double t) { return t >= timeline.measure_end_s; });
      for (double& t : p.schedule_s) t *= p.time_scale;
      p.request_limit = p.schedule_s.size();
    } else if (!std::holds_alternative<closed_arrival>(plan.arrival)) {
      throw std::invalid_argument("`phases` needs a closed-loop or open-loop arrival, not `batch`");
    }
    p.schedule_description = "phases: " + describe_timeline(*plan_timeline(plan, p.time_scale));
  } else if (is_open_loop(plan.arrival)) {
    p.schedule_s = build_open_schedule(plan.arrival, plan.requests, plan.duration, plan.seed);
    for (double& t : p.schedule_s) t *= p.time_scale;
    p.request_limit = p.schedule_s.size();
    const auto st = describe_schedule(p.schedule_s);
    p.schedule_description =
        fmt::format("{} requests over {:.2f} s (mean rate {:.3f}/s, gap CV {:.3f})", st.count,
                    st.span_s, st.mean_rate, st.cv_gap);
  } else {
    p.request_limit = plan.requests;
    if (!plan.requests && !plan.duration)
      throw std::invalid_argument("a closed-loop or batch scenario needs `requests` or `duration`");
    p.schedule_description = plan.requests ? fmt::format("{} requests", *plan.requests)
                                           : fmt::format("for {:.1f} s", plan.duration->count());
  }
  std::size_t pool = p.request_limit ? static_cast<std::size_t>(*p.request_limit)
                                     : static_cast<std::size_t>(plan.sample_pool);
  // Fresh prompts: run r sends samples [(r-1)·pool, r·pool) of one longer draw.
  if (plan.fresh_prompts) pool *= static_cast<std::size_t>(std::max(1, plan.runs));
  p.samples = datasets::draw_samples(p.dataset, std::max<std::size_t>(pool, 1), plan.seed, counter);
  p.dataset_description = datasets::describe_samples(p.dataset, p.samples);
  if (plan.warmup > 0)  // a separate stream, so measured samples do not depend on the warm-up count
    p.warmup_samples =
        datasets::draw_samples(p.dataset, plan.warmup, plan.seed ^ 0x5741524d55505fULL, counter);
  // The hook sees the warm-up's samples first, in the order they are sent.
  auto shape_all = [&](const std::vector<datasets::sample>& samples, run_phase phase,
                       std::vector<request_shape>& shapes, std::vector<std::string>& bodies) {
    bodies.reserve(samples.size());
    if (shaper) shapes.reserve(samples.size());
    for (std::size_t i = 0; i < samples.size(); ++i) {
      if (shaper)
        shapes.push_back(
            shaper->shape(samples[i], i, phase, effective_max_tokens(samples[i], plan.request)));
      const auto opt = shaped_options(plan.request, shaper ? &shapes.back() : nullptr);
      bodies.push_back(build_request_body(samples[i], opt, model));
    }
  };
  shape_all(p.warmup_samples, run_phase::warmup, p.warmup_shapes, p.warmup_bodies);
  shape_all(p.samples, run_phase::measure, p.shapes, p.bodies);
  if (plan.context_first) {
    auto context_body = [&](const datasets::sample& s) {
      if (s.messages.size() < 2 || s.messages.front().role != "system")
        throw std::invalid_argument(
            "context_first needs samples with a context (a system message) before the prompt: "
            "use gutenberg { depth_tokens = N } with N > 0");
      return build_request_body(context_only(s), plan.request, model);
    };
    for (const auto& s : p.samples) p.context_bodies.push_back(context_body(s));
    for (const auto& s : p.warmup_samples) p.warmup_context_bodies.push_back(context_body(s));
  }
  return p;
}

datasets::sample context_only(const datasets::sample& s) {
  datasets::sample c;
  c.messages = {s.messages.front(), {"user", "."}};
  c.input_tokens = s.context_tokens;
  c.input_tokens_estimated = s.input_tokens_estimated;
  c.max_output_tokens = s.max_output_tokens;
  return c;
}

}  // namespace loadwright::runtime
