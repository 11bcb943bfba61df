#pragma once
// Appends JSON text to a string: request bodies, result records and summaries. Keys stay in
// the order written (DESIGN §5 key order matters to readers diffing files), floats print as
// the shortest text that reads back to the same double, integral floats keep a ".0" (as
// Python's json does), and non-finite floats become null.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace loadwright::runtime {

class json_writer {
 public:
  /// `indent` > 0 lays the text out as Python's json.dumps(indent=N) does; 0 is one line.
  explicit json_writer(std::string& out, int indent = 0) : out_(out), indent_(indent) {}

  json_writer& begin_object();
  json_writer& end_object();
  json_writer& begin_array();
  json_writer& end_array();
  json_writer& key(std::string_view k);

  json_writer& value(std::string_view s);
  json_writer& value(const char* s) { return value(std::string_view(s)); }
  json_writer& value(const std::string& s) { return value(std::string_view(s)); }
  json_writer& value(double d);
  json_writer& value(float f) { return value(static_cast<double>(f)); }
  json_writer& value(std::int64_t i);
  json_writer& value(int i) { return value(static_cast<std::int64_t>(i)); }
  json_writer& value(std::uint64_t u);
  json_writer& value(bool b);
  json_writer& null();
  /// Inserts `json` verbatim as a value (it must be valid JSON).
  json_writer& raw(std::string_view json);

  template <class T>
  json_writer& field(std::string_view k, const T& v) {
    key(k);
    return value(v);
  }

  /// Appends `s` JSON-escaped (without quotes).
  static void escape(std::string& out, std::string_view s);
  /// Appends the shortest round-trip form of `d` ("1.0" for integral values).
  static void format_double(std::string& out, double d);

 private:
  void separate();
  void close(char bracket);
  void newline(std::size_t depth);

  std::string& out_;
  int indent_ = 0;
  std::vector<bool> first_;  // per open container: nothing written yet
  bool after_key_ = false;
};

}  // namespace loadwright::runtime
