#include "numeric.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <limits>

namespace loadwright::analysis::detail {

namespace {

namespace bm = boost::math;
namespace bp = boost::math::policies;
using quiet =
    bp::policy<bp::domain_error<bp::ignore_error>, bp::pole_error<bp::ignore_error>,
               bp::overflow_error<bp::ignore_error>, bp::evaluation_error<bp::ignore_error>>;
using normal_dist = bm::normal_distribution<double, quiet>;
using t_dist = bm::students_t_distribution<double, quiet>;

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();

// numpy's pairwise_sum for one block (numpy/_core/src/umath/loops_utils.h.src).
double pairwise_sum(const double* a, std::size_t n) {
  if (n < 8) {
    double res = 0.;
    for (std::size_t i = 0; i < n; ++i) res += a[i];
    return res;
  }
  if (n <= 128) {
    double r[8];
    for (int k = 0; k < 8; ++k) r[k] = a[k];
    std::size_t i = 8;
    for (; i < n - (n % 8); i += 8)
      for (int k = 0; k < 8; ++k) r[k] += a[i + k];
    double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) res += a[i];
    return res;
  }
  std::size_t n2 = n / 2;
  n2 -= n2 % 8;
  return pairwise_sum(a, n2) + pairwise_sum(a + n2, n - n2);
}

}  // namespace

double normal_cdf(double z) {
  if (std::isnan(z)) return nan;
  if (std::isinf(z)) return z > 0 ? 1.0 : 0.0;
  return bm::cdf(normal_dist(), z);
}

double normal_sf(double z) {
  if (std::isnan(z)) return nan;
  if (std::isinf(z)) return z > 0 ? 0.0 : 1.0;
  return bm::cdf(bm::complement(normal_dist(), z));
}

double normal_quantile(double p) {
  if (!(p >= 0 && p <= 1)) return nan;
  if (p == 0) return -inf;
  if (p == 1) return inf;
  return bm::quantile(normal_dist(), p);
}

double student_t_cdf(double t, double df) {
  if (std::isnan(t) || !(df > 0)) return nan;
  if (std::isinf(t)) return t > 0 ? 1.0 : 0.0;
  return bm::cdf(t_dist(df), t);
}

double student_t_sf(double t, double df) {
  if (std::isnan(t) || !(df > 0)) return nan;
  if (std::isinf(t)) return t > 0 ? 0.0 : 1.0;
  return bm::cdf(bm::complement(t_dist(df), t));
}

double student_t_quantile(double p, double df) {
  if (!(p >= 0 && p <= 1) || !(df > 0)) return nan;
  if (p == 0) return -inf;
  if (p == 1) return inf;
  return bm::quantile(t_dist(df), p);
}

double numpy_sum(std::span<const double> x) {
  constexpr std::size_t block = 8192;
  double total = 0.;
  for (std::size_t i = 0; i < x.size(); i += block)
    total += pairwise_sum(x.data() + i, std::min(block, x.size() - i));
  return total;
}

}  // namespace loadwright::analysis::detail
