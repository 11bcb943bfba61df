#pragma once
// A read-only file mapped into memory with zeroed padding after its end, so simdjson can
// parse it in place: hundreds of MB of ShareGPT cost page cache, not a heap copy.

#include <cstddef>
#include <string>
#include <string_view>

namespace loadwright::datasets::detail {

class mapped_file {
 public:
  /// Throws dataset_error naming `path` when it cannot be opened or mapped.
  mapped_file(const std::string& path, std::size_t padding);
  ~mapped_file();
  mapped_file(const mapped_file&) = delete;
  mapped_file& operator=(const mapped_file&) = delete;

  std::string_view text() const { return {data_, size_}; }
  std::size_t capacity() const { return size_ + padding_; }

 private:
  char* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t padding_ = 0;
  std::size_t mapped_ = 0;
};

/// "line L, column C" of byte `offset` in `text` (for error messages).
std::string line_and_column(std::string_view text, std::size_t offset);

}  // namespace loadwright::datasets::detail
