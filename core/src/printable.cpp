#include "loadwright/core/printable.hpp"

#include <fmt/format.h>

namespace loadwright::runtime {

namespace {

// Bytes of the control character starting at s[i] (1, or 2 for a UTF-8 C1), or 0.
std::size_t control_length(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if ((c < 0x20 && c != '\t') || c == 0x7F) return 1;
  if (c == 0xC2 && i + 1 < s.size()) {
    const auto next = static_cast<unsigned char>(s[i + 1]);
    if (next >= 0x80 && next <= 0x9F) return 2;  // U+0080..U+009F (CSI is U+009B)
  }
  return 0;
}

}  // namespace

std::string printable(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const std::size_t n = control_length(s, i);
    if (n == 0) {
      out += s[i];
    } else if (s[i] == '\n') {
      out += "\\n";
    } else {
      for (std::size_t k = 0; k < n; ++k)
        fmt::format_to(std::back_inserter(out), "\\x{:02x}", static_cast<unsigned char>(s[i + k]));
      i += n - 1;
    }
  }
  return out;
}

bool has_control_characters(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i)
    if (control_length(s, i)) return true;
  return false;
}

}  // namespace loadwright::runtime
