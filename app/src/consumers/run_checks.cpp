// The checks every scenario has: failed requests beyond `allowed_failures`, goodput under
// `slo.goodput`. Counted over every run's requests together (the combined summary holds
// means per run, which are not counts).

#include <fmt/format.h>

#include "loadwright/app/consumers.hpp"

namespace loadwright::runtime {

namespace {

class run_checks final : public record_consumer {
 public:
  std::string name() const override { return "run checks"; }

  void scenario_finished(const scenario_context& ctx, scenario_report& report) override {
    const auto& plan = ctx.plan();
    double sent = 0, failed = 0;
    for (const auto& r : report.runs) {
      sent += r.get("completed") + r.get("failed");
      failed += r.get("failed");
    }
    if (sent > 0 && failed / sent > plan.allowed_failure_ratio)
      report.failed_checks.push_back(fmt::format(
          "{:.0f} of {:.0f} requests{} failed ({:.1f}%), above the allowed {:.1f}%", failed, sent,
          report.runs.size() > 1 ? fmt::format(" of {} runs", report.runs.size()) : "",
          100 * failed / sent, 100 * plan.allowed_failure_ratio));
    if (plan.slo.min_goodput_ratio) {
      const double ratio = report.combined.get("goodput_ratio");
      if (ratio < *plan.slo.min_goodput_ratio)
        report.failed_checks.push_back(fmt::format(
            "goodput {:.1f}% of completed requests met the SLO, below the required {:.1f}%",
            100 * ratio, 100 * *plan.slo.min_goodput_ratio));
    }
  }
};

}  // namespace

std::unique_ptr<record_consumer> make_run_checks() {
  return std::make_unique<run_checks>();
}

}  // namespace loadwright::runtime
