// libFuzzer: the SSE parser on arbitrary bytes. The first byte picks a split size; the rest
// is fed whole to one parser and in pieces to another. Splitting must never change what
// comes out, and no event may pass the size limit.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "loadwright/core/sse_parser.hpp"

namespace {

constexpr std::size_t kLimit = 1024;

struct collector final : loadwright::runtime::sse_handler {
  std::vector<std::pair<std::string, std::string>> events;
  void on_event(std::string_view type, std::string_view data) override {
    if (data.size() > kLimit) __builtin_trap();
    events.emplace_back(type, data);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t step = 1 + data[0] % 17;
  const std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  loadwright::runtime::sse_parser whole(kLimit), pieces(kLimit);
  collector a, b;
  const bool whole_ok = whole.feed(in, a);
  bool pieces_ok = true;
  for (std::size_t i = 0; i < in.size() && pieces_ok; i += step)
    pieces_ok = pieces.feed(in.substr(i, step), b);
  if (whole_ok != pieces_ok || a.events != b.events) __builtin_trap();
  if (whole_ok && whole.has_partial_event() != pieces.has_partial_event()) __builtin_trap();
  return 0;
}
