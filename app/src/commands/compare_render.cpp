// `loadwright compare`: the console report, compare.md and compare.json (pure text).

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "compare_model.hpp"
#include "loadwright/core/json_writer.hpp"

namespace loadwright::app::compare {

namespace an = loadwright::analysis;

namespace {

std::string num(double v) {
  if (!std::isfinite(v)) return "-";
  return fmt::format("{:.4g}", v);
}

std::string signed_num(double v) {
  if (!std::isfinite(v)) return "-";
  return fmt::format("{:+.4g}", v);
}

std::string pct(double rel) {
  if (!std::isfinite(rel)) return "-";
  return fmt::format("{:+.1f} %", rel * 100);
}

// "+99.5 % (+95.1 to +104.0)"
std::string pct_with_ci(double rel, double lo, double hi) {
  if (!std::isfinite(rel)) return "-";
  if (!std::isfinite(lo) || !std::isfinite(hi)) return pct(rel);
  return fmt::format("{:+.1f} % ({:+.1f} to {:+.1f})", rel * 100, lo * 100, hi * 100);
}

// "+4.99 (+4.8 to +5.1)"
std::string abs_with_ci(double est, double lo, double hi) {
  if (!std::isfinite(est)) return "-";
  return fmt::format("{} ({} to {})", signed_num(est), signed_num(lo), signed_num(hi));
}

std::string p_cell(double p) {
  if (!std::isfinite(p)) return "-";
  if (p < 0.0001) return "<0.0001";
  return p < 0.1 ? fmt::format("{:.3g}", p) : fmt::format("{:.2g}", p);
}

const char* kind_name(an::verdict_kind k) {
  switch (k) {
    case an::verdict_kind::better:
      return "better";
    case an::verdict_kind::worse:
      return "worse";
    case an::verdict_kind::equivalent:
      return "equivalent";
    case an::verdict_kind::inconclusive:
      return "inconclusive";
  }
  return "inconclusive";
}

// The analysis library prints a p-value it could not compute as "p = nan" (every paired
// difference zero): say why instead.
std::string verdict_text(const an::verdict& v) {
  std::string t = v.text;
  for (std::size_t at; (at = t.find("p = nan")) != std::string::npos;)
    t.replace(at, 7, "no nonzero difference");
  return t;
}

std::string label_with_unit(const std::string& label, const std::string& unit) {
  return label + " (" + unit + ")";
}

std::string margin_text(double margin) {
  return fmt::format("\u00b1{:g} %", margin * 100);
}

// Display width of UTF-8 text (code points; the tables hold no wide characters).
std::size_t width(const std::string& s) {
  std::size_t w = 0;
  for (const unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++w;
  return w;
}

// Columns padded to their widest cell: the first and last left-aligned, the others right.
std::string aligned_table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], width(row[i]));
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      const std::string pad(widths[i] - width(row[i]), ' ');
      const bool left = i == 0 || i + 1 == row.size();
      if (i > 0) line += "  ";
      line += left ? row[i] + (i + 1 == row.size() ? "" : pad) : pad + row[i];
    }
    out += line + "\n";
  }
  return out;
}

std::string markdown_table(const std::vector<std::vector<std::string>>& rows) {
  std::string out;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    out += "|";
    for (const auto& cell : rows[r]) out += " " + cell + " |";
    out += "\n";
    if (r == 0) {
      out += "|";
      for (std::size_t i = 0; i < rows[r].size(); ++i)
        out += i == 0 || i + 1 == rows[r].size() ? "---|" : "---:|";
      out += "\n";
    }
  }
  return out;
}

std::string side_line(const side_info& s) {
  std::string target = s.emulated ? "built-in emulator" : (s.base_url.empty() ? "?" : s.base_url);
  if (s.emulated && s.time_scale != 1.0) target += fmt::format(", time scale {:g}", s.time_scale);
  if (!s.model_id.empty()) target += ", model " + s.model_id;
  return fmt::format("{}: {}; {} run(s){}", s.records_file, target, s.runs,
                     s.summary_file.empty() ? " (no summary file)" : "");
}

