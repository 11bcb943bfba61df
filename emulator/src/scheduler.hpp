#pragma once
// The emulator's continuous-batching models (emulator.hpp): prefill and decode side by side,
// or shared steps with chunked prefill; driven by timers on one io_context (no locks: every
// sequence lives on that thread).

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "loadwright/emulator/emulator.hpp"

namespace loadwright::runtime::emulation {

/// One request being generated. The HTTP session waits on `wake` and writes tokens
/// [delivered, produced) whenever it is woken.
struct sequence {
  explicit sequence(boost::asio::io_context& ioc)
      : wake(ioc, std::chrono::steady_clock::time_point::max()) {}
  std::int64_t prompt_tokens = 0;
  std::int64_t cached_tokens = 0;  // found in the prefix cache: not prefilled
  std::int64_t target_tokens = 1;  // how many it will produce in all
  std::int64_t produced = 0;
  std::int64_t prefill_left = 0;  // shared steps: prompt tokens not yet prefilled
  bool finished = false;
  bool abandoned = false;  // the client went away: stop decoding it
  boost::asio::steady_timer wake;

  void notify() { wake.cancel(); }
};

class scheduler {
 public:
  scheduler(boost::asio::io_context& ioc, const emulator_profile& profile);

  /// Starts the engine (call once, on the io_context's thread).
  void start();
  /// Queues a sequence for prefill.
  void submit(std::shared_ptr<sequence> s);
  std::size_t running() const { return batch_.size(); }

  /// Seconds (unscaled) one shared step of `decode` running sequences and `prefill` prompt
  /// tokens takes.
  static double step_seconds(const emulator_profile& p, std::int64_t decode, std::int64_t prefill);

 private:
  using clock_type = std::chrono::steady_clock;
  bool shared_steps() const { return profile_.max_batched_tokens > 0; }

  // Side by side.
  boost::asio::awaitable<void> prefill_loop();
  boost::asio::awaitable<void> decode_loop();

  // Shared steps: a step is composed when it starts and applied when its timer fires.
  void begin_step(clock_type::time_point start);
  void end_step();

  clock_type::duration scaled(double seconds) const;

  boost::asio::io_context& ioc_;
  const emulator_profile& profile_;
  std::deque<std::shared_ptr<sequence>> prefill_queue_;
  std::deque<std::shared_ptr<sequence>> decode_queue_;
  std::vector<std::shared_ptr<sequence>> batch_;  // decoding
  boost::asio::steady_timer prefill_wake_;
  boost::asio::steady_timer decode_wake_;

  // Shared steps.
  std::vector<std::shared_ptr<sequence>> prefilling_;  // admitted, prompt partly prefilled
  std::vector<std::pair<std::shared_ptr<sequence>, std::int64_t>> step_prefill_;
  std::size_t step_decode_ = 0;  // batch_[0, step_decode_) decode in the current step
  bool stepping_ = false;
  clock_type::time_point step_end_;
  clock_type::duration step_length_{};
  boost::asio::steady_timer step_timer_;
};

}  // namespace loadwright::runtime::emulation
