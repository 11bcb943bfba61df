// Issue 16 through the built CLI against the emulator: a closed loop with `phases` writes
// every record with its phase, the steady-state figures equal the framework's formulas
// recomputed from the records, the summary carries each phase's times, a time series is
// written for every run, --dry-run prints the timeline, and bad input sends nothing.

#include <boost/json.hpp>
#include <map>
#include <set>
#include <sstream>

#include "catch.hpp"
#include "cli_support.hpp"
#include "hostile_wire.hpp"
#include "scripted_server.hpp"

using namespace lw_e2e;

namespace {

double num(const json::value& v) {
  return v.to_number<double>();
}

}  // namespace

TEST_CASE("phases: a closed loop through fill, stabilize, measure and drain", "[e2e][phases]") {
  const auto dir = temp_dir("steady");
  const auto script = write(dir / "steady.lua", R"(
return scenario {
  name = "steady",
  dataset = random { input_tokens = 32, output_tokens = 16 },
  arrival = closed { concurrency = 4 },
  phases = { fill = "2s", fill_interval = "500ms", stabilize = "1s", measure = "3s",
             drain = "5s" },
  thresholds = { ["steady_state.server_tps"] = "> 0" },
})");
  const auto r = sh("run " + script.string() + " --out " + dir.string());
  INFO(r.out);
  REQUIRE(r.code == 0);
  CHECK(r.out.find(" Steady state ") != std::string::npos);
  CHECK(r.out.find("Server throughput (user × 4) (tok/s):") != std::string::npos);
  CHECK(r.out.find("wrote " + (dir / "steady.timeseries.csv").string()) != std::string::npos);
  CHECK(r.out.find("threshold steady_state.server_tps > 0: pass (") != std::string::npos);

  // Every record has its phase; the measured set is what was sent in the window and ended ok.
  const auto records = json_lines(dir / "steady.requests.jsonl");
  std::map<std::string, int> phases;
  std::vector<double> user_tps, generation_tps;
  std::int64_t measured = 0;
  for (const auto& rec : records) {
    const std::string phase(rec.at("phase").as_string());
    ++phases[phase];
    if (phase != "measure" || rec.at("status").as_string() != "ok") continue;
    ++measured;
    const double out = num(rec.at("output_tokens"));
    const double e2el_s = num(rec.at("e2el_ms")) / 1000, ttft_s = num(rec.at("ttft_ms")) / 1000;
    user_tps.push_back(out / e2el_s);
    generation_tps.push_back(out / (e2el_s - ttft_s));
  }
  CHECK(phases["fill"] > 0);
  CHECK(phases["stabilize"] > 0);
  CHECK(phases["measure"] > 0);
  CHECK(phases.count("warmup") == 0);
  REQUIRE(measured > 0);
  auto mean = [](const std::vector<double>& x) {
    double s = 0;
    for (const double v : x) s += v;
    return s / static_cast<double>(x.size());
  };

  const auto summary = json::parse(read(dir / "steady.json")).as_object();
  CHECK(summary.at("completed").to_number<std::int64_t>() == measured);
  const auto& steady = summary.at("steady_state").as_object();
  CHECK(steady.at("measured_set").as_string() ==
        "requests sent in the measure window and completed by the end of the drain");
  const auto& run = steady.at("runs").as_array().at(0).as_object();
  CHECK(run.at("measured_requests").to_number<std::int64_t>() == measured);
  CHECK(num(run.at("user_tps").at("mean")) == Approx(mean(user_tps)).epsilon(1e-4));
  CHECK(num(run.at("generation_tps").at("mean")) == Approx(mean(generation_tps)).epsilon(1e-4));
  CHECK(num(run.at("server_tps")) == Approx(4 * mean(user_tps)).epsilon(1e-4));
  CHECK(run.at("concurrency").to_number<int>() == 4);
  // The phases, in order, each with its wall-clock ends.
  const auto& spans = run.at("phases").as_array();
  REQUIRE(spans.size() == 4);
  const char* names[] = {"fill", "stabilize", "measure", "drain"};
  const double planned[] = {0, 2, 3, 6};
  for (std::size_t i = 0; i < 4; ++i) {
    const auto& p = spans[i].as_object();
    CHECK(p.at("phase").as_string() == names[i]);
    CHECK(num(p.at("start_s")) == planned[i]);
    CHECK(p.at("start").as_string().ends_with("Z"));
    CHECK(p.at("end").as_string().size() == std::string("2026-12-03T21:07:21.123Z").size());
  }
  CHECK(num(spans[2].at("end_s")) == 6);
  CHECK(num(run.at("total_wall_s")) == num(spans[3].at("end_s")));
  CHECK(steady.at("steady").is_bool());

  // The time series: a row a second from 0, its phases in order.
  const auto csv = read(dir / "steady.timeseries.csv");
  CHECK(csv.starts_with(
      "run,second,phase,in_flight,sent,completed,output_tokens_per_s,ttft_p50_ms\n1,0,fill,"));
  CHECK(csv.find("\n1,2,stabilize,") != std::string::npos);
  CHECK(csv.find("\n1,3,measure,") != std::string::npos);
  CHECK(csv.find("\n1,6,drain,") != std::string::npos);
}