std::string runs_text(const std::vector<std::uint32_t>& runs) {
  if (runs.empty()) return "no run";
  if (runs.size() == 1) return fmt::format("run {}", runs.front());
  const bool contiguous = runs.back() - runs.front() + 1 == runs.size();
  if (contiguous) return fmt::format("runs {}\u2013{}", runs.front(), runs.back());
  return fmt::format("{} runs", runs.size());
}

std::string pairs_line(const pairing& p) {
  return fmt::format(
      "{} pairs by request id from {} ({} measured in A, {} in B; {} matched, {} left out "
      "for a failure, {} only in A, {} only in B)",
      p.ok_pairs, runs_text(p.runs), p.measured_a, p.measured_b, p.matched, p.matched - p.ok_pairs,
      p.only_a, p.only_b);
}

std::string per_request_heading(const compare_options& o) {
  return fmt::format(
      "Per request: paired by request id; Wilcoxon signed-rank test of B - A; {:g} % bootstrap "
      "CIs ({} resamples, BCa) of the differences of medians and p99s; TOST against {} of A's "
      "median",
      o.confidence * 100, o.resamples, margin_text(o.margin));
}

std::string per_run_heading(const scenario_comparison& s, const compare_options& o) {
  return fmt::format(
      "Per run: Welch's t-test of the run-level values ({} run(s) in A, {} in B); {:g} % CI of "
      "B - A; TOST against {} of A's mean",
      s.a.runs, s.b.runs, o.confidence * 100, margin_text(o.margin));
}

bool any_run_tested(const scenario_comparison& s) {
  for (const auto& m : s.per_run)
    if (m.result) return true;
  return false;
}

// "B is slower in TTFT, TPOT; equivalent in E2EL; inconclusive in ITL"
std::string in_short(const scenario_comparison& s) {
  std::vector<std::string> better, worse, equivalent, inconclusive;
  auto add = [&](const std::optional<an::verdict>& v, const std::string& name) {
    if (!v) return;
    switch (v->kind) {
      case an::verdict_kind::better:
        better.push_back(name);
        break;
      case an::verdict_kind::worse:
        worse.push_back(name);
        break;
      case an::verdict_kind::equivalent:
        equivalent.push_back(name);
        break;
      case an::verdict_kind::inconclusive:
        inconclusive.push_back(name);
        break;
    }
  };
  for (const auto& m : s.per_request)
    add(m.result ? std::optional(m.result->result) : std::nullopt, m.label);
  for (const auto& m : s.per_run) add(m.result, m.label);
  std::vector<std::string> parts;
  auto join = [](const std::vector<std::string>& v) {
    std::string out;
    for (const auto& x : v) out += (out.empty() ? "" : ", ") + x;
    return out;
  };
  if (!better.empty()) parts.push_back("B is better (faster) in " + join(better));
  if (!worse.empty()) parts.push_back("B is worse (slower) in " + join(worse));
  if (!equivalent.empty()) parts.push_back("equivalent in " + join(equivalent));
  if (!inconclusive.empty()) parts.push_back("inconclusive in " + join(inconclusive));
  if (parts.empty()) return "nothing could be tested";
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out;
}

struct request_cells {
  std::string d_median_rel, d_p99_rel, d_median_abs, d_p99_abs;
};

request_cells cells_of(const request_metric_result& m) {
  request_cells c;
  if (!m.result) return c;
  const auto& r = *m.result;
  const auto med = r.median_diff.best();
  const auto p99 = r.p99_diff.best();
  c.d_median_rel =
      pct_with_ci(r.result.relative_change, r.result.relative_ci.low, r.result.relative_ci.high);
  const double s = m.p99_a;
  c.d_p99_rel = s > 0 ? pct_with_ci(r.p99_diff.estimate / s, p99.low / s, p99.high / s) : "-";
  c.d_median_abs = abs_with_ci(r.median_diff.estimate, med.low, med.high);
  c.d_p99_abs = abs_with_ci(r.p99_diff.estimate, p99.low, p99.high);
  return c;
}

std::string mean_sd(double mean, double sd) {
  return std::isfinite(sd) ? num(mean) + " \u00b1 " + num(sd) : num(mean);
}

}  // namespace

