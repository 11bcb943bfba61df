#include "scheduler.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cmath>

namespace loadwright::runtime::emulation {

namespace net = boost::asio;
using clock_type = std::chrono::steady_clock;
constexpr auto use_tuple = net::as_tuple(net::use_awaitable);

scheduler::scheduler(net::io_context& ioc, const emulator_profile& profile)
    : ioc_(ioc),
      profile_(profile),
      prefill_wake_(ioc, clock_type::time_point::max()),
      decode_wake_(ioc, clock_type::time_point::max()) {}

void scheduler::start() {
  net::co_spawn(ioc_, prefill_loop(), net::detached);
  net::co_spawn(ioc_, decode_loop(), net::detached);
}

void scheduler::submit(std::shared_ptr<sequence> s) {
  prefill_queue_.push_back(std::move(s));
  prefill_wake_.cancel();
}

clock_type::duration scheduler::scaled(double seconds) const {
  return std::chrono::duration_cast<clock_type::duration>(
      std::chrono::duration<double>(seconds * profile_.time_scale));
}

net::awaitable<void> scheduler::prefill_loop() {
  net::steady_timer timer(ioc_);
  for (;;) {
    while (prefill_queue_.empty()) {
      prefill_wake_.expires_at(clock_type::time_point::max());
      co_await prefill_wake_.async_wait(use_tuple);
    }
    // Everything queued right now is prefilled together (chunked prefill, FIFO).
    std::vector<std::shared_ptr<sequence>> group;
    std::int64_t tokens = 0;
    while (!prefill_queue_.empty() && group.size() < static_cast<std::size_t>(profile_.max_batch)) {
      auto s = std::move(prefill_queue_.front());
      prefill_queue_.pop_front();
      if (s->abandoned) continue;
      tokens += std::max<std::int64_t>(1, s->prompt_tokens - s->cached_tokens);
      group.push_back(std::move(s));
    }
    if (group.empty()) continue;
    const double k = static_cast<double>(group.size());
    const double tps = std::min(profile_.prefill_tps * std::pow(k, profile_.prefill_exponent),
                                profile_.prefill_tps_max);
    const auto d = scaled(static_cast<double>(tokens) / tps);
    if (d > clock_type::duration::zero()) {
      timer.expires_after(d);
      co_await timer.async_wait(use_tuple);
    } else {
      co_await net::post(ioc_, net::use_awaitable);  // stay fair to sessions
    }
    for (auto& s : group) {
      if (s->abandoned) continue;
      s->produced = 1;  // prefill yields the first token
      if (s->produced >= s->target_tokens) s->finished = true;
      s->notify();
      if (!s->finished) decode_queue_.push_back(std::move(s));
    }
    if (!decode_queue_.empty()) decode_wake_.cancel();
  }
}

net::awaitable<void> scheduler::decode_loop() {
  net::steady_timer timer(ioc_);
  auto next_step = clock_type::now();
  for (;;) {
    while (!decode_queue_.empty() && batch_.size() < static_cast<std::size_t>(profile_.max_batch)) {
      batch_.push_back(std::move(decode_queue_.front()));
      decode_queue_.pop_front();
    }
    if (batch_.empty()) {
      decode_wake_.expires_at(clock_type::time_point::max());
      co_await decode_wake_.async_wait(use_tuple);
      next_step = clock_type::now();
      continue;
    }
    const double b = static_cast<double>(batch_.size());
    const double step_s = profile_.decode_t1_ms * 1e-3 * std::pow(b, profile_.decode_exponent);
    // Absolute step times: a late wake-up does not slow the modelled server down.
    next_step = std::max(next_step + scaled(step_s), clock_type::now() - scaled(step_s));
    if (step_s > 0) {
      timer.expires_at(next_step);
      co_await timer.async_wait(use_tuple);
    } else {
      co_await net::post(ioc_, net::use_awaitable);
    }
    for (auto& s : batch_) {
      if (s->abandoned) continue;
      ++s->produced;
      if (s->produced >= s->target_tokens) s->finished = true;
      s->notify();
    }
    std::erase_if(batch_, [](const auto& s) { return s->finished || s->abandoned; });
  }
}

}  // namespace loadwright::runtime::emulation
