#pragma once
// `capacity { target_rate, max_rate, max_rate_low, max_rate_high, gpus_per_instance,
// headroom }`, validated: a capacity plan asked for on its own (a file may return it), from a
// known maximum rate per instance under the SLOs (methodology chapter §2, "Capacity
// planning"). The plan itself is computed by the analysis library (app does it).

#include <optional>
#include <string>

namespace loadwright::runtime {

struct capacity_spec {
  std::string name = "capacity";  // names the files: NAME.json, NAME.md
  std::string source;             // "file.lua:3" where it was written
  double target_rate = 0;         // requests per second to serve
  double max_rate = 0;            // what one instance sustains under the SLOs (req/s)
  /// A band around max_rate (find_max's repeats): the plan is given at both ends.
  std::optional<double> max_rate_low, max_rate_high;
  int gpus_per_instance = 1;
  double headroom = 0.2;  // 0.2 = 20 % more GPUs than the plan needs
};

}  // namespace loadwright::runtime