std::string short_verdict(const an::verdict& v, double margin) {
  const double mag = std::fabs(v.relative_change) * 100;
  switch (v.kind) {
    case an::verdict_kind::better:
      return std::isfinite(mag) ? fmt::format("B faster by {:.1f} %", mag) : "B faster";
    case an::verdict_kind::worse:
      return std::isfinite(mag) ? fmt::format("B slower by {:.1f} %", mag) : "B slower";
    case an::verdict_kind::equivalent:
      return "equivalent (" + margin_text(margin) + ")";
    case an::verdict_kind::inconclusive:
      return "inconclusive";
  }
  return "inconclusive";
}

std::string console_text(const comparison& c) {
  const auto& o = c.options;
  std::string out = fmt::format("loadwright compare: A = {}, B = {} (margin {}, alpha {:g})\n",
                                c.a_label, c.b_label, margin_text(o.margin), o.alpha);
  for (const auto& s : c.scenarios) {
    out += fmt::format("\n== {}{} ==\n", s.scenario,
                       s.seed ? fmt::format(" (seed {})", *s.seed) : std::string());
    out += "A  " + side_line(s.a) + "\n";
    out += "B  " + side_line(s.b) + "\n";
    out += pairs_line(s.pairs) + "\n\n";

    out += per_request_heading(o) + "\n";
    std::vector<std::vector<std::string>> rows{{"metric", "n", "A median", "B median",
                                                "B-A median (95 % CI)", "B-A p99 (95 % CI)", "p",
                                                "TOST p", "verdict"}};
    rows[0][4] = fmt::format("B-A median ({:g} % CI)", o.confidence * 100);
    rows[0][5] = fmt::format("B-A p99 ({:g} % CI)", o.confidence * 100);
    for (const auto& m : s.per_request) {
      const auto cells = cells_of(m);
      rows.push_back({label_with_unit(m.label, m.unit), std::to_string(m.n), num(m.median_a),
                      num(m.median_b), m.result ? cells.d_median_rel : "-",
                      m.result ? cells.d_p99_rel : "-",
                      m.result ? p_cell(m.result->test.p_value) : "-",
                      m.result ? p_cell(m.result->tost.p_value) : "-",
                      m.result ? short_verdict(m.result->result, o.margin) : m.note});
    }
    out += aligned_table(rows);

    out += "\n";
    if (any_run_tested(s)) {
      out += per_run_heading(s, o) + "\n";
      std::vector<std::vector<std::string>> runs{
          {"metric", "A mean \u00b1 sd", "B mean \u00b1 sd",
           fmt::format("B-A ({:g} % CI)", o.confidence * 100), "Cohen's d", "p", "TOST p",
           "verdict"}};
      for (const auto& m : s.per_run) {
        runs.push_back(
            {label_with_unit(m.label, m.unit), mean_sd(m.mean_a, m.sd_a), mean_sd(m.mean_b, m.sd_b),
             m.result ? pct_with_ci(m.result->relative_change, m.result->relative_ci.low,
                                    m.result->relative_ci.high)
                      : "-",
             m.result ? fmt::format("{:+.2f}", m.cohens_d) : "-",
             m.result ? p_cell(m.welch->p_value) : "-", m.result ? p_cell(m.tost->p_value) : "-",
             m.result ? short_verdict(*m.result, o.margin) : m.note});
      }
      out += aligned_table(runs);
    } else if (!s.per_run.empty()) {
      out += "Per run: " + s.per_run.front().note + "\n";
    }

    out += "\nVerdicts:\n";
    for (const auto& m : s.per_request)
      if (m.result) out += "  " + m.label + ": " + verdict_text(m.result->result) + "\n";
    for (const auto& m : s.per_run)
      if (m.result) out += "  " + m.label + " (runs): " + verdict_text(*m.result) + "\n";
    out += "In short: " + in_short(s) + ".\n";
    for (const auto& n : s.notes) out += "note: " + n + "\n";
  }
  for (const auto& n : c.notes) out += "note: " + n + "\n";
  return out;
}