TEST_CASE("phases: --dry-run prints the timeline; bad input is refused before anything is sent",
          "[e2e][phases]") {
  const auto dir = temp_dir("steady_bad");
  const auto good = write(dir / "good.lua", R"(
return scenario {
  name = "g",
  dataset = random { input_tokens = 32, output_tokens = 512 },
  arrival = closed { concurrency = 64 },
  phases = { measure = "10s" },
})");
  const auto dry = sh("run " + good.string() + " --dry-run --out " + (dir / "dry").string());
  INFO(dry.out);
  CHECK(dry.code == 0);
  CHECK(dry.out.find("phases:    fill 63 s (one slot every 1 s up to 64), stabilize 60 s, "
                     "measure 10 s, drain up to 30 s: 163 s at most") != std::string::npos);
  CHECK(dry.out.find("phases.measure (10 s) is shorter than one request can plausibly take") !=
        std::string::npos);

  const auto bad = write(dir / "bad.lua", R"(
return scenario {
  name = "b",
  arrival = batch { size = 4 },
  phases = { measure = "10s" },
})");
  const auto log = dir / "emulator.log";
  const auto r = sh("run " + bad.string() + " --out " + (dir / "out").string() +
                    " --emulator-log " + log.string());
  CHECK(r.code == 2);
  CHECK(r.out.find("bad.lua:5: scenario.phases: not for batch arrivals") != std::string::npos);
  CHECK_FALSE(fs::exists(log));
  CHECK_FALSE(fs::exists(dir / "out" / "b.requests.jsonl"));
}

TEST_CASE("phases: every run gets its time series, phases or not", "[e2e][phases]") {
  const auto dir = temp_dir("timeseries");
  const auto script = write(dir / "plain.lua", R"(
return scenario {
  name = "plain",
  dataset = random { input_tokens = 16, output_tokens = 8 },
  arrival = closed { concurrency = 2 },
  requests = 6,
})");
  const auto r = sh("run " + script.string() + " --out " + dir.string());
  INFO(r.out);
  REQUIRE(r.code == 0);
  const auto csv = read(dir / "plain.timeseries.csv");
  CHECK(
      csv.starts_with("run,second,phase,in_flight,sent,completed,output_tokens_per_s,"
                      "ttft_p50_ms\n1,0,measure,"));
  // Six requests sent and completed in all, whatever the seconds they fell in.
  int sent = 0, completed = 0;
  const auto rows = csv_rows(dir / "plain.timeseries.csv");
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const auto& cells = rows[i];
    REQUIRE(cells.size() >= 7);
    sent += std::stoi(cells[4]);
    completed += std::stoi(cells[5]);
  }
  CHECK(sent == 6);
  CHECK(completed == 6);
}

