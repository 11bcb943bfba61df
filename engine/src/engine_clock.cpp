#include "loadwright/engine/engine_clock.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace loadwright::runtime {

namespace net = boost::asio;
constexpr auto use_tuple = net::as_tuple(net::use_awaitable);

namespace {

class steady_timer_impl final : public clock_timer {
 public:
  explicit steady_timer_impl(net::io_context& ioc) : timer_(ioc) {}
  net::awaitable<void> wait_until(engine_time at) override {
    timer_.expires_at(at);
    co_await timer_.async_wait(use_tuple);
  }
  void cancel() override { timer_.cancel(); }

 private:
  net::steady_timer timer_;
};

class steady_clock_impl final : public engine_clock {
 public:
  engine_time now() const override { return std::chrono::steady_clock::now(); }
  std::unique_ptr<clock_timer> make_timer(net::io_context& ioc) const override {
    return std::make_unique<steady_timer_impl>(ioc);
  }
};

}  // namespace

const engine_clock& steady_engine_clock() {
  static const steady_clock_impl clock;
  return clock;
}

// A wait on the manual clock: a real timer that never expires by itself, cancelled (on its
// own io_context) when the clock reaches `at`.
struct manual_clock::waiter {
  engine_time at;
  std::shared_ptr<net::steady_timer> timer;
};

class manual_timer final : public clock_timer {
 public:
  manual_timer(const manual_clock& clock, net::io_context& ioc)
      : clock_(const_cast<manual_clock&>(clock)),
        timer_(std::make_shared<net::steady_timer>(ioc)) {}
  net::awaitable<void> wait_until(engine_time at) override {
    if (at <= clock_.now()) co_return;
    timer_->expires_at(engine_time::max());
    manual_clock::waiter w{at, timer_};
    clock_.add(&w);
    co_await timer_->async_wait(use_tuple);
    clock_.remove(&w);
  }
  void cancel() override { timer_->cancel(); }

 private:
  manual_clock& clock_;
  std::shared_ptr<net::steady_timer> timer_;
};

manual_clock::manual_clock(engine_time start) : now_(start) {}
manual_clock::~manual_clock() = default;

engine_time manual_clock::now() const {
  std::lock_guard lock(mu_);
  return now_;
}

std::unique_ptr<clock_timer> manual_clock::make_timer(net::io_context& ioc) const {
  return std::make_unique<manual_timer>(*this, ioc);
}

void manual_clock::add(waiter* w) {
  {
    std::lock_guard lock(mu_);
    waiting_.emplace(w->at, w);
  }
  changed_.notify_all();
}

void manual_clock::remove(waiter* w) {
  std::lock_guard lock(mu_);
  for (auto it = waiting_.begin(); it != waiting_.end(); ++it)
    if (it->second == w) {
      waiting_.erase(it);
      break;
    }
}

void manual_clock::advance_to(engine_time t) {
  std::lock_guard lock(mu_);
  if (t > now_) now_ = t;
  for (auto it = waiting_.begin(); it != waiting_.end() && it->first <= now_;) {
    // The timer is shared: it outlives the wait even if its coroutine ends first.
    auto timer = it->second->timer;
    net::post(timer->get_executor(), [timer] { timer->cancel(); });
    it = waiting_.erase(it);
  }
}

std::optional<engine_time> manual_clock::next_wake() const {
  std::lock_guard lock(mu_);
  if (waiting_.empty()) return std::nullopt;
  return waiting_.begin()->first;
}

bool manual_clock::wait_for_sleeper(std::chrono::milliseconds limit) const {
  std::unique_lock lock(mu_);
  return changed_.wait_for(lock, limit, [this] { return !waiting_.empty(); });
}

}  // namespace loadwright::runtime
