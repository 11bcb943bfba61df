#pragma once
// GPT-2's byte-to-unicode alphabet (`bytes_char()` in tokenizers' byte_level.rs): printable
// bytes stand for themselves, the other 68 map to U+0100.. in order, so a space is "Ġ" and a
// newline "Ċ". Byte-level vocabularies and merges are written in this alphabet.

#include <optional>
#include <string>
#include <string_view>

namespace loadwright::datasets::detail {

/// Appends the alphabet's spelling of every byte of `bytes`.
void byte_level_encode(std::string_view bytes, std::string& out);

/// The byte a code point of the alphabet stands for, if it is one.
std::optional<unsigned char> byte_level_byte(char32_t cp);

/// The raw bytes behind an alphabet string; nullopt when a character is outside the alphabet.
std::optional<std::string> byte_level_decode(std::string_view token);

}  // namespace loadwright::datasets::detail
