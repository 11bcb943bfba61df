// The live progress line on stderr, four times a second, cleared when a run ends.

#include <fmt/format.h>

#include <chrono>
#include <cstdio>

#include "loadwright/app/consumers.hpp"

namespace loadwright::runtime {

namespace {

class progress_line final : public record_consumer {
 public:
  std::string name() const override { return "progress line"; }

  void run_started(const scenario_context& ctx, const run_context& run) override {
    const auto& name = ctx.plan().name;
    label_ = run.phase == run_phase::warmup ? fmt::format("[{} warm-up]", name)
             : run.runs > 1                 ? fmt::format("[{} run {}/{}]", name, run.run, run.runs)
                                            : fmt::format("[{}]", name);
    last_ = {};
  }
  void progress(const run_context&, const progress_snapshot& s) override {
    const auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(250)) return;
    last_ = now;
    std::fprintf(stderr, "\r\033[K%s %llu done, %llu failed, %llu in flight, %.1f s",
                 label_.c_str(), static_cast<unsigned long long>(s.completed),
                 static_cast<unsigned long long>(s.failed),
                 static_cast<unsigned long long>(s.in_flight()), s.elapsed_s);
    std::fflush(stderr);
  }
  void run_finished(const scenario_context&, const run_context&, const run_outcome&) override {
    std::fprintf(stderr, "\r\033[K");
  }

 private:
  std::string label_;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace

std::unique_ptr<record_consumer> make_progress_line() {
  return std::make_unique<progress_line>();
}

}  // namespace loadwright::runtime
