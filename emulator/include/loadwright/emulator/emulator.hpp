#pragma once
// The built-in emulated inference server (DESIGN §6): OpenAI-compatible HTTP that behaves
// like a continuous-batching engine, so every scenario can run without a GPU.
//
// Two engine models (emulator_profile::max_batched_tokens picks one):
//   * side by side (0; `fast`, `instant`): requests queue FIFO for prefill; the queued ones are
//     prefilled together at `prefill_tps × k^prefill_exponent` tokens/s (k = how many, capped
//     at `prefill_tps_max`), which produces each one's first token; then they join the decode
//     batch (at most `max_batch`), which steps on its own: every step emits one token per
//     sequence and takes `decode_t1 × b^decode_exponent` (b = batch size);
//   * shared steps (> 0; `spark`): vLLM's continuous batching with chunked prefill. Each step
//     decodes one token for every running sequence and fills the rest of its token budget
//     with prompt tokens, oldest request first (a prompt may span steps); a request whose
//     prompt is done gets its first token at the end of that step and decodes from the next.
//     A step of n tokens is bound by memory (reading the weights: `decode_t1 × n^decode_exponent`,
//     more experts as more tokens are batched, at most `weights_ms` for all of them) and by
//     compute (n / `compute_tps`), which partly overlap: it takes √(memory² + compute²). An
//     idle engine starts a step the moment a request arrives, as vLLM's engine loop does.
// All times are multiplied by `time_scale`.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "loadwright/emulator/emulator_faults.hpp"

namespace loadwright::datasets {
class tokenizer;
}

namespace loadwright::runtime {

struct emulator_profile {
  std::string name = "fast";
  std::string description;
  std::string model = "loadwright/emulated";
  double prefill_tps = 1e6;                  // prompt tokens per second for one request
  double prefill_exponent = 0.0;             // batched prefill speed-up: k^exponent
  double prefill_tps_max = 1e9;              // ceiling on batched prefill throughput
  double decode_t1_ms = 1.0;                 // decode step time with one sequence
  double decode_exponent = 0.0;              // step(b) = t1 × b^exponent
  int max_batch = 256;                       // sequences decoded at once; others wait
  std::int64_t default_max_tokens = 256;     // when a request gives none
  std::int64_t natural_output_tokens = 200;  // typical reply length when EOS is not ignored
  double time_scale = 1.0;                   // multiply every modelled duration (0.1 = 10× faster)
  /// Shared steps (see the top of this file): tokens one step may hold (vLLM's
  /// --max-num-batched-tokens); 0 = prefill and decode side by side.
  std::int64_t max_batched_tokens = 0;
  /// Shared steps: the memory time of a step that reads every weight (0: no cap).
  double weights_ms = 0;
  /// Shared steps: tokens per second when compute-bound (0: no compute term).
  double compute_tps = 0;
  /// Leading tokens of every reply that carry no text (gpt-oss opens each reply with
  /// `<|channel|>analysis<|message|>`): generated and counted in `usage`, but sent in no
  /// event, so the first text arrives that many steps after the first response.
  int silent_tokens = 0;
  /// Automatic prefix caching (as vLLM's --enable-prefix-caching): prompt prefixes already
  /// seen, in 64-byte blocks, are not prefilled again, and `usage` reports them as
  /// prompt_tokens_details.cached_tokens. This many blocks are kept (least recent evicted);
  /// 0 = off.
  std::size_t prefix_cache_blocks = 0;
  /// When set, prompts are counted with this tokenizer (usage and /tokenize are exact for
  /// it, and /tokenize returns the ids); otherwise with the documented estimate.
  std::shared_ptr<const datasets::tokenizer> tokenizer;
  /// When set, every request received is appended to this file as a JSON line
  /// {"method", "path", "body"}: to see exactly what a scenario sends.
  std::string request_log;
  /// Faults to inject into generation requests (see emulator_faults.hpp); a request's
  /// `X-Loadwright-Fault: NAME` header picks one for it alone.
  std::vector<fault_rule> faults;
};

/// Named profiles: "fast" (tests: 1 ms per token, instant prefill), "instant" (no modelled
/// time at all: measures the client), "spark" (shaped like one DGX Spark serving
/// gpt-oss-120b, reference/arena-suite.md).
std::vector<emulator_profile> emulator_profiles();
/// Finds a profile by name; throws std::invalid_argument listing the names otherwise.
emulator_profile find_emulator_profile(const std::string& name);
/// The engine model's parameters in one line, e.g. for `loadwright emulate` to print.
std::string emulator_model_summary(const emulator_profile& p);

class emulator {
 public:
  /// Listens on `address:port` (port 0 = any free port) once started.
  explicit emulator(emulator_profile profile, std::string address = "127.0.0.1",
                    std::uint16_t port = 0);
  ~emulator();
  emulator(const emulator&) = delete;
  emulator& operator=(const emulator&) = delete;

  /// Binds and serves on a background thread. Throws if the address cannot be bound.
  void start();
  /// Binds and serves on the calling thread until stop() (from another thread or a signal).
  void run();
  void stop();

  std::uint16_t port() const;
  std::string base_url() const;  // "http://127.0.0.1:PORT/v1"
  const emulator_profile& profile() const;
  std::uint64_t requests_served() const;
  std::uint64_t connections_accepted() const;
  /// Generation requests that were given a fault, by fault name.
  std::vector<std::pair<std::string, std::uint64_t>> faults_injected() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace loadwright::runtime
