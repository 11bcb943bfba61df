#pragma once
// Text from a server (an error body, a model id) or a script, made safe for a terminal: a
// hostile server must not be able to move the cursor, retitle the window or write the
// clipboard (OSC 52) through what loadwright prints.

#include <string>
#include <string_view>

namespace loadwright::runtime {

/// `s` with control characters (C0 but tab, DEL, and C1 as UTF-8) written as `\xNN` (a newline
/// as `\n`), so one message stays on one line and no escape sequence reaches the terminal.
std::string printable(std::string_view s);

/// `s` holds a character printable() would escape.
bool has_control_characters(std::string_view s);

}  // namespace loadwright::runtime
