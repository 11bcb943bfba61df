// Scripts that compute, end to end: request_hook shapes what is sent (checked on the wire of
// a server that is not ours), on_record and on_done compute and write, thresholds set the exit
// code, a suite function runs its own search, and hostile hooks are stopped with a clear
// message while every result file is still written.

#include <boost/json.hpp>
#include <set>

#include "catch.hpp"
#include "cli_support.hpp"
#include "hostile_wire.hpp"
#include "scripted_server.hpp"

using namespace lw_e2e;
using loadwright::testing::scripted_reply;
using loadwright::testing::scripted_server;

namespace {

const std::string kModels =
    loadwright::testing::wire::whole(200, "application/json", R"({"data":[{"id":"m"}]})");

// A streamed answer with usage, one event per token.

std::string body_of(const std::string& request) {
  return request.substr(request.find("\r\n\r\n") + 4);
}

std::string header_of(const std::string& request, const std::string& name) {
  const auto at = request.find("\r\n" + name + ": ");
  if (at == std::string::npos) return "";
  const auto start = at + name.size() + 4;
  return request.substr(start, request.find("\r\n", start) - start);
}

const char* kShapedScript = R"(
return scenario {
  name = "shaped", seed = 7,
  dataset = prompts { "one", "two", "three" },
  arrival = closed { concurrency = 1 },
  requests = 6,
  request = { api = "completions", max_tokens = 4 },
  request_hook = function(sample, i)
    return { body = { temperature = math.random(), n = 1, tag = sample.prompt .. "#" .. i,
                      response_format = { type = "json_object" } },
             headers = { ["X-Tenant"] = "t" .. (i % 2) } }
  end,
})";

// The generation requests a scripted server received for one run of `script`.
std::vector<std::string> shaped_requests(const fs::path& dir, const std::string& seed_flag) {
  // GET /v1/models, then /tokenize's probes are refused (404), then the six answers.
  std::vector<scripted_reply> replies{{kModels},
                                      {loadwright::testing::wire::whole(404, "text/plain", "no")}};
  for (int i = 0; i < 6; ++i) replies.push_back({loadwright::testing::wire::short_answer()});
  scripted_server server(replies);
  const auto r = sh("run " + (dir / "shaped.lua").string() + " --base-url " + server.base_url() +
                    " --out " + (dir / "out").string() + seed_flag);
  INFO(r.out);
  CHECK(r.code == 0);
  std::vector<std::string> sent;
  for (auto req : server.requests()) {
    if (req.rfind("POST /v1/completions", 0) != 0) continue;
    const auto host = req.find("\r\nHost: ");  // each run's server has its own port
    req.erase(host, req.find("\r\n", host + 2) - host);
    sent.push_back(req);
  }
  return sent;
}

}  // namespace

TEST_CASE("hooks: request_hook's body fields and headers arrive, the same for the same seed",
          "[e2e][hooks]") {
  const auto dir = temp_dir("hooks_shaped");
  write(dir / "shaped.lua", kShapedScript);
  const auto first = shaped_requests(dir, "");
  REQUIRE(first.size() == 6);
  for (std::size_t i = 0; i < first.size(); ++i) {
    INFO(first[i]);
    const auto body = json::parse(body_of(first[i])).as_object();
    const char* prompts[] = {"one", "two", "three"};
    CHECK(json::value_to<std::string>(body.at("tag")) ==
          std::string(prompts[i % 3]) + "#" + std::to_string(i + 1));
    CHECK(body.at("n").to_number<int>() == 1);
    CHECK(body.at("response_format").as_object().at("type") == "json_object");
    const double t = body.at("temperature").to_number<double>();
    CHECK((t >= 0 && t < 1));
    CHECK(header_of(first[i], "X-Tenant") == "t" + std::to_string((i + 1) % 2));
    CHECK_FALSE(header_of(first[i], "X-Request-Id").empty());  // ours, still there
  }
  // Byte for byte the same again; another seed draws other temperatures.
  CHECK(shaped_requests(dir, "") == first);
  const auto other = shaped_requests(dir, " --seed 8");
  REQUIRE(other.size() == 6);
  CHECK(body_of(other[0]) != body_of(first[0]));
}

