#pragma once
// UTF-8 helpers: walking characters, checking text, and repairing invalid input the way
// Rust's `String::from_utf8_lossy` does (one U+FFFD per maximal invalid subsequence), which is
// how Hugging Face tokenizers turn decoded bytes back into text. The runtime uses them too, to
// keep what a server sends from breaking the result files.

#include <cstddef>
#include <string>
#include <string_view>

namespace loadwright::datasets {

/// Length in bytes of the valid UTF-8 character starting at `s[i]`, or 0 when the bytes there
/// are not a valid character.
std::size_t utf8_char_length(std::string_view s, std::size_t i);

/// True when `s` is entirely valid UTF-8.
bool utf8_valid(std::string_view s);

/// `s` with every maximal invalid subsequence replaced by U+FFFD.
std::string utf8_lossy(std::string_view s);

/// Appends the UTF-8 encoding of code point `cp`.
void utf8_append(std::string& out, char32_t cp);

/// The code point of the valid character of `len` bytes at `s[i]`.
char32_t utf8_decode_at(std::string_view s, std::size_t i, std::size_t len);

inline constexpr std::string_view replacement_character = "\xEF\xBF\xBD";

/// ASCII whitespace (space, \t, \n, \v, \f, \r), as Rust's and C's `isspace` in the C locale.
inline bool ascii_space(unsigned char c) {
  return c == ' ' || (c >= '\t' && c <= '\r');
}

}  // namespace loadwright::datasets
