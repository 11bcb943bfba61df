#include "result_io.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "loadwright/core/result_files.hpp"

namespace loadwright::runtime {

namespace fs = std::filesystem;

void write_atomically(const fs::path& path, const std::string& text) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) throw std::runtime_error("cannot write " + tmp.string());
    f << text;
    if (!f.flush()) throw std::runtime_error("cannot write " + tmp.string());
  }
  fs::rename(tmp, path);
}

append_file::append_file(const fs::path& path) : path_(path) {
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0)
    throw std::runtime_error("cannot write " + path.string() + ": " + std::strerror(errno));
}

append_file::~append_file() {
  if (fd_ >= 0) ::close(fd_);
}

void append_file::append(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("cannot write " + path_.string() + ": " + std::strerror(errno));
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

record_log::record_log(const fs::path& jsonl, const std::optional<fs::path>& csv) : jsonl_(jsonl) {
  if (csv) {
    csv_.emplace(*csv);
    std::string head;
    append_records_csv_header(head);
    csv_->append(head);
  }
}

void record_log::add(const request_record& r) {
  std::lock_guard lock(mu_);
  line_.clear();
  append_record_jsonl(line_, r);
  jsonl_.append(line_);
  if (csv_) {
    line_.clear();
    append_record_csv(line_, r);
    csv_->append(line_);
  }
}

}  // namespace loadwright::runtime
