// loadwright against a real llama.cpp llama-server (CPU, a tiny model of random weights made by
// the test): what a new user would run first, and what broke before: prompts sized with its
// /tokenize, connections it closes after every stream, the peers' modules, conversations and
// sweeps. Every record must be classified, the token counts must be the server's `usage`, and
// no request may fail for a reason of the client's making.
//
// The model's text is noise, and llama-server parses a chat reply with its own output parser:
// noise can fail that parse ("does not match the expected peg-native format"). That is the
// server's error, recorded as such (an HTTP status or an error event), never a client one.

#include <boost/json.hpp>
#include <map>
#include <memory>
#include <regex>
#include <set>

#include "catch.hpp"
#include "cli_support.hpp"
#include "llama_server.hpp"

using namespace lw_e2e;

namespace {

// One server for the whole suite: starting it takes a moment, and a shared one also shows
// that runs one after another do not disturb each other.
lw_llama::server& shared_server() {
  static std::unique_ptr<lw_llama::server> s;
  if (!s) {
    const auto dir = fs::temp_directory_path() / "lw_llama_model";
    const auto model = lw_llama::tiny_model(dir);
    s = std::make_unique<lw_llama::server>(model, dir / "server.log",
                                           std::vector<std::string>{"--alias", "tiny-random"});
  }
  return *s;
}

// Failures that are the client's doing (or a connection lost to one): never acceptable here.
const std::set<std::string> kClientClasses = {"connect", "tls",       "write",     "read",
                                              "timeout", "truncated", "cancelled", "empty"};

struct checked_run {
  result cli;
  std::vector<json::object> records;
  json::object summary;
};

// `loadwright run SCENARIO --base-url …` into `out`; reads records and the summary of `name`.
checked_run run_against_llama(const std::string& scenario, const fs::path& out,
                              const std::string& name, const std::string& extra = "") {
  auto& srv = shared_server();
  checked_run r;
  r.cli = sh("run " + scenario + " --base-url " + srv.base_url() + " --out " + out.string() + " " +
             extra);
  INFO(r.cli.out);
  REQUIRE(fs::exists(out / (name + ".requests.jsonl")));
  r.records = json_lines(out / (name + ".requests.jsonl"));
  if (fs::exists(out / (name + ".json")))
    r.summary = json::parse(read(out / (name + ".json"))).as_object();
  return r;
}

// Writes `lua` as NAME.lua in a fresh folder and runs it against the server.
checked_run run_script(const std::string& name, const std::string& lua) {
  const auto dir = temp_dir("llama_" + name);
  write(dir / (name + ".lua"), lua);
  return run_against_llama((dir / (name + ".lua")).string(), dir / "out", name);
}

std::string str(const json::object& o, const char* key) {
  return json::value_to<std::string>(o.at(key));
}
std::int64_t num(const json::object& o, const char* key) {
  return o.at(key).to_number<std::int64_t>();
}

// Every record classified; failures only the server's; every ok record counted by `usage`.
void check_records(const checked_run& r) {
  INFO(r.cli.out);
  REQUIRE_FALSE(r.records.empty());
  for (const auto& rec : r.records) {
    const auto status = str(rec, "status");
    INFO(json::serialize(rec));
    CHECK(kClientClasses.count(status) == 0);
    if (status == "ok") {
      CHECK(str(rec, "input_tokens_source") == "usage");
      CHECK(str(rec, "output_tokens_source") == "usage");
      CHECK(num(rec, "output_tokens") > 0);
      // llama-server streams one token per event, or fewer events (bytes held back until
      // they make whole UTF-8): never more events than tokens.
      CHECK(static_cast<std::int64_t>(rec.at("itl_ms").as_array().size()) + 1 <=
            num(rec, "output_tokens"));
    } else {
      CHECK((status == "http_status" || status == "protocol"));
      CHECK_FALSE(str(rec, "error").empty());
    }
  }
}

std::size_t count_status(const checked_run& r, const std::string& status) {
  std::size_t n = 0;
  for (const auto& rec : r.records) n += str(rec, "status") == status ? 1 : 0;
  return n;
}

}  // namespace

TEST_CASE("llama-server: the quick start runs and every record is the server's", "[llama]") {
  const auto out = temp_dir("llama_quickstart");
  const auto r =
      run_against_llama(std::string(LW_SOURCE_DIR) + "/examples/quickstart.lua", out, "quickstart");
  INFO(r.cli.out);
  CHECK(r.cli.out.find("counted with the server's /tokenize") != std::string::npos);
  CHECK(r.cli.out.find("llama.cpp shape") != std::string::npos);
  check_records(r);
  // 40 measured + 4 warm-up requests, and the summary agrees with the records.
  CHECK(r.records.size() == 44);
  CHECK(num(r.summary, "completed") + num(r.summary, "failed") == 40);
}

