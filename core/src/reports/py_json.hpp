#pragma once
// Python's json module as the peers call it (json.dump / json.dumps with default arguments):
// `ensure_ascii` turns every non-ASCII character into \uXXXX (astral ones into a surrogate
// pair, hex in lower case), and `dict` keeps each key where it was first assigned, a later
// assignment replacing the value in place, as a Python dict built key by key does.

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "loadwright/core/json_writer.hpp"

namespace loadwright::runtime::py_json {

/// `utf8` (valid UTF-8, as json_writer writes it) with each non-ASCII character escaped.
inline std::string ensure_ascii(std::string_view utf8) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(utf8.size());
  auto unit = [&](std::uint32_t u) {
    out += "\\u";
    for (int shift = 12; shift >= 0; shift -= 4) out += hex[(u >> shift) & 0xF];
  };
  for (std::size_t i = 0; i < utf8.size();) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    if (c < 0x80) {
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    const std::size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    std::uint32_t cp = c & (n == 4 ? 0x07u : n == 3 ? 0x0Fu : 0x1Fu);
    for (std::size_t k = 1; k < n && i + k < utf8.size(); ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3Fu);
    if (cp >= 0x10000) {
      cp -= 0x10000;
      unit(0xD800 + (cp >> 10));
      unit(0xDC00 + (cp & 0x3FF));
    } else {
      unit(cp);
    }
    i += n;
  }
  return out;
}

/// A dict filled by assignment and written by json.dump (", " and ": " separators, one line).
class dict {
 public:
  /// d[key] = value, `json` being the value's JSON text.
  void set(std::string_view key, std::string json) {
    for (auto& [k, v] : items_)
      if (k == key) {
        v = std::move(json);
        return;
      }
    items_.emplace_back(std::string(key), std::move(json));
  }
  /// del d[key] (nothing when absent).
  void erase(std::string_view key) {
    std::erase_if(items_, [&](const auto& kv) { return kv.first == key; });
  }
  std::string dump() const {
    std::string out = "{";
    for (std::size_t i = 0; i < items_.size(); ++i) {
      if (i) out += ", ";
      out += '"';
      json_writer::escape(out, items_[i].first);
      out += "\": ";
      out += items_[i].second;
    }
    out += '}';
    return ensure_ascii(out);
  }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

/// The JSON text of one value, as json_writer writes it; non-finite floats as Python writes
/// them (NaN, Infinity, -Infinity).
template <class T>
std::string text(const T& v) {
  std::string out;
  if constexpr (std::is_floating_point_v<T>) {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  }
  json_writer(out).value(v);
  return out;
}
inline std::string null_text() {
  return "null";
}

}  // namespace loadwright::runtime::py_json
