#include <fmt/format.h>

#include <algorithm>

#include "loadwright/core/stats.hpp"
#include "loadwright/core/timeseries.hpp"
#include "loadwright/core/token_events.hpp"

namespace loadwright::runtime {

namespace {
constexpr std::int64_t kSecondNs = 1'000'000'000;
}

timeseries_accumulator::timeseries_accumulator(std::optional<phase_timeline> timeline)
    : timeline_(timeline) {}

timeseries_accumulator::second& timeseries_accumulator::at(std::uint32_t run, std::size_t s) {
  auto& seconds = runs_[run];
  if (s >= seconds.size()) seconds.resize(s + 1);
  return seconds[s];
}

void timeseries_accumulator::add(const request_record& r) {
  if (r.phase == run_phase::warmup) return;
  const std::int64_t sent = std::max<std::int64_t>(0, r.sent_ns);
  ++at(r.run, static_cast<std::size_t>(sent / kSecondNs)).sent;
  if (r.end_ns >= 0) {
    const std::int64_t end = sent + r.end_ns;
    for (std::int64_t s = sent / kSecondNs; s * kSecondNs < end; ++s) {
      const auto from = std::max(sent, s * kSecondNs), to = std::min(end, (s + 1) * kSecondNs);
      at(r.run, static_cast<std::size_t>(s)).busy_s += static_cast<double>(to - from) * 1e-9;
    }
    if (r.ok()) {
      auto& sec = at(r.run, static_cast<std::size_t>(end / kSecondNs));
      ++sec.completed;
      if (r.ttft_ns >= 0) sec.ttft_ms.push_back(static_cast<double>(r.ttft_ns) * 1e-6);
    }
  }
  if (!r.ok()) return;
  for_each_token_event(r, [&](std::int64_t at_ns, double tokens) {
    at(r.run, static_cast<std::size_t>(std::max<std::int64_t>(0, at_ns) / kSecondNs)).tokens +=
        tokens;
  });
}

std::string timeseries_accumulator::csv() const {
  std::string out = "run,second,phase,in_flight,sent,completed,output_tokens_per_s,ttft_p50_ms\n";
  auto it = std::back_inserter(out);
  for (const auto& [run, seconds] : runs_) {
    for (std::size_t s = 0; s < seconds.size(); ++s) {
      const auto& sec = seconds[s];
      const char* phase =
          timeline_ ? phase_name(timeline_->phase_at(static_cast<double>(s))) : "measure";
      fmt::format_to(it, "{},{},{},{:.3f},{},{},{:.3f},", run, s, phase, sec.busy_s, sec.sent,
                     sec.completed, sec.tokens);
      if (!sec.ttft_ms.empty()) {
        auto sorted = sec.ttft_ms;
        std::sort(sorted.begin(), sorted.end());
        fmt::format_to(it, "{:.3f}", numpy_percentile_sorted(sorted, 50));
      }
      out += '\n';
    }
  }
  return out;
}

}  // namespace loadwright::runtime
