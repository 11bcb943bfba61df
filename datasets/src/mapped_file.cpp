#include "mapped_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "loadwright/datasets/sampler.hpp"

namespace loadwright::datasets::detail {

mapped_file::mapped_file(const std::string& path, std::size_t padding) : padding_(padding) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw dataset_error(path + ": cannot open (" + std::strerror(errno) + ")");
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw dataset_error(path + ": not a regular file");
  }
  size_ = static_cast<std::size_t>(st.st_size);
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  mapped_ = (size_ + padding_ + page - 1) / page * page;
  // Reserve zeroed anonymous memory for file + padding, then map the file over its start:
  // the padding pages stay anonymous zeros (a file mapping past EOF would fault).
  void* base = ::mmap(nullptr, mapped_, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED) {
    ::close(fd);
    throw dataset_error(path + ": cannot map " + std::to_string(size_) + " bytes");
  }
  if (size_ > 0 && ::mmap(base, size_, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0) == MAP_FAILED) {
    ::munmap(base, mapped_);
    ::close(fd);
    throw dataset_error(path + ": cannot map the file (" + std::strerror(errno) + ")");
  }
  ::close(fd);
  ::madvise(base, size_, MADV_SEQUENTIAL);
  data_ = static_cast<char*>(base);
  // The bytes between EOF and the end of its page are zero (mmap's guarantee), and the
  // anonymous pages after it are zero too: simdjson's padding.
}

mapped_file::~mapped_file() {
  if (data_) ::munmap(data_, mapped_);
}

std::string line_and_column(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  std::size_t line = 1, line_start = 0;
  for (std::size_t i = 0; i < offset; ++i)
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  return "line " + std::to_string(line) + ", column " + std::to_string(offset - line_start + 1);
}

}  // namespace loadwright::datasets::detail
