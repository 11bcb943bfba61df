#pragma once
// What a run is made of before its clock starts: the target, the prepared scenario (samples,
// serialized bodies, the schedule, a request hook's shapes) and how it is made. Pure: no I/O.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "loadwright/core/request_record.hpp"
#include "loadwright/core/scenario_plan.hpp"
#include "loadwright/core/url.hpp"
#include "loadwright/datasets/dataset_spec.hpp"
#include "loadwright/datasets/sample.hpp"
#include "loadwright/datasets/token_counter.hpp"

namespace loadwright::runtime {

/// Where requests go.
struct engine_target {
  base_url url;
  std::string model;
  std::string api_key;  // never written anywhere but the Authorization header
  bool insecure = false;
};

/// What the server said about itself while the run was set up (model discovery and one cheap
/// version request to an engine known to have one). Every field may be empty: nothing of it is
/// required, and asking never fails a run.
struct server_facts {
  std::string owned_by;      // the model entry's `owned_by` in /v1/models: "vllm", "llamacpp", …
  std::string server;        // the HTTP `Server` header of that answer
  std::string version;       // a version the server reports
  std::string version_from;  // where it came from: "GET /version", "GET /props build_info"
  std::optional<std::int64_t> max_model_len;  // the model entry's context length (vLLM)
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

/// What preparation takes from this machine and this target rather than from the plan (which
/// is never modified once validated): the dataset as it will be read (a downloaded book's
/// path, prompt lengths adapted to the server's chat template) and the emulator's time scale.
struct preparation_choices {
  std::optional<datasets::dataset_spec> dataset;  // none: the plan's
  double time_scale = 1.0;  // send times, durations and think times are multiplied by it
};

/// Everything computed before a run's clock starts.
struct prepared_scenario {
  const scenario_plan* plan = nullptr;
  datasets::dataset_spec dataset;  // what the samples were drawn from
  double time_scale = 1.0;
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
                                   request_shaper* shaper = nullptr,
                                   const preparation_choices& choices = {});

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

}  // namespace loadwright::runtime
