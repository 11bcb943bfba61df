// `vllm_bench`: vLLM's --save-result file (one JSON object per run, as --append-result
// writes: "\n" before each but the first, no trailing newline) and its console block per run.

#include <fmt/format.h>

#include <ctime>

#include "loadwright/app/consumers.hpp"
#include "loadwright/core/vllm_bench.hpp"
#include "result_io.hpp"
#include "time_text.hpp"

namespace loadwright::runtime {

namespace {

vllm_bench::setup make_setup(const scenario_context& ctx) {
  const auto& plan = ctx.plan();
  vllm_bench::setup s;
  s.date = app::local_date_stamp();
  s.model_id = ctx.target.model;
  s.tokenizer_id = ctx.out.tokenizer_name;
  s.num_prompts = ctx.prepared.request_limit.value_or(0);
  if (const auto* po = std::get_if<poisson_arrival>(&plan.arrival)) {
    s.request_rate = po->rate;
    s.burstiness = po->burstiness;
    s.ramp_up_strategy = po->ramp_up;
    s.ramp_up_start_rps = po->ramp_from;
    s.ramp_up_end_rps = po->ramp_to;
  }
  if (plan.max_concurrency) s.max_concurrency = *plan.max_concurrency;
  s.slo = plan.slo;
  if (ctx.out.emulated)
    s.metadata.emplace_back(
        "emulated", fmt::format("loadwright's built-in emulator, time scale {}: the numbers "
                                "describe the emulator, not a real model",
                                ctx.out.time_scale));
  return s;
}

class vllm_bench_output final : public record_consumer {
 public:
  std::string name() const override { return "vllm bench result"; }

  void scenario_started(const scenario_context& ctx) override {
    setup_ = make_setup(ctx);
    path_ = ctx.out.out_dir / vllm_bench::result_filename(setup_, *ctx.plan().vllm_bench);
    std::filesystem::create_directories(path_.parent_path());
    file_.emplace(path_);
  }
  void run_finished(const scenario_context& ctx, const run_context& run,
                    const run_outcome& o) override {
    if (run.phase != run_phase::measure || !o.run_summary) return;
    const auto& spec = *ctx.plan().vllm_bench;
    const auto m = vllm_bench::calculate(o.records, o.run_summary->get("duration"), setup_);
    file_->append(
        vllm_bench::appended_result(vllm_bench::save_result_json(setup_, spec, m), empty_));
    empty_ = false;
    if (ctx.out.console) *ctx.out.console << vllm_bench::console_block(setup_, spec, m);
  }
  void scenario_finished(const scenario_context&, scenario_report& report) override {
    report.files.push_back(path_);
  }

 private:
  vllm_bench::setup setup_;
  std::filesystem::path path_;
  std::optional<append_file> file_;
  bool empty_ = true;
};

}  // namespace

std::unique_ptr<record_consumer> make_vllm_bench_output() {
  return std::make_unique<vllm_bench_output>();
}

}  // namespace loadwright::runtime
