// NAME.json: the scenario's summary, replaced atomically (a crash leaves the previous one).

#include <ctime>

#include "loadwright/app/consumers.hpp"
#include "loadwright/core/result_files.hpp"
#include "result_io.hpp"
#include "time_text.hpp"

namespace loadwright::runtime {

namespace {

summary_setup make_setup(const scenario_context& ctx, const scenario_report& report) {
  const auto& plan = ctx.plan();
  const auto& p = ctx.prepared;
  summary_setup s;
  s.date = app::local_date_stamp();
  s.scenario = plan.name;
  s.source = plan.source;
  s.base_url = ctx.target.url.to_string();
  s.target_name = plan.target.name;
  s.model_id = ctx.target.model;
  s.endpoint_type = plan.request.api == api_kind::chat ? "openai-chat" : "openai";
  s.seed = plan.seed;
  s.arrival = arrival_kind(plan.arrival);
  if (const auto* po = std::get_if<poisson_arrival>(&plan.arrival)) {
    s.has_rate = s.has_burstiness = true;
    s.request_rate = po->rate;
    s.burstiness = po->burstiness;
  } else if (const auto* c = std::get_if<constant_arrival>(&plan.arrival)) {
    s.has_rate = true;
    s.request_rate = c->rate;
  }
  if (plan.max_concurrency)
    s.max_concurrency = *plan.max_concurrency;
  else if (const auto* cl = std::get_if<closed_arrival>(&plan.arrival))
    s.max_concurrency = cl->concurrency;
  else if (const auto* b = std::get_if<batch_arrival>(&plan.arrival))
    s.max_concurrency = b->size;
  s.num_prompts = p.request_limit.value_or(0);
  s.warmup = plan.warmup;
  s.dataset = p.dataset_description;
  s.token_counter = ctx.out.token_counter;
  s.interrupted = report.interrupted;
  s.emulated = ctx.out.emulated;
  s.time_scale = ctx.out.time_scale;
  s.emulator_faults = ctx.out.emulator_faults;
  s.unsafe = ctx.out.unsafe;
  s.bounded_memory = ctx.bounded;
  s.percentiles_from_histogram = report.percentiles_from_histogram;
  s.context = plan.context;
  s.server = ctx.out.server;
  s.steady_state = report.steady_state;
  return s;
}

class summary_file final : public record_consumer {
 public:
  explicit summary_file(std::filesystem::path path) : path_(std::move(path)) {}
  std::string name() const override { return "summary file " + path_.string(); }

  void scenario_finished(const scenario_context& ctx, scenario_report& report) override {
    std::filesystem::create_directories(path_.parent_path());
    write_atomically(path_, summary_json(make_setup(ctx, report), report.combined, report.runs,
                                         report.runs.size() > 1 ? &report.std_across_runs : nullptr,
                                         report.custom));
    report.files.push_back(path_);
  }

 private:
  std::filesystem::path path_;
};

}  // namespace

std::unique_ptr<record_consumer> make_summary_file(std::filesystem::path path) {
  return std::make_unique<summary_file>(std::move(path));
}

}  // namespace loadwright::runtime
