#pragma once
// The engine's time, from outside: every timestamp of a record, every send time of a schedule,
// every think time and duration is read and waited for on an engine_clock. The steady clock
// is the real one; a manual clock (tests) moves only when told, so tests of timing logic have
// exact expectations instead of sleeps and wall-clock bounds. (I/O timeouts stay in real time:
// they guard against servers, not schedules.)

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

namespace loadwright::runtime {

using engine_time = std::chrono::steady_clock::time_point;

/// Waits on one io_context until a time of its clock; cancel() (from that io_context's
/// thread) ends a wait early. One wait at a time.
class clock_timer {
 public:
  virtual ~clock_timer() = default;
  /// Returns once the clock reaches `at`, or when cancelled.
  virtual boost::asio::awaitable<void> wait_until(engine_time at) = 0;
  virtual void cancel() = 0;
};

class engine_clock {
 public:
  virtual ~engine_clock() = default;
  virtual engine_time now() const = 0;
  virtual std::unique_ptr<clock_timer> make_timer(boost::asio::io_context& ioc) const = 0;
};

/// The real clock (std::chrono::steady_clock).
const engine_clock& steady_engine_clock();

/// A clock that stands still until advance_to() moves it: timers whose time has come are
/// woken (on their own io_context). Thread-safe.
class manual_clock final : public engine_clock {
 public:
  explicit manual_clock(engine_time start = engine_time{} + std::chrono::hours(1));
  ~manual_clock() override;
  engine_time now() const override;
  std::unique_ptr<clock_timer> make_timer(boost::asio::io_context& ioc) const override;

  /// Moves the clock to `t` (never back) and wakes every timer due by then.
  void advance_to(engine_time t);
  /// The earliest time a timer waits for, if any waits.
  std::optional<engine_time> next_wake() const;
  /// Blocks (in real time, up to `limit`) until some timer waits; false if none did.
  bool wait_for_sleeper(std::chrono::milliseconds limit) const;

  struct waiter;

 private:
  friend class manual_timer;
  void add(waiter* w);
  void remove(waiter* w);

  mutable std::mutex mu_;
  mutable std::condition_variable changed_;
  engine_time now_;
  std::multimap<engine_time, waiter*> waiting_;
};

}  // namespace loadwright::runtime
