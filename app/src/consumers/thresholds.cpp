// `thresholds = { … }`, checked once the scenario (and its on_done hook) is over: each printed
// with its value, and any that fails makes the exit code 1.

#include <fmt/format.h>

#include "loadwright/app/consumers.hpp"

namespace loadwright::runtime {

namespace {

bool holds(double v, const std::string& op, double x) {
  if (op == "<") return v < x;
  if (op == "<=") return v <= x;
  if (op == ">") return v > x;
  if (op == ">=") return v >= x;
  if (op == "==") return v == x;
  return v != x;  // "!=": the loader allows nothing else
}

class thresholds final : public record_consumer {
 public:
  std::string name() const override { return "thresholds"; }

  void scenario_finished(const scenario_context& ctx, scenario_report& report) override {
    for (const auto& t : ctx.plan().thresholds) {
      const auto v = report.value(t.key);
      if (!v) {
        report.failed_checks.push_back(
            fmt::format("threshold {} {}: the summary has no such metric{}", t.key, t.text,
                        t.key.starts_with("custom.") ? " (on_done did not return it)"
                        : t.key.starts_with("p99.9_")
                            ? fmt::format(" (p99.9 is reported for a series of at least {} values)",
                                          tail_min_values)
                            : ""));
        continue;
      }
      const bool ok = holds(*v, t.op, t.value);
      report.notes.push_back(
          fmt::format("threshold {} {}: {} ({})", t.key, t.text, ok ? "pass" : "FAIL", *v));
      if (!ok)
        report.failed_checks.push_back(fmt::format("threshold {} {}: {}", t.key, t.text, *v));
    }
  }
};

}  // namespace

std::unique_ptr<record_consumer> make_thresholds() {
  return std::make_unique<thresholds>();
}

}  // namespace loadwright::runtime