TEST_CASE("llama-server: random prompts sized with its /tokenize match its usage exactly",
          "[llama]") {
  const auto r = run_script("sizing", R"(
return scenario {
  name = "sizing",
  dataset = random { input_tokens = 200, output_tokens = 16, range_ratio = 0.5 },
  arrival = closed { concurrency = 2 },
  requests = 12,
  request = { api = "completions", ignore_eos = true },
}
)");
  INFO(r.cli.out);
  CHECK(r.cli.code == 0);
  check_records(r);
  CHECK(r.cli.out.find("input tokens 0..0") == std::string::npos);
  for (const auto& rec : r.records) {
    INFO(json::serialize(rec));
    REQUIRE(str(rec, "status") == "ok");
    // The client's count of the prompt is the server's, token for token, and the lengths are
    // the drawn ones (range 0.5 around 200), not the 12,800-token prompts of the old misreading.
    CHECK(num(rec, "expected_input_tokens") == num(rec, "input_tokens"));
    CHECK(num(rec, "input_tokens") >= 100);
    CHECK(num(rec, "input_tokens") <= 300);
    CHECK(num(rec, "output_tokens") == num(rec, "max_tokens"));  // ignore_eos is honoured
  }
}

TEST_CASE("llama-server: prompts {} are counted by its /tokenize", "[llama]") {
  const auto r = run_script("prompts", R"(
return scenario {
  name = "prompts",
  dataset = prompts { "Tell me a story about a lighthouse.", "What is two plus two?" },
  arrival = closed { concurrency = 1 },
  requests = 4,
  request = { api = "completions", max_tokens = 8, ignore_eos = true },
}
)");
  check_records(r);
  for (const auto& rec : r.records) {
    INFO(json::serialize(rec));
    CHECK(num(rec, "expected_input_tokens") > 0);
    CHECK(num(rec, "expected_input_tokens") == num(rec, "input_tokens"));
  }
}

TEST_CASE("llama-server: a Poisson run loses no request to a connection the server closed",
          "[llama]") {
  const auto r = run_script("poisson", R"(
return scenario {
  name = "poisson",
  dataset = random { input_tokens = 64, output_tokens = 16 },
  arrival = poisson { rate = 6 },
  requests = 60,
  request = { api = "completions", ignore_eos = true },
}
)");
  INFO(r.cli.out);
  CHECK(r.cli.code == 0);
  check_records(r);
  CHECK(count_status(r, "ok") == 60);
  // The summary counts the churn: llama-server closes connections after a stream although
  // its headers say keep-alive; whatever it did, every request has its connection counted.
  CHECK(num(r.summary, "connections_opened") + num(r.summary, "connections_reused") == 60);
  CHECK(r.summary.contains("connections_found_dead"));
  CHECK(r.cli.out.find("Connections opened:") != std::string::npos);
}

TEST_CASE("llama-server: a closed loop back to back loses no request either", "[llama]") {
  const auto r = run_script("closed", R"(
return scenario {
  name = "closed",
  dataset = random { input_tokens = 32, output_tokens = 4 },
  arrival = closed { concurrency = 3 },
  requests = 60,
  request = { api = "completions", ignore_eos = true },
}
)");
  check_records(r);
  CHECK(count_status(r, "ok") == 60);
}

TEST_CASE("llama-server: chat, with the server's own parse errors classified as its own",
          "[llama]") {
  const auto r = run_script("chat", R"(
return scenario {
  name = "chat",
  dataset = random { input_tokens = 64, output_tokens = 24 },
  arrival = poisson { rate = 8 },
  requests = 30,
  allowed_failures = 1,
}
)");
  check_records(r);
  CHECK(r.records.size() == 30);
  // Failures (if the noise tripped the server's parser) are counted in the summary by class.
  const auto failed = num(r.summary, "failed");
  std::int64_t by_class = 0;
  for (const auto& [k, v] : r.summary.at("errors").as_object())
    by_class += v.to_number<std::int64_t>();
  CHECK(by_class == failed);
}

TEST_CASE("llama-server: a conversation carries its real replies", "[llama]") {
  const auto r = run_script("talk", R"(
return scenario {
  name = "talk",
  dataset = conversations { turns = 3, prompt_tokens = 48, followup_tokens = 24, output_tokens = 12 },
  arrival = closed { concurrency = 2 },
  requests = 2,
  request = { ignore_eos = true },
  allowed_failures = 1,
}
)");
  check_records(r);
  // Turns of a conversation that got its answers go on; history grows turn by turn.
  std::map<std::int64_t, std::int64_t> first_turn_tokens;
  for (const auto& rec : r.records)
    if (str(rec, "status") == "ok" && num(rec, "turn") == 1)
      first_turn_tokens[num(rec, "seq")] = num(rec, "input_tokens");
  for (const auto& rec : r.records) {
    if (str(rec, "status") != "ok" || num(rec, "turn") < 2) continue;
    const auto seq = num(rec, "seq");
    if (first_turn_tokens.count(seq)) CHECK(num(rec, "input_tokens") > first_turn_tokens[seq]);
  }
}

