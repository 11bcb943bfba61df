#include "loadwright/core/json_writer.hpp"

#include <fmt/format.h>

#include <cmath>

#include "loadwright/datasets/utf8.hpp"

namespace loadwright::runtime {

void json_writer::separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_.empty()) {
    if (!first_.back()) out_ += indent_ > 0 ? "," : ", ";
    first_.back() = false;
    if (indent_ > 0) newline(first_.size());
  }
}

void json_writer::newline(std::size_t depth) {
  out_ += '\n';
  out_.append(depth * static_cast<std::size_t>(indent_), ' ');
}

void json_writer::close(char bracket) {
  const bool empty = first_.back();
  first_.pop_back();
  if (indent_ > 0 && !empty) newline(first_.size());
  out_ += bracket;
}

json_writer& json_writer::begin_object() {
  separate();
  out_ += '{';
  first_.push_back(true);
  return *this;
}
json_writer& json_writer::end_object() {
  close('}');
  return *this;
}
json_writer& json_writer::begin_array() {
  separate();
  out_ += '[';
  first_.push_back(true);
  return *this;
}
json_writer& json_writer::end_array() {
  close(']');
  return *this;
}
json_writer& json_writer::key(std::string_view k) {
  separate();
  out_ += '"';
  escape(out_, k);
  out_ += "\": ";
  after_key_ = true;
  return *this;
}
json_writer& json_writer::value(std::string_view s) {
  separate();
  out_ += '"';
  escape(out_, s);
  out_ += '"';
  return *this;
}
json_writer& json_writer::value(double d) {
  separate();
  format_double(out_, d);
  return *this;
}
json_writer& json_writer::value(std::int64_t i) {
  separate();
  fmt::format_to(std::back_inserter(out_), "{}", i);
  return *this;
}
json_writer& json_writer::value(std::uint64_t u) {
  separate();
  fmt::format_to(std::back_inserter(out_), "{}", u);
  return *this;
}
json_writer& json_writer::value(bool b) {
  separate();
  out_ += b ? "true" : "false";
  return *this;
}
json_writer& json_writer::null() {
  separate();
  out_ += "null";
  return *this;
}
json_writer& json_writer::raw(std::string_view json) {
  separate();
  out_ += json;
  return *this;
}

void json_writer::escape(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 15];
        } else if (c < 0x80) {
          out += static_cast<char>(c);
        } else if (const std::size_t n = datasets::utf8_char_length(s, i)) {
          out.append(s.substr(i, n));
          i += n - 1;
        } else {
          // A server's error body can hold any bytes; the file stays valid UTF-8 (U+FFFD).
          out += "\xEF\xBF\xBD";
        }
    }
  }
}

void json_writer::format_double(std::string& out, double d) {
  if (!std::isfinite(d)) {
    out += "null";
    return;
  }
  const std::size_t start = out.size();
  fmt::format_to(std::back_inserter(out), "{}", d);
  // fmt gives "1" for 1.0 and "1e+20" for 1e20; keep floats recognisable as floats.
  if (out.find_first_of(".eEn", start) == std::string::npos) out += ".0";
}

}  // namespace loadwright::runtime
