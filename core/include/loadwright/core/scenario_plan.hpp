#pragma once
// A validated scenario: what the Lua file said, checked and converted. The runtime works
// from this alone and never sees Lua (a C++ program can build one by hand).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "loadwright/core/arrival.hpp"
#include "loadwright/core/report_spec.hpp"
#include "loadwright/datasets/dataset_spec.hpp"

namespace loadwright::runtime {

enum class api_kind { chat, completions };

/// `request = { … }`: the shape of each HTTP request.
struct request_options {
  api_kind api = api_kind::chat;
  /// Used for samples that do not carry their own output length.
  std::optional<std::int64_t> max_tokens;
  /// Sent only when set; the `random` dataset turns it on unless the scenario says otherwise.
  std::optional<bool> ignore_eos;
  std::optional<double> temperature;
  bool stream = true;
  /// Ask for `usage` in the stream (`stream_options.include_usage`).
  bool include_usage = true;
  std::vector<std::pair<std::string, std::string>> headers;
  /// `style = "vllm"`: bodies shaped as vllm bench serve's (chat content as a list of text
  /// parts and `max_completion_tokens`; completions with `repetition_penalty: 1.0` and
  /// `logprobs: null`; sampling fields after the rest, in its key order).
  bool vllm_style = false;
  /// Extra top-level body fields as (key, JSON text); they replace fields of the same name.
  std::vector<std::pair<std::string, std::string>> body;
};

/// `slo = { … }`: a request is "good" when it meets every threshold given (inclusive).
struct slo_spec {
  std::optional<seconds_d> ttft;
  std::optional<seconds_d> tpot;
  std::optional<seconds_d> e2el;
  /// The run fails (exit 1) when fewer than this fraction of completed requests are good.
  std::optional<double> min_goodput_ratio;
  bool empty() const { return !ttft && !tpot && !e2el; }
};

/// `target = { … }`: defaults the command line and environment override. A named target
/// (`name = "vllm"`) is this scenario's own server, one of several a file may compare: its URL
/// comes from `--target NAME=URL`, else `base_url`; the others share --base-url's.
struct target_spec {
  std::string name;
  std::string base_url;
  std::string model;
  std::string api_key_env;  // name of an environment variable holding the key
};

/// `thresholds = { p99_ttft_ms = "< 2000", … }` (k6's): a summary key, or "custom.NAME" for a
/// metric the script's on_done returned, compared with a number after the run.
struct threshold_spec {
  std::string key;
  std::string op;  // "<", "<=", ">", ">=", "==", "!="
  double value = 0;
  std::string text;  // as written: "< 2000"
};

/// `context = { gpu, gpus, model, quantization, tp, engine, engine_version }`: what the run ran
/// on, as the scenario states it (methodology chapter §2, "Report context": a result without
/// its hardware, model and engine means little). Written under "context" in every summary,
/// beside what the server said about itself.
struct context_spec {
  std::string gpu;                   // "H100 SXM 80GB"
  std::optional<std::int64_t> gpus;  // how many serve one instance
  std::string model;                 // "Llama-3.1-70B-Instruct"
  std::string quantization;          // "fp8", "bf16", "Q4_K_M"
  std::optional<std::int64_t> tp;    // tensor parallelism
  std::string engine;                // "vllm", "sglang", "llama.cpp"
  std::string engine_version;        // "0.8.5"
  bool empty() const {
    return gpu.empty() && !gpus && model.empty() && quantization.empty() && !tp && engine.empty() &&
           engine_version.empty();
  }
};

enum class sink_kind { console, json, jsonl, csv };
struct sink_spec {
  sink_kind kind = sink_kind::console;
  std::string path;  // relative to the output folder; empty = default name
};

/// `phases = { fill, stabilize, measure, drain, fill_interval }`: the closed-loop steady-state
/// framework's timeline (methodology §1). Closed loops add one slot per `fill_interval` during
/// `fill`; open loops have no fill. Nothing is sent in `drain`; what is still in flight at its
/// end is cancelled.
struct phases_spec {
  seconds_d fill{30};
  seconds_d stabilize{60};
  seconds_d measure{120};
  seconds_d drain{30};
  seconds_d fill_interval{1};
};

struct scenario_plan {
  std::string name;
  std::string source;  // "file.lua:12" where the scenario was written
  std::uint64_t seed = 42;
  datasets::dataset_spec dataset = datasets::random_spec{};
  arrival_spec arrival = closed_arrival{};
  std::optional<std::uint64_t> requests;  // measured requests per run
  std::optional<seconds_d> duration;      // measured time per run (sending stops then)
  std::optional<phases_spec> phases;      // fill, stabilize, measure, drain (instead of duration)
  std::uint64_t warmup = 0;               // requests sent and discarded before run 1
  int runs = 1;
  std::optional<int> max_concurrency;
  seconds_d timeout{600};       // whole request
  seconds_d idle_timeout{120};  // no bytes from the server for this long
  request_options request;
  slo_spec slo;
  double allowed_failure_ratio = 0.0;  // failed / sent above this fails the run (exit 1)
  std::vector<double> percentiles{50, 90, 95, 99};
  std::vector<sink_spec> sinks;  // empty: console + json + jsonl
  std::vector<threshold_spec> thresholds;
  target_spec target;
  context_spec context;
  /// `tokenizer = "path/or/dir"`: the model's tokenizer.json (resolved against the script's
  /// folder); empty: --tokenizer, the Hugging Face cache, the server's /tokenize, or the estimate.
  std::string tokenizer;
  /// Samples drawn when the number of requests is not known in advance (closed loops with a
  /// duration): they are cycled.
  std::uint64_t sample_pool = 1000;
  /// `fresh_prompts = true`: every run (and the warm-up) sends its own newly drawn samples, as
  /// llama-benchy draws a new prompt batch per run; otherwise each run repeats the same ones
  /// (vllm bench serve with a fixed seed).
  bool fresh_prompts = false;
  /// `context_first = true` (batch arrivals): each batch first sends its samples' context
  /// alone (the system message, with "." as the user message), waits for all of them, then
  /// sends the full prompts: llama-benchy's --enable-prefix-caching. Its records have phase
  /// "context".
  bool context_first = false;
  /// `skip_without_data = true`: when the dataset's file is missing, a suite skips this
  /// scenario with a notice (naming the file) instead of stopping.
  bool skip_without_data = false;
  std::optional<llama_benchy_spec> llama_benchy;
  std::optional<vllm_bench_spec> vllm_bench;
  std::optional<arena_spec> arena;
  std::optional<curve_spec> curve;
  std::optional<steady_report_spec> steady_report;
};

}  // namespace loadwright::runtime