TEST_CASE("hooks: on_record and on_done compute, write files and feed thresholds", "[e2e][hooks]") {
  const auto dir = temp_dir("hooks_metrics");
  const auto script = write(dir / "m.lua", R"(
local ok, phases = 0, {}
return scenario {
  name = "m", dataset = random { input_tokens = 16, output_tokens = 4 },
  arrival = closed { concurrency = 2 }, requests = 8, warmup = 2,
  on_record = function(rec)
    phases[rec.phase] = (phases[rec.phase] or 0) + 1
    if rec.status == "ok" and rec.output_tokens == 4 and #rec.itl_ms == 3 then ok = ok + 1 end
  end,
  on_done = function(result)
    local n, ids = 0, {}
    for rec in result.records() do n = n + 1; ids[#ids + 1] = rec.request_id end
    out.write("ids.txt", table.concat(ids, "\n"))
    return { ok = ok, warmup = phases.warmup, measured = phases.measure, read_back = n,
             completed = result.summary.completed, runs = #result.runs }
  end,
  thresholds = { ["custom.ok"] = "== 10", completed = ">= 8", error_rate = "<= 0" },
})");
  auto r = sh("run " + script.string() + " --out " + dir.string());
  INFO(r.out);
  CHECK(r.code == 0);
  const auto summary = json::parse(read(dir / "m.json")).as_object();
  const auto& custom = summary.at("custom").as_object();
  CHECK(custom.at("ok").to_number<int>() == 10);  // warm-up records reach on_record too
  CHECK(custom.at("warmup").to_number<int>() == 2);
  CHECK(custom.at("measured").to_number<int>() == 8);
  CHECK(custom.at("read_back").to_number<int>() == 10);
  CHECK(custom.at("completed").to_number<int>() == 8);
  CHECK(custom.at("runs").to_number<int>() == 1);
  CHECK(read(dir / "ids.txt").find("m-1-w0") != std::string::npos);
  CHECK(r.out.find("Custom metrics:") != std::string::npos);
  CHECK(r.out.find("threshold custom.ok == 10: pass (10)") != std::string::npos);
  CHECK(r.out.find("wrote " + (dir / "ids.txt").string()) != std::string::npos);

  // A threshold that fails: exit 1, named with its value.
  r = sh("run " + script.string() + " --out " + dir.string() + " --set 'thresholds.completed=> 9'");
  CHECK(r.code == 1);
  CHECK(r.out.find("FAILED: threshold completed > 9: 8") != std::string::npos);
}

TEST_CASE("hooks: thresholds name what they cannot check, at load", "[e2e][hooks]") {
  const auto dir = temp_dir("hooks_bad_thresholds");
  const auto script = write(dir / "t.lua", R"(return scenario {
  name = "t", dataset = prompts { "x" }, arrival = closed { concurrency = 1 }, requests = 1,
  thresholds = { p99_tft_ms = "< 5" } })");
  auto r = sh("run " + script.string() + " --out " + dir.string());
  CHECK(r.code == 2);
  CHECK(r.out.find("scenario.thresholds.p99_tft_ms: not a summary metric (did you mean "
                   "'p99_ttft_ms'?)") != std::string::npos);
  write(dir / "t.lua", R"(return scenario {
  name = "t", dataset = prompts { "x" }, arrival = closed { concurrency = 1 }, requests = 1,
  thresholds = { p99_ttft_ms = "below 5" } })");
  r = sh("run " + script.string() + " --out " + dir.string());
  CHECK(r.code == 2);
  CHECK(r.out.find("expected <, <=, >, >=, == or != and a number, got \"below 5\"") !=
        std::string::npos);
}

TEST_CASE("hooks: a suite function runs its own search", "[e2e][hooks]") {
  // Double the rate until p99 TTFT misses 40 ms (2 s of the modelled machine at time scale
  // 0.02), then bisect: what examples/find-rate.lua does, with a target for the scaled clock.
  const auto dir = temp_dir("hooks_suite");
  const auto script = write(dir / "search.lua", R"(
local function at(rate)
  return scenario { name = string.format("probe-%.3f", rate),
    dataset = random { input_tokens = 512, output_tokens = 64 },
    arrival = poisson { rate = rate }, requests = 40, warmup = 4 }
end
return function(run)
  local good, bad, rate, probes = nil, nil, 0.5, 0
  local function passes(r)
    probes = probes + 1
    local result = run(at(r))
    return result.passed and result.summary.p99_ttft_ms < 40
  end
  -- Bracket the answer from 0.5 requests/s: up while probes pass, down while they fail (a
  -- slow machine, such as a sanitizer build, can miss the target at the first rate already).
  if passes(rate) then good = rate else bad = rate end
  while not (good and bad) and rate <= 64 and rate >= 1 / 64 do
    rate = good and rate * 2 or rate / 2
    if passes(rate) then good = rate else bad = rate end
  end
  assert(good and bad, "the emulator never saturated")
  for _ = 1, 2 do
    local mid = (good + bad) / 2
    if passes(mid) then good = mid else bad = mid end
  end
  print(string.format("answer %.3f (failed %.3f) after %d probes", good, bad, probes))
end)");
  const auto r = sh("run " + script.string() + " --out " + dir.string() +
                    " --emulator-profile spark --emulator-time-scale 0.02");
  INFO(r.out);
  CHECK(r.code == 0);
  const auto at = r.out.find("answer ");
  REQUIRE(at != std::string::npos);
  double good = 0, bad = 0;
  int probes = 0;
  REQUIRE(std::sscanf(r.out.c_str() + at, "answer %lf (failed %lf) after %d probes", &good, &bad,
                      &probes) == 3);
  CHECK(good < bad);
  CHECK(bad <= 2 * good);
  // Every probe wrote its results, as a scenario of a list would.
  std::size_t summaries = 0;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().starts_with("probe-") && e.path().extension() == ".json")
      ++summaries;
  CHECK(summaries == static_cast<std::size_t>(probes));
}

