// Trust, end to end: a misbehaving server's faults become records and exit codes, a stopped
// run keeps what it did, and --unsafe is written into the results.

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <thread>

#include "catch.hpp"
#include "cli_support.hpp"
#include "hostile_wire.hpp"
#include "scripted_server.hpp"
#include "spawn.hpp"

using namespace lw_e2e;

namespace {

// The CLI started directly (no shell between: signals reach it), output into `log`.
pid_t spawn_cli(std::vector<std::string> args, const fs::path& log) {
  args.insert(args.begin(), LW_BINARY);
  return lw_test::spawn_logged(std::move(args), log);
}

std::size_t line_count(const fs::path& p) {
  const auto text = read(p);
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

// Waits until `p` has at least `n` lines (up to 20 s); false on time-out.
bool wait_for_lines(const fs::path& p, std::size_t n) {
  for (int i = 0; i < 400; ++i) {
    if (fs::exists(p) && line_count(p) >= n) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

// The exit code of `pid` (or -signal), waiting up to `limit`; -1000 if it did not exit.
int wait_exit(pid_t pid, std::chrono::seconds limit, double* waited_s = nullptr) {
  const auto start = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - start < limit) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      if (waited_s)
        *waited_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  return -1000;
}

}  // namespace

TEST_CASE("cli: emulator faults become classified records; the allowance sets the exit code",
          "[e2e][trust]") {
  const auto dir = temp_dir("faults");
  const auto s = write(dir / "f.lua", R"(return scenario { name = "f", requests = 40,
  dataset = random { input_tokens = 16, output_tokens = 8 }, arrival = closed { concurrency = 4 },
  idle_timeout = "500ms" })");
  auto r = sh("run " + s.string() + " --out " + dir.string() +
              " --emulator-faults 'reset:0.1,503:0.1,429:0.05,malformed:0.05'");
  INFO(r.out);
  CHECK(r.code == 1);  // 13 of 40 failed, nothing allowed
  CHECK(r.out.find("faults reset:0.1") != std::string::npos);
  CHECK(r.out.find("above the allowed 0.0%") != std::string::npos);
  const auto summary = json::parse(read(dir / "f.json")).as_object();
  CHECK(summary.at("emulator_faults").as_string() == "reset:0.1,503:0.1,429:0.05,malformed:0.05");
  // The emulator's picks over 40 requests (golden-ratio spread): 5 resets, 4 × 503, 3 × 429,
  // 1 malformed stream.
  CHECK(summary.at("failed").as_int64() == 13);
  CHECK(summary.at("completed").as_int64() == 27);
  const auto& errors = summary.at("errors").as_object();
  CHECK(errors.at("read").as_int64() == 5);
  CHECK(errors.at("http_status").as_int64() == 7);
  CHECK(errors.at("protocol").as_int64() == 1);
  const auto records = json_lines(dir / "f.requests.jsonl");
  REQUIRE(records.size() == 40);
  int with_retry_after = 0, with_body = 0;
  for (const auto& rec : records) {
    const std::string err(rec.at("error").as_string());
    with_retry_after += err.find("Retry-After: 2") != std::string::npos;
    with_body += err.find("injected fault: HTTP 503") != std::string::npos;
  }
  CHECK(with_retry_after == 3);
  CHECK(with_body == 4);

  r = sh(
      "run " + s.string() + " --out " + dir.string() +
      " --emulator-faults 'reset:0.1,503:0.1,429:0.05,malformed:0.05' --set allowed_failures=0.35"
      " --quiet");
  CHECK(r.code == 0);
  r = sh("run " + s.string() + " --out " + dir.string() + " --emulator-faults 'rest:0.1'");
  CHECK(r.code == 2);
  CHECK(r.out.find("--emulator-faults: unknown fault 'rest'") != std::string::npos);
}

TEST_CASE("cli: Ctrl-C or SIGTERM stops sending, keeps every record, marks the summary, exits 130",
          "[e2e][trust]") {
  const int sig = GENERATE(SIGINT, SIGTERM);
  const auto dir = temp_dir(sig == SIGINT ? "sigint" : "sigterm");
  const auto s = write(dir / "long.lua", R"(return scenario { name = "long", duration = "60s",
  dataset = random { input_tokens = 16, output_tokens = 40 }, arrival = closed { concurrency = 4 },
  request = { ignore_eos = true } })");
  const auto log = dir / "out.txt";
  const pid_t pid = spawn_cli({"run", s.string(), "--out", dir.string()}, log);
  REQUIRE(pid > 0);
  REQUIRE(wait_for_lines(dir / "long.requests.jsonl", 20));  // written as requests end
  kill(pid, sig);
  double waited_s = 0;
  const int code = wait_exit(pid, std::chrono::seconds(20), &waited_s);
  INFO(read(log));
  CHECK(code == 130);
  CHECK(waited_s < 6);  // the in-flight requests finish within the grace period
  CHECK(read(log).find("INTERRUPTED") != std::string::npos);
  const auto summary = json::parse(read(dir / "long.json")).as_object();
  CHECK(summary.at("interrupted").as_bool());
  const auto records = json_lines(dir / "long.requests.jsonl");
  CHECK(static_cast<std::int64_t>(records.size()) ==
        summary.at("completed").as_int64() + summary.at("failed").as_int64());
  CHECK(summary.at("completed").as_int64() >= 20);
}

