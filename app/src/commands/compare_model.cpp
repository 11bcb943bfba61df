// `loadwright compare`: pairing by request id and the tests of each metric (no file I/O).

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_map>

#include "compare_model.hpp"
#include "loadwright/analysis/descriptive.hpp"
#include "loadwright/analysis/tost.hpp"

namespace loadwright::app::compare {

namespace an = loadwright::analysis;
namespace rt = loadwright::runtime;

std::size_t minimum_pairs(double alpha) {
  std::size_t n = 1;
  while (std::ldexp(2.0, -static_cast<int>(n)) >= alpha && n < 64) ++n;
  return n;
}

std::span<const request_metric_def> request_metrics() {
  static const request_metric_def defs[] = {
      {"ttft_ms", "TTFT", "ms"},
      {"tpot_ms", "TPOT", "ms"},
      {"itl_ms", "ITL (mean per request)", "ms"},
      {"e2el_ms", "E2EL", "ms"},
  };
  return defs;
}

std::optional<double> request_metric_value(const rt::request_record& r, std::string_view key) {
  if (!r.ok()) return std::nullopt;
  if (key == "ttft_ms") {
    if (r.ttft_ns < 0) return std::nullopt;
    return static_cast<double>(r.ttft_ns) * 1e-6;
  }
  if (key == "e2el_ms") {
    if (r.e2el_ns < 0) return std::nullopt;
    return static_cast<double>(r.e2el_ns) * 1e-6;
  }
  if (key == "tpot_ms") {
    const double t = r.tpot_ms();
    if (t < 0) return std::nullopt;
    return t;
  }
  if (key == "itl_ms") {
    if (r.itl_ms.empty()) return std::nullopt;
    double sum = 0;
    for (const float g : r.itl_ms) sum += g;
    return sum / static_cast<double>(r.itl_ms.size());
  }
  return std::nullopt;
}

std::span<const run_metric_def> run_metrics() {
  using an::better_when;
  static const run_metric_def defs[] = {
      {"output_throughput", "output throughput", "tok/s", better_when::higher},
      {"request_throughput", "request throughput", "req/s", better_when::higher},
      {"median_ttft_ms", "median TTFT", "ms", better_when::lower},
      {"p99_ttft_ms", "p99 TTFT", "ms", better_when::lower},
      {"median_tpot_ms", "median TPOT", "ms", better_when::lower},
      {"p99_tpot_ms", "p99 TPOT", "ms", better_when::lower},
      {"median_e2el_ms", "median E2EL", "ms", better_when::lower},
      {"p99_e2el_ms", "p99 E2EL", "ms", better_when::lower},
  };
  return defs;
}

pairing pair_records(std::span<const rt::request_record> a, std::span<const rt::request_record> b,
                     const std::string& scenario) {
  auto index = [&](std::span<const rt::request_record> records, const char* side) {
    std::unordered_map<std::string_view, const rt::request_record*> by_id;
    for (const auto& r : records) {
      if (r.phase != rt::run_phase::measure) continue;
      if (!by_id.emplace(r.request_id, &r).second)
        throw compare_error(fmt::format(
            "scenario {}: request id {} appears twice in {}: one results file per side, please",
            scenario, r.request_id, side));
    }
    return by_id;
  };
  const auto ia = index(a, "A");
  const auto ib = index(b, "B");
  pairing p;
  p.measured_a = ia.size();
  p.measured_b = ib.size();
  for (const auto& def : request_metrics()) p.metrics.push_back({def.key, {}, {}});

  // In A's file order (the order requests were written), so the pairs are deterministic.
  std::size_t mismatched = 0;
  std::string first_mismatch;
  std::set<std::uint32_t> runs;
  for (const auto& ra : a) {
    if (ra.phase != rt::run_phase::measure) continue;
    const auto it = ib.find(ra.request_id);
    if (it == ib.end()) continue;
    const rt::request_record& rb = *it->second;
    ++p.matched;
    // The same request? Its prompt (the client's own count, fixed by the seed and the dataset)
    // and its max_tokens. A later turn's prompt holds the server's earlier replies.
    const bool later_turn = ra.turn > 1 || rb.turn > 1;
    std::string why;
    if (ra.turn != rb.turn)
      why = fmt::format("is turn {} in A and turn {} in B", ra.turn, rb.turn);
    else if (!later_turn && ra.expected_input_tokens >= 0 && rb.expected_input_tokens >= 0 &&
             ra.expected_input_tokens != rb.expected_input_tokens)
      why = fmt::format("has a prompt of {} tokens in A and of {} in B", ra.expected_input_tokens,
                        rb.expected_input_tokens);
    else if (ra.max_tokens != rb.max_tokens)
      why = fmt::format("asks for {} tokens in A and {} in B", ra.max_tokens, rb.max_tokens);
    if (!why.empty()) {
      if (mismatched++ == 0) first_mismatch = ra.request_id + " " + why;
      continue;
    }
    if (!ra.ok()) ++p.failed_a;
    if (!rb.ok()) ++p.failed_b;
    if (!ra.ok() || !rb.ok()) continue;
    ++p.ok_pairs;
    runs.insert(ra.run);
    for (auto& s : p.metrics) {
      const auto va = request_metric_value(ra, s.key);
      const auto vb = request_metric_value(rb, s.key);
      if (!va || !vb || !std::isfinite(*va) || !std::isfinite(*vb)) continue;
      s.a.push_back(*va);
      s.b.push_back(*vb);
    }
  }
  if (mismatched > 0)
    throw compare_error(fmt::format(
        "scenario {}: A and B did not send the same requests: {} of {} matched request ids "
        "differ (request {}); compare results of the same scenario file, seed and dataset",
        scenario, mismatched, p.matched, first_mismatch));
  p.only_a = p.measured_a - p.matched;
  p.only_b = p.measured_b - p.matched;
  p.runs.assign(runs.begin(), runs.end());
  return p;
}

bool scenario_comparison::tested() const {
  for (const auto& m : per_request)
    if (m.result) return true;
  for (const auto& m : per_run)
    if (m.result) return true;
  return false;
}

namespace {

side_info info_of(const side_results& s) {
  side_info i;
  i.records_file = s.records_file;
  i.summary_file = s.summary_file;
  i.seed = s.seed;
  i.base_url = s.base_url;
  i.model_id = s.model_id;
  i.emulated = s.emulated;
  i.time_scale = s.time_scale;
  i.runs = s.runs.size();
  i.runs_from_summary = s.runs_from_summary;
  return i;
}

request_metric_result test_request_metric(const request_metric_def& def, const pairing::series& s,
                                          const compare_options& options) {
  request_metric_result m;
  m.key = def.key;
  m.label = def.label;
  m.unit = def.unit;
  m.n = s.a.size();
  if (m.n > 0) {
    m.median_a = an::median(s.a);
    m.median_b = an::median(s.b);
    m.p99_a = an::percentile(s.a, 99);
    m.p99_b = an::percentile(s.b, 99);
    m.mean_a = an::mean(s.a);
    m.mean_b = an::mean(s.b);
  } else {
    m.median_a = m.median_b = m.p99_a = m.p99_b = m.mean_a = m.mean_b = NAN;
  }
  const std::size_t need = minimum_pairs(options.alpha);
  if (m.n < need) {
    m.note = fmt::format("not tested: {} pairs, the signed-rank test needs at least {}", m.n, need);
    return m;
  }
  if (!(m.median_a > 0)) {
    m.note = "not tested: A's median is not positive, so no relative margin";
    return m;
  }
  an::compare_options co;
  co.better = an::better_when::lower;
  co.latency = true;
  co.margin = options.margin;
  co.alpha = options.alpha;
  co.bootstrap.resamples = options.resamples;
  co.bootstrap.seed = options.bootstrap_seed;
  co.bootstrap.confidence = options.confidence;
  try {
    m.result = an::compare_paired(s.a, s.b, co);
  } catch (const std::invalid_argument& e) {
    m.note = std::string("not tested: ") + e.what();
  }
  return m;
}

run_metric_result test_run_metric(const run_metric_def& def, const side_results& a,
                                  const side_results& b, const compare_options& options) {
  run_metric_result m;
  m.key = def.key;
  m.label = def.label;
  m.unit = def.unit;
  m.better = def.better;
  auto values = [&](const side_results& s, std::vector<double>& out) {
    for (const auto& run : s.runs) {
      const auto it = run.find(def.key);
      if (it == run.end() || !std::isfinite(it->second)) return false;
      out.push_back(it->second);
    }
    return true;
  };
  const bool complete = values(a, m.a) && values(b, m.b);
  m.mean_a = m.a.empty() ? NAN : an::mean(m.a);
  m.mean_b = m.b.empty() ? NAN : an::mean(m.b);
  m.sd_a = m.a.size() < 2 ? NAN : std::sqrt(an::sample_variance(m.a));
  m.sd_b = m.b.size() < 2 ? NAN : std::sqrt(an::sample_variance(m.b));
  m.cohens_d = (m.mean_b - m.mean_a) / std::sqrt((m.sd_a * m.sd_a + m.sd_b * m.sd_b) / 2);
  if (!complete) {
    m.note = "not tested: not in every run's summary";
    return m;
  }
  if (m.a.size() < 2 || m.b.size() < 2) {
    m.note =
        fmt::format("not tested: {} run(s) in A and {} in B; Welch's test needs 2 or more each",
                    m.a.size(), m.b.size());
    return m;
  }
  if (!(m.mean_a > 0)) {
    m.note = "not tested: A's mean is not positive, so no relative margin";
    return m;
  }
  try {
    m.welch = an::welch_t_test(m.b, m.a, an::alternative::two_sided, 0, options.confidence);
    m.tost = an::tost_welch(m.a, m.b, options.margin, options.alpha);
    an::verdict_inputs in;
    in.better = def.better;
    in.latency = true;
    in.baseline = m.mean_a;
    in.estimate = m.welch->mean_difference;
    in.ci = m.welch->ci;
    in.confidence = options.confidence;
    in.p_value = m.welch->p_value;
    in.tost = *m.tost;
    in.alpha = options.alpha;
    m.result = an::decide(in);
  } catch (const std::invalid_argument& e) {
    m.welch.reset();
    m.tost.reset();
    m.note = std::string("not tested: ") + e.what();
  }
  return m;
}

}  // namespace

scenario_comparison compare_scenario(const side_results& a, const side_results& b,
                                     const compare_options& options) {
  if (a.scenario != b.scenario)
    throw compare_error(fmt::format(
        "A is scenario '{}' and B is scenario '{}': compare results of the same scenario",
        a.scenario, b.scenario));
  if (a.seed && b.seed && *a.seed != *b.seed)
    throw compare_error(fmt::format(
        "scenario {}: A was run with seed {} and B with seed {}: the requests differ, so they "
        "cannot be paired (run both with the same --seed)",
        a.scenario, *a.seed, *b.seed));
  scenario_comparison c;
  c.scenario = a.scenario;
  c.seed = a.seed ? a.seed : b.seed;
  c.a = info_of(a);
  c.b = info_of(b);
  for (const auto& [key, va] : a.setup) {
    const auto it = b.setup.find(key);
    if (it != b.setup.end() && it->second != va)
      c.notes.push_back(fmt::format("the summaries differ in {}: A {}, B {}", key, va, it->second));
  }
  pairing p = pair_records(a.records, b.records, a.scenario);
  if (p.matched == 0)
    throw compare_error(fmt::format(
        "scenario {}: no measured request id is in both A ({} measured) and B ({} measured)",
        a.scenario, p.measured_a, p.measured_b));
  if (!a.seed || !b.seed)
    c.notes.push_back(fmt::format(
        "no summary (NAME.json) for {}: seeds not checked; the requests were checked by "
        "prompt length only",
        !a.seed && !b.seed ? "A and B" : (!a.seed ? "A" : "B")));
  if (p.only_a > 0 || p.only_b > 0)
    c.notes.push_back(
        fmt::format("{} measured request(s) only in A and {} only in B are left out (different "
                    "request counts or runs?)",
                    p.only_a, p.only_b));
  if (p.failed_a > 0 || p.failed_b > 0)
    c.notes.push_back(
        fmt::format("{} pair(s) left out because the request failed in A ({}) or in B ({})",
                    p.matched - p.ok_pairs, p.failed_a, p.failed_b));
  const std::size_t need = minimum_pairs(options.alpha);
  if (p.ok_pairs < need)
    c.notes.push_back(fmt::format(
        "only {} paired request(s) completed on both sides; the signed-rank test needs at least "
        "{} to reach p < {:g}",
        p.ok_pairs, need, options.alpha));
  if (p.ok_pairs >= need && p.ok_pairs < 100)
    c.notes.push_back(fmt::format(
        "{} pairs: a p99 of fewer than 100 values lies between the two largest, so its bootstrap "
        "interval is rough (the medians' are not)",
        p.ok_pairs));
  for (std::size_t i = 0; i < request_metrics().size(); ++i)
    c.per_request.push_back(test_request_metric(request_metrics()[i], p.metrics[i], options));
  for (const auto& def : run_metrics()) c.per_run.push_back(test_run_metric(def, a, b, options));
  for (auto& s : p.metrics) {
    s.a = {};
    s.b = {};
  }
  c.pairs = std::move(p);
  return c;
}

}  // namespace loadwright::app::compare
