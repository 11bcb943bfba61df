#pragma once
// Capacity plan (methodology chapter §2, "Capacity planning"): from the maximum rate one
// instance sustains under the SLOs, how many instances and GPUs a target rate needs.
//
//   instances = ceil(target / max)         the chapter writes int(x + 0.99); we use a true
//                                          ceiling (int(x + 0.99) is one short when the
//                                          fraction is under 0.01: 4.005 -> 4) and report both
//   gpus      = instances x gpus_per_instance
//   gpus with headroom = ceil(gpus x (1 + headroom))   the chapter writes int(gpus x 1.2),
//                                          which truncates (24 GPUs -> 28, one short of
//                                          28.8); both reported, the ceiling used
// The ceilings forgive a relative excess under 1e-9 (decimal rates are not exact in binary:
// 1.1 / 0.1 = 11.000000000000002 is 11 instances, not 12).
// Worked example of the chapter: 22 req/s per 8-GPU instance, 100 req/s, 20 % headroom ->
// 5 instances, 40 GPUs, 48 with headroom (both formulas agree).
// A band [low, high] of the max rate (from find_max's repeats) gives the plan at both ends,
// so the answer reads "5 instances (5–6)".

#include <string>

namespace loadwright::analysis {

struct capacity_plan {
  double target_rate = 0;
  double max_rate = 0;  // per instance, under the SLOs
  int gpus_per_instance = 0;
  double headroom = 0;                  // 0.2 = 20 %
  double ratio = 0;                     // target / max
  long instances = 0;                   // true ceiling (used)
  long instances_chapter = 0;           // int(ratio + 0.99), as the chapter writes it
  long gpus = 0;                        // instances x gpus_per_instance
  long gpus_with_headroom = 0;          // ceil(gpus x (1 + headroom)) (used)
  long gpus_with_headroom_chapter = 0;  // int(gpus x (1 + headroom)), as the chapter
  long instances_with_headroom = 0;     // ceil(gpus_with_headroom / gpus_per_instance)
};

/// std::invalid_argument when target < 0, max <= 0, gpus_per_instance < 1, headroom < 0, or
/// any is not finite.
capacity_plan plan_capacity(double target_rate, double max_rate, int gpus_per_instance,
                            double headroom = 0.2);

struct capacity_band {
  capacity_plan point;    // at the max rate found
  capacity_plan at_low;   // at the band's low end (the most instances)
  capacity_plan at_high;  // at the band's high end (the fewest)
};
/// std::invalid_argument also when not low <= max_rate <= high.
capacity_band plan_capacity_band(double target_rate, double max_rate, double max_low,
                                 double max_high, int gpus_per_instance, double headroom = 0.2);

/// "5 instances, 40 GPUs, 48 GPUs with 20 % headroom"
std::string describe(const capacity_plan& plan);
/// "5 instances (5–6), 40 GPUs (40–48), 48 GPUs with 20 % headroom (48–58)" (the band in
/// parentheses, low to high; a band whose ends agree reads "(5–5)").
std::string describe(const capacity_band& band);

}  // namespace loadwright::analysis