TEST_CASE("cli: a second Ctrl-C quits at once and leaves the records written so far whole",
          "[e2e][trust]") {
  const auto dir = temp_dir("sigint2");
  // Half the requests stall for good: the first Ctrl-C waits for them, the second does not.
  const auto s = write(dir / "stuck.lua", R"(return scenario { name = "stuck", requests = 1000,
  dataset = random { input_tokens = 16, output_tokens = 8 }, arrival = closed { concurrency = 4 },
  idle_timeout = "60s" })");
  const auto log = dir / "out.txt";
  const pid_t pid =
      spawn_cli({"run", s.string(), "--out", dir.string(), "--emulator-faults", "stall:0.5"}, log);
  REQUIRE(pid > 0);
  REQUIRE(wait_for_lines(dir / "stuck.requests.jsonl", 2));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // every slot is stalled now
  kill(pid, SIGINT);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  kill(pid, SIGINT);
  double waited_s = 0;
  const int code = wait_exit(pid, std::chrono::seconds(20), &waited_s);
  INFO(read(log));
  CHECK(code == 130);
  CHECK(waited_s < 2);
  const auto text = read(dir / "stuck.requests.jsonl");
  REQUIRE(!text.empty());
  CHECK(text.back() == '\n');
  std::size_t ok = 0;
  for (const auto& rec : json_lines(dir / "stuck.requests.jsonl"))  // each line parses
    ok += rec.at("status").as_string() == "ok";
  CHECK(ok >= 2);
  CHECK_FALSE(fs::exists(dir / "stuck.json"));  // no summary was claimed
}

TEST_CASE("cli: --unsafe is recorded in the results", "[e2e][trust]") {
  const auto dir = temp_dir("unsafe");
  const auto s = write(dir / "u.lua", R"(return scenario { name = "u", requests = 2,
  dataset = random { input_tokens = 8, output_tokens = 2 }, arrival = closed { concurrency = 1 } })");
  auto r = sh("run " + s.string() + " --out " + dir.string() + " --quiet");
  REQUIRE(r.code == 0);
  CHECK_FALSE(json::parse(read(dir / "u.json")).as_object().at("unsafe").as_bool());
  r = sh("run " + s.string() + " --out " + dir.string() + " --unsafe");
  REQUIRE(r.code == 0);
  CHECK(r.out.find("--unsafe") != std::string::npos);
  CHECK(json::parse(read(dir / "u.json")).as_object().at("unsafe").as_bool());
}

TEST_CASE("cli: a script's print cannot send escape sequences to the terminal", "[e2e][trust]") {
  const auto dir = temp_dir("print");
  const auto s = write(dir / "p.lua",
                       "print('a\\27]52;c;ZXZpbA==\\7b', 1) return scenario { "
                       "name = 'p', requests = 1, arrival = closed { concurrency = 1 } }");
  const auto r = sh("validate " + s.string());
  INFO(r.out);
  REQUIRE(r.code == 0);
  CHECK(r.out.find("a\\x1b]52;c;ZXZpbA==\\x07b\t1") != std::string::npos);
  CHECK(r.out.find('\x1b') == std::string::npos);
}

