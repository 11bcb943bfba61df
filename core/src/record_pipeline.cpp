#include "loadwright/core/record_pipeline.hpp"

namespace loadwright::runtime {

std::optional<double> scenario_report::value(std::string_view key) const {
  auto find = [&](const std::vector<std::pair<std::string, double>>& v,
                  std::string_view k) -> std::optional<double> {
    for (const auto& [name, x] : v)
      if (name == k) return x;
    return std::nullopt;
  };
  if (key.starts_with("custom.")) return find(custom, key.substr(7));
  if (const auto* f = combined.find(key)) return f->value;
  return find(derived, key);
}

void record_pipeline::add(std::unique_ptr<record_consumer> consumer) {
  auto e = std::make_unique<entry>();
  e->consumer = consumer.get();
  e->live = consumer->live_records();
  e->owned = std::move(consumer);
  entries_.push_back(std::move(e));
}

void record_pipeline::add_shared(record_consumer& consumer) {
  auto e = std::make_unique<entry>();
  e->consumer = &consumer;
  e->live = consumer.live_records();
  entries_.push_back(std::move(e));
}

void record_pipeline::fail(entry& e, const std::string& what) {
  if (e.failed.exchange(true)) return;
  std::lock_guard lock(errors_mu_);
  errors_.push_back(e.consumer->name() + ": " + what + " (left out from then on)");
}

template <typename Call>
void record_pipeline::each(Call&& call) {
  for (auto& e : entries_) {
    if (e->failed.load(std::memory_order_relaxed)) continue;
    try {
      call(*e->consumer);
    } catch (const scenario_refused&) {
      throw;
    } catch (const std::exception& ex) {
      fail(*e, ex.what());
    }
  }
}

void record_pipeline::scenario_started(const scenario_context& ctx) {
  each([&](record_consumer& c) { c.scenario_started(ctx); });
}

void record_pipeline::run_started(const scenario_context& ctx, const run_context& run) {
  each([&](record_consumer& c) { c.run_started(ctx, run); });
}

void record_pipeline::record_live(const request_record& r) {
  for (auto& e : entries_) {
    if (!e->live || e->failed.load(std::memory_order_relaxed)) continue;
    try {
      e->consumer->record(r);
    } catch (const std::exception& ex) {
      fail(*e, ex.what());
    }
  }
}

void record_pipeline::records(std::span<const request_record> batch) {
  if (batch.empty()) return;
  for (auto& e : entries_) {
    if (e->live || e->failed.load(std::memory_order_relaxed)) continue;
    try {
      for (const auto& r : batch) e->consumer->record(r);
    } catch (const scenario_refused&) {
      throw;
    } catch (const std::exception& ex) {
      fail(*e, ex.what());
    }
  }
}

void record_pipeline::progress(const run_context& run, const progress_snapshot& s) {
  each([&](record_consumer& c) { c.progress(run, s); });
}

void record_pipeline::run_finished(const scenario_context& ctx, const run_context& run,
                                   const run_outcome& o) {
  each([&](record_consumer& c) { c.run_finished(ctx, run, o); });
}

void record_pipeline::scenario_finished(const scenario_context& ctx, scenario_report& report) {
  auto take_errors = [&] {
    std::lock_guard lock(errors_mu_);
    for (auto& e : errors_) report.failed_checks.push_back(std::move(e));
    errors_.clear();
  };
  take_errors();
  for (auto& e : entries_) {
    if (e->failed.load(std::memory_order_relaxed)) continue;
    try {
      e->consumer->scenario_finished(ctx, report);
    } catch (const std::exception& ex) {
      fail(*e, ex.what());
      take_errors();  // still reported by the consumers after it (the console)
    }
  }
}

}  // namespace loadwright::runtime
