// The datasets end to end: what `loadwright run` sends (as the emulator's request log shows it)
// is what the sampler promised, counted with the model's tokenizer; the same seed sends the
// same bytes; the tokenize verb agrees with the library.

#include <unistd.h>
#include <algorithm>
#include <boost/json.hpp>
#include <cstdlib>
#include <map>

#include "catch.hpp"
#include "cli_support.hpp"
#include "fixtures.hpp"
#include "loadwright/datasets/tokenizer.hpp"

using namespace lw_e2e;
namespace json = boost::json;
using loadwright::datasets::tokenizer;

namespace {

std::string run_and_log(const std::string& script, const fs::path& dir, const std::string& tok,
                        const std::string& tag) {
  const auto log = dir / (tag + ".log");
  const auto r = sh("run " + script + " --quiet --out " + (dir / tag).string() + " --tokenizer " +
                    tok + " --emulator-log " + log.string());
  INFO(r.out);
  REQUIRE(r.code == 0);
  return log.string();
}

}  // namespace

TEST_CASE("e2e: gutenberg prompts arrive with the promised sizes, the same bytes each run",
          "[e2e][datasets]") {
  const auto dir = temp_dir("gutenberg");
  const std::string tok_dir = lw_test::fixture_path("qwen3");
  const auto tok = tokenizer::load(tok_dir);
  const auto script = write(dir / "g.lua", R"(
return scenario { name = "g", seed = 9, requests = 8, arrival = closed { concurrency = 3 },
  dataset = gutenberg { prompt_tokens = 200, depth_tokens = 700, output_tokens = 12, no_cache = true } })");
  const auto log1 = run_and_log(script.string(), dir, tok_dir, "a");
  const auto bodies = chat_bodies(log1);
  REQUIRE(bodies.size() == 8);
  for (const auto& b : bodies) {
    const auto& messages = b.at("messages").as_array();
    REQUIRE(messages.size() == 2);
    CHECK(tok->encode(content_of(messages[0])).size() == 700);
    CHECK(tok->encode(content_of(messages[1])).size() == 200);
    CHECK(b.at("max_tokens").as_int64() == 12);
  }
  const auto log2 = run_and_log(script.string(), dir, tok_dir, "b");
  auto sorted = [](const std::string& log) {
    std::vector<std::string> v;
    for (const auto& b : chat_bodies(log)) v.push_back(json::serialize(b));
    std::sort(v.begin(), v.end());
    return v;
  };
  CHECK(sorted(log1) == sorted(log2));
}

TEST_CASE("e2e: sharegpt prompts and output limits are what the file and tokenizer say",
          "[e2e][datasets]") {
  const auto dir = temp_dir("sharegpt");
  const std::string tok_dir = lw_test::fixture_path("mistral");
  const auto tok = tokenizer::load(tok_dir);
  std::string file = "[";
  for (int i = 0; i < 12; ++i) {
    if (i) file += ",\n";
    file += R"({"id": "e)" + std::to_string(i) +
            R"(", "conversations": [{"from": "human", "value": "Tell me about request )" +
            std::to_string(i) + R"( and caf\u00e9 latency, please."}, {"from": "gpt", "value": ")" +
            std::string(static_cast<std::size_t>(i + 1), 'x') +
            R"( is the answer, in some words."}]})";
  }
  write(dir / "sg.json", file + "]");
  const auto script = write(dir / "s.lua", R"(
return scenario { name = "s", requests = 12, arrival = poisson { rate = 200 },
  dataset = sharegpt { path = "sg.json" } })");
  const auto log = run_and_log(script.string(), dir, tok_dir, "a");
  const auto records = json_lines(dir / "a" / "s.requests.jsonl");
  REQUIRE(records.size() == 12);
  std::map<std::string, std::int64_t> max_tokens_by_prompt;
  for (const auto& b : chat_bodies(log))
    max_tokens_by_prompt[content_of(b.at("messages").as_array()[0])] =
        b.at("max_tokens").as_int64();
  REQUIRE(max_tokens_by_prompt.size() == 12);
  for (const auto& [prompt, max_tokens] : max_tokens_by_prompt) {
    const auto at = prompt.find("request ");
    REQUIRE(at != std::string::npos);
    const int i = std::stoi(prompt.substr(at + 8));
    const std::string reply =
        std::string(static_cast<std::size_t>(i + 1), 'x') + " is the answer, in some words.";
    CHECK(max_tokens == static_cast<std::int64_t>(tok->encode(reply, true).size()));
    CHECK(prompt.find("caf\xC3\xA9") != std::string::npos);
  }
  // The server (the emulator, counting with the same tokenizer) saw the promised prompt sizes.
  for (const auto& r : records) CHECK(r.at("input_tokens_source").as_string() == "usage");
}