TEST_CASE("steady_state.suite: the grid's cells and its report, against the emulator",
          "[e2e][phases]") {
  const auto dir = temp_dir("steady_suite");
  const auto script = write(dir / "grid.lua", R"(
local steady = require "steady_state"
return steady.suite {
  name = "grid", scenarios = { "A1", "B2" }, batch_sizes = { 1, 4 },
  fill = "1s", fill_interval = "250ms", stabilize = "1s", measure = "2s", drain = "2s",
  max_tokens = 16,
})");
  const auto dry = sh("run " + script.string() + " --dry-run --out " + (dir / "dry").string());
  INFO(dry.out);
  REQUIRE(dry.code == 0);
  for (const char* name : {"grid-A1-n1", "grid-A1-n4", "grid-B2-n1", "grid-B2-n4"})
    CHECK(dry.out.find(std::string("scenario ") + name) != std::string::npos);
  CHECK(dry.out.find("phases:    fill 1 s (one slot every 0.25 s up to 4), stabilize 1 s, "
                     "measure 2 s, drain up to 2 s: 6 s at most") != std::string::npos);
  CHECK(dry.out.find("expected time: 24.0 s for 4 of 4 scenarios\n") != std::string::npos);

  const auto r = sh("run " + script.string() + " --out " + dir.string());
  INFO(r.out);
  REQUIRE(r.code == 0);
  const auto csv = read(dir / "grid.steady.csv");
  CHECK(csv.starts_with("target,scenario,batch_size,server_tps,"));
  CHECK(csv.find("\n,A1,1,") != std::string::npos);
  CHECK(csv.find("\n,B2,4,") != std::string::npos);
  const auto md = read(dir / "grid.steady.md");
  CHECK(md.starts_with("# Steady state: grid\n"));
  CHECK(md.find("| scenario | N=1 | N=4 |") != std::string::npos);
  CHECK(md.find("| A1 | 1.00 | 1.00 |") != std::string::npos);
  CHECK(r.out.find("# Steady state: grid") != std::string::npos);  // printed after the suite
  // A1 sends one prompt to every request; B2 a different ~2,500-token slice to each.
  const auto a1 = json_lines(dir / "grid-A1-n4.requests.jsonl");
  const auto b2 = json_lines(dir / "grid-B2-n4.requests.jsonl");
  REQUIRE(a1.size() > 1);
  REQUIRE(b2.size() > 1);
  std::set<std::int64_t> a1_inputs;
  for (const auto& rec : a1) a1_inputs.insert(rec.at("input_tokens").to_number<std::int64_t>());
  CHECK(a1_inputs.size() == 1);
  CHECK(b2.front().at("input_tokens").to_number<std::int64_t>() > 2000);
}

TEST_CASE("steady_state: the shipped workloads validate; bad grids are refused", "[e2e][phases]") {
  for (const char* id : {"A1", "A2", "B1", "B2", "C", "D", "suite"}) {
    const auto v = sh(std::string("validate steady/") + id);
    INFO(id << "\n" << v.out);
    CHECK(v.code == 0);
  }
  const auto dir = temp_dir("steady_suite_bad");
  const auto bad = write(dir / "bad.lua", R"(
local steady = require "steady_state"
return steady.suite { scenarios = { "A3" }, batch_sizes = { 1 } })");
  const auto r = sh("validate " + bad.string());
  CHECK(r.code == 2);
  CHECK(r.out.find("steady_state: unknown workload 'A3' (A1, A2, B1, B2, C or D)") !=
        std::string::npos);
  const auto t = write(dir / "targets.lua", R"(
local steady = require "steady_state"
return steady.suite { targets = { vllm = 8000 } })");
  const auto rt = sh("validate " + t.string());
  CHECK(rt.code == 2);
  CHECK(rt.out.find("steady_state.suite: targets.vllm: expected a URL string") !=
        std::string::npos);
}

TEST_CASE("steady_state.suite: two engines in one file, the same requests, compared",
          "[e2e][phases]") {
  // Two hand-written servers, one answering in 20 ms and one in 60 ms: the grid runs on both
  // (name order), each cell on its own server, and the report's comparison gives every cell
  // to the faster one.
  using loadwright::testing::scripted_server;
  namespace wire = loadwright::testing::wire;
  std::unique_ptr<scripted_server> servers[2];
  for (int i = 0; i < 2; ++i) {
    servers[i] = std::make_unique<scripted_server>(
        std::vector<loadwright::testing::scripted_reply>{{wire::short_answer()}});
    servers[i]->answer("GET /v1/models",
                       wire::whole(200, "application/json", R"({"data":[{"id":"m"}]})"));
    servers[i]->answer("POST /tokenize", wire::whole(404, "text/plain", "no"));
    servers[i]->answer("POST /v1/tokenize", wire::whole(404, "text/plain", "no"));
    servers[i]->reply_after(std::chrono::milliseconds(i == 0 ? 20 : 60));
  }
  const auto dir = temp_dir("steady_targets");
  const auto script = write(dir / "two.lua", R"(
local steady = require "steady_state"
return steady.suite {
  name = "two", scenarios = { "A1" }, batch_sizes = { 1, 2 }, targets = { "quick", "slow" },
  fill = "200ms", fill_interval = "100ms", stabilize = "300ms", measure = "1s", drain = "1s",
  max_tokens = 2,
})");
  const auto r = sh("run " + script.string() + " --target quick=" + servers[0]->base_url() +
                    " --target slow=" + servers[1]->base_url() + " --out " + dir.string());
  INFO(r.out);
  REQUIRE(r.code == 0);
  for (const char* cell :
       {"two-quick-A1-n1", "two-quick-A1-n2", "two-slow-A1-n1", "two-slow-A1-n2"}) {
    const auto summary = json::parse(read(dir / (std::string(cell) + ".json"))).as_object();
    CHECK(summary.at("target").as_string() ==
          (std::string(cell).find("quick") != std::string::npos ? "quick" : "slow"));
  }
  // Every generation request of a cell went to its own server, the same prompt to both.
  std::set<std::string> bodies[2];
  for (int i = 0; i < 2; ++i)
    for (const auto& req : servers[i]->requests())
      if (req.rfind("POST /v1/chat", 0) == 0) bodies[i].insert(req.substr(req.find("\r\n\r\n")));
  CHECK(bodies[0].size() == 1);  // A1: one prompt for every request
  CHECK(bodies[0] == bodies[1]);
  const auto md = read(dir / "two.steady.md");
  CHECK(md.find("## quick vs slow: server tok/s") != std::string::npos);
  CHECK(md.find("quick wins 2 of 2 cells (100 %)") != std::string::npos);
}

