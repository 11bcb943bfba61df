#include "prefix_cache.hpp"

namespace loadwright::runtime::emulation {

namespace {
// FNV-1a over `bytes`, continuing from `h` (the previous block's chained hash).
std::uint64_t chain(std::uint64_t h, std::string_view bytes) {
  for (const char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}
}  // namespace

void prefix_cache::touch(std::uint64_t key) {
  if (const auto it = map_.find(key); it != map_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second);
    return;
  }
  lru_.push_front(key);
  map_.emplace(key, lru_.begin());
  while (map_.size() > capacity_) {
    map_.erase(lru_.back());
    lru_.pop_back();
  }
}

std::size_t prefix_cache::lookup_and_insert(std::string_view prompt) {
  if (capacity_ == 0) return 0;
  std::uint64_t h = 0xcbf29ce484222325ULL;
  std::size_t cached = 0;
  bool matching = true;
  for (std::size_t at = 0; at + block_bytes <= prompt.size(); at += block_bytes) {
    h = chain(h, prompt.substr(at, block_bytes));
    if (matching && map_.count(h))
      cached = at + block_bytes;
    else
      matching = false;
    touch(h);
  }
  return cached;
}

}  // namespace loadwright::runtime::emulation
