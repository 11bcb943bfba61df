#include "loadwright/analysis/capacity.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace loadwright::analysis {

namespace {

// A ceiling that forgives a relative excess under 1e-9 (decimal inputs are inexact in binary).
long tolerant_ceil(double x) {
  return static_cast<long>(std::ceil(x - 1e-9 * std::max(1.0, std::fabs(x))));
}

// " (lo–hi)", the band's two ends in increasing order (equal ends are printed twice).
std::string band(long a, long b) {
  char buf[64];
  std::snprintf(buf, sizeof buf, " (%ld\u2013%ld)", std::min(a, b), std::max(a, b));
  return buf;
}

std::string percent(double headroom) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g %%", headroom * 100);
  return buf;
}

}  // namespace

capacity_plan plan_capacity(double target_rate, double max_rate, int gpus_per_instance,
                            double headroom) {
  if (!std::isfinite(target_rate) || target_rate < 0)
    throw std::invalid_argument("capacity: target_rate must be a non-negative number");
  if (!std::isfinite(max_rate) || max_rate <= 0)
    throw std::invalid_argument("capacity: max_rate must be a positive number");
  if (gpus_per_instance < 1)
    throw std::invalid_argument("capacity: gpus_per_instance must be at least 1");
  if (!std::isfinite(headroom) || headroom < 0)
    throw std::invalid_argument("capacity: headroom must be a non-negative fraction");
  capacity_plan p;
  p.target_rate = target_rate;
  p.max_rate = max_rate;
  p.gpus_per_instance = gpus_per_instance;
  p.headroom = headroom;
  p.ratio = target_rate / max_rate;
  p.instances = tolerant_ceil(p.ratio);
  p.instances_chapter = static_cast<long>(p.ratio + 0.99);  // Python's int() truncates
  p.gpus = p.instances * gpus_per_instance;
  const double with = static_cast<double>(p.gpus) * (1 + headroom);
  p.gpus_with_headroom = tolerant_ceil(with);
  p.gpus_with_headroom_chapter = static_cast<long>(with);
  p.instances_with_headroom = (p.gpus_with_headroom + gpus_per_instance - 1) / gpus_per_instance;
  return p;
}

capacity_band plan_capacity_band(double target_rate, double max_rate, double max_low,
                                 double max_high, int gpus_per_instance, double headroom) {
  if (!(max_low <= max_rate && max_rate <= max_high))
    throw std::invalid_argument(
        "capacity: the band must contain the max rate (low <= max <= high)");
  capacity_band b;
  b.point = plan_capacity(target_rate, max_rate, gpus_per_instance, headroom);
  b.at_low = plan_capacity(target_rate, max_low, gpus_per_instance, headroom);
  b.at_high = plan_capacity(target_rate, max_high, gpus_per_instance, headroom);
  return b;
}

std::string describe(const capacity_plan& p) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "%ld instance%s, %ld GPUs, %ld GPUs with %s headroom", p.instances,
                p.instances == 1 ? "" : "s", p.gpus, p.gpus_with_headroom,
                percent(p.headroom).c_str());
  return buf;
}

std::string describe(const capacity_band& b) {
  const auto& p = b.point;
  char buf[64];
  std::string out;
  std::snprintf(buf, sizeof buf, "%ld instance%s", p.instances, p.instances == 1 ? "" : "s");
  out += buf + band(b.at_high.instances, b.at_low.instances);
  std::snprintf(buf, sizeof buf, ", %ld GPUs", p.gpus);
  out += buf + band(b.at_high.gpus, b.at_low.gpus);
  std::snprintf(buf, sizeof buf, ", %ld GPUs with ", p.gpus_with_headroom);
  out += buf + percent(p.headroom) + " headroom" +
         band(b.at_high.gpus_with_headroom, b.at_low.gpus_with_headroom);
  return out;
}

}  // namespace loadwright::analysis
