#include "loadwright/analysis/welch.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

#include "loadwright/analysis/descriptive.hpp"
#include "numeric.hpp"

namespace loadwright::analysis {

namespace {
constexpr double inf = std::numeric_limits<double>::infinity();
}

sample_summary summarize(std::span<const double> values) {
  for (const double v : values)
    if (std::isnan(v)) throw std::invalid_argument("summarize: NaN value");
  return {mean(values), sample_variance(values), values.size()};
}

t_test_result welch_t_test(const sample_summary& x, const sample_summary& y, alternative alt,
                           double mu, double confidence) {
  if (x.n < 2 || y.n < 2)
    throw std::invalid_argument("welch_t_test: each sample needs at least 2 values");
  if (!(confidence > 0 && confidence < 1))
    throw std::invalid_argument("welch_t_test: confidence must be in (0, 1)");
  const auto nx = static_cast<double>(x.n), ny = static_cast<double>(y.n);
  const double vx = x.variance / nx, vy = y.variance / ny;
  const double se2 = vx + vy;
  t_test_result r;
  r.mean_difference = x.mean - y.mean;
  r.std_error = std::sqrt(se2);
  r.df = se2 * se2 / (vx * vx / (nx - 1) + vy * vy / (ny - 1));
  // Both variances zero: df is 0/0; scipy then uses df = 1 (any value will do, t is +-inf or
  // NaN).
  if (std::isnan(r.df)) r.df = 1;
  r.statistic = (r.mean_difference - mu) / r.std_error;
  const double cdf = detail::student_t_cdf(r.statistic, r.df);
  const double sf = detail::student_t_sf(r.statistic, r.df);
  switch (alt) {
    case alternative::less:
      r.p_value = cdf;
      r.ci = {-inf, r.mean_difference + detail::student_t_quantile(confidence, r.df) * r.std_error};
      break;
    case alternative::greater:
      r.p_value = sf;
      r.ci = {r.mean_difference - detail::student_t_quantile(confidence, r.df) * r.std_error, inf};
      break;
    case alternative::two_sided: {
      // 2 sf(|t|), as scipy and R (symmetric distribution).
      r.p_value = std::isnan(r.statistic)
                      ? r.statistic
                      : 2.0 * detail::student_t_sf(std::fabs(r.statistic), r.df);
      const double q = detail::student_t_quantile(0.5 + confidence / 2, r.df) * r.std_error;
      r.ci = {r.mean_difference - q, r.mean_difference + q};
      break;
    }
  }
  return r;
}

t_test_result welch_t_test(std::span<const double> x, std::span<const double> y, alternative alt,
                           double mu, double confidence) {
  return welch_t_test(summarize(x), summarize(y), alt, mu, confidence);
}

}  // namespace loadwright::analysis
