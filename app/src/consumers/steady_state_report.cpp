// A scenario with `phases`: each measured run's steady-state figures (the framework's user,
// generation and server throughput, jitter, window-exact tokens/s, whether it was steady) and
// its phases on the wall clock, for the summary file and the console that come after.

#include <fmt/format.h>

#include <chrono>
#include <iterator>

#include "loadwright/app/consumers.hpp"
#include "loadwright/core/steady_state.hpp"

namespace loadwright::runtime {

namespace {

class steady_state_report final : public record_consumer {
 public:
  std::string name() const override { return "steady state"; }

  void run_started(const scenario_context& ctx, const run_context& run) override {
    current_.reset();
    if (run.phase != run_phase::measure) return;
    current_.emplace(*plan_timeline(ctx.plan(), ctx.prepared.time_scale));
  }
  void record(const request_record& r) override {
    if (current_) current_->add(r);
  }
  void run_finished(const scenario_context&, const run_context& run,
                    const run_outcome& outcome) override {
    if (!current_) return;
    steady_state_run out;
    out.run = run.run;
    out.wall_start = iso8601_utc(outcome.wall_start);
    out.phases.assign(outcome.phases.begin(), outcome.phases.end());
    auto wall = [&](double s) {
      return iso8601_utc(outcome.wall_start +
                         std::chrono::duration_cast<std::chrono::system_clock::duration>(
                             std::chrono::duration<double>(s)));
    };
    for (const auto& p : out.phases) {
      out.phase_start.push_back(wall(p.start_s));
      out.phase_end.push_back(wall(p.end_s));
      out.total_wall_s = std::max(out.total_wall_s, p.end_s);
    }
    out.figures = current_->finish();
    runs_.push_back(std::move(out));
    current_.reset();
  }
  void scenario_finished(const scenario_context&, scenario_report& report) override {
    report.steady_state = runs_;
    if (runs_.empty()) return;
    // Means over runs, by name, for thresholds and the suite's reports.
    auto mean = [&](auto get) {
      double sum = 0;
      for (const auto& r : runs_) sum += get(r.figures);
      return sum / static_cast<double>(runs_.size());
    };
    const double values[] = {
        mean([](const auto& f) { return f.user_tps_mean; }),
        mean([](const auto& f) { return f.generation_tps_mean; }),
        mean([](const auto& f) { return f.server_tps; }),
        mean([](const auto& f) { return f.window_output_tps; }),
        mean([](const auto& f) { return f.jitter_ratio; }),
        mean([](const auto& f) { return f.steady ? 1.0 : 0.0; }) == 1.0 ? 1.0 : 0.0};
    static_assert(std::size(values) == std::size(steady_state_keys));
    for (std::size_t i = 0; i < std::size(values); ++i)
      report.derived.emplace_back(steady_state_keys[i], values[i]);
  }

 private:
  std::optional<steady_state_accumulator> current_;
  std::vector<steady_state_run> runs_;
};

}  // namespace

std::unique_ptr<record_consumer> make_steady_state_report() {
  return std::make_unique<steady_state_report>();
}

}  // namespace loadwright::runtime
