#pragma once
// Arrival processes (DESIGN §3) and the pure functions that turn them into send schedules.

#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace loadwright::runtime {

using seconds_d = std::chrono::duration<double>;
inline constexpr double infinite_rate = std::numeric_limits<double>::infinity();

/// `closed { concurrency = N }`: N requests in flight; a finished one is replaced at once.
struct closed_arrival {
  int concurrency = 1;
};
/// `batch { size = N }`: N sent at the same instant; the next batch when all have finished.
struct batch_arrival {
  int size = 1;
};
/// `poisson { rate, burstiness }`: gamma gaps, shape = burstiness, mean 1/rate (vLLM).
/// rate = infinity sends everything at t = 0.
struct poisson_arrival {
  poisson_arrival() = default;
  poisson_arrival(double r, double b, bool n = false) : rate(r), burstiness(b), normalize(n) {}
  double rate = 1.0;
  double burstiness = 1.0;
  /// vLLM's schedule: with a request count N, the cumulative offsets are scaled so the last
  /// arrival lands exactly at N / rate (vllm bench serve since PR #21108).
  bool normalize = false;
  /// vllm bench serve's ramp-up (--ramp-up-strategy): request i of N gets the rate
  /// from + (to − from)·i/(N−1) ("linear") or from·(to/from)^(i/(N−1)) ("exponential")
  /// instead of `rate`; its gap is drawn with that rate; no normalisation. Needs `requests`.
  std::string ramp_up;  // "", "linear" or "exponential"
  double ramp_from = 0, ramp_to = 0;
};
/// `constant { rate }`: evenly spaced.
struct constant_arrival {
  double rate = 1.0;
};
/// `ramp { from, to, over, burstiness }`: rate moving linearly from `from` to `to` over
/// `over`, then holding `to`. Without burstiness arrivals are evenly spaced in "expected
/// arrivals" (the integral of the rate); with it, gaps there are gamma(burstiness).
struct ramp_arrival {
  double from = 0.0;
  double to = 1.0;
  seconds_d over{60};
  std::optional<double> burstiness;
};
/// One stage of `stages { … }`: an open-loop process for a duration.
struct stage;
struct stages_arrival {
  std::vector<stage> stages;
};

using open_arrival = std::variant<poisson_arrival, constant_arrival, ramp_arrival>;
using arrival_spec = std::variant<closed_arrival, batch_arrival, poisson_arrival, constant_arrival,
                                  ramp_arrival, stages_arrival>;

struct stage {
  open_arrival arrival;
  seconds_d duration{0};
};

/// True for arrivals whose send times do not depend on responses.
bool is_open_loop(const arrival_spec& a);
/// "closed", "batch", "poisson", … as written in the DSL.
const char* arrival_kind(const arrival_spec& a);
/// The natural end of an open-loop process (stages: the sum of durations), if it has one.
std::optional<seconds_d> natural_duration(const arrival_spec& a);

/// Send offsets (seconds from the run's start, non-decreasing) for an open-loop process,
/// stopping at `max_requests` arrivals or at `max_duration`, whichever comes first; at least
/// one of them (or a natural end) must be set. Deterministic in `seed`; a stationary
/// `poisson` draws exactly vLLM's gaps for the same seed (numpy legacy gamma).
std::vector<double> build_open_schedule(const arrival_spec& a,
                                        std::optional<std::uint64_t> max_requests,
                                        std::optional<seconds_d> max_duration, std::uint64_t seed);

/// Summary of a schedule's gaps, for plans and tests.
struct schedule_stats {
  std::size_t count = 0;
  double span_s = 0;  // last offset
  double mean_gap_s = 0;
  double cv_gap = 0;     // coefficient of variation of the gaps
  double mean_rate = 0;  // count / span
};
schedule_stats describe_schedule(const std::vector<double>& offsets_s);

}  // namespace loadwright::runtime
