// Issue 16's check against the emulator shaped like a known machine (`spark`, vLLM's chunked
// prefill with a prefix cache), the grid run time-scaled (about 55 s of wall time for 12
// cells): the framework's difficulty ordering (B2 hardest, A1 easiest) and its saturation shape
// (server throughput rising, then flattening, with N), and `steady: false` for a window too
// short to settle. Tagged [calibration]: the sanitizers' slowness distorts the modelled clock.
// The measure window is the framework's 120 s: with 60 s (1.2 s of wall time) one run in five
// saw a cell's output rate drift 7.6 % between the window's halves, a stall of the machine
// rather than of the model, and called it not steady.

#include <map>

#include "catch.hpp"
#include "cli_support.hpp"

using namespace lw_e2e;

namespace {

// NAME.steady.csv: server tok/s and steadiness of each (scenario, N).
struct cell_figures {
  double server_tps = 0;
  bool steady = false;
};

std::map<std::pair<std::string, int>, cell_figures> read_grid(const fs::path& csv_path) {
  const auto rows = csv_rows(csv_path);
  REQUIRE_FALSE(rows.empty());
  REQUIRE(rows[0].size() > 4);
  REQUIRE(rows[0][0] + "," + rows[0][1] + "," + rows[0][2] + "," + rows[0][3] ==
          "target,scenario,batch_size,server_tps");
  std::map<std::pair<std::string, int>, cell_figures> grid;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const auto& cells = rows[i];
    REQUIRE(cells.size() == 12);
    grid[{cells[1], std::stoi(cells[2])}] = {cells[3].empty() ? 0.0 : std::stod(cells[3]),
                                             cells[11] == "true"};
  }
  return grid;
}

}  // namespace

TEST_CASE(
    "steady_state.suite on the spark emulator: B2 hardest and A1 easiest; throughput "
    "rises then flattens with N",
    "[e2e][phases][calibration]") {
  const auto dir = temp_dir("steady_shape");
  const auto script = write(dir / "shape.lua", R"(
local steady = require "steady_state"
return steady.suite {
  name = "shape", scenarios = { "A1", "B1", "B2" }, batch_sizes = { 1, 8, 32, 128 },
  stabilize = "30s", max_tokens = 128,
})");
  const auto r = sh("run " + script.string() + " --out " + dir.string() +
                    " --emulator-profile spark --emulator-time-scale 0.02 --emulator-prefix-cache");
  const auto report = r.out.find("# Steady state: shape");  // the output's end, if it got there
  INFO(r.out.substr(report == std::string::npos ? 0 : report));
  REQUIRE(r.code == 0);
  const auto grid = read_grid(dir / "shape.steady.csv");
  REQUIRE(grid.size() == 12);
  const int sizes[] = {1, 8, 32, 128};
  for (const auto& [cell, figures] : grid) {
    INFO(cell.first << " at N=" << cell.second);
    CHECK(figures.steady);
  }
  for (const char* id : {"A1", "B1", "B2"}) {
    INFO(id);
    const auto tps = [&](int n) { return grid.at({id, n}).server_tps; };
    for (int k = 1; k < 4; ++k) {
      INFO("N=" << sizes[k - 1] << " -> " << sizes[k]);
      CHECK(tps(sizes[k]) > tps(sizes[k - 1]));  // rising
      // Each slot adds less than the one before: per-slot throughput falls.
      CHECK(tps(sizes[k]) / sizes[k] < tps(sizes[k - 1]) / sizes[k - 1]);
    }
    // Flattening: ×8 slots more than doubles it at the bottom, ×4 at the top gives under 1.6×
    // (measured: A1 2.9× then 1.39×, B2 2.4× then 1.08×).
    CHECK(tps(8) / tps(1) > 2.0);
    CHECK(tps(128) / tps(32) < 1.6);
  }
  for (int n : sizes) {
    INFO("N=" << n);
    const double a1 = grid.at({"A1", n}).server_tps, b1 = grid.at({"B1", n}).server_tps,
                 b2 = grid.at({"B2", n}).server_tps;
    CHECK(b2 < b1);  // long diverse prompts are the hardest
    CHECK(b2 < a1 / 1.1);
    CHECK(b1 < a1 * 1.02);  // a cached identical prompt is the easiest (within the noise)
  }
  // B2's difficulty grows with the batch (measured 1.16 at N=1, 1.95 at N=128).
  CHECK(grid.at({"A1", 128}).server_tps / grid.at({"B2", 128}).server_tps >
        grid.at({"A1", 1}).server_tps / grid.at({"B2", 1}).server_tps);
  const auto md = read(dir / "shape.steady.md");
  CHECK(md.find("| A1 | 1.00 | 1.00 | 1.00 | 1.00 |") != std::string::npos);
}

TEST_CASE("steady_state on the spark emulator: a window too short to settle is not steady",
          "[e2e][phases][calibration]") {
  // B2 at N=32: a request takes tens of modelled seconds, so with a 4 s window nothing sent in
  // it completes by the end of a 1 s drain.
  const auto dir = temp_dir("steady_short");
  const auto script = write(dir / "short.lua", R"(
local steady = require "steady_state"
return steady.scenario {
  name = "short", workload = "B2", batch_size = 32, stabilize = "5s", measure = "4s",
  drain = "1s",
})");
  const auto r = sh("run " + script.string() + " --out " + dir.string() +
                    " --emulator-profile spark --emulator-time-scale 0.02");
  INFO(r.out);
  REQUIRE(r.code == 0);
  CHECK(r.out.find("WARNING: the run was not steady: no request sent in the measure window "
                   "completed by the end of the drain") != std::string::npos);
  const auto grid = read_grid(dir / "short.steady.csv");
  REQUIRE(grid.size() == 1);
  CHECK_FALSE(grid.at({"B2", 32}).steady);
}
