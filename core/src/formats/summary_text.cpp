// The JSON summary file and the console summary block.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "loadwright/core/json_writer.hpp"
#include "loadwright/core/printable.hpp"
#include "loadwright/core/result_files.hpp"
#include "loadwright/core/steady_state.hpp"

namespace loadwright::runtime {

namespace {

void write_fields(json_writer& w, const summary& s) {
  for (const auto& f : s.fields) {
    w.key(f.key);
    if (f.integer)
      w.value(static_cast<std::int64_t>(f.value));
    else
      w.value(f.value);
  }
}

void write_errors(json_writer& w, const summary& s) {
  w.key("errors").begin_object();
  for (const auto& [k, v] : s.errors) w.field(k, v);
  w.end_object();
  w.key("error_examples").begin_array();
  for (const auto& e : s.error_examples) w.value(e);
  w.end_array();
}

}  // namespace

void write_context_json(json_writer& w, const summary_setup& setup) {
  const auto& c = setup.context;
  const auto& f = setup.server;
  w.key("context").begin_object();
  if (!c.gpu.empty()) w.field("gpu", c.gpu);
  if (c.gpus) w.field("gpus", *c.gpus);
  if (!c.model.empty()) w.field("model", c.model);
  if (!c.quantization.empty()) w.field("quantization", c.quantization);
  if (c.tp) w.field("tp", *c.tp);
  if (!c.engine.empty()) w.field("engine", c.engine);
  if (!c.engine_version.empty()) w.field("engine_version", c.engine_version);
  w.key("discovered").begin_object();
  if (!setup.model_id.empty()) w.field("model_id", setup.model_id);
  if (!f.owned_by.empty()) w.field("owned_by", f.owned_by);
  if (!f.server.empty()) w.field("server", f.server);
  if (!f.version.empty()) w.field("version", f.version).field("version_from", f.version_from);
  if (f.max_model_len) w.field("max_model_len", *f.max_model_len);
  w.end_object();
  w.end_object();
}

std::string summary_json(const summary_setup& setup, const summary& combined,
                         std::span<const summary> runs, const summary* std_across_runs,
                         std::span<const std::pair<std::string, double>> custom) {
  std::string out;
  json_writer w(out);
  w.begin_object()
      .field("date", setup.date)
      .field("tool", "loadwright")
      .field("loadwright_version", "0.1.0")
      .field("scenario", setup.scenario)
      .field("source", setup.source)
      .field("endpoint_type", setup.endpoint_type)
      .field("backend", setup.endpoint_type)
      .field("base_url", setup.base_url);
  if (!setup.target_name.empty()) w.field("target", setup.target_name);
  w.field("emulated", setup.emulated).field("time_scale", setup.time_scale);
  if (!setup.emulator_faults.empty()) w.field("emulator_faults", setup.emulator_faults);
  w.field("unsafe", setup.unsafe)
      .field("bounded_memory", setup.bounded_memory)
      .field("percentiles_from_histogram", setup.percentiles_from_histogram)
      .field("model_id", setup.model_id)
      .field("tokenizer_id", setup.token_counter)
      .field("num_prompts", setup.num_prompts)
      .field("seed", setup.seed)
      .field("arrival", setup.arrival);
  w.key("request_rate");
  if (!setup.has_rate)
    w.null();
  else if (std::isinf(setup.request_rate))
    w.value("inf");
  else
    w.value(setup.request_rate);
  w.key("burstiness");
  if (setup.has_burstiness)
    w.value(setup.burstiness);
  else
    w.null();
  w.key("max_concurrency");
  if (setup.max_concurrency >= 0)
    w.value(setup.max_concurrency);
  else
    w.null();
  w.field("warmup", setup.warmup)
      .field("num_runs", static_cast<std::int64_t>(runs.size()))
      .field("dataset", setup.dataset)
      .field("interrupted", setup.interrupted);
  write_context_json(w, setup);
  if (!setup.steady_state.empty()) write_steady_state_json(w, setup.steady_state);
  write_fields(w, combined);
  write_errors(w, combined);
  if (!custom.empty()) {
    w.key("custom").begin_object();
    for (const auto& [k, v] : custom) w.field(k, v);
    w.end_object();
  }
  if (std_across_runs && runs.size() > 1) {
    w.key("std").begin_object();
    write_fields(w, *std_across_runs);
    w.end_object();
    w.key("runs").begin_array();
    for (const auto& r : runs) {
      w.begin_object();
      write_fields(w, r);
      write_errors(w, r);
      w.end_object();
    }
    w.end_array();
  }
  w.end_object();
  out += '\n';
  return out;
}

std::string console_summary(const std::string& title, const summary& s, const summary* sd,
                            const std::vector<double>& percentiles) {
  std::string out;
  auto it = std::back_inserter(out);
  auto header = [&](std::string_view text, char fill) {
    // Centred in 50 columns, extra fill on the right (Python's '^').
    const std::size_t pad = text.size() >= 50 ? 0 : 50 - text.size();
    out.append(pad / 2, fill);
    out += text;
    out.append(pad - pad / 2, fill);
    out += '\n';
  };
  auto row = [&](std::string_view label, std::string_view key, bool integer = false) {
    const auto* f = s.find(key);
    if (!f || std::isnan(f->value)) return;
    // A count is whole in one run; a mean over runs (0.5 failed) keeps its fraction.
    if (integer && f->value == std::floor(f->value))
      fmt::format_to(it, "{:<40} {:<10}", label, static_cast<long long>(f->value));
    else
      fmt::format_to(it, "{:<40} {:<10.2f}", label, f->value);
    if (sd) {
      if (const auto* e = sd->find(key)) fmt::format_to(it, " ± {:.2f}", e->value);
    }
    out += '\n';
  };
  auto stats_block = [&](std::string_view heading, std::string_view name, std::string_view label) {
    header(heading, '-');
    row(fmt::format("Mean {} (ms):", label), fmt::format("mean_{}_ms", name));
    row(fmt::format("Median {} (ms):", label), fmt::format("median_{}_ms", name));
    for (const double p : percentiles) {
      if (p == 50) continue;  // shown as the median
      const std::string pl = p == std::floor(p) ? fmt::format("P{}", static_cast<long long>(p))
                                                : fmt::format("P{}", p);
      const std::string kl = p == std::floor(p) ? fmt::format("p{}", static_cast<long long>(p))
                                                : fmt::format("p{}", p);
      row(fmt::format("{} {} (ms):", pl, label), fmt::format("{}_{}_ms", kl, name));
    }
    // The tail report: p99.9 once the series has enough values, and the tail ratio.
    if (std::find(percentiles.begin(), percentiles.end(), tail_percentile) == percentiles.end())
      row(fmt::format("P99.9 {} (ms):", label), fmt::format("p99.9_{}_ms", name));
    row(fmt::format("Tail ratio {} (P99/P50):", label), fmt::format("tail_ratio_{}", name));
  };
  header(fmt::format(" {} ", title), '=');
  row("Successful requests:", "completed", true);
  row("Failed requests:", "failed", true);
  row("Benchmark duration (s):", "duration");
  row("Total input tokens:", "total_input_tokens", true);
  row("Total generated tokens:", "total_output_tokens", true);
  row("Request throughput (req/s):", "request_throughput");
  row("Request goodput (req/s):", "request_goodput");
  row("Output token throughput (tok/s):", "output_throughput");
  row("Peak output token throughput (tok/s):", "max_output_tokens_per_s");
  row("Peak concurrent requests:", "max_concurrent_requests", true);
  row("Total token throughput (tok/s):", "total_token_throughput");
  row("Connections opened:", "connections_opened", true);
  row("Connections reused:", "connections_reused", true);
  row("Connections found closed by server:", "connections_found_dead", true);
  stats_block("Time to First Token", "ttft", "TTFT");
  stats_block("Time per Output Token (excl. 1st token)", "tpot", "TPOT");
  stats_block("Inter-token Latency", "itl", "ITL");
  stats_block("End-to-end Latency", "e2el", "E2EL");
  stats_block("Time to First Response", "ttfr", "TTFR");
  stats_block("Schedule Lag (sent - scheduled)", "schedule_lag", "lag");
  header("", '=');
  if (!s.errors.empty()) {
    out += "Errors by class:";
    for (const auto& [k, v] : s.errors) fmt::format_to(it, " {}={}", k, v);
    out += '\n';
    for (std::size_t i = 0; i < s.error_examples.size() && i < 3; ++i)
      fmt::format_to(it, "  e.g. {}\n", printable(s.error_examples[i]));  // server text
  }
  const double in_est = s.get("input_tokens_estimated"), out_est = s.get("output_tokens_estimated");
  if (in_est > 0 || out_est > 0)
    fmt::format_to(it,
                   "Note: token counts of {} inputs and {} outputs are estimates (no usage from "
                   "the server).\n",
                   static_cast<long long>(in_est), static_cast<long long>(out_est));
  return out;
}

}  // namespace loadwright::runtime
