#include "loadwright/runtime/request_record.hpp"

namespace loadwright::runtime {

namespace {
constexpr const char* kStatusNames[] = {"ok",        "connect", "tls",         "write",
                                        "read",      "timeout", "http_status", "protocol",
                                        "truncated", "empty",   "cancelled"};
}

const char* status_name(request_status s) {
  return kStatusNames[static_cast<int>(s)];
}

bool parse_status(std::string_view name, request_status& out) {
  for (int i = 0; i < static_cast<int>(std::size(kStatusNames)); ++i) {
    if (name == kStatusNames[i]) {
      out = static_cast<request_status>(i);
      return true;
    }
  }
  return false;
}

const char* phase_name(run_phase p) {
  return p == run_phase::warmup ? "warmup" : p == run_phase::context ? "context" : "measure";
}

double request_record::tpot_ms() const {
  if (output_tokens <= 1 || ttft_ns < 0 || e2el_ns < 0) return -1;
  return static_cast<double>(e2el_ns - ttft_ns) * 1e-6 / static_cast<double>(output_tokens - 1);
}

}  // namespace loadwright::runtime
