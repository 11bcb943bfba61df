#pragma once
// Dates as the result files write them.

#include <ctime>
#include <string>

namespace loadwright::app {

/// Local time as "%Y%m%d-%H%M%S" (vLLM's file names and summaries).
inline std::string local_date_stamp() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", &tm);
  return buf;
}

/// UTC as "%Y-%m-%d %H:%M:%SZ" (llama-benchy's report).
inline std::string utc_timestamp() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%SZ", &tm);
  return buf;
}

}  // namespace loadwright::app
