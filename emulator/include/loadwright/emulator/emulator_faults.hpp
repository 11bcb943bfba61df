#pragma once
// Fault injection for the built-in emulator: the ways a real server misbehaves, on demand, so
// every failure path of the client can be shown and tested offline. Sans I/O: parsing a fault
// mix and choosing which request gets which fault; the server acts them out.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace loadwright::runtime {

enum class emulator_fault : std::uint8_t {
  none,
  close,        // read the request, close the connection without a word
  reset,        // stream half the reply, then reset the connection (RST)
  status,       // answer with an HTTP error status (`status`) and an OpenAI error body
  rate_limit,   // 429 with Retry-After
  no_headers,   // read the request and never answer (headers never come)
  stall,        // stream half the reply, then go silent with the connection open
  malformed,    // a `data:` event whose JSON is broken, mid-stream
  error_event,  // an OpenAI error object in the stream ({"error": …}), as vLLM sends one
  truncated,    // the stream ends inside an event (a partial JSON line, no [DONE])
  no_done,      // the stream ends cleanly but without `data: [DONE]`
  long_line,    // one SSE line of 16 MiB with no end
  huge_body,    // a 96 MiB JSON body instead of the reply
  echo_auth,    // 401 whose error body repeats the request's Authorization header
};

struct fault_rule {
  emulator_fault kind = emulator_fault::none;
  double fraction = 1.0;  // of generation requests
  int status = 500;       // for `status`
};

/// The name used in fault mixes and the X-Loadwright-Fault header ("reset", "429", "503", …).
std::string fault_name(const fault_rule& r);
/// Every fault name, for help texts: "close, reset, 429, 4xx/5xx, …".
std::string fault_names();

/// Parses one fault name ("reset", "stall", "429", "500", …); false with `*why` if unknown.
bool parse_fault(std::string_view name, fault_rule& out, std::string* why);
/// Parses a mix "reset:0.1,500:0.05,stall" (a bare name means every request). Fractions are
/// in (0, 1] and add up to at most 1. Throws std::invalid_argument naming the bad part.
std::vector<fault_rule> parse_fault_mix(std::string_view spec);

/// The fault for the n-th generation request (0-based): deterministic and spread evenly, so
/// over N requests each rule hits round(N × fraction) of them (±1).
fault_rule pick_fault(const std::vector<fault_rule>& mix, std::uint64_t n);

}  // namespace loadwright::runtime