TEST_CASE("phases: an open loop warms up by time, then measures its whole window",
          "[e2e][phases]") {
  const auto dir = temp_dir("steady_open");
  const auto script = write(dir / "open.lua", R"(
return scenario {
  name = "open",
  dataset = random { input_tokens = 16, output_tokens = 8 },
  arrival = poisson { rate = 20 },
  phases = { stabilize = "1s", measure = "2s", drain = "1s" },
})");
  const auto r = sh("run " + script.string() + " --out " + dir.string());
  INFO(r.out);
  REQUIRE(r.code == 0);
  std::set<std::string> phases;
  for (const auto& rec : json_lines(dir / "open.requests.jsonl")) {
    phases.insert(std::string(rec.at("phase").as_string()));
    const double sent_s = num(rec.at("sent_s"));
    CHECK(sent_s < 3.0);  // nothing is sent from the window's end on
    CHECK(rec.at("phase").as_string() == (sent_s < 1.0 ? "stabilize" : "measure"));
  }
  CHECK(phases == std::set<std::string>{"stabilize", "measure"});
  const auto summary = json::parse(read(dir / "open.json")).as_object();
  const auto& run = summary.at("steady_state").at("runs").as_array().at(0).as_object();
  CHECK(run.at("concurrency").is_null());
  CHECK(run.at("server_tps").is_null());  // mean user_tps × N needs an N
  const auto& spans = run.at("phases").as_array();
  REQUIRE(spans.size() == 3);  // no fill
  CHECK(spans[1].at("phase").as_string() == "measure");
  CHECK(num(spans[1].at("end_s")) == 3);  // the whole window, however early the last answer
}

TEST_CASE("steady_state: B2 sends LongBench-v2 documents cut to their first 2,500 tokens",
          "[e2e][phases]") {
  // Written here: three documents of LongBench-v2's shape (text in "context"), each far
  // longer than the cut.
  const auto dir = temp_dir("steady_longbench");
  std::vector<std::string> documents;
  {
    std::ofstream lb(dir / "longbench.jsonl");
    for (int d = 0; d < 3; ++d) {
      std::string text = "Document " + std::to_string(d) + ".";
      for (int i = 0; i < 3000; ++i) text += " Clause " + std::to_string(i) + " of the contract.";
      lb << R"({"_id": "d)" << d << R"(", "question": "q", "context": ")" << text << "\"}\n";
      documents.push_back(text);
    }
  }
  const auto script = write(dir / "b2.lua", R"(
local steady = require "steady_state"
return steady.scenario {
  name = "lb", workload = "B2", batch_size = 2, longbench = "longbench.jsonl",
  fill = "200ms", fill_interval = "100ms", stabilize = "200ms", measure = "1s", drain = "1s",
  max_tokens = 4,
})");
  const auto log = dir / "emulator.log";
  const auto r =
      sh("run " + script.string() + " --out " + dir.string() + " --emulator-log " + log.string());
  INFO(r.out);
  REQUIRE(r.code == 0);
  std::set<std::string> sent;
  for (const auto& body : chat_bodies(log)) {
    const auto& messages = body.at("messages").as_array();
    REQUIRE(messages.size() == 1);
    const std::string text = content_of(messages[0]);
    sent.insert(text);
    CHECK(text.size() < documents[0].size() / 4);
    bool prefix = false;
    for (const auto& doc : documents) prefix = prefix || doc.starts_with(text);
    CHECK(prefix);
  }
  CHECK(sent.size() == 3);  // every document, each a different prompt
  for (const auto& rec : json_lines(dir / "lb.requests.jsonl")) {
    const auto input = rec.at("input_tokens").to_number<std::int64_t>();
    CHECK(input >= 2500);
    CHECK(input <= 2520);  // the cut, plus the chat template's few tokens
  }
}
