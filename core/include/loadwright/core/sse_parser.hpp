#pragma once
// Incremental Server-Sent Events parser (WHATWG "event stream interpretation"), sans I/O.
// Bytes go in as they come off the socket, split anywhere; whole events come out.

#include <cstddef>
#include <string>
#include <string_view>

namespace loadwright::runtime {

/// Receives parsed events. `data` is the event's data lines joined by '\n'; both views are
/// valid only during the call.
class sse_handler {
 public:
  virtual void on_event(std::string_view event_type, std::string_view data) = 0;

 protected:
  ~sse_handler() = default;
};

class sse_parser {
 public:
  /// An event (or a single line) larger than this is an error: memory stays bounded when a
  /// server sends an endless line.
  static constexpr std::size_t default_max_event_bytes = 8u << 20;

  explicit sse_parser(std::size_t max_event_bytes = default_max_event_bytes)
      : max_event_bytes_(max_event_bytes) {}

  /// Parses `bytes`, calling `handler.on_event` for each completed event. Returns false
  /// (and ignores further input) once an event exceeded the size limit.
  bool feed(std::string_view bytes, sse_handler& handler);

  /// True when the stream stopped in the middle of an event (no terminating blank line).
  bool has_partial_event() const { return !line_.empty() || !data_.empty() || saw_data_; }
  bool overflowed() const { return overflowed_; }

  void reset();

 private:
  void process_line(std::string_view line, sse_handler& handler);
  bool append_line_part(std::string_view part);

  std::size_t max_event_bytes_;
  std::string line_;        // a line split across feeds
  std::string data_;        // data lines of the current event
  std::string event_type_;  // "event:" field of the current event
  bool saw_data_ = false;   // a data field was seen (it may be empty)
  bool skip_lf_ = false;    // last byte was '\r': a following '\n' belongs to it
  bool bom_checked_ = false;
  bool overflowed_ = false;
};

}  // namespace loadwright::runtime