TEST_CASE("e2e: conversations carry the real history, turn after turn", "[e2e][datasets]") {
  const auto dir = temp_dir("conversations");
  const std::string tok_dir = lw_test::fixture_path("llama3");
  const auto tok = tokenizer::load(tok_dir);
  const auto script = write(dir / "c.lua", R"(
return scenario { name = "c", requests = 3, arrival = closed { concurrency = 2 },
  dataset = conversations { turns = 3, prompt_tokens = 80, followup_tokens = 15, output_tokens = 9, system_tokens = 40 } })");
  const auto log = run_and_log(script.string(), dir, tok_dir, "a");
  const auto bodies = chat_bodies(log);
  REQUIRE(bodies.size() == 9);
  // Index every request by its history; each later turn extends an earlier one by exactly
  // one assistant reply and one user turn.
  std::size_t extended = 0;
  std::string system;
  for (const auto& b : bodies) {
    const auto& m = b.at("messages").as_array();
    REQUIRE(m.size() % 2 == 0);  // system + user (+ assistant + user)…
    CHECK(m[0].as_object().at("role").as_string() == "system");
    if (system.empty()) system = content_of(m[0]);
    CHECK(content_of(m[0]) == system);  // shared by every conversation
    CHECK(tok->encode(system).size() == 40);
    CHECK(tok->encode(content_of(m[1])).size() == 80);
    if (m.size() == 2) continue;
    const auto& reply = m[m.size() - 2].as_object();
    CHECK(reply.at("role").as_string() == "assistant");
    CHECK(tok->encode(content_of(m[m.size() - 2])).size() == 9);  // the reply the server sent
    CHECK(tok->encode(content_of(m.back())).size() == 15);
    for (const auto& other : bodies) {
      const auto& o = other.at("messages").as_array();
      if (o.size() + 2 != m.size()) continue;
      if (std::equal(o.begin(), o.end(), m.begin())) ++extended;
    }
  }
  CHECK(extended == 6);
  auto records = json_lines(dir / "a" / "c.requests.jsonl");
  REQUIRE(records.size() == 9);
  // Lines are written as requests end; in send order they are by sequence, then turn.
  std::sort(records.begin(), records.end(), [](const auto& a, const auto& b) {
    const auto key = [](const auto& r) {
      return std::pair(r.at("seq").as_int64(), r.at("turn").as_int64());
    };
    return key(a) < key(b);
  });
  CHECK(records[0].at("turn").as_int64() == 1);
  CHECK(records[2].at("turn").as_int64() == 3);
}

TEST_CASE("e2e: tokenize prints ids and text", "[e2e][datasets]") {
  const std::string tok_dir = lw_test::fixture_path("llama3");
  auto r = sh("tokenize --tokenizer " + tok_dir + " 'Hello world'");
  CHECK(r.code == 0);
  CHECK(r.out == "[9906,1917]\n");
  r = sh("tokenize --tokenizer " + tok_dir + " --decode '[9906,1917]'");
  CHECK(r.out == "Hello world");
  r = sh("tokenize --tokenizer " + tok_dir + " --count 'Hello world'");
  CHECK(r.out == "2\n");
  r = sh("tokenize --tokenizer /nonexistent 'x'");
  CHECK(r.code == 2);
  CHECK(r.out.find("/nonexistent") != std::string::npos);
  r = sh("tokenize --tokenizer " + tok_dir + " --decode 'not ids'");
  CHECK(r.code == 2);
}

TEST_CASE("e2e: the run says how it counts tokens", "[e2e][datasets]") {
  const auto dir = temp_dir("counting");
  const auto script = write(dir / "r.lua", R"(
return scenario { name = "r", requests = 2, arrival = closed { concurrency = 1 },
  dataset = random { input_tokens = 64, output_tokens = 4 } })");
  auto r = sh("run " + script.string() + " --out " + dir.string());
  CHECK(r.code == 0);
  CHECK(r.out.find("prompt tokens: estimated") != std::string::npos);
  r = sh("run " + script.string() + " --out " + dir.string() + " --tokenizer " +
         lw_test::fixture_path("mistral"));
  CHECK(r.out.find("prompt tokens: counted with tokenizer") != std::string::npos);
  CHECK(r.out.find("(from --tokenizer)") != std::string::npos);
  // A cached Hugging Face tokenizer for the served model is found (HF_HUB_CACHE layout).
  const auto hub = dir / "hub" / "models--loadwright--emulated";
  fs::create_directories(hub / "snapshots" / "abc");
  fs::create_directories(hub / "refs");
  write(hub / "refs" / "main", "abc");
  fs::copy_file(lw_test::fixture_path("mistral/tokenizer.json"),
                hub / "snapshots" / "abc" / "tokenizer.json");
  r = sh("run " + script.string() + " --out " + dir.string(),
         "HF_HUB_CACHE=" + (dir / "hub").string());
  CHECK(r.code == 0);
  CHECK(r.out.find("from the Hugging Face cache for loadwright/emulated") != std::string::npos);
}

