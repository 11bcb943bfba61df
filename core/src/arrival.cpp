#include "loadwright/core/arrival.hpp"

#include <cmath>
#include <stdexcept>

#include "loadwright/datasets/rng.hpp"

namespace loadwright::runtime {

namespace {

template <class... F>
struct overloaded : F... {
  using F::operator()...;
};
template <class... F>
overloaded(F...) -> overloaded<F...>;

// Emits arrivals into `out` (absolute offsets) until `limit_count` or `end_s`.
class schedule_builder {
 public:
  schedule_builder(std::vector<double>& out, std::uint64_t limit, double end_s, std::uint32_t seed)
      : out_(out), limit_(limit), end_s_(end_s), rng_(seed) {}

  bool full() const { return out_.size() >= limit_; }

  // A stationary process starting at `t0`, lasting until `t1`.
  void stationary(double t0, double t1, double rate, std::optional<double> burstiness) {
    if (rate <= 0) return;
    if (std::isinf(rate)) {
      if (limit_ == std::numeric_limits<std::uint64_t>::max())
        throw std::invalid_argument("rate = math.huge needs `requests`");
      while (!full() && t0 <= std::min(t1, end_s_)) out_.push_back(t0);
      return;
    }
    double t = t0;
    for (;;) {
      // numpy's exact recipe: gamma(shape=g, scale=1/(rate*g)); g = inf means even gaps.
      double gap = 1.0 / rate;
      if (burstiness && !std::isinf(*burstiness))
        gap = rng_.gamma(*burstiness, 1.0 / (rate * *burstiness));
      t += gap;
      if (full() || t > t1 || t > end_s_) return;
      out_.push_back(t);
    }
  }

  // vLLM's ramp-up: a rate per request index, one gap per request drawn with that rate.
  void index_ramp(const poisson_arrival& p) {
    const double n = static_cast<double>(limit_);
    double t = 0;
    for (std::uint64_t i = 0; !full(); ++i) {
      const double x = static_cast<double>(i) / std::max(n - 1, 1.0);
      const double rate = p.ramp_up == "exponential"
                              ? p.ramp_from * std::pow(p.ramp_to / p.ramp_from, x)
                              : p.ramp_from + (p.ramp_to - p.ramp_from) * x;
      double gap = 0;
      if (!std::isinf(rate))
        gap = std::isinf(p.burstiness) ? 1.0 / rate
                                       : rng_.gamma(p.burstiness, 1.0 / (rate * p.burstiness));
      t += gap;
      if (t > end_s_) return;
      out_.push_back(t);
    }
  }

  // Rate r0 → r1 linearly over [t0, t0 + over], then r1 until t1. Arrivals are spaced in
  // operational time s = Λ(t) = ∫ rate; t is recovered by inverting Λ.
  void ramp(double t0, double t1, double r0, double r1, double over,
            std::optional<double> burstiness) {
    const double slope = over > 0 ? (r1 - r0) / over : 0.0;
    const double ramp_mass = over > 0 ? 0.5 * (r0 + r1) * over : 0.0;  // Λ at the ramp's end
    auto invert = [&](double s) {
      if (s <= ramp_mass) {
        if (std::abs(slope) < 1e-15) return t0 + s / r0;
        // r0·x + slope·x²/2 = s  →  x = (-r0 + sqrt(r0² + 2·slope·s)) / slope
        const double disc = std::max(0.0, r0 * r0 + 2 * slope * s);
        return t0 + (std::sqrt(disc) - r0) / slope;
      }
      return r1 > 0 ? t0 + over + (s - ramp_mass) / r1 : std::numeric_limits<double>::infinity();
    };
    double s = 0;
    for (;;) {
      double unit_gap = 1.0;
      if (burstiness && !std::isinf(*burstiness))
        unit_gap = rng_.gamma(*burstiness, 1.0 / *burstiness);
      s += unit_gap;
      const double t = invert(s);
      if (full() || !(t <= t1) || t > end_s_) return;
      out_.push_back(t);
    }
  }

  void open(const open_arrival& a, double t0, double t1) {
    std::visit(
        overloaded{[&](const poisson_arrival& p) { stationary(t0, t1, p.rate, p.burstiness); },
                   [&](const constant_arrival& c) { stationary(t0, t1, c.rate, std::nullopt); },
                   [&](const ramp_arrival& r) {
                     ramp(t0, t1, r.from, r.to, r.over.count(), r.burstiness);
                   }},
        a);
  }

