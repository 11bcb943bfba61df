#pragma once
// The emulator's prefix cache (sans I/O): a block-level cache of prompt prefixes, as vLLM's
// automatic prefix caching keeps KV blocks. A prompt's text is cut into fixed-size blocks,
// each named by a hash chained over every block before it, so a block matches only when the
// whole prefix up to it matches. The cached part of a prompt is its leading run of known
// blocks; least recently used blocks are evicted beyond the capacity.

#include <cstdint>
#include <list>
#include <string_view>
#include <unordered_map>

namespace loadwright::runtime::emulation {

class prefix_cache {
 public:
  static constexpr std::size_t block_bytes = 64;  // about 16 tokens of English text

  explicit prefix_cache(std::size_t capacity_blocks) : capacity_(capacity_blocks) {}

  /// How many leading bytes of `prompt` are cached (a multiple of block_bytes), then records
  /// every whole block of `prompt` as cached (most recently used).
  std::size_t lookup_and_insert(std::string_view prompt);
  std::size_t size() const { return map_.size(); }

 private:
  void touch(std::uint64_t key);
  std::size_t capacity_;
  std::list<std::uint64_t> lru_;  // front = most recent
  std::unordered_map<std::uint64_t, std::list<std::uint64_t>::iterator> map_;
};

}  // namespace loadwright::runtime::emulation