TEST_CASE("cli: the API key appears in no output, even when the server echoes it", "[e2e][trust]") {
  const auto dir = temp_dir("secret");
  const auto s = write(dir / "k.lua", R"(return scenario { name = "k", requests = 6,
  dataset = random { input_tokens = 8, output_tokens = 2 }, arrival = closed { concurrency = 2 },
  allowed_failures = 1 })");
  const std::string key = "sk-live-0123456789abcdef";
  const auto r = sh("run " + s.string() + " --out " + dir.string() + " --api-key " + key +
                    " --emulator-faults echo_auth:0.5");
  INFO(r.out);
  CHECK(r.code == 0);
  CHECK(r.out.find("AuthenticationError") != std::string::npos);  // the echo did happen
  CHECK(r.out.find("[redacted]") != std::string::npos);
  CHECK(r.out.find(key) == std::string::npos);
  for (const auto& f : fs::directory_iterator(dir))
    CHECK(read(f.path()).find(key) == std::string::npos);
  // Nor in a dry run, nor in the error for a bad URL (credentials, query).
  const auto dry = sh("run " + s.string() + " --dry-run --api-key " + key);
  CHECK(dry.out.find("with an API key") != std::string::npos);
  CHECK(dry.out.find(key) == std::string::npos);
  const auto bad = sh("run " + s.string() + " --base-url 'http://me:" + key + "@127.0.0.1:9/v1'");
  CHECK(bad.code == 2);
  CHECK(bad.out.find(key) == std::string::npos);
  CHECK(bad.out.find("http://***@127.0.0.1:9/v1") != std::string::npos);
  const auto query =
      sh("run " + s.string() + " --base-url 'http://127.0.0.1:9/v1?key=" + key + "'");
  CHECK(query.code == 2);
  CHECK(query.out.find(key) == std::string::npos);
}

TEST_CASE("cli: a shared script cannot pick a remote server, nor run forever while loading",
          "[e2e][trust]") {
  const auto dir = temp_dir("remote");
  const auto s = write(dir / "r.lua", R"(return scenario { name = "r", requests = 1,
  arrival = closed { concurrency = 1 }, target = { base_url = "https://collector.example/v1" } })");
  auto r = sh("run " + s.string() + " --out " + dir.string());
  CHECK(r.code == 2);
  CHECK(r.out.find("scenario.target.base_url") != std::string::npos);
  CHECK(r.out.find("--base-url https://collector.example/v1") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "r.requests.jsonl"));  // nothing sent
  // A pathological pattern runs inside a C function, where the instruction limit cannot see.
  const auto slow = write(dir / "slow.lua",
                          "return string.find(string.rep('a', 40), string.rep('a*', 20) .. 'b')");
  const auto start = std::chrono::steady_clock::now();
  r = sh("validate " + slow.string(), "LOADWRIGHT_MAX_LOAD_SECONDS=1");
  CHECK(r.code == 2);
  CHECK(r.out.find("slow.lua: the script ran for more than 1 s while loading") !=
        std::string::npos);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
}