std::string markdown_text(const comparison& c) {
  const auto& o = c.options;
  std::string out = "# loadwright compare\n\n";
  out += fmt::format(
      "A (baseline) = `{}`, B (candidate) = `{}`. Differences are B − A; equivalence margin {}, "
      "alpha {:g}; {:g} % confidence intervals (bootstrap: {} resamples, seed {}, BCa where "
      "defined). See docs/compare.md for the tests and how to read the verdicts.\n",
      c.a_label, c.b_label, margin_text(o.margin), o.alpha, o.confidence * 100, o.resamples,
      o.bootstrap_seed);
  for (const auto& s : c.scenarios) {
    out += fmt::format("\n## {}{}\n\n", s.scenario,
                       s.seed ? fmt::format(" (seed {})", *s.seed) : std::string());
    out += "- A: " + side_line(s.a) + "\n";
    out += "- B: " + side_line(s.b) + "\n";
    out += "- " + pairs_line(s.pairs) + "\n";
    out += fmt::format("- In short: {}.\n", in_short(s));

    out += "\n### Per request\n\n" + per_request_heading(o) + ".\n\n";
    const std::string ci = fmt::format("{:g} % CI", o.confidence * 100);
    std::vector<std::vector<std::string>> rows{
        {"metric", "n", "A median", "B median", "B − A median (" + ci + ")", "relative",
         "B − A p99 (" + ci + ")", "relative", "Hodges–Lehmann", "rank-biserial r", "Wilcoxon p",
         "TOST p", "verdict"}};
    for (const auto& m : s.per_request) {
      const auto cells = cells_of(m);
      if (!m.result) {
        rows.push_back({label_with_unit(m.label, m.unit), std::to_string(m.n), num(m.median_a),
                        num(m.median_b), "-", "-", "-", "-", "-", "-", "-", "-", m.note});
        continue;
      }
      const auto& r = *m.result;
      rows.push_back(
          {label_with_unit(m.label, m.unit), std::to_string(m.n), num(m.median_a), num(m.median_b),
           cells.d_median_abs, cells.d_median_rel, cells.d_p99_abs, cells.d_p99_rel,
           signed_num(r.hodges_lehmann),
           std::isfinite(r.test.rank_biserial) ? fmt::format("{:+.3f}", r.test.rank_biserial) : "-",
           p_cell(r.test.p_value), p_cell(r.tost.p_value), short_verdict(r.result, o.margin)});
    }
    out += markdown_table(rows);

    out += "\n### Per run\n\n";
    if (any_run_tested(s)) {
      out += per_run_heading(s, o) + ".\n\n";
      std::vector<std::vector<std::string>> runs{{"metric", "A mean ± sd", "B mean ± sd",
                                                  "B − A (" + ci + ")", "relative", "Cohen's d",
                                                  "Welch t (df)", "p", "TOST p", "verdict"}};
      for (const auto& m : s.per_run) {
        if (!m.result) {
          runs.push_back({label_with_unit(m.label, m.unit), mean_sd(m.mean_a, m.sd_a),
                          mean_sd(m.mean_b, m.sd_b), "-", "-", "-", "-", "-", "-", m.note});
          continue;
        }
        runs.push_back({label_with_unit(m.label, m.unit), mean_sd(m.mean_a, m.sd_a),
                        mean_sd(m.mean_b, m.sd_b),
                        abs_with_ci(m.welch->mean_difference, m.welch->ci.low, m.welch->ci.high),
                        pct_with_ci(m.result->relative_change, m.result->relative_ci.low,
                                    m.result->relative_ci.high),
                        fmt::format("{:+.2f}", m.cohens_d),
                        fmt::format("{:.3g} ({:.3g})", m.welch->statistic, m.welch->df),
                        p_cell(m.welch->p_value), p_cell(m.tost->p_value),
                        short_verdict(*m.result, o.margin)});
      }
      out += markdown_table(runs);
    } else {
      out += (s.per_run.empty() ? std::string("Not tested.") : s.per_run.front().note) + "\n";
    }

    out += "\n### Verdicts\n\n";
    for (const auto& m : s.per_request)
      if (m.result) out += "- **" + m.label + "**: " + verdict_text(m.result->result) + "\n";
    for (const auto& m : s.per_run)
      if (m.result) out += "- **" + m.label + "** (runs): " + verdict_text(*m.result) + "\n";
    if (!s.notes.empty()) {
      out += "\nNotes:\n\n";
      for (const auto& n : s.notes) out += "- " + n + "\n";
    }
  }
  if (!c.notes.empty()) {
    out += "\n## Notes\n\n";
    for (const auto& n : c.notes) out += "- " + n + "\n";
  }
  return out;
}

