#pragma once
// The emulator's continuous-batching model: a FIFO prefill queue and a decode batch, driven
// by timers on one io_context (no locks: every sequence lives on that thread).

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "loadwright/runtime/emulator.hpp"

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
  bool finished = false;
  bool abandoned = false;  // the client went away: stop decoding it
  boost::asio::steady_timer wake;

  void notify() { wake.cancel(); }
};

class scheduler {
 public:
  scheduler(boost::asio::io_context& ioc, const emulator_profile& profile);

  /// Starts the prefill and decode loops (call once, on the io_context's thread).
  void start();
  /// Queues a sequence for prefill.
  void submit(std::shared_ptr<sequence> s);
  std::size_t running() const { return batch_.size(); }

 private:
  boost::asio::awaitable<void> prefill_loop();
  boost::asio::awaitable<void> decode_loop();
  std::chrono::steady_clock::duration scaled(double seconds) const;

  boost::asio::io_context& ioc_;
  const emulator_profile& profile_;
  std::deque<std::shared_ptr<sequence>> prefill_queue_;
  std::deque<std::shared_ptr<sequence>> decode_queue_;
  std::vector<std::shared_ptr<sequence>> batch_;
  boost::asio::steady_timer prefill_wake_;
  boost::asio::steady_timer decode_wake_;
};

}  // namespace loadwright::runtime::emulation
