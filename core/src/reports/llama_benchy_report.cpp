// llama-benchy's report files (reference/llama-benchy.md §5), as llama-benchy 0.4.0's
// results.py writes them: rows as `_generate_rows` makes them, tabulate's pipe table,
// json.dumps(indent=2) (ASCII only) and csv.DictWriter.

#include <fmt/format.h>

#include <algorithm>

#include "loadwright/core/json_writer.hpp"
#include "loadwright/core/llama_benchy.hpp"
#include "pipe_table.hpp"
#include "py_json.hpp"

namespace loadwright::runtime::llama_benchy {

namespace {

const metric* get(const std::optional<metric>& m) {
  return m ? &*m : nullptr;
}

// The rows' model column: `self.model_name or "Unknown"`.
std::string row_model(const report& r) {
  return r.model.empty() ? std::string("Unknown") : r.model;
}

std::string cell_text(const metric* m) {
  return m ? fmt::format("{:.2f} ± {:.2f}", m->mean, m->std) : std::string();
}

// Python's repr of a float, as csv writes it.
std::string py_float(double d) {
  std::string s;
  json_writer::format_double(s, d);
  return s;
}

void write_metric(json_writer& w, std::string_view key, const std::optional<metric>& m) {
  w.key(key);
  if (!m) {
    w.null();
    return;
  }
  w.begin_object().field("mean", m->mean).field("std", m->std);
  w.key("values").begin_array();
  for (const double v : m->values) w.value(v);
  w.end_array().end_object();
}

void write_series(json_writer& w, const std::vector<std::pair<double, double>>& series) {
  w.begin_array();
  for (const auto& [t, v] : series) w.begin_array().value(t).value(v).end_array();
  w.end_array();
}

}  // namespace

std::vector<row> rows(const report& r) {
  std::vector<row> out;
  for (const auto& b : r.benchmarks) {
    const std::string c_suffix =
        r.max_concurrency > 1 ? fmt::format(" (c{})", b.concurrency) : std::string();
    const std::string depth = b.context_size > 0 ? fmt::format(" @ d{}", b.context_size) : "";
    const std::string pp_name = b.is_context_prefill_phase
                                    ? fmt::format("ctx_pp @ d{}{}", b.context_size, c_suffix)
                                    : fmt::format("pp{}{}{}", b.prompt_size, depth, c_suffix);
    const std::string tg_name = b.is_context_prefill_phase
                                    ? fmt::format("ctx_tg @ d{}{}", b.context_size, c_suffix)
                                    : fmt::format("tg{}{}{}", b.response_size, depth, c_suffix);
    if (b.pp_throughput) {
      row pp;
      pp.test_name = pp_name;
      pp.pp_row = true;
      pp.t_s = get(b.pp_throughput);
      pp.t_s_req = get(b.pp_req_throughput);
      pp.ttfr = get(b.ttfr);
      pp.est_ppt = get(b.est_ppt);
      pp.e2e_ttft = get(b.e2e_ttft);
      out.push_back(pp);
    }
    if (b.tg_throughput || b.peak_throughput) {
      row tg;
      tg.test_name = tg_name;
      tg.pp_row = false;
      tg.t_s = get(b.tg_throughput);
      tg.t_s_req = get(b.tg_req_throughput);
      tg.peak = get(b.peak_throughput);
      tg.peak_req = get(b.peak_req_throughput);
      out.push_back(tg);
    }
  }
  return out;
}

std::string markdown(const report& r) {
  const auto rs = rows(r);
  if (rs.empty()) return "No results collected. Check if the model is generating tokens.";
  const bool multi = r.max_concurrency > 1;
  std::vector<std::string> headers =
      multi ? std::vector<std::string>{"model",     "test",         "t/s (total)",
                                       "t/s (req)", "peak t/s",     "peak t/s (req)",
                                       "ttfr (ms)", "est_ppt (ms)", "e2e_ttft (ms)"}
            : std::vector<std::string>{"model",     "test",         "t/s",          "peak t/s",
                                       "ttfr (ms)", "est_ppt (ms)", "e2e_ttft (ms)"};
  std::vector<std::vector<std::string>> table;
  for (const auto& x : rs) {
    std::vector<std::string> cells{row_model(r), x.test_name, cell_text(x.t_s)};
    if (multi) cells.push_back(cell_text(x.t_s_req));
    cells.push_back(cell_text(x.peak));
    if (multi) cells.push_back(cell_text(x.peak_req));
    for (const auto* m : {x.ttfr, x.est_ppt, x.e2e_ttft}) cells.push_back(cell_text(m));
    table.push_back(std::move(cells));
  }
  return pipe_table(headers, table);
}

std::string json(const report& r) {
  std::string out;
  json_writer w(out, 2);
  w.begin_object()
      .field("version", r.version)
      .field("timestamp", r.timestamp)
      .field("latency_mode", r.latency_mode)
      .field("latency_ms", r.latency_ms)
      .field("model", r.model)
      .field("prefix_caching_enabled", r.prefix_caching_enabled)
      .field("max_concurrency", r.max_concurrency);
  w.key("benchmarks").begin_array();
  for (const auto& b : r.benchmarks) {
    w.begin_object()
        .field("concurrency", b.concurrency)
        .field("context_size", b.context_size)
        .field("prompt_size", b.prompt_size)
        .field("response_size", b.response_size)
        .field("is_context_prefill_phase", b.is_context_prefill_phase);
    write_metric(w, "pp_throughput", b.pp_throughput);
    write_metric(w, "pp_req_throughput", b.pp_req_throughput);
    write_metric(w, "tg_throughput", b.tg_throughput);
    write_metric(w, "tg_req_throughput", b.tg_req_throughput);
    write_metric(w, "peak_throughput", b.peak_throughput);
    write_metric(w, "peak_req_throughput", b.peak_req_throughput);
    write_metric(w, "ttfr", b.ttfr);
    write_metric(w, "est_ppt", b.est_ppt);
    write_metric(w, "e2e_ttft", b.e2e_ttft);
    w.key("throughput_over_time");
    if (!b.throughput_over_time) {
      w.null();
    } else {
      w.begin_array();
      for (const auto& s : *b.throughput_over_time) write_series(w, s);
      w.end_array();
    }
    w.key("requests_throughput_over_time");
    if (!b.requests_throughput_over_time) {
      w.null();
    } else {
      w.begin_array();
      for (const auto& run : *b.requests_throughput_over_time) {
        w.begin_array();
        for (const auto& s : run) write_series(w, s);
        w.end_array();
      }
      w.end_array();
    }
    w.end_object();
  }
  w.end_array().end_object();
  return py_json::ensure_ascii(out);
}

std::string csv(const report& r) {
  std::string out =
      "model,test_name,t_s_mean,t_s_std,t_s_req_mean,t_s_req_std,peak_ts_mean,peak_ts_std,"
      "peak_ts_req_mean,peak_ts_req_std,ttfr_mean,ttfr_std,est_ppt_mean,est_ppt_std,"
      "e2e_ttft_mean,e2e_ttft_std\r\n";
  // csv's minimal quoting: a field with a comma, quote or line break is quoted, quotes doubled.
  auto field = [](const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string q = "\"";
    for (const char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  };
  for (const auto& x : rows(r)) {
    out += field(row_model(r)) + "," + field(x.test_name);
    for (const auto* m : {x.t_s, x.t_s_req, x.peak, x.peak_req, x.ttfr, x.est_ppt, x.e2e_ttft}) {
      out += ',';
      if (m) out += py_float(m->mean);
      out += ',';
      if (m) out += py_float(m->std);
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace loadwright::runtime::llama_benchy
