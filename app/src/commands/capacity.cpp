// Capacity plans: the analysis library's arithmetic, shown on the console and written as
// NAME.json and NAME.md. Nothing is sent.

#include "loadwright/app/capacity.hpp"

#include <fmt/format.h>

#include <cmath>
#include <iostream>
#include <optional>
#include <stdexcept>

#include "loadwright/analysis/capacity.hpp"
#include "loadwright/core/json_writer.hpp"
#include "result_io.hpp"

namespace loadwright::app {

namespace an = loadwright::analysis;

namespace {

std::string rate(double r) {
  return fmt::format("{:g} req/s", r);
}

std::string percent(double headroom) {
  return fmt::format("{:g} %", headroom * 100);
}

// " (5–6)": the band's two ends, fewest first; "" without a band.
std::string ends(const std::optional<an::capacity_band>& band, long an::capacity_plan::*field) {
  if (!band) return {};
  const long a = band->at_high.*field, b = band->at_low.*field;
  return fmt::format(" ({}\u2013{})", std::min(a, b), std::max(a, b));
}

void plan_fields(runtime::json_writer& w, const an::capacity_plan& p) {
  w.field("max_rate", p.max_rate)
      .field("ratio", p.ratio)
      .field("instances", static_cast<std::int64_t>(p.instances))
      .field("gpus", static_cast<std::int64_t>(p.gpus))
      .field("gpus_with_headroom", static_cast<std::int64_t>(p.gpus_with_headroom))
      .field("instances_with_headroom", static_cast<std::int64_t>(p.instances_with_headroom));
}

}  // namespace

capacity_texts render_capacity(const runtime::capacity_spec& spec) {
  const auto plan =
      an::plan_capacity(spec.target_rate, spec.max_rate, spec.gpus_per_instance, spec.headroom);
  std::optional<an::capacity_band> band;
  if (spec.max_rate_low && spec.max_rate_high)
    band = an::plan_capacity_band(spec.target_rate, spec.max_rate, *spec.max_rate_low,
                                  *spec.max_rate_high, spec.gpus_per_instance, spec.headroom);
  const std::string summary = band ? an::describe(*band) : an::describe(plan);
  const std::string band_text =
      band ? fmt::format(" (band {:g}\u2013{:g})", *spec.max_rate_low, *spec.max_rate_high) : "";
  const bool chapter_differs = plan.instances != plan.instances_chapter ||
                               plan.gpus_with_headroom != plan.gpus_with_headroom_chapter;

  capacity_texts t;
  auto it = std::back_inserter(t.console);
  fmt::format_to(it, "capacity plan{} ({})\n", spec.name == "capacity" ? "" : " " + spec.name,
                 spec.source);
  fmt::format_to(it, "  target:        {}\n", rate(spec.target_rate));
  fmt::format_to(it, "  per instance:  {}{} under the SLOs, {} GPU{} each\n", rate(spec.max_rate),
                 band_text, spec.gpus_per_instance, spec.gpus_per_instance == 1 ? "" : "s");
  fmt::format_to(it, "  instances:     ceil({:g} / {:g}) = ceil({:.4g}) = {}{}\n", spec.target_rate,
                 spec.max_rate, plan.ratio, plan.instances,
                 ends(band, &an::capacity_plan::instances));
  fmt::format_to(it, "  GPUs:          {} \u00d7 {} = {}{}\n", plan.instances,
                 spec.gpus_per_instance, plan.gpus, ends(band, &an::capacity_plan::gpus));
  fmt::format_to(it, "  headroom:      {} \u00d7 {:g} = {} GPUs{}, {} instance{} of {}\n",
                 plan.gpus, 1 + spec.headroom, plan.gpus_with_headroom,
                 ends(band, &an::capacity_plan::gpus_with_headroom), plan.instances_with_headroom,
                 plan.instances_with_headroom == 1 ? "" : "s", spec.gpus_per_instance);
  fmt::format_to(it, "  plan:          {}\n", summary);
  if (chapter_differs)
    fmt::format_to(it,
                   "  note: the chapter's int(x + 0.99) and int(gpus \u00d7 {:g}) give {} "
                   "instances and {} GPUs with headroom; the plan uses true ceilings\n",
                   1 + spec.headroom, plan.instances_chapter, plan.gpus_with_headroom_chapter);

  runtime::json_writer w(t.json, 2);
  w.begin_object()
      .field("tool", "loadwright")
      .field("loadwright_version", "0.1.0")
      .field("kind", "capacity_plan")
      .field("name", spec.name)
      .field("source", spec.source)
      .field("target_rate", spec.target_rate)
      .field("max_rate", spec.max_rate);
  w.key("max_rate_low");
  spec.max_rate_low ? w.value(*spec.max_rate_low) : w.null();
  w.key("max_rate_high");
  spec.max_rate_high ? w.value(*spec.max_rate_high) : w.null();
  w.field("gpus_per_instance", spec.gpus_per_instance).field("headroom", spec.headroom);
  w.field("ratio", plan.ratio)
      .field("instances", static_cast<std::int64_t>(plan.instances))
      .field("gpus", static_cast<std::int64_t>(plan.gpus))
      .field("gpus_with_headroom", static_cast<std::int64_t>(plan.gpus_with_headroom))
      .field("instances_with_headroom", static_cast<std::int64_t>(plan.instances_with_headroom));
  w.key("chapter_formulas")
      .begin_object()
      .field("instances", static_cast<std::int64_t>(plan.instances_chapter))
      .field("gpus_with_headroom", static_cast<std::int64_t>(plan.gpus_with_headroom_chapter))
      .end_object();
  w.key("band");
  if (band) {
    w.begin_object().key("at_max_rate_low").begin_object();
    plan_fields(w, band->at_low);
    w.end_object().key("at_max_rate_high").begin_object();
    plan_fields(w, band->at_high);
    w.end_object().end_object();
  } else {
    w.null();
  }
  w.field("summary", summary).end_object();
  t.json += '\n';

  auto md = std::back_inserter(t.markdown);
  fmt::format_to(md, "# Capacity plan: {}\n\n", spec.name);
  fmt::format_to(md,
                 "Target {}; one instance of {} GPU{} sustains {}{} under the SLOs; {} "
                 "headroom.\n\n",
                 rate(spec.target_rate), spec.gpus_per_instance,
                 spec.gpus_per_instance == 1 ? "" : "s", rate(spec.max_rate), band_text,
                 percent(spec.headroom));
  fmt::format_to(md, "**{}**\n\n", summary);
  fmt::format_to(md,
                 "| max rate per instance | instances | GPUs | GPUs with headroom |\n"
                 "|---|---|---|---|\n");
  auto md_row = [&](const char* label, const an::capacity_plan& p) {
    fmt::format_to(md, "| {}{} | {} | {} | {} |\n", rate(p.max_rate), label, p.instances, p.gpus,
                   p.gpus_with_headroom);
  };
  if (band) md_row(" (band high)", band->at_high);
  md_row("", plan);
  if (band) md_row(" (band low)", band->at_low);
  fmt::format_to(md,
                 "\ninstances = ceil(target / max rate), GPUs = instances \u00d7 GPUs per "
                 "instance, GPUs with headroom = ceil(GPUs \u00d7 (1 + headroom)) (methodology "
                 "chapter \u00a72; source: {}).\n",
                 spec.source);
  return t;
}

int present_capacity(const runtime::capacity_spec& spec, const std::filesystem::path* out_dir,
                     std::ostream* console) {
  capacity_texts t;
  try {
    t = render_capacity(spec);
  } catch (const std::invalid_argument& e) {
    std::cerr << "loadwright: " << spec.source << ": " << e.what() << '\n';
    return 2;
  }
  if (console) *console << t.console;
  if (!out_dir) return 0;
  try {
    std::filesystem::create_directories(*out_dir);
    for (const auto& [ext, text] : {std::pair{".json", &t.json}, std::pair{".md", &t.markdown}}) {
      const auto path = *out_dir / (spec.name + ext);
      runtime::write_atomically(path, *text);
      if (console) *console << "wrote " << path.string() << '\n';
    }
  } catch (const std::exception& e) {
    std::cerr << "loadwright: capacity: " << e.what() << '\n';
    return 2;
  }
  return 0;
}

}  // namespace loadwright::app