namespace {

void side_json(runtime::json_writer& w, const side_info& s) {
  w.begin_object().field("records_file", s.records_file).field("summary_file", s.summary_file);
  w.key("seed");
  if (s.seed)
    w.value(*s.seed);
  else
    w.null();
  w.field("base_url", s.base_url)
      .field("model_id", s.model_id)
      .field("emulated", s.emulated)
      .field("time_scale", s.time_scale)
      .field("runs", static_cast<std::uint64_t>(s.runs))
      .field("runs_from_summary", s.runs_from_summary)
      .end_object();
}

void difference_json(runtime::json_writer& w, const an::bootstrap_result& b, double baseline) {
  const auto best = b.best();
  const bool rel = std::isfinite(baseline) && baseline > 0;
  w.begin_object()
      .field("estimate", b.estimate)
      .field("ci_low", best.low)
      .field("ci_high", best.high)
      .field("interval", b.bca_ci ? "BCa" : "percentile")
      .field("percentile_ci_low", b.percentile_ci.low)
      .field("percentile_ci_high", b.percentile_ci.high)
      .field("relative", rel ? b.estimate / baseline : NAN)
      .field("relative_ci_low", rel ? best.low / baseline : NAN)
      .field("relative_ci_high", rel ? best.high / baseline : NAN)
      .end_object();
}

void tost_json(runtime::json_writer& w, const an::tost_result& t) {
  w.begin_object()
      .field("lower", t.bounds.lower)
      .field("upper", t.bounds.upper)
      .field("p_lower", t.p_lower)
      .field("p_upper", t.p_upper)
      .field("p_value", t.p_value)
      .field("equivalent", t.equivalent)
      .end_object();
}

void verdict_json(runtime::json_writer& w, const an::verdict& v, double margin) {
  w.begin_object()
      .field("kind", kind_name(v.kind))
      .field("summary", short_verdict(v, margin))
      .field("text", verdict_text(v))
      .field("relative_change", v.relative_change)
      .field("relative_ci_low", v.relative_ci.low)
      .field("relative_ci_high", v.relative_ci.high)
      .end_object();
}

const char* branch_name(an::wilcoxon_branch b) {
  switch (b) {
    case an::wilcoxon_branch::exact:
      return "exact";
    case an::wilcoxon_branch::permutation:
      return "permutation";
    case an::wilcoxon_branch::asymptotic:
      return "asymptotic";
    case an::wilcoxon_branch::none:
      return "none";
  }
  return "none";
}

void numbers(runtime::json_writer& w, const std::vector<double>& v) {
  w.begin_array();
  for (const double x : v) w.value(x);
  w.end_array();
}

}  // namespace

