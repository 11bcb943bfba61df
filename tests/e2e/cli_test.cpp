// The built CLI, run as a user would: files, keys and exit codes.

#include <sys/wait.h>
#include <unistd.h>
#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "catch.hpp"
#include "cli_support.hpp"

using namespace lw_e2e;

namespace {

const std::string quickstart = std::string(LW_SOURCE_DIR) + "/examples/quickstart.lua";

}  // namespace

TEST_CASE("cli: version, help, list", "[e2e]") {
  CHECK(sh("--version").out.find("loadwright 0.1.0") != std::string::npos);
  for (const char* verb : {"run", "validate", "emulate", "report", "list"}) {
    const auto r = sh(std::string("help ") + verb);
    CHECK(r.code == 0);
    CHECK(r.out.find("Usage") != std::string::npos);
  }
  const auto l = sh("list");
  CHECK(l.code == 0);
  CHECK(l.out.find("quickstart") != std::string::npos);
  CHECK(sh("frobnicate").code == 2);
}

TEST_CASE("cli: run the quick start against the emulator; results have the contract's keys",
          "[e2e]") {
  const auto dir = temp_dir("run");
  const auto r = sh("run " + quickstart + " --out " + dir.string() + " --api-key sk-secret-123");
  INFO(r.out);
  REQUIRE(r.code == 0);
  CHECK(r.out.rfind("loadwright: no --base-url given: running against the built-in emulated server",
                    0) == 0);
  const auto summary = boost::json::parse(read(dir / "quickstart.json")).as_object();
  for (const char* key : {"completed",
                          "failed",
                          "duration",
                          "total_input_tokens",
                          "total_output_tokens",
                          "request_throughput",
                          "output_throughput",
                          "total_token_throughput",
                          "mean_ttft_ms",
                          "median_ttft_ms",
                          "std_ttft_ms",
                          "p99_ttft_ms",
                          "mean_tpot_ms",
                          "p99_itl_ms",
                          "mean_e2el_ms",
                          "mean_ttfr_ms",
                          "p99_schedule_lag_ms",
                          "request_goodput",
                          "max_output_tokens_per_s",
                          "max_concurrent_requests",
                          "model_id",
                          "errors"})
    CHECK(summary.contains(key));
  CHECK(summary.at("completed").as_int64() == 40);
  CHECK(summary.at("max_concurrent_requests").as_int64() == 4);
  const std::string records = read(dir / "quickstart.requests.jsonl");
  std::istringstream lines(records);
  std::string line;
  int measured = 0, warmup = 0;
  while (std::getline(lines, line)) {
    const auto rec = boost::json::parse(line).as_object();
    for (const char* key : {"scenario", "run", "phase", "seq", "request_id", "scheduled_s",
                            "sent_s", "ttfr_ms", "ttft_ms", "e2el_ms", "itl_ms", "input_tokens",
                            "output_tokens", "status", "http_status", "error"})
      CHECK(rec.contains(key));
    (rec.at("phase").as_string() == "warmup" ? warmup : measured)++;
  }
  CHECK(measured == 40);
  CHECK(warmup == 4);
  // The key goes in the Authorization header and nowhere else.
  CHECK(records.find("sk-secret") == std::string::npos);
  CHECK(read(dir / "quickstart.json").find("sk-secret") == std::string::npos);
  CHECK(r.out.find("sk-secret") == std::string::npos);

  // `report` recomputes the same summary from the raw records.
  const auto rep = sh("report " + dir.string() + " --json " + (dir / "again.json").string());
  REQUIRE(rep.code == 0);
  const auto again = boost::json::parse(read(dir / "again.json")).as_object();
  for (const char* key :
       {"completed", "mean_ttft_ms", "p99_itl_ms", "mean_e2el_ms", "total_output_tokens"})
    CHECK(again.at(key).to_number<double>() ==
          Approx(summary.at(key).to_number<double>()).epsilon(1e-6));
}

TEST_CASE("cli: bad scripts and arguments exit 2 and send nothing", "[e2e]") {
  const auto dir = temp_dir("bad");
  const auto bad =
      write(dir / "bad.lua",
            "return scenario { name = 'b', arrival = poisson { rate = 0 }, requests = 3 }");
  auto r = sh("run " + bad.string() + " --out " + dir.string());
  CHECK(r.code == 2);
  CHECK(r.out.find("bad.lua:1: scenario.arrival.rate: expected a positive") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "b.requests.jsonl"));
  CHECK(sh("run " + quickstart + " --set arrival.concurrency=0 --out " + dir.string()).code == 2);
  CHECK(sh("run " + quickstart + " --base-url ftp://x --out " + dir.string()).code == 2);
  CHECK(sh("run /nonexistent.lua").code == 2);
  const auto missing = write(dir / "m.lua",
                             "return scenario { name = 'm', dataset = jsonl { path = 'nope.jsonl' "
                             "}, arrival = closed{concurrency=1}, requests = 1 }");
  r = sh("run " + missing.string() + " --out " + dir.string());
  CHECK(r.code == 2);
  CHECK(r.out.find("nope.jsonl: cannot open") != std::string::npos);
}

