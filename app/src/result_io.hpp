#pragma once
// How result files reach the disk so that nothing is lost: summaries replace their file
// atomically (a crash leaves the previous one whole), and request records are appended one
// whole line per write(2) as each request ends (a crash or a second Ctrl-C leaves every
// record written so far intact, at worst without the last line).

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>

#include "loadwright/core/request_record.hpp"

namespace loadwright::runtime {

/// Writes `text` to `path` through a temporary file and a rename.
void write_atomically(const std::filesystem::path& path, const std::string& text);

/// An append-only file written with one write(2) per call.
class append_file {
 public:
  /// Creates (or truncates) `path`; throws std::runtime_error naming it if it cannot.
  explicit append_file(const std::filesystem::path& path);
  ~append_file();
  append_file(const append_file&) = delete;
  append_file& operator=(const append_file&) = delete;
  /// Throws std::runtime_error (e.g. the disk is full).
  void append(std::string_view bytes);

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

/// The records of one scenario: NAME.requests.jsonl and, if asked, the CSV. Thread-safe:
/// the engine's workers call add() as their requests end.
class record_log {
 public:
  record_log(const std::filesystem::path& jsonl, const std::optional<std::filesystem::path>& csv);
  void add(const request_record& r);

 private:
  std::mutex mu_;
  append_file jsonl_;
  std::optional<append_file> csv_;
  std::string line_;
};

}  // namespace loadwright::runtime
