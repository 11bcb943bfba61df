#pragma once
// A run's shape, second by second: NAME.timeseries.csv. Pure: records in (any order), text out.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "loadwright/core/phase_timeline.hpp"
#include "loadwright/core/request_record.hpp"

namespace loadwright::runtime {

/// Columns: run, second (the row covers [second, second + 1) from the run's start), phase
/// (the timeline's at the second's start; "measure" without phases), in_flight (time-weighted
/// mean over the second), sent, completed (ended ok in that second), output_tokens_per_s
/// (tokens whose timestamps fall in the second), ttft_p50_ms (of the requests completed in
/// that second; empty when none). Warm-up records are left out (they have their own clock).
class timeseries_accumulator {
 public:
  explicit timeseries_accumulator(std::optional<phase_timeline> timeline = std::nullopt);
  void add(const request_record& r);
  std::string csv() const;

 private:
  struct second {
    double busy_s = 0;  // request-seconds in flight
    std::uint64_t sent = 0, completed = 0;
    double tokens = 0;
    std::vector<double> ttft_ms;
  };
  second& at(std::uint32_t run, std::size_t s);
  std::optional<phase_timeline> timeline_;
  std::map<std::uint32_t, std::vector<second>> runs_;
};

}  // namespace loadwright::runtime
