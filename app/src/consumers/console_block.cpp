// The console after a scenario: the summary block (vLLM's layout), the script's custom
// metrics, each threshold, the files written, and why the run failed.

#include <fmt/format.h>

#include "loadwright/app/consumers.hpp"
#include "loadwright/core/printable.hpp"
#include "loadwright/core/result_files.hpp"

namespace loadwright::runtime {

namespace {

class console_block final : public record_consumer {
 public:
  explicit console_block(bool vllm_style) : vllm_style_(vllm_style) {}
  std::string name() const override { return "console"; }

  void scenario_finished(const scenario_context& ctx, scenario_report& report) override {
    auto* out = ctx.out.console;
    if (!out) return;
    const auto& plan = ctx.plan();
    const bool several = report.runs.size() > 1;
    // A vllm_bench scenario printed vLLM's block per run; ours then only adds the spread.
    if (!vllm_style_ || several) {
      const std::string title =
          plan.runs > 1 ? fmt::format("{} (mean ± std of {} runs)", plan.name, report.runs.size())
                        : plan.name;
      *out << console_summary(title, report.combined, several ? &report.std_across_runs : nullptr,
                              plan.percentiles);
    }
    if (!report.steady_state.empty()) *out << steady_state_console(report.steady_state);
    if (!report.custom.empty()) {
      *out << "Custom metrics:\n";
      for (const auto& [key, value] : report.custom)
        *out << fmt::format("  {:<38} {}\n", printable(key) + ":", value);
    }
    for (const auto& n : report.notes) *out << n << '\n';
    for (const auto& f : report.files) *out << "wrote " << f.string() << '\n';
    for (const auto& c : report.failed_checks) *out << "FAILED: " << printable(c) << '\n';
    if (report.interrupted) *out << "INTERRUPTED: results hold what completed before the stop\n";
  }

 private:
  bool vllm_style_;
};

}  // namespace

std::unique_ptr<record_consumer> make_console_block(bool vllm_style) {
  return std::make_unique<console_block>(vllm_style);
}

}  // namespace loadwright::runtime
