#pragma once
// The engine: sends a prepared scenario's requests with exact timing and records every one.
// One io_context per worker thread; worker k of N sends the requests whose index is k mod N
// (closed loops split their slots the same way), so the global sequence is the same however
// many workers carry it (DESIGN §9).

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "loadwright/datasets/sample.hpp"
#include "loadwright/datasets/token_counter.hpp"
#include "loadwright/runtime/request_record.hpp"
#include "loadwright/runtime/scenario_plan.hpp"
#include "loadwright/runtime/url.hpp"

namespace loadwright::runtime {

/// Where requests go.
struct engine_target {
  base_url url;
  std::string model;
  std::string api_key;  // never written anywhere but the Authorization header
  bool insecure = false;
};

/// What a script's request_hook changed for one sample: body fields (key, JSON text) that
/// replace or add to the built-in ones, and header lines ("Name: value\r\n"). They apply to
/// every request the sample makes (a conversation's later turns too).
struct request_shape {
  std::vector<std::pair<std::string, std::string>> body;
  std::string header_lines;
  bool empty() const { return body.empty() && header_lines.empty(); }
};

/// Shapes each sample's requests before the clock starts (a script's request_hook).
class request_shaper {
 public:
  virtual ~request_shaper() = default;
  /// `index`: the sample's number in its phase; `max_tokens`: what it will be sent with.
  /// Throws to stop the run before anything is sent.
  virtual request_shape shape(const datasets::sample& s, std::size_t index, run_phase phase,
                              std::int64_t max_tokens) = 0;
};

/// Everything computed before a run's clock starts.
struct prepared_scenario {
  const scenario_plan* plan = nullptr;
  std::string model;                      // sent in bodies built during the run (later turns)
  std::vector<datasets::sample> samples;  // cycled by sequence number
  std::vector<std::string> bodies;        // serialized request bodies, one per sample
  std::vector<datasets::sample> warmup_samples;
  std::vector<std::string> warmup_bodies;
  /// `context_first`: the context-only body of each sample (and of each warm-up sample).
  std::vector<std::string> context_bodies;
  std::vector<std::string> warmup_context_bodies;
  /// A request_hook's shapes, one per sample (empty without a hook).
  std::vector<request_shape> shapes;
  std::vector<request_shape> warmup_shapes;
  std::vector<double> schedule_s;              // open loop: send offsets of one run
  std::optional<std::uint64_t> request_limit;  // requests per run (open loop: schedule size)
  std::string dataset_description;
  std::string schedule_description;
};

/// Draws samples, serializes bodies and computes the schedule for `plan`; `shaper` (if any)
/// shapes each sample's requests. Throws datasets::dataset_error or std::invalid_argument with
/// a message naming the problem, or what the shaper throws.
prepared_scenario prepare_scenario(const scenario_plan& plan, const std::string& model,
                                   const datasets::token_counter& counter,
                                   request_shaper* shaper = nullptr);

/// The request options of one sample: the plan's, with its shape's body fields on top.
request_options shaped_options(const request_options& base, const request_shape* shape);

/// The context-only request of a sample (llama-benchy's prefix-caching first step): its
/// system message and "." as the user message (llama-benchy's CONTEXT_LOAD_USER_MESSAGE).
datasets::sample context_only(const datasets::sample& s);

struct progress_snapshot {
  std::uint64_t sent = 0, completed = 0, failed = 0;
  std::uint64_t in_flight() const { return sent - completed - failed; }
  double elapsed_s = 0;
};

struct engine_options {
  engine_target target;
  int workers = 1;
  /// Set (e.g. by SIGINT) to stop: nothing more is sent; requests in flight get `grace`,
  /// then their connections are closed and they are recorded as `cancelled`.
  const std::atomic<bool>* stop = nullptr;
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
};

/// Runs one phase (warm-up or one measured run) of a prepared scenario.
phase_result execute_phase(const prepared_scenario& prepared, run_phase phase, std::uint32_t run,
                           const engine_options& options);

/// `GET /v1/models` and returns the first model id; empty with `*why` set on failure.
/// `*root`, when given, receives the model's `root` (vLLM: the model it was loaded from, e.g.
/// the Hugging Face repository id behind a --served-model-name), or "".
std::string discover_model(const engine_target& target, std::string* why,
                           std::string* root = nullptr);

/// One blocking request with a small JSON answer (set-up calls, never on the hot path).
struct small_response {
  bool ok = false;  // a complete HTTP response came back (any status)
  int status = 0;
  std::string body;
  std::string error;         // transport error when !ok
  std::string location;      // the Location header, if any (redirects)
  std::string where;         // "URL (METHOD PATH)" for messages
  double first_body_s = -1;  // from sending to the first body bytes
  double complete_s = -1;    // from sending to the whole response
  /// Empty for a complete 200 answer, else "WHERE: HTTP 404" or "WHERE: <transport error>".
  std::string problem() const;
};
small_response send_small_request(const engine_target& target, std::string_view method,
                                  const std::string& path, std::string_view json_body = {});

/// Counts prompt tokens with the server's `/tokenize` (vLLM/SGLang, llama.cpp and TGI shapes;
/// the first whose counts are plausible). nullptr when the server has no such endpoint or its
/// counts cannot be right (`*why` says), or it only estimates (`*why` left empty).
std::unique_ptr<datasets::token_counter> make_server_token_counter(const engine_target& target,
                                                                   std::string* why);

}  // namespace loadwright::runtime
