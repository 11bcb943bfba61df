// embed_runtime.cpp: drive loadwright's runtime from C++ without Lua. Builds a plan by
// hand, runs it against the built-in emulator (or the URL given as the first argument) and
// prints a few numbers from the summary.

#include <iostream>

#include "loadwright/app/runner.hpp"
#include "loadwright/datasets/token_counter.hpp"
#include "loadwright/emulator/emulator.hpp"

namespace rt = loadwright::runtime;

int main(int argc, char** argv) {
  rt::scenario_plan plan;
  plan.name = "embedded";
  loadwright::datasets::random_spec dataset;
  dataset.input_tokens = 128;
  dataset.output_tokens = 32;
  plan.dataset = dataset;
  plan.arrival = rt::poisson_arrival{20.0, 1.0};  // 20 requests/s, Poisson
  plan.requests = 50;
  plan.request.ignore_eos = true;

  std::unique_ptr<rt::emulator> emu;
  std::string url = argc > 1 ? argv[1] : "";
  if (url.empty()) {
    emu = std::make_unique<rt::emulator>(rt::find_emulator_profile("fast"));
    emu->start();
    url = emu->base_url();
  }
  rt::engine_options engine;
  std::string why;
  const auto parsed = rt::base_url::parse(url, &why);
  if (!parsed) {
    std::cerr << url << ": " << why << '\n';
    return 2;
  }
  engine.target.url = *parsed;
  engine.target.model = emu ? emu->profile().model : rt::discover_model(engine.target, &why);

  loadwright::datasets::estimate_token_counter counter;
  const auto prepared = rt::prepare_scenario(plan, engine.target.model, counter);
  rt::output_options out;
  out.out_dir = "results";
  const auto outcome = rt::run_scenario(prepared, engine, out);
  std::cout << "completed " << outcome.combined.get("completed") << ", mean TTFT "
            << outcome.combined.get("mean_ttft_ms") << " ms, p99 ITL "
            << outcome.combined.get("p99_itl_ms") << " ms, output "
            << outcome.combined.get("output_throughput") << " tok/s\n";
  return outcome.failed_checks.empty() ? 0 : 1;
}