TEST_CASE("hooks: the shipped hook examples run against the emulator", "[e2e][hooks]") {
  const auto dir = temp_dir("hooks_examples");
  for (const char* name : {"request-hook", "custom-metrics"}) {
    const auto r = sh("run " + std::string(LW_SOURCE_DIR) + "/examples/" + name + ".lua --out " +
                      dir.string());
    INFO(r.out);
    // Timing thresholds may fail on a machine that stalls; what ran must be there either way.
    CHECK((r.code == 0 || r.out.find("FAILED: threshold") != std::string::npos));
    CHECK(fs::exists(dir / (std::string(name) + ".json")));
  }
  CHECK(fs::exists(dir / "custom-metrics.txt"));
  const auto r = sh("run " + std::string(LW_SOURCE_DIR) + "/examples/find-rate.lua --out " +
                    dir.string() + " --emulator-time-scale 0.05");
  INFO(r.out);
  CHECK(r.code == 0);
  CHECK(r.out.find("rate 0.50/s") != std::string::npos);
}

TEST_CASE("hooks: hostile hooks are stopped, named, and cost no result", "[e2e][hooks]") {
  const auto dir = temp_dir("hooks_hostile");
  auto run = [&](const std::string& name, const std::string& fields) {
    write(dir / (name + ".lua"),
          "return scenario { name = '" + name +
              "', dataset = random { input_tokens = 8, output_tokens = 2 },\n"
              "  arrival = closed { concurrency = 1 }, requests = 3,\n" +
              fields + "\n}\n");
    return sh("run " + (dir / (name + ".lua")).string() + " --out " + dir.string() +
                  " --emulator-log " + (dir / (name + ".log")).string(),
              "LOADWRIGHT_MAX_LOAD_SECONDS=20");
  };
  SECTION("an endless loop in on_record") {
    const auto r = run("loop", "  on_record = function(rec)\n    while true do end\n  end,");
    INFO(r.out);
    CHECK(r.code == 1);
    CHECK(r.out.find("on_record of loop (" + (dir / "loop.lua").string() +
                     ":3): " + (dir / "loop.lua").string() + ":4: the script ran for more than") !=
          std::string::npos);
    CHECK(json_lines(dir / "loop.requests.jsonl").size() == 3);
    CHECK(fs::exists(dir / "loop.json"));
  }
  SECTION("an error in on_done") {
    const auto r = run("err", "  on_done = function(r) error('no luck') end,");
    CHECK(r.code == 1);
    CHECK(r.out.find("on_done of err") != std::string::npos);
    CHECK(r.out.find("no luck") != std::string::npos);
    CHECK(fs::exists(dir / "err.json"));
    CHECK(json_lines(dir / "err.requests.jsonl").size() == 3);
  }
  SECTION("writing outside the folder") {
    const auto r = run("escape", "  on_done = function(r) out.write('../escape.txt', 'x') end,");
    CHECK(r.code == 1);
    CHECK(r.out.find("'../escape.txt' is not a plain file name") != std::string::npos);
    CHECK_FALSE(fs::exists(dir.parent_path() / "escape.txt"));
    CHECK(fs::exists(dir / "escape.json"));
  }
  SECTION("a huge return value") {
    const auto r = run("huge",
                       "  on_done = function(r) local t = {} for i = 1, 100000 do t['k' .. i] = i "
                       "end return t end,");
    CHECK(r.code == 1);
    CHECK(r.out.find("more than 1000 custom metrics") != std::string::npos);
    CHECK(fs::exists(dir / "huge.json"));
  }
  SECTION("memory hoarded by on_record") {
    const auto r = run("hoard",
                       "  on_record = function(rec) big = (big or '') .. string.rep('x', 2^28) "
                       "end,");
    CHECK(r.code == 1);
    CHECK(r.out.find("on_record of hoard") != std::string::npos);
    CHECK(r.out.find("MiB of memory") != std::string::npos);
    CHECK(json_lines(dir / "hoard.requests.jsonl").size() == 3);
  }
  SECTION("an error in request_hook: exit 2, no generation request sent") {
    const auto r = run("shape", "  request_hook = function(s, i) return { bdy = {} } end,");
    CHECK(r.code == 2);
    CHECK(r.out.find("request_hook of shape") != std::string::npos);
    CHECK(r.out.find("only body = {…} and headers = {…}") != std::string::npos);
    const auto log = fs::exists(dir / "shape.log") ? read(dir / "shape.log") : "";
    CHECK(log.find("chat/completions") == std::string::npos);
  }
  SECTION("a header loadwright owns") {
    const auto r =
        run("host", "  request_hook = function(s, i) return { headers = { Host = 'x' } } end,");
    CHECK(r.code == 2);
    CHECK(r.out.find("headers.Host: loadwright sets that one") != std::string::npos);
  }
}
