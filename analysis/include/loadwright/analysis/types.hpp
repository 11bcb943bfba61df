#pragma once
// Small types shared by the tests of the analysis library.

namespace loadwright::analysis {

/// The alternative hypothesis, named as in scipy ("two-sided", "less", "greater") and R.
enum class alternative { two_sided, less, greater };

/// A closed interval [low, high] (a confidence interval, or the ends of a band).
struct interval {
  double low = 0;
  double high = 0;
  bool contains(double v) const { return low <= v && v <= high; }
};

}  // namespace loadwright::analysis
