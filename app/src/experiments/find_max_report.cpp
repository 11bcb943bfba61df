#include "find_max_report.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "experiments.hpp"
#include "loadwright/core/json_writer.hpp"

namespace loadwright::app {

namespace rt = loadwright::runtime;

namespace {

std::string unit(const rt::find_max_plan& plan) {
  return plan.axis == rt::load_axis::rate ? " req/s" : " in flight";
}

std::string verdict_of(const probe_evidence& p) {
  if (p.passed) return p.sure_pass ? "pass (sure)" : "pass (within the noise)";
  return p.sure_fail ? "fail (sure)" : "fail (within the noise)";
}

std::string bound_text(const bound_evidence& b) {
  if (b.n == 0) return fmt::format("{}: no value", b.name);
  return fmt::format("{} {:.1f} ms [{:.1f}, {:.1f}] {} {:.0f} ms", b.name, b.estimate_ms,
                     b.ci_ms.low, b.ci_ms.high, b.pass ? "≤" : ">", b.limit_ms);
}

}  // namespace

std::string probe_line(const rt::find_max_plan& plan, std::size_t number, const probe_evidence& p) {
  std::vector<std::string> parts;
  for (const auto& b : p.bounds) parts.push_back(bound_text(b));
  if (p.saturated_repeats > 0)
    parts.push_back(fmt::format("{} of {} repeats saturated ({})", p.saturated_repeats, p.repeats,
                                fmt::join(p.reasons, "; ")));
  return fmt::format("find_max {}: probe {} ({}): {} ×{}: {}: {}", plan.name, number, p.stage,
                     rt::describe_load(plan.axis, p.load), p.repeats, fmt::join(parts, ", "),
                     verdict_of(p));
}

std::string answer_text(const rt::find_max_plan& plan, const find_max_outcome& out) {
  const auto u = unit(plan);
  if (!out.answer) {
    if (out.probes.empty()) return "no answer: nothing was probed";
    return fmt::format("no answer: the lowest load, {}{}, already fails the SLO",
                       rt::format_load(plan.from), u);
  }
  std::string text = rt::format_load(*out.answer) + u;
  if (!out.first_fail)
    text += fmt::format(" or more: the highest load asked ({}) passes; raise `to`",
                        rt::format_load(plan.to));
  const auto low = out.band.low ? rt::format_load(*out.band.low) : std::string("?");
  const auto high = out.band.high ? rt::format_load(*out.band.high) : std::string("?");
  text += fmt::format(" (band {}–{}{}, {:.0f} % intervals)", low, high, u, 100 * plan.confidence);
  return text;
}

std::string find_max_markdown(const rt::find_max_plan& plan, const find_max_outcome& out,
                              const std::string& note) {
  std::string md = fmt::format("# {}: the highest {} under the SLO{}\n\n", plan.name,
                               plan.axis == rt::load_axis::rate ? "rate" : "concurrency",
                               note.empty() ? "" : " (" + note + ")");
  std::vector<std::string> slo;
  for (const auto& b : plan.slo) slo.push_back(fmt::format("{} ≤ {}", b.name, b.text));
  md += fmt::format(
      "SLO: {}. Each probe ran {} time(s); its requests pooled; intervals are "
      "{:.0f} % bootstrap intervals of each bound's statistic.\n\n",
      fmt::join(slo, ", "), plan.repeats, 100 * plan.confidence);
  md += "**Answer: " + answer_text(plan, out) + "**\n\n";
  if (out.interrupted) md += "Interrupted: the search stopped early.\n\n";
  md += "| probe | stage | load | repeats | achieved |";
  for (const auto& b : plan.slo) md += fmt::format(" {} (ms) [interval] |", b.name);
  md += " errors | verdict | why |\n|---|---|---|---|---|";
  for (std::size_t i = 0; i < plan.slo.size(); ++i) md += "---|";
  md += "---|---|---|\n";
  for (std::size_t i = 0; i < out.probes.size(); ++i) {
    const auto& p = out.probes[i];
    md += fmt::format("| {} | {} | {} | {} | {:.3g} |", i + 1, p.stage, rt::format_load(p.load),
                      p.repeats, p.achieved_mean);
    for (const auto& b : p.bounds)
      md += b.n == 0 ? std::string(" – |")
                     : fmt::format(" {:.1f} [{:.1f}, {:.1f}] |", b.estimate_ms, b.ci_ms.low,
                                   b.ci_ms.high);
    md += fmt::format(" {:.1f} % | {} | {} |\n", 100 * p.error_rate, verdict_of(p),
                      p.passed ? std::string() : fmt::format("{}", fmt::join(p.reasons, "; ")));
  }
  if (out.confirmation)
    md += fmt::format(
        "\nConfirmation at {}: {}\n", rt::format_load(*out.answer),
        out.confirmation->passed
            ? std::string("held")
            : "did not hold: " + fmt::format("{}", fmt::join(out.confirmation->reasons, "; ")));
  md +=
      "\nThe band runs from the largest load that passed with every interval within its "
      "limit to the smallest that failed with an interval wholly over it (or saturated in "
      "every repeat); \"?\" where no probe was that sure.\n";
  return md;
}

std::string find_max_json(const rt::find_max_plan& plan, const find_max_outcome& out) {
  std::string text;
  rt::json_writer w(text, 2);
  auto optional = [&](const char* key, const std::optional<double>& v) {
    w.key(key);
    v ? w.value(*v) : w.null();
  };
  begin_experiment_json(w, "find_max", plan.name, plan.source, plan.axis, plan.slo);
  w.field("from", plan.from).field("to", plan.to).field("precision", plan.precision);
  w.field("repeats", plan.repeats).field("confidence", plan.confidence);
  optional("answer", out.answer);
  optional("first_fail", out.first_fail);
  optional("band_low", out.band.low);
  optional("band_high", out.band.high);
  w.field("answer_text", answer_text(plan, out));
  w.field("interrupted", out.interrupted);
  w.key("confirmation");
  if (out.confirmation) {
    w.begin_object().field("passed", out.confirmation->passed).key("reasons").begin_array();
    for (const auto& r : out.confirmation->reasons) w.value(r);
    w.end_array().end_object();
  } else {
    w.null();
  }
  w.key("probes").begin_array();
  for (const auto& p : out.probes) {
    w.begin_object().field("load", p.load).field("stage", p.stage).field("repeats", p.repeats);
    w.field("achieved", p.achieved_mean).field("error_rate", p.error_rate);
    w.field("saturated_repeats", p.saturated_repeats);
    w.field("passed", p.passed).field("sure_pass", p.sure_pass).field("sure_fail", p.sure_fail);
    w.key("bounds").begin_array();
    for (const auto& b : p.bounds) {
      w.begin_object().field("name", b.name).field("n", static_cast<std::uint64_t>(b.n));
      w.field("estimate_ms", b.estimate_ms).field("low_ms", b.ci_ms.low);
      w.field("high_ms", b.ci_ms.high).field("limit_ms", b.limit_ms).field("pass", b.pass);
      w.field("sure", b.sure).end_object();
    }
    w.end_array().key("reasons").begin_array();
    for (const auto& r : p.reasons) w.value(r);
    w.end_array().key("scenarios").begin_array();
    for (const auto& s : p.scenarios) w.value(s);
    w.end_array().end_object();
  }
  w.end_array().end_object();
  return text + "\n";
}

}  // namespace loadwright::app