TEST_CASE("cli: bad input is one line naming the place, exit 2, and no request is sent",
          "[e2e][trust]") {
  const auto dir = temp_dir("badinput");
  write(dir / "bad.jsonl", "{\"prompt\": \"a\"}\n{\"prompt\": \n");
  write(dir / "tok.json", "not a tokenizer");
  write(dir / "bad_sg.json",
        "[{\"conversations\": [{\"from\":\"human\",\"value\":\"hi\"}]},\n {\"conversations\": [}]");
  const std::string head =
      "return scenario { name = 's', requests = 2, arrival = closed { concurrency = 1 }, ";
  const auto log = dir / "emulator.log";
  struct bad_case {
    std::string script, extra, message;
  };
  const std::vector<bad_case> cases = {
      {head + "dataset = jsonl { path = 'bad.jsonl' } }", "", "bad.jsonl:2: invalid JSON"},
      {head + "dataset = jsonl { path = 'absent.jsonl' } }", "",
       "s.lua:1: " + (dir / "absent.jsonl").string() + ": cannot open the jsonl dataset"},
      {head + "dataset = sharegpt { path = 'bad_sg.json' } }", "",
       "bad_sg.json: invalid JSON: syntax error (line 2, column 21, byte 73)"},
      {head + "dataset = gutenberg { path = 'no-book.txt' } }", "", "no-book.txt: cannot open"},
      {head + "requets = 3 }", "",
       "s.lua:1: scenario.requets: unknown field (did you mean 'requests'?)"},
      {head + "tokenizer = 'tok.json' }", "", "tok.json: invalid JSON near byte 0"},
      {head + "}", "--set requests", "--set requests: expected path=value"},
      {head + "}", "--set requests=-1", "scenario.requests: expected a whole number"},
      {head + "dataset = random { input_tokens = 'many' } }", "",
       "scenario.dataset.input_tokens: expected"},
      {"return scenario { name = 's', requests = 2, arrival = closed { concurrency = 1 } ", "",
       "s.lua:1:"},
      {"error('nope')", "", "s.lua:1: nope"},
  };
  for (const auto& c : cases) {
    const auto s = write(dir / "s.lua", c.script);
    fs::remove(log);
    const auto r = sh("run " + s.string() + " --out " + dir.string() + " --emulator-log " +
                      log.string() + " " + c.extra);
    INFO(c.script << " " << c.extra << "\n" << r.out);
    CHECK(r.code == 2);
    CHECK(r.out.find(c.message) != std::string::npos);
    CHECK_FALSE(fs::exists(dir / "s.requests.jsonl"));
    // Nothing at all reached the server: not even GET /v1/models or a /tokenize probe.
    CHECK((!fs::exists(log) || json_lines(log).empty()));
  }
}

TEST_CASE("cli: against a server that is not ours, every fault is a record and the exit says so",
          "[e2e][trust][hostile]") {
  using loadwright::testing::scripted_reply;
  using namespace loadwright::testing::wire;
  const std::string models =
      whole(200, "application/json", R"({"object":"list","data":[{"id":"stranger"}]})");
  const auto dir = temp_dir("stranger");
  const auto s = write(dir / "x.lua", R"(return scenario { name = "x", requests = 6,
    dataset = random { input_tokens = 8, output_tokens = 3 }, arrival = closed { concurrency = 1 },
    idle_timeout = "1s" })");

  SECTION("GET /v1/models, a /tokenize that lies, then six answers of six kinds") {
    loadwright::testing::scripted_server server({
        {models},
        {whole(200, "application/json", R"({"count": -1000000000000000000})")},
        {sse(good_events())},
        {whole(503, "application/json", R"({"error": {"message": "overloaded"}})")},
        {kSseHead + chunk(good_events()[0]), scripted_reply::then::close},
        {sse({"data: {not json\n\n", "data: [DONE]\n\n"})},
        {sse(good_events())},
        {sse({good_events()[0]})},
    });
    const auto r =
        sh("run " + s.string() + " --out " + dir.string() + " --base-url " + server.base_url());
    INFO(r.out);
    CHECK(r.code == 1);  // 4 of 6 failed, the allowance is 0
    CHECK(r.out.find("model stranger (from /v1/models)") != std::string::npos);
    CHECK(r.out.find("prompt tokens: estimated") != std::string::npos);  // the lie was refused
    const auto records = json_lines(dir / "x.requests.jsonl");
    REQUIRE(records.size() == 6);
    std::vector<std::string> statuses;
    for (const auto& rec : records) statuses.emplace_back(rec.at("status").as_string());
    std::sort(statuses.begin(), statuses.end());
    CHECK(statuses ==
          std::vector<std::string>{"http_status", "ok", "ok", "protocol", "read", "truncated"});
    const auto summary = json::parse(read(dir / "x.json")).as_object();
    const auto& errors = summary.at("errors").as_object();
    for (const char* cls : {"http_status", "read", "protocol", "truncated"})
      CHECK(errors.at(cls).to_number<int>() == 1);
    CHECK(server.requests_seen() == 8);
  }
  SECTION("a model id with terminal escapes is refused, and not printed raw") {
    loadwright::testing::scripted_server server(
        {{whole(200, "application/json", R"({"data":[{"id":"m\u001b]0;owned\u0007"}]})")}});
    const auto r =
        sh("run " + s.string() + " --out " + dir.string() + " --base-url " + server.base_url());
    INFO(r.out);
    CHECK(r.code == 2);
    CHECK(r.out.find("control characters") != std::string::npos);
    CHECK(r.out.find('\x1b') == std::string::npos);
    CHECK(server.requests_seen() == 1);
  }
}
