#include "loadwright/core/sse_parser.hpp"

#include <cstring>

namespace loadwright::runtime {

void sse_parser::reset() {
  line_.clear();
  data_.clear();
  event_type_.clear();
  saw_data_ = skip_lf_ = bom_checked_ = overflowed_ = false;
}

// Limits: one line, and one event's data, each at most max_event_bytes_ (so memory stays
// under twice that). Checked the same way whether a line arrives whole or in pieces.
bool sse_parser::append_line_part(std::string_view part) {
  if (line_.size() + part.size() > max_event_bytes_) {
    overflowed_ = true;
    return false;
  }
  line_.append(part);
  return true;
}

bool sse_parser::feed(std::string_view bytes, sse_handler& handler) {
  if (overflowed_) return false;
  if (!bom_checked_) {
    // A UTF-8 byte order mark may open the stream, and may itself arrive split.
    static constexpr std::string_view bom = "\xEF\xBB\xBF";
    while (!bytes.empty() && line_.size() < bom.size() && bytes.front() == bom[line_.size()]) {
      line_.push_back(bytes.front());
      bytes.remove_prefix(1);
    }
    if (line_.size() == bom.size()) {
      line_.clear();
      bom_checked_ = true;
    } else if (bytes.empty()) {
      return true;  // still possibly a BOM
    } else {
      bom_checked_ = true;  // not a BOM: the held bytes begin the first line
    }
  }
  std::size_t pos = 0;
  const std::size_t n = bytes.size();
  while (pos < n) {
    if (skip_lf_) {
      skip_lf_ = false;
      if (bytes[pos] == '\n') {
        ++pos;
        continue;
      }
    }
    const char* start = bytes.data() + pos;
    const void* cr = std::memchr(start, '\r', n - pos);
    const void* lf = std::memchr(start, '\n', n - pos);
    const char* end = nullptr;
    if (cr && lf)
      end = static_cast<const char*>(cr < lf ? cr : lf);
    else
      end = static_cast<const char*>(cr ? cr : lf);
    if (!end) {
      if (!append_line_part(bytes.substr(pos))) return false;
      break;
    }
    const std::size_t len = static_cast<std::size_t>(end - start);
    if (*end == '\r') skip_lf_ = true;
    pos += len + 1;
    if (line_.empty()) {
      process_line(std::string_view(start, len), handler);
    } else {
      if (!append_line_part(std::string_view(start, len))) return false;
      std::string line = std::move(line_);
      line_.clear();
      process_line(line, handler);
      line.clear();
      line_.swap(line);  // keep the capacity for the next split line
    }
    if (overflowed_) return false;
  }
  return true;
}

void sse_parser::process_line(std::string_view line, sse_handler& handler) {
  if (line.size() > max_event_bytes_) {
    overflowed_ = true;
    return;
  }
  if (line.empty()) {
    if (saw_data_) {
      if (!data_.empty() && data_.back() == '\n') data_.pop_back();
      handler.on_event(event_type_, data_);
    }
    data_.clear();
    event_type_.clear();
    saw_data_ = false;
    return;
  }
  if (line.front() == ':') return;  // comment (keep-alive pings)
  std::string_view field = line, value;
  if (const auto colon = line.find(':'); colon != std::string_view::npos) {
    field = line.substr(0, colon);
    value = line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  }
  if (field == "data") {
    if (data_.size() + value.size() + 1 > max_event_bytes_) {
      overflowed_ = true;
      return;
    }
    data_.append(value);
    data_.push_back('\n');
    saw_data_ = true;
  } else if (field == "event") {
    event_type_.assign(value);
  }
  // "id" and "retry" do not matter to a benchmark client; other fields are ignored (spec).
}

}  // namespace loadwright::runtime
