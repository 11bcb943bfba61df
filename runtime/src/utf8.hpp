#pragma once
// UTF-8 well-formedness (RFC 3629): what a JSON text's strings must be.

#include <cstddef>
#include <string_view>

namespace loadwright::runtime {

/// Length of the well-formed UTF-8 sequence starting at s[i], or 0 if there is none.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i);

/// Every byte of `s` belongs to a well-formed UTF-8 sequence.
bool is_valid_utf8(std::string_view s);

}  // namespace loadwright::runtime
