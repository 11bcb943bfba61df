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
      decode_wake_(ioc, clock_type::time_point::max()),
      step_timer_(ioc) {}

void scheduler::start() {
  if (shared_steps()) return;  // steps start as requests arrive
  net::co_spawn(ioc_, prefill_loop(), net::detached);
  net::co_spawn(ioc_, decode_loop(), net::detached);
}

void scheduler::submit(std::shared_ptr<sequence> s) {
  prefill_queue_.push_back(std::move(s));
  if (!shared_steps())
    prefill_wake_.cancel();
  else if (!stepping_)
    begin_step(clock_type::now());  // an idle engine takes it at once, alone if it came alone
}

double scheduler::step_seconds(const emulator_profile& p, std::int64_t decode,
                               std::int64_t prefill) {
  const auto n = static_cast<double>(decode + prefill);
  if (n <= 0) return 0;
  double memory = p.decode_t1_ms * 1e-3 * std::pow(n, p.decode_exponent);
  if (p.weights_ms > 0) memory = std::min(memory, p.weights_ms * 1e-3);
  const double compute = p.compute_tps > 0 ? n / p.compute_tps : 0.0;
  return std::hypot(memory, compute);
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

// --- shared steps ----------------------------------------------------------------------

void scheduler::begin_step(clock_type::time_point start) {
  const auto gone = [](const auto& s) { return s->abandoned; };
  std::erase_if(batch_, gone);
  std::erase_if(prefilling_, gone);
  // Running sequences decode first; prompts fill what is left of the budget, oldest first.
  step_decode_ = batch_.size();
  std::int64_t budget = profile_.max_batched_tokens - static_cast<std::int64_t>(step_decode_);
  std::int64_t prefill = 0;
  step_prefill_.clear();
  const auto take_from = [&](const std::shared_ptr<sequence>& s) {
    const auto take = std::min(s->prefill_left, budget);
    step_prefill_.emplace_back(s, take);
    budget -= take;
    prefill += take;
  };
  for (const auto& s : prefilling_) {
    if (budget <= 0) break;
    take_from(s);
  }
  const auto seats = static_cast<std::size_t>(std::max(1, profile_.max_batch));
  while (budget > 0 && !prefill_queue_.empty() && batch_.size() + prefilling_.size() < seats) {
    auto s = std::move(prefill_queue_.front());
    prefill_queue_.pop_front();
    if (s->abandoned) continue;
    s->prefill_left = std::max<std::int64_t>(1, s->prompt_tokens - s->cached_tokens);
    take_from(s);
    prefilling_.push_back(std::move(s));
  }
  stepping_ = step_decode_ > 0 || !step_prefill_.empty();
  if (!stepping_) return;  // idle until the next submit
  step_length_ = scaled(step_seconds(profile_, static_cast<std::int64_t>(step_decode_), prefill));
  step_end_ = start + step_length_;
  step_timer_.expires_at(step_end_);
  step_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) end_step();
  });
}

void scheduler::end_step() {
  for (std::size_t i = 0; i < step_decode_; ++i) {
    const auto& s = batch_[i];
    if (s->abandoned) continue;
    ++s->produced;
    if (s->produced >= s->target_tokens) s->finished = true;
    s->notify();
  }
  for (auto& [s, take] : step_prefill_) {
    s->prefill_left -= take;
    if (s->prefill_left > 0 || s->abandoned) continue;
    s->produced = 1;  // the step that ends a prompt yields its first token
    if (s->produced >= s->target_tokens) s->finished = true;
    s->notify();
    if (!s->finished) batch_.push_back(s);
  }
  step_prefill_.clear();
  std::erase_if(prefilling_, [](const auto& s) { return s->prefill_left <= 0; });
  std::erase_if(batch_, [](const auto& s) { return s->finished || s->abandoned; });
  // The next step starts where this one ended: a late wake-up (a busy machine) does not slow
  // the modelled engine down; up to a step or 50 ms of real time, whichever is more, is caught
  // up (with tokens sent closer together) rather than lost.
  constexpr clock_type::duration catch_up = std::chrono::milliseconds(50);
  begin_step(std::max(step_end_, clock_type::now() - std::max(step_length_, catch_up)));
}

}  // namespace loadwright::runtime::emulation