std::string json_text(const comparison& c) {
  const auto& o = c.options;
  std::string out;
  runtime::json_writer w(out, 2);
  w.begin_object()
      .field("tool", "loadwright")
      .field("kind", "compare")
      .field("a", c.a_label)
      .field("b", c.b_label)
      .field("margin", o.margin)
      .field("alpha", o.alpha)
      .field("confidence", o.confidence)
      .field("bootstrap_resamples", static_cast<std::uint64_t>(o.resamples))
      .field("bootstrap_seed", o.bootstrap_seed);
  w.key("scenarios").begin_array();
  for (const auto& s : c.scenarios) {
    w.begin_object().field("scenario", s.scenario);
    w.key("seed");
    if (s.seed)
      w.value(*s.seed);
    else
      w.null();
    w.key("a");
    side_json(w, s.a);
    w.key("b");
    side_json(w, s.b);
    const auto& p = s.pairs;
    w.key("pairs")
        .begin_object()
        .field("measured_a", static_cast<std::uint64_t>(p.measured_a))
        .field("measured_b", static_cast<std::uint64_t>(p.measured_b))
        .field("matched", static_cast<std::uint64_t>(p.matched))
        .field("only_a", static_cast<std::uint64_t>(p.only_a))
        .field("only_b", static_cast<std::uint64_t>(p.only_b))
        .field("failed_a", static_cast<std::uint64_t>(p.failed_a))
        .field("failed_b", static_cast<std::uint64_t>(p.failed_b))
        .field("ok_pairs", static_cast<std::uint64_t>(p.ok_pairs));
    w.key("runs").begin_array();
    for (const auto r : p.runs) w.value(static_cast<std::uint64_t>(r));
    w.end_array().end_object();

    w.key("per_request").begin_array();
    for (const auto& m : s.per_request) {
      w.begin_object()
          .field("metric", m.key)
          .field("label", m.label)
          .field("unit", m.unit)
          .field("n", static_cast<std::uint64_t>(m.n))
          .field("tested", m.result.has_value());
      w.key("a")
          .begin_object()
          .field("median", m.median_a)
          .field("p99", m.p99_a)
          .field("mean", m.mean_a)
          .end_object();
      w.key("b")
          .begin_object()
          .field("median", m.median_b)
          .field("p99", m.p99_b)
          .field("mean", m.mean_b)
          .end_object();
      if (m.result) {
        const auto& r = *m.result;
        w.key("wilcoxon")
            .begin_object()
            .field("statistic", r.test.statistic)
            .field("r_plus", r.test.r_plus)
            .field("r_minus", r.test.r_minus)
            .field("p_value", r.test.p_value)
            .field("z", r.test.z)
            .field("method", branch_name(r.test.branch))
            .field("n_used", static_cast<std::uint64_t>(r.test.n_used))
            .field("n_zero", static_cast<std::uint64_t>(r.test.n_zero))
            .end_object();
        w.field("hodges_lehmann", r.hodges_lehmann).field("rank_biserial", r.test.rank_biserial);
        w.key("median_difference");
        difference_json(w, r.median_diff, m.median_a);
        w.key("p99_difference");
        difference_json(w, r.p99_diff, m.p99_a);
        w.key("tost");
        tost_json(w, r.tost);
        w.key("verdict");
        verdict_json(w, r.result, o.margin);
      }
      w.field("note", m.note).end_object();
    }
    w.end_array();

    w.key("per_run").begin_array();
    for (const auto& m : s.per_run) {
      w.begin_object()
          .field("metric", m.key)
          .field("label", m.label)
          .field("unit", m.unit)
          .field("better", m.better == an::better_when::higher ? "higher" : "lower")
          .field("tested", m.result.has_value());
      w.key("a");
      numbers(w, m.a);
      w.key("b");
      numbers(w, m.b);
      w.field("mean_a", m.mean_a)
          .field("mean_b", m.mean_b)
          .field("sd_a", m.sd_a)
          .field("sd_b", m.sd_b)
          .field("cohens_d", m.cohens_d);
      if (m.result) {
        w.key("welch")
            .begin_object()
            .field("t", m.welch->statistic)
            .field("df", m.welch->df)
            .field("p_value", m.welch->p_value)
            .field("mean_difference", m.welch->mean_difference)
            .field("ci_low", m.welch->ci.low)
            .field("ci_high", m.welch->ci.high)
            .end_object();
        w.key("tost");
        tost_json(w, *m.tost);
        w.key("verdict");
        verdict_json(w, *m.result, o.margin);
      }
      w.field("note", m.note).end_object();
    }
    w.end_array();
    w.key("verdict_in_short").value(in_short(s));
    w.key("notes").begin_array();
    for (const auto& n : s.notes) w.value(n);
    w.end_array().end_object();
  }
  w.end_array();
  w.key("notes").begin_array();
  for (const auto& n : c.notes) w.value(n);
  w.end_array().end_object();
  out += "\n";
  return out;
}

}  // namespace loadwright::app::compare