 private:
  std::vector<double>& out_;
  std::uint64_t limit_;
  double end_s_;
  datasets::numpy_legacy_rng rng_;
};

// vLLM's normalisation: D_i *= (N / rate) / D_{N-1}, so N arrivals span exactly N / rate.
void normalize_to_rate(std::vector<double>& offsets, double rate) {
  if (offsets.empty() || std::isinf(rate) || offsets.back() == 0) return;
  const double factor = (static_cast<double>(offsets.size()) / rate) / offsets.back();
  for (double& t : offsets) t *= factor;
}

}  // namespace

bool is_open_loop(const arrival_spec& a) {
  return !std::holds_alternative<closed_arrival>(a) && !std::holds_alternative<batch_arrival>(a);
}

const char* arrival_kind(const arrival_spec& a) {
  return std::visit(overloaded{[](const closed_arrival&) { return "closed"; },
                               [](const batch_arrival&) { return "batch"; },
                               [](const poisson_arrival&) { return "poisson"; },
                               [](const constant_arrival&) { return "constant"; },
                               [](const ramp_arrival&) { return "ramp"; },
                               [](const stages_arrival&) { return "stages"; }},
                    a);
}

std::optional<seconds_d> natural_duration(const arrival_spec& a) {
  if (const auto* s = std::get_if<stages_arrival>(&a)) {
    seconds_d total{0};
    for (const auto& st : s->stages) total += st.duration;
    return total;
  }
  return std::nullopt;
}

std::vector<double> build_open_schedule(const arrival_spec& a,
                                        std::optional<std::uint64_t> max_requests,
                                        std::optional<seconds_d> max_duration, std::uint64_t seed) {
  if (!is_open_loop(a)) throw std::invalid_argument("closed-loop arrivals have no schedule");
  const auto natural = natural_duration(a);
  double end_s = std::numeric_limits<double>::infinity();
  if (max_duration) end_s = max_duration->count();
  if (natural) end_s = std::min(end_s, natural->count());
  const std::uint64_t limit = max_requests.value_or(std::numeric_limits<std::uint64_t>::max());
  if (!max_requests && std::isinf(end_s))
    throw std::invalid_argument("an open-loop arrival needs `requests` or `duration`");

  std::vector<double> out;
  if (max_requests) out.reserve(static_cast<std::size_t>(*max_requests));
  // numpy seeds with 32 bits; fold larger seeds so every 64-bit seed is usable.
  const auto seed32 = static_cast<std::uint32_t>(seed ^ (seed >> 32));
  schedule_builder b(out, limit, end_s, seed32);
  const double inf = std::numeric_limits<double>::infinity();
  std::visit(overloaded{[&](const stages_arrival& s) {
                          double t0 = 0;
                          for (const auto& st : s.stages) {
                            const double t1 = t0 + st.duration.count();
                            b.open(st.arrival, t0, t1);
                            t0 = t1;
                          }
                        },
                        [&](const poisson_arrival& p) {
                          if (!p.ramp_up.empty()) {
                            if (!max_requests)
                              throw std::invalid_argument("a ramp-up needs `requests`");
                            b.index_ramp(p);
                            return;
                          }
                          b.open(p, 0, inf);
                          if (p.normalize) normalize_to_rate(out, p.rate);
                        },
                        [&](const constant_arrival& c) { b.open(c, 0, inf); },
                        [&](const ramp_arrival& r) { b.open(r, 0, inf); }, [](const auto&) {}},
             a);
  return out;
}

schedule_stats describe_schedule(const std::vector<double>& offsets) {
  schedule_stats s;
  s.count = offsets.size();
  if (offsets.empty()) return s;
  s.span_s = offsets.back();
  // Gaps include the first (from t = 0), as vLLM's first request also waits.
  double prev = 0, sum = 0, sum_sq = 0;
  for (const double t : offsets) {
    const double g = t - prev;
    sum += g;
    sum_sq += g * g;
    prev = t;
  }
  const double n = static_cast<double>(offsets.size());
  s.mean_gap_s = sum / n;
  const double var = std::max(0.0, sum_sq / n - s.mean_gap_s * s.mean_gap_s);
  s.cv_gap = s.mean_gap_s > 0 ? std::sqrt(var) / s.mean_gap_s : 0;
  s.mean_rate = s.span_s > 0 ? n / s.span_s : std::numeric_limits<double>::infinity();
  return s;
}

}  // namespace loadwright::runtime