TEST_CASE("cli: validate and dry run print the plan", "[e2e]") {
  auto r = sh("validate " + quickstart);
  CHECK(r.code == 0);
  CHECK(r.out.find("closed loop, 4 in flight") != std::string::npos);
  r = sh("run " + quickstart + " --dry-run --set requests=7");
  CHECK(r.code == 0);
  CHECK(r.out.find("7 requests") != std::string::npos);
  CHECK(r.out.find("nothing sent") != std::string::npos);
}

TEST_CASE("cli: a failed SLO or too many failures exit 1", "[e2e]") {
  const auto dir = temp_dir("slo");
  auto r = sh("run " + quickstart + " --out " + dir.string() +
              " --set slo.ttft=1us --set slo.goodput=0.5 --quiet");
  CHECK(r.code == 1);
  r = sh("run " + quickstart + " --out " + dir.string() +
         " --base-url http://127.0.0.1:1/v1 --model m --quiet");
  CHECK(r.code == 1);
  const auto summary = boost::json::parse(read(dir / "quickstart.json")).as_object();
  CHECK(summary.at("failed").as_int64() == 40);
  CHECK(summary.at("errors").as_object().at("connect").as_int64() == 40);
}

TEST_CASE("cli: suites, sinks and multi-run summaries", "[e2e]") {
  const auto dir = temp_dir("suite");
  const auto suite = write(dir / "suite.lua", R"(
local function s(name, arrival)
  return scenario { name = name, dataset = prompts { "hello there", "how are you" }, arrival = arrival,
                    requests = 6, runs = 2, request = { max_tokens = 5 },
                    sinks = { json("out/" .. name .. ".json"), csv("out/" .. name .. ".csv") } }
end
return { s("poisson", poisson { rate = 50 }), s("batch", batch { size = 3 }) })");
  const auto r = sh("run " + suite.string() + " --out " + dir.string() + " --quiet");
  INFO(r.out);
  REQUIRE(r.code == 0);
  for (const char* name : {"poisson", "batch"}) {
    const auto s =
        boost::json::parse(read(dir / "out" / (std::string(name) + ".json"))).as_object();
    CHECK(s.at("num_runs").as_int64() == 2);
    CHECK(s.at("runs").as_array().size() == 2);
    CHECK(s.at("std").as_object().contains("mean_ttft_ms"));
    CHECK(fs::exists(dir / (std::string(name) + ".requests.jsonl")));
    CHECK(read(dir / "out" / (std::string(name) + ".csv")).find("ttft_ms") != std::string::npos);
  }
}

TEST_CASE("cli: counts over several runs are said as what they are", "[e2e]") {
  // One request per run, one of the two failing: a mean of 0.5 failed per run is neither
  // "0 failed" nor "0 of 1 requests failed (50.0%)".
  const auto dir = temp_dir("runs2");
  const auto s = write(dir / "two.lua", R"(return scenario { name = "two", requests = 1, runs = 2,
  dataset = random { input_tokens = 16, output_tokens = 4 }, arrival = closed { concurrency = 1 } })");
  const auto r = sh("run " + s.string() + " --out " + dir.string() + " --emulator-faults 503:0.5");
  INFO(r.out);
  CHECK(r.code == 1);
  CHECK(r.out.find("Failed requests:                         0.50       ± 0.50") !=
        std::string::npos);
  CHECK(r.out.find("Successful requests:                     0.50       ± 0.50") !=
        std::string::npos);
  CHECK(r.out.find("FAILED: 1 of 2 requests of 2 runs failed (50.0%)") != std::string::npos);
}

TEST_CASE("cli: TLS certificates are verified unless --insecure", "[e2e][tls]") {
  // A throwaway self-signed certificate and `openssl s_server -WWW` serving /v1/models.
  const auto dir = temp_dir("tls");
  fs::create_directories(dir / "v1");
  write(dir / "v1" / "models", R"({"data": [{"id": "tls-model"}]})");
  const std::string d = dir.string();
  REQUIRE(
      std::system(
          ("cd " + d +
           " && openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 1 "
           "-subj /CN=localhost >/dev/null 2>&1")
              .c_str()) == 0);
  // Below the ephemeral range (32768+): a client never self-connects to a port not yet listening.
  const int port = 20000 + static_cast<int>(::getpid() % 12000);
  const std::string server = "cd " + d + " && exec openssl s_server -accept " +
                             std::to_string(port) +
                             " -cert cert.pem -key key.pem -WWW -quiet >/dev/null 2>&1";
  FILE* srv = popen(server.c_str(), "w");
  REQUIRE(srv);
  const auto scenario = write(dir / "s.lua",
                              "return scenario { name = 's', dataset = prompts { 'hi' }, "
                              "arrival = closed { concurrency = 1 }, requests = 1 }");
  const std::string url =
      " --base-url https://localhost:" + std::to_string(port) + "/v1 --out " + d;
  const result verified = sh_once_listening("run " + scenario.string() + url);
  const result insecure = sh("run " + scenario.string() + url + " --insecure --dry-run");
  const auto discovered = sh("run " + scenario.string() + url + " --insecure");
  std::system(("pkill -f 'openssl s_server -accept " + std::to_string(port) + "'").c_str());
  pclose(srv);
  INFO(verified.out);
  CHECK(verified.code == 2);
  CHECK(verified.out.find("certificate verify failed") != std::string::npos);
  CHECK(insecure.code == 0);
  CHECK(discovered.out.find("model tls-model (from /v1/models)") != std::string::npos);
}
