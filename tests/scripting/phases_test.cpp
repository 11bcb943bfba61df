// `phases = { … }` in a scenario file: what becomes of it, and every way it is refused.

#include <filesystem>
#include <fstream>

#include "catch.hpp"
#include "loadwright/scripting/scenario_loader.hpp"

using namespace loadwright::scripting;
namespace rt = loadwright::runtime;
namespace fs = std::filesystem;

namespace {

fs::path write_script(const std::string& name, const std::string& text) {
  const auto dir = fs::temp_directory_path() / "lw_phases_test";
  fs::create_directories(dir);
  const auto p = dir / name;
  std::ofstream(p) << text;
  return p;
}

std::string load_error(const std::string& text) {
  const auto p = write_script("bad.lua", text);
  try {
    load_scenario_file(p, {});
  } catch (const script_error& e) {
    return e.what();
  }
  return "(no error)";
}

std::string with_phases(const std::string& arrival, const std::string& phases,
                        const std::string& extra = "") {
  return "return scenario {\n  name = \"p\", arrival = " + arrival + ",\n  phases = " + phases +
         ",\n" + extra + "}\n";
}

// The start of an error about line `line` of bad.lua: the file and the field's own line.
std::string at(int line) {
  return (fs::temp_directory_path() / "lw_phases_test" / "bad.lua").string() + ":" +
         std::to_string(line) + ": ";
}

}  // namespace

TEST_CASE("phases: a closed loop's timeline, with the framework's defaults",
          "[scripting][phases]") {
  const auto p = write_script(
      "ok.lua", with_phases("closed { concurrency = 8 }",
                            "{ fill = \"30s\", stabilize = \"1m\", measure = 120, drain = \"30s\", "
                            "fill_interval = \"500ms\" }"));
  const auto f = load_scenario_file(p, {});
  REQUIRE(f.scenarios.size() == 1);
  const auto& plan = f.scenarios[0];
  REQUIRE(plan.phases);
  CHECK(plan.phases->fill.count() == 30);
  CHECK(plan.phases->stabilize.count() == 60);
  CHECK(plan.phases->measure.count() == 120);
  CHECK(plan.phases->drain.count() == 30);
  CHECK(plan.phases->fill_interval.count() == 0.5);
  CHECK_FALSE(plan.requests);
  CHECK_FALSE(plan.duration);

  const auto d = write_script("defaults.lua", with_phases("closed { concurrency = 2 }", "{}"));
  const auto dp = *load_scenario_file(d, {}).scenarios[0].phases;
  CHECK(dp.fill.count() == 30);
  CHECK(dp.stabilize.count() == 60);
  CHECK(dp.measure.count() == 120);
  CHECK(dp.drain.count() == 30);
  CHECK(dp.fill_interval.count() == 1);
}

TEST_CASE("phases: an open loop warms up by time and has no fill", "[scripting][phases]") {
  const auto p = write_script(
      "open.lua",
      with_phases("poisson { rate = 4 }", "{ stabilize = \"10s\", measure = \"20s\" }"));
  const auto plan = load_scenario_file(p, {}).scenarios[0];
  REQUIRE(plan.phases);
  CHECK(plan.phases->fill.count() == 0);
  CHECK(plan.phases->stabilize.count() == 10);
  CHECK(load_error(with_phases("poisson { rate = 4 }", "{ fill = \"10s\" }")) ==
        at(3) +
            "scenario.phases.fill: an open loop has no fill (its rate is its load from "
            "the start); stabilize is its warm-up by time");
}

TEST_CASE("phases: refused with one line naming the file and the field", "[scripting][phases]") {
  CHECK(load_error(with_phases("batch { size = 4 }", "{ measure = \"1m\" }")) ==
        at(3) +
            "scenario.phases: not for batch arrivals (a batch waits for all its requests, "
            "so it has no steady load to measure): use closed { concurrency = N }");
  CHECK_THAT(load_error(with_phases("closed { concurrency = 4 }", "{ measure = 0 }")),
             Catch::StartsWith(at(3) + "scenario.phases.measure: expected a positive duration"));
  CHECK_THAT(load_error(with_phases("closed { concurrency = 4 }", "{ drain = \"-5s\" }")),
             Catch::StartsWith(at(3) + "scenario.phases.drain: expected a positive duration"));
  CHECK(load_error(with_phases("closed { concurrency = 4 }", "{ mesure = \"2m\" }")) ==
        at(3) + "scenario.phases.mesure: unknown field (did you mean 'measure'?)");
  CHECK(load_error(with_phases("closed { concurrency = 4 }", "{}", "  duration = \"1m\",\n")) ==
        at(4) +
            "scenario.duration: `phases` set how long the run lasts (fill, stabilize, "
            "measure, drain): give `requests` and `duration` only without them");
  CHECK_THAT(load_error(with_phases("closed { concurrency = 4 }", "\"2m\"")),
             Catch::StartsWith(at(3) + "scenario.phases: expected a table"));
}

TEST_CASE("phases: thresholds may name the steady-state figures", "[scripting][phases]") {
  const auto p = write_script(
      "thr.lua", with_phases("closed { concurrency = 4 }", "{}",
                             "  thresholds = { [\"steady_state.steady\"] = \"== 1\" },\n"));
  const auto plan = load_scenario_file(p, {}).scenarios[0];
  REQUIRE(plan.thresholds.size() == 1);
  CHECK(plan.thresholds[0].key == "steady_state.steady");
  CHECK_THAT(
      load_error("return scenario { name = \"p\", arrival = closed { concurrency = 4 },\n"
                 "  requests = 4, thresholds = { [\"steady_state.steady\"] = \"== 1\" } }\n"),
      Catch::Contains("scenario.thresholds.steady_state.steady: not a summary metric"));
}
