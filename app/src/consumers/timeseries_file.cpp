// NAME.timeseries.csv: every run's shape second by second (in flight, sent, completed, output
// tokens/s, TTFT p50, phase), so a user can see whether and when it settled.

#include "loadwright/app/consumers.hpp"
#include "loadwright/core/timeseries.hpp"
#include "result_io.hpp"

namespace loadwright::runtime {

namespace {

class timeseries_file final : public record_consumer {
 public:
  explicit timeseries_file(std::filesystem::path path) : path_(std::move(path)) {}
  std::string name() const override { return "time series " + path_.string(); }

  void scenario_started(const scenario_context& ctx) override {
    series_ = timeseries_accumulator(plan_timeline(ctx.plan(), ctx.prepared.time_scale));
  }
  void record(const request_record& r) override { series_.add(r); }
  void scenario_finished(const scenario_context&, scenario_report& report) override {
    std::filesystem::create_directories(path_.parent_path());
    write_atomically(path_, series_.csv());
    report.files.push_back(path_);
  }

 private:
  std::filesystem::path path_;
  timeseries_accumulator series_;
};

}  // namespace

std::unique_ptr<record_consumer> make_timeseries_file(std::filesystem::path path) {
  return std::make_unique<timeseries_file>(std::move(path));
}

}  // namespace loadwright::runtime
