#pragma once
// The engine: sends a prepared scenario's requests with exact timing and records every one.
// One io_context per worker thread; worker k of N sends the requests whose index is k mod N
// (closed loops split their slots the same way), so the global sequence is the same however
// many workers carry it (DESIGN §9).

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "loadwright/core/phase_timeline.hpp"
#include "loadwright/core/prepared_scenario.hpp"
#include "loadwright/core/request_record.hpp"
#include "loadwright/core/url.hpp"
#include "loadwright/datasets/sample.hpp"
#include "loadwright/datasets/token_counter.hpp"
#include "loadwright/engine/engine_clock.hpp"

namespace loadwright::runtime {

/// Asks running phases to stop: nothing more is sent; requests in flight get the engine's
/// `grace`, then their connections are closed and they are recorded as `cancelled`.
/// Thread-safe (but not for a signal handler: the CLI hands signals over through a pipe).
class stop_signal {
 public:
  void request();
  bool requested() const { return requested_.load(); }
  /// Calls `on_stop` when a stop is requested (at once if it already was); the id unsubscribes.
  std::size_t subscribe(std::function<void()> on_stop);
  void unsubscribe(std::size_t id);

 private:
  std::atomic<bool> requested_{false};
  std::mutex mu_;
  std::size_t next_ = 0;
  std::map<std::size_t, std::function<void()>> subscribers_;
};

struct engine_options {
  engine_target target;
  int workers = 1;
  stop_signal* stop = nullptr;
  /// Where time comes from: the steady clock when null (tests give a manual_clock).
  const engine_clock* clock = nullptr;
  std::chrono::milliseconds grace{5000};
  /// Called every 50 ms or so from the thread that called execute_phase, and once at the end
  /// (the runner hands records over to the consumers there).
  std::function<void(const progress_snapshot&)> on_progress;
  /// Called as each request ends, from the worker thread that sent it (so it must be
  /// thread-safe): the runner writes records to disk here, one by one.
  std::function<void(const request_record&)> on_record;
  /// False: records go only to on_record and the phase's `records` stay empty, so memory
  /// does not grow with the run (long runs; see streaming_summary).
  bool retain_records = true;
};

struct phase_result {
  std::vector<request_record> records;  // sorted by seq (empty unless retain_records)
  bool interrupted = false;
  std::int64_t peak_in_flight = 0;  // most requests in flight at once, as the engine counted
  /// When the run started, on the wall clock (phase times are seconds from here).
  std::chrono::system_clock::time_point wall_start{};
  /// A scenario with `phases`: each phase as it happened (the drain ends when its last
  /// request did, or at its limit), seconds from the run's start on the engine's clock.
  std::vector<phase_span> phases;
};

/// Runs one phase (warm-up or one measured run) of a prepared scenario.
phase_result execute_phase(const prepared_scenario& prepared, run_phase phase, std::uint32_t run,
                           const engine_options& options);

/// `GET /v1/models` and returns the first model id; empty with `*why` set on failure.
/// `*root`, when given, receives the model's `root` (vLLM: the model it was loaded from, e.g.
/// the Hugging Face repository id behind a --served-model-name), or "".
/// `*facts`, when given, receives what the answer says about the server: the model entry's
/// `owned_by` and `max_model_len`, and the `Server` header.
std::string discover_model(const engine_target& target, std::string* why,
                           std::string* root = nullptr, server_facts* facts = nullptr);

/// Asks for the server's version where its engine is known to report one, judged by
/// `facts.owned_by` (from discover_model): vLLM `GET /version`, SGLang `GET /get_server_info`,
/// llama.cpp `GET /props` (`build_info`), loadwright's emulator `GET /version`. At most one
/// request, 5 s at most; fills `facts.version` and `version_from` when the answer has one.
/// Never throws and never fails a run: an engine it does not know is not asked.
void discover_server_version(const engine_target& target, server_facts& facts);

/// One blocking request with a small JSON answer (set-up calls, never on the hot path).
struct small_response {
  bool ok = false;  // a complete HTTP response came back (any status)
  int status = 0;
  std::string body;
  std::string error;         // transport error when !ok
  std::string location;      // the Location header, if any (redirects)
  std::string server;        // the Server header, if any
  std::string where;         // "URL (METHOD PATH)" for messages
  double first_body_s = -1;  // from sending to the first body bytes
  double complete_s = -1;    // from sending to the whole response
  /// Empty for a complete 200 answer, else "WHERE: HTTP 404" or "WHERE: <transport error>".
  std::string problem() const;
};
small_response send_small_request(const engine_target& target, std::string_view method,
                                  const std::string& path, std::string_view json_body = {},
                                  std::chrono::seconds timeout = std::chrono::seconds(30));

/// Counts prompt tokens with the server's `/tokenize` (vLLM/SGLang, llama.cpp and TGI shapes;
/// the first whose counts are plausible). nullptr when the server has no such endpoint or its
/// counts cannot be right (`*why` says), or it only estimates (`*why` left empty).
std::unique_ptr<datasets::token_counter> make_server_token_counter(const engine_target& target,
                                                                   std::string* why);

}  // namespace loadwright::runtime
