#pragma once
// The consumers of one scenario, called in order (record_consumer.hpp says when). A consumer
// that throws is named in the report and left out from then on; the others go on, so one
// failing output (a script's hook, a full disk for one file) costs no other result.

#include <atomic>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "loadwright/core/record_consumer.hpp"

namespace loadwright::runtime {

class record_pipeline {
 public:
  /// Consumers are called in the order they were added.
  void add(std::unique_ptr<record_consumer> consumer);
  /// A consumer that outlives the scenario (suite-wide reports), not owned.
  void add_shared(record_consumer& consumer);
  bool empty() const { return entries_.empty(); }

  void scenario_started(const scenario_context& ctx);
  void run_started(const scenario_context& ctx, const run_context& run);
  /// The engine's threads, as each request ends: the live consumers only.
  void record_live(const request_record& r);
  /// The scenario's thread, in batches: every other consumer.
  void records(std::span<const request_record> batch);
  void progress(const run_context& run, const progress_snapshot& s);
  void run_finished(const scenario_context& ctx, const run_context& run, const run_outcome& o);
  /// Adds the consumers' errors so far to `report.failed_checks`, then finishes each consumer.
  void scenario_finished(const scenario_context& ctx, scenario_report& report);

 private:
  struct entry {
    record_consumer* consumer;
    std::unique_ptr<record_consumer> owned;
    bool live = false;
    std::atomic<bool> failed{false};
  };
  // Runs `call` on each consumer still working (live ones too when `all`), catching its errors.
  template <typename Call>
  void each(Call&& call);
  void fail(entry& e, const std::string& what);

  std::vector<std::unique_ptr<entry>> entries_;
  std::mutex errors_mu_;
  std::vector<std::string> errors_;
};

}  // namespace loadwright::runtime