TEST_CASE("llama-server: llama_benchy.sweep writes its report from real answers", "[llama]") {
  const auto dir = temp_dir("llama_benchy");
  write(dir / "benchy.lua", R"(
local llama_benchy = require "llama_benchy"
return llama_benchy.sweep {
  name = "benchy", pp = { 64, 128 }, tg = { 8 }, concurrency = { 1, 2 }, runs = 1,
  coherence = false,   -- a model of random weights does not know the capital of France
  exact_tg = true,
}
)");
  const auto r = sh("run " + (dir / "benchy.lua").string() + " --base-url " +
                    shared_server().base_url() + " --out " + (dir / "out").string());
  INFO(r.out);
  CHECK(r.code == 0);
  CHECK(fs::exists(dir / "out" / "benchy.md"));
  CHECK(fs::exists(dir / "out" / "benchy.csv"));
  const auto md = read(dir / "out" / "benchy.md");
  CHECK(md.find("pp64") != std::string::npos);
  CHECK(md.find("tg8") != std::string::npos);
}

TEST_CASE("llama-server: vllm_bench.serve writes vLLM's result from real answers", "[llama]") {
  const auto dir = temp_dir("llama_vllm");
  write(dir / "serve.lua", R"(
local vllm_bench = require "vllm_bench"
local runs = {}
for _, rate in ipairs { 4, 8 } do
  runs[#runs + 1] = vllm_bench.serve {
    name = "serve-" .. rate, backend = "openai", dataset_name = "random",
    random_input_len = 64, random_output_len = 8, num_prompts = 12, request_rate = rate,
    seed = 42, ignore_eos = true,
  }
end
return runs
)");
  const auto r = sh("run " + (dir / "serve.lua").string() + " --base-url " +
                    shared_server().base_url() + " --out " + (dir / "out").string());
  INFO(r.out);
  CHECK(r.code == 0);
  std::size_t results = 0;
  for (const auto& e : fs::directory_iterator(dir / "out")) {
    const auto name = e.path().filename().string();
    if (name.rfind("openai-", 0) != 0 || e.path().extension() != ".json") continue;
    ++results;
    const auto o = json::parse(read(e.path())).as_object();
    CHECK(num(o, "completed") == 12);
    CHECK(num(o, "total_output_tokens") == 12 * 8);
    // Counted with the server's /tokenize: vLLM names the tokenizer by the model.
    CHECK(str(o, "tokenizer_id") == "tiny-random");
    CHECK(read(e.path()).back() == '}');  // vLLM's file has no trailing newline
  }
  CHECK(results == 2);
  CHECK(r.out.find("Serving Benchmark Result") != std::string::npos);
}

TEST_CASE("llama-server: a concurrency sweep writes its curve", "[llama]") {
  const auto dir = temp_dir("llama_sweep");
  write(dir / "sweep.lua", R"(
local points = {}
for _, c in ipairs { 1, 2, 4 } do
  points[#points + 1] = scenario {
    name = "sweep-c" .. c,
    dataset = random { input_tokens = 64, output_tokens = 8 },
    arrival = closed { concurrency = c },
    requests = 4 * c,
    request = { api = "completions", ignore_eos = true },
    curve = { report = "sweep", point = "c=" .. c },
  }
end
return points
)");
  const auto r = sh("run " + (dir / "sweep.lua").string() + " --base-url " +
                    shared_server().base_url() + " --out " + (dir / "out").string());
  INFO(r.out);
  CHECK(r.code == 0);
  CHECK(fs::exists(dir / "out" / "sweep.curve.csv"));
  for (const int c : {1, 2, 4}) {
    const auto recs = json_lines(dir / "out" / ("sweep-c" + std::to_string(c) + ".requests.jsonl"));
    CHECK(recs.size() == static_cast<std::size_t>(4 * c));
    for (const auto& rec : recs) CHECK(str(rec, "status") == "ok");
  }
}

TEST_CASE("llama-server: a book counted with its /tokenize is exact, not estimated", "[llama]") {
  const auto r = run_script("book", R"(
return scenario {
  name = "book",
  dataset = gutenberg { prompt_tokens = 96, depth_tokens = 64, output_tokens = 8 },
  arrival = closed { concurrency = 2 },
  requests = 4,
  request = { ignore_eos = true },
  allowed_failures = 1,
}
)");
  INFO(r.cli.out);
  check_records(r);
  const auto dataset_line = r.cli.out.substr(r.cli.out.find("dataset:"));
  CHECK(dataset_line.substr(0, dataset_line.find('\n')).find("estimated") == std::string::npos);
  for (const auto& rec : r.records) {
    INFO(json::serialize(rec));
    // The slices are cut to the asked counts as the server counts them (64 + 96); usage adds
    // the chat template's tokens on top, the same for every request.
    CHECK(num(rec, "expected_input_tokens") == 160);
    if (str(rec, "status") == "ok")
      CHECK(num(rec, "input_tokens") - num(rec, "expected_input_tokens") ==
            num(r.records.front(), "input_tokens") - 160);
  }
}
