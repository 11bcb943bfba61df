#include "loadwright/engine/engine.hpp"

namespace loadwright::runtime {

void stop_signal::request() {
  std::lock_guard lock(mu_);
  if (requested_.exchange(true)) return;
  for (auto& [id, on_stop] : subscribers_) on_stop();
}

std::size_t stop_signal::subscribe(std::function<void()> on_stop) {
  std::lock_guard lock(mu_);
  if (requested_) on_stop();
  subscribers_.emplace(next_, std::move(on_stop));
  return next_++;
}

void stop_signal::unsubscribe(std::size_t id) {
  std::lock_guard lock(mu_);
  subscribers_.erase(id);
}

}  // namespace loadwright::runtime
