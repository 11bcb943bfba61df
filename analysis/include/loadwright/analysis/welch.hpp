#pragma once
// Welch's t-test (unequal variances) as scipy.stats.ttest_ind(x, y, equal_var=False) and R's
// t.test(x, y) compute it: t = (mean(x) - mean(y) - mu) / se with se^2 = v_x/n_x + v_y/n_y
// (sample variances, ddof = 1), Welch-Satterthwaite degrees of freedom
// df = se^4 / ((v_x/n_x)^2/(n_x-1) + (v_y/n_y)^2/(n_y-1)), p from Student's t with df
// (Boost.Math students_t, non-integer df). For the run-level metrics of repeated runs.

#include <cstddef>
#include <span>

#include "loadwright/analysis/types.hpp"

namespace loadwright::analysis {

/// Mean, sample variance (ddof = 1) and size of one sample.
struct sample_summary {
  double mean = 0;
  double variance = 0;
  std::size_t n = 0;
};
/// NaN variance when n < 2.
sample_summary summarize(std::span<const double> values);

struct t_test_result {
  double statistic = 0;        // t
  double df = 0;               // Welch-Satterthwaite
  double p_value = 0;          // for the requested alternative
  double mean_difference = 0;  // mean(x) - mean(y)
  double std_error = 0;        // se
  interval ci;                 // R's conf.int for mean(x) - mean(y) at `confidence`
                               // (two-sided: diff +- t_{1-a/2,df} se; one-sided: half-open
                               // with an infinite end, as R)
};

/// std::invalid_argument if either sample has fewer than 2 values. Both variances 0: t is +-inf
/// (or NaN if the means are equal too) and so p is 0 (or NaN), as scipy.
t_test_result welch_t_test(std::span<const double> x, std::span<const double> y,
                           alternative alt = alternative::two_sided, double mu = 0,
                           double confidence = 0.95);
/// From summaries (scipy.stats.ttest_ind_from_stats(..., equal_var=False), with variances).
t_test_result welch_t_test(const sample_summary& x, const sample_summary& y,
                           alternative alt = alternative::two_sided, double mu = 0,
                           double confidence = 0.95);

}  // namespace loadwright::analysis