TEST_CASE("e2e: a gutenberg url is downloaded once into the cache", "[e2e][datasets][tls]") {
  // `openssl s_server -WWW` serves the book over HTTPS on loopback with a throwaway certificate.
  const auto dir = temp_dir("book-url");
  const std::string d = dir.string();
  fs::copy_file(lw_test::gutenberg_book(), dir / "book.txt");
  REQUIRE(
      std::system(("cd " + d +
                   " && openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem "
                   "-days 1 -subj /CN=localhost >/dev/null 2>&1")
                      .c_str()) == 0);
  // Below the ephemeral range (32768+): a client never self-connects to a port not yet listening.
  const int port = 20000 + static_cast<int>((::getpid() + 7919) % 12000);
  FILE* srv = popen(("cd " + d + " && exec openssl s_server -accept " + std::to_string(port) +
                     " -cert cert.pem -key key.pem -WWW -quiet >/dev/null 2>&1")
                        .c_str(),
                    "w");
  REQUIRE(srv);
  const auto script =
      write(dir / "u.lua",
            "return scenario { name = 'u', requests = 2, arrival = closed { concurrency = 1 },"
            " dataset = gutenberg { url = 'https://localhost:" +
                std::to_string(port) + "/book.txt', prompt_tokens = 64 } }");
  const std::string env = "XDG_CACHE_HOME=" + (dir / "cache").string();
  // Before any run the book is not cached: validate says so and sends nothing.
  const auto before = sh("validate " + script.string(), env);
  CHECK(before.code == 2);
  CHECK(before.out.find("is not downloaded yet") != std::string::npos);
  const result first = sh_once_listening("run " + script.string() + " --insecure --out " + d, env);
  std::system(("pkill -f 'openssl s_server -accept " + std::to_string(port) + "'").c_str());
  pclose(srv);
  INFO(first.out);
  CHECK(first.code == 0);
  CHECK(first.out.find("downloading https://localhost:") != std::string::npos);
  std::size_t cached = 0;
  for (const auto& e : fs::directory_iterator(dir / "cache" / "loadwright" / "books")) {
    CHECK(read(e.path()) == read(dir / "book.txt"));
    ++cached;
  }
  CHECK(cached == 1);
  // The server is gone: the cached copy serves the next run and validate.
  const auto second = sh("run " + script.string() + " --out " + d, env);
  CHECK(second.code == 0);
  CHECK(second.out.find("downloading") == std::string::npos);
  CHECK(sh("validate " + script.string(), env).code == 0);
}

TEST_CASE("e2e: adapt_prompt makes the server count what was asked", "[e2e][datasets]") {
  // The emulator's "template" is the tokenizer's BOS plus a newline after each message:
  // measured from usage, subtracted, and the server then counts exactly prompt_tokens.
  const auto dir = temp_dir("adapt");
  const auto script = write(dir / "a.lua", R"(
return scenario { name = "a", requests = 4, arrival = closed { concurrency = 2 },
  dataset = gutenberg { prompt_tokens = 120, output_tokens = 4, adapt_prompt = true } })");
  const auto r = sh("run " + script.string() + " --out " + dir.string() + " --tokenizer " +
                    lw_test::fixture_path("mistral"));
  INFO(r.out);
  REQUIRE(r.code == 0);
  CHECK(r.out.find("the chat template adds 2 tokens to a user prompt") != std::string::npos);
  for (const auto& rec : json_lines(dir / "a.requests.jsonl")) {
    CHECK(rec.at("input_tokens").as_int64() == 120);
    CHECK(rec.at("input_tokens_source").as_string() == "usage");
  }
}

TEST_CASE("e2e: the server's /tokenize counts when no tokenizer is given, and checks one that is",
          "[e2e][datasets]") {
  const auto dir = temp_dir("server-tokenize");
  const int port = 20000 + static_cast<int>((::getpid() + 4243) % 12000);
  FILE* srv = popen((std::string(LW_BINARY) + " emulate --port " + std::to_string(port) +
                     " --tokenizer " + lw_test::fixture_path("qwen3") + " >/dev/null 2>&1")
                        .c_str(),
                    "w");
  REQUIRE(srv);
  const auto script = write(dir / "r.lua", R"(
return scenario { name = "r", requests = 3, arrival = closed { concurrency = 1 },
  request = { api = "completions" }, dataset = random { input_tokens = 80, output_tokens = 4 } })");
  const std::string base = " --base-url http://127.0.0.1:" + std::to_string(port) + "/v1 --out ";
  const result by_server =
      sh_once_listening("run " + script.string() + base + (dir / "a").string());
  const auto mismatched = sh("run " + script.string() + base + (dir / "b").string() +
                             " --tokenizer " + lw_test::fixture_path("mistral"));
  const auto matched = sh("run " + script.string() + base + (dir / "c").string() + " --tokenizer " +
                          lw_test::fixture_path("qwen3"));
  std::system(("pkill -f 'emulate --port " + std::to_string(port) + "'").c_str());
  pclose(srv);
  INFO(by_server.out);
  CHECK(by_server.code == 0);
  CHECK(by_server.out.find("counted with the server's /tokenize") != std::string::npos);
  // Prompts built to 80 tokens by asking the server arrive as 80 tokens (its usage).
  for (const auto& rec : json_lines(dir / "a" / "r.requests.jsonl"))
    CHECK(rec.at("input_tokens").as_int64() == 80);
  CHECK(mismatched.out.find("warning: the server's /tokenize counts") != std::string::npos);
  CHECK(matched.out.find("warning") == std::string::npos);
}
