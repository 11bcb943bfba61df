#include "byte_level.hpp"

#include <array>

#include "loadwright/datasets/utf8.hpp"

namespace loadwright::datasets::detail {

namespace {

bool printable(unsigned b) {
  return (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
}

struct alphabet {
  std::array<std::string, 256> spelling;  // byte -> UTF-8 of its code point
  std::array<char32_t, 256> code_point{};
  alphabet() {
    char32_t next = 0x100;
    for (unsigned b = 0; b < 256; ++b) {
      code_point[b] = printable(b) ? static_cast<char32_t>(b) : next++;
      utf8_append(spelling[b], code_point[b]);
    }
  }
};

const alphabet& table() {
  static const alphabet t;
  return t;
}

}  // namespace

void byte_level_encode(std::string_view bytes, std::string& out) {
  const auto& t = table();
  for (char c : bytes) out += t.spelling[static_cast<unsigned char>(c)];
}

std::optional<unsigned char> byte_level_byte(char32_t cp) {
  if (cp < 0x100) {
    if (printable(static_cast<unsigned>(cp))) return static_cast<unsigned char>(cp);
    return std::nullopt;
  }
  if (cp >= 0x100 && cp < 0x100 + 68) {
    // The 68 remapped bytes, in increasing order.
    unsigned k = static_cast<unsigned>(cp - 0x100);
    for (unsigned b = 0; b < 256; ++b) {
      if (printable(b)) continue;
      if (k-- == 0) return static_cast<unsigned char>(b);
    }
  }
  return std::nullopt;
}

std::optional<std::string> byte_level_decode(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (std::size_t i = 0; i < token.size();) {
    const std::size_t len = utf8_char_length(token, i);
    if (len == 0) return std::nullopt;
    const auto b = byte_level_byte(utf8_decode_at(token, i, len));
    if (!b) return std::nullopt;
    out += static_cast<char>(*b);
    i += len;
  }
  return out;
}

}  // namespace loadwright::datasets::detail
