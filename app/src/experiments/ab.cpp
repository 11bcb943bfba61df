// ab { a, b, scenario, rounds, pause, warmup, margin, alpha }: the methodology chapter's A/B
// protocol. Each round runs the scenario against both servers with the same seed (the same
// requests, in the same order and at the same times), A first in odd rounds and B first in even
// ones, each run warmed just before it, with a pause between any two runs. Then the rounds are
// pooled per side (request ids prefixed with the round, each round a run) and compared as
// `loadwright compare` does: Wilcoxon signed-rank on the request pairs, bootstrap intervals,
// Welch across rounds, TOST against the margin. NAME.compare.md / .json in the output folder.

#include <fmt/format.h>

#include <algorithm>
#include <iostream>

#include "../commands/compare_model.hpp"
#include "../result_io.hpp"
#include "experiments.hpp"
#include "records_reader.hpp"

namespace loadwright::app {

namespace rt = loadwright::runtime;

namespace {

// One side's rounds pooled: ids "rK-RUN-SEQ", run number K, the scenario's own name.
void add_round(const rt::ab_plan& plan, int round, const rt::scenario_report& report,
               const std::string& run_name, compare::side_results& side) {
  for_each_record(report.records_path, [&](const rt::request_record& r) {
    rt::request_record copy = r;
    const auto tail = r.request_id.size() > run_name.size() &&
                              r.request_id.compare(0, run_name.size(), run_name) == 0
                          ? r.request_id.substr(run_name.size() + 1)
                          : r.request_id;
    copy.request_id = fmt::format("r{}-{}", round, tail);
    copy.scenario = plan.name;
    copy.run = static_cast<std::uint32_t>(round);
    side.records.push_back(std::move(copy));
  });
  compare::run_values values;
  for (const auto& f : report.combined.fields) values.emplace(f.key, f.value);
  side.runs.push_back(std::move(values));
}

std::string run_name(const rt::ab_plan& plan, int side, int round) {
  return fmt::format("{}-{}-r{}", plan.name, side == 0 ? "a" : "b", round);
}

}  // namespace

int run_ab(const rt::ab_plan& plan, experiment_io& io) {
  compare::side_results sides[2];
  for (int s = 0; s < 2; ++s) {
    sides[s].scenario = plan.name;
    sides[s].seed = plan.base.seed;
    sides[s].runs_from_summary = true;
    const auto stem = io.out_dir / (plan.name + (s == 0 ? "-a-r*" : "-b-r*"));
    sides[s].records_file = stem.string() + ".requests.jsonl";
    sides[s].summary_file = stem.string() + ".json";
    sides[s].base_url = io.side_url[s];
    sides[s].model_id = io.side_model[s];
  }
  const rt::ab_side* labels[2] = {&plan.a, &plan.b};
  bool first = true;
  for (int round = 1; round <= plan.rounds; ++round) {
    const int order[2] = {round % 2 == 1 ? 0 : 1, round % 2 == 1 ? 1 : 0};
    for (const int side : order) {
      if (io.stopped && io.stopped()) return 0;  // the caller reports the interruption
      if (!first && plan.pause.count() > 0 && io.pause) io.pause(plan.pause);
      first = false;
      rt::scenario_plan scenario = plan.base;
      scenario.name = run_name(plan, side, round);
      scenario.warmup = std::max(plan.base.warmup, plan.warmup);
      scenario.runs = 1;
      if (io.console)
        *io.console << fmt::format("ab {}: round {} of {}: {} ({})\n", plan.name, round,
                                   plan.rounds, labels[side]->label,
                                   side == order[0] ? "first" : "second");
      const auto report = io.run_on(scenario, side);
      if (report.interrupted) return 0;
      add_round(plan, round, report, scenario.name, sides[side]);
    }
  }

  compare::comparison c;
  c.a_label = plan.a.label;
  c.b_label = plan.b.label;
  c.options.margin = plan.margin;
  c.options.alpha = plan.alpha;
  try {
    c.scenarios.push_back(compare::compare_scenario(sides[0], sides[1], c.options));
  } catch (const compare::compare_error& e) {
    std::cerr << fmt::format("loadwright: ab {}: the two sides cannot be compared: {}\n", plan.name,
                             e.what());
    return 2;
  }
  c.notes.push_back(fmt::format(
      "{} rounds, the order alternating ({} first in odd rounds), {:g} s between runs, each "
      "run warmed with {} requests",
      plan.rounds, plan.a.label, plan.pause.count(), std::max(plan.base.warmup, plan.warmup)));
  const auto md = io.out_dir / (plan.name + ".compare.md"),
             json = io.out_dir / (plan.name + ".compare.json");
  rt::write_atomically(md, compare::markdown_text(c));
  rt::write_atomically(json, compare::json_text(c));
  if (io.console) {
    *io.console << '\n' << compare::console_text(c);
    for (const auto& f : {md, json}) *io.console << "wrote " << f.string() << '\n';
  }
  return 0;
}

}  // namespace loadwright::app
