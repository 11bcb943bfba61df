// What real servers do that our emulator does not: llama.cpp's /tokenize shape (and TGI's),
// counts that cannot be right, and connections closed after a response whose headers promised
// keep-alive (llama-server does this after every stream). Wire bytes written by hand.

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/json/parse.hpp>

#include "catch.hpp"
#include "hostile_wire.hpp"
#include "http_client.hpp"
#include "loadwright/core/summary.hpp"
#include "loadwright/datasets/token_counter.hpp"
#include "loadwright/engine/engine.hpp"
#include "scripted_server.hpp"
#include "tiny_plan.hpp"

using namespace loadwright::runtime;
using loadwright::testing::scripted_reply;
using loadwright::testing::scripted_server;
using then = scripted_reply::then;
using namespace loadwright::testing::wire;

namespace {

engine_target target_of(const scripted_server& s) {
  engine_target t;
  std::string why;
  t.url = *base_url::parse(s.base_url(), &why);
  t.model = "m";
  return t;
}

scripted_reply json_reply(const std::string& body) {
  return {whole(200, "application/json", body)};
}

// The JSON body of the n-th request the server read.
boost::json::object body_of(const scripted_server& s, std::size_t n) {
  const auto req = s.requests().at(n);
  return boost::json::parse(req.substr(req.find("\r\n\r\n") + 4)).as_object();
}

}  // namespace

TEST_CASE("/tokenize: llama.cpp's shape is found and used", "[runtime][tokenize]") {
  // llama-server answers a body without "content" with no tokens at all: that used to read as
  // a count of 0 and grew random prompts 64-fold. Now the vLLM shape is refused as implausible
  // and the llama.cpp shape asked.
  scripted_server s({json_reply(R"({"tokens":[]})"),              // vLLM shape: no "content"
                     json_reply(R"({"tokens":[1,15043,3186]})"),  // llama.cpp: "Hello world"
                     json_reply(R"({"tokens":[1,2,3,4,5,6,7,8,9,10,11,12,13,14]})"),
                     json_reply(R"({"tokens":[1,2,3,4,5]})"),  // a count with specials
                     json_reply(R"({"tokens":[2,3,4,5]})")});  // the same without
  std::string why;
  const auto counter = make_server_token_counter(target_of(s), &why);
  INFO(why);
  REQUIRE(counter);
  CHECK(counter->describe().find("llama.cpp shape") != std::string::npos);
  CHECK(counter->count("some text") == 5);
  CHECK(counter->count_text("some text") == 4);
  REQUIRE(s.requests_seen() == 5);
  const auto vllm = body_of(s, 0);
  CHECK(vllm.at("prompt") == "Hello world");
  CHECK(vllm.at("add_special_tokens") == true);
  const auto llama = body_of(s, 3);
  CHECK(llama.at("content") == "some text");
  CHECK(llama.at("add_special") == true);  // llama-server's default is false: ask for BOS
  CHECK(llama.at("parse_special") == true);
  CHECK(body_of(s, 4).at("add_special") == false);
}

TEST_CASE("/tokenize: vLLM's and TGI's shapes", "[runtime][tokenize]") {
  SECTION("vLLM and SGLang: count") {
    scripted_server s({json_reply(R"({"count":3,"max_model_len":4096,"tokens":[1,2,3]})"),
                       json_reply(R"({"count":14,"max_model_len":4096,"tokens":[]})")});
    std::string why;
    const auto counter = make_server_token_counter(target_of(s), &why);
    REQUIRE(counter);
    CHECK(counter->describe().find("vLLM/SGLang shape") != std::string::npos);
    CHECK(s.requests_seen() == 2);  // found at the first shape
  }
  SECTION("TGI: a list of tokens") {
    const scripted_reply refused{whole(422, "application/json", R"({"error":"missing field"})")};
    scripted_server s({refused, refused,
                       json_reply(R"([{"id":1,"text":"<s>"},{"id":2,"text":"Hello"}])"),
                       json_reply(R"([{"id":1},{"id":2},{"id":3},{"id":4},{"id":5}])")});
    std::string why;
    const auto counter = make_server_token_counter(target_of(s), &why);
    INFO(why);
    REQUIRE(counter);
    CHECK(counter->describe().find("TGI shape") != std::string::npos);
    CHECK(body_of(s, 2).at("inputs") == "Hello world");
  }
}

TEST_CASE("/tokenize: counts that cannot be right are refused, with the reason",
          "[runtime][tokenize]") {
  SECTION("the same count for a longer text") {
    scripted_server s({json_reply(R"({"count":7})")});
    std::string why;
    CHECK_FALSE(make_server_token_counter(target_of(s), &why));
    CHECK_THAT(why, Catch::Contains("tokens for a text longer than one of 7 tokens"));
  }
  SECTION("no tokens for a text") {
    scripted_server s({json_reply(R"({"tokens":[]})")});
    std::string why;
    CHECK_FALSE(make_server_token_counter(target_of(s), &why));
    CHECK_THAT(why, Catch::Contains("an implausible count of 0 tokens"));
  }
  SECTION("no /tokenize: asked once") {
    scripted_server s({scripted_reply{whole(404, "text/plain", "not found")}});
    std::string why;
    CHECK_FALSE(make_server_token_counter(target_of(s), &why));
    CHECK_THAT(why, Catch::Contains("HTTP 404"));
    CHECK(s.requests_seen() == 1);
  }
}

TEST_CASE("random prompts: a counter that does not grow with the text is refused",
          "[runtime][tokenize]") {
  struct stuck final : loadwright::datasets::token_counter {
    std::int64_t count(std::string_view) const override { return 3; }
    bool exact() const override { return true; }
    std::string describe() const override { return "a stuck counter"; }
  } counter;
  auto plan = loadwright::testing::tiny_plan("stuck", closed_arrival{1}, 2, 200, 8);
  CHECK_THROWS_WITH(prepare_scenario(plan, "m", counter),
                    Catch::Contains("a stuck counter gave 3 tokens after adding 197 words"));
}

namespace {

// An SSE answer whose headers promise keep-alive (as llama-server's do) …
std::string keep_alive_answer() {
  return sse(good_events(),
             "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: "
             "chunked\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5, max=100\r\n\r\n");
}

std::vector<request_record> run_plan(const scripted_server& s, arrival_spec arrival,
                                     std::uint64_t requests) {
  auto plan = loadwright::testing::tiny_plan("churn", arrival, requests, 8, 3);
  plan.timeout = seconds_d(5);
  loadwright::datasets::estimate_token_counter counter;
  const auto prepared = prepare_scenario(plan, "m", counter);
  engine_options o;
  o.target = target_of(s);
  return execute_phase(prepared, run_phase::measure, 1, o).records;
}

// Collects a response's status for the http_client-level test.
struct status_only final : response_consumer {
  int status = 0;
  void on_headers(int st, std::string_view, std::string_view) override { status = st; }
  void on_body(std::string_view, time_point) override {}
};

}  // namespace

TEST_CASE("keep-alive promised, connection closed: no request is lost to it",
          "[runtime][connections]") {
  // … and the connection closed right after it, every time (llama-server after a stream).
  scripted_server s({{keep_alive_answer(), then::close}});
  poisson_arrival poisson;
  poisson.rate = 200;
  for (const auto& arrival : {arrival_spec{closed_arrival{4}}, arrival_spec{poisson}}) {
    const auto records = run_plan(s, arrival, 60);
    REQUIRE(records.size() == 60);
    std::uint64_t dead = 0;
    for (const auto& r : records) {
      INFO(r.error);
      CHECK(r.status == request_status::ok);
      CHECK_FALSE(r.reused_connection);  // every request that got an answer got it on a new one
      dead += r.dead_connections;
    }
    const auto sum = summarize_run(records, {});
    CHECK(sum.get("connections_opened") == 60);
    CHECK(sum.get("connections_reused") == 0);
    CHECK(sum.get("connections_found_dead") == static_cast<double>(dead));
  }
}

TEST_CASE("a kept-alive connection that dies on use is set aside, and so is the next",
          "[runtime][connections]") {
  // Three connections answer and stay open; then the server reads each of their next requests
  // and closes without a word (the race where a check before use still saw them open). One
  // request must go through all three dead ones and succeed on a fourth, new connection.
  scripted_server s({{keep_alive_answer()},
                     {keep_alive_answer()},
                     {keep_alive_answer()},
                     {"", then::close},
                     {"", then::close},
                     {"", then::close},
                     {keep_alive_answer()}});
  boost::asio::io_context ioc;
  std::string why;
  http_client client(ioc, *base_url::parse(s.base_url(), &why), nullptr);
  const std::string head =
      "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n";
  const exchange_limits limits{std::chrono::steady_clock::now() + std::chrono::seconds(10),
                               std::chrono::seconds(10)};
  std::vector<exchange_result> first(3);
  status_only sinks[4];
  for (int i = 0; i < 3; ++i)
    boost::asio::co_spawn(
        ioc,
        [&, i]() -> boost::asio::awaitable<void> {
          first[i] = co_await client.exchange(head, "{}", sinks[i], limits);
        },
        boost::asio::detached);
  ioc.run();
  for (const auto& r : first) CHECK(r.status == request_status::ok);
  REQUIRE(s.requests_seen() == 3);

  exchange_result last;
  ioc.restart();
  boost::asio::co_spawn(
      ioc,
      [&]() -> boost::asio::awaitable<void> {
        last = co_await client.exchange(head, "{}", sinks[3], limits);
      },
      boost::asio::detached);
  ioc.run();
  INFO(last.error);
  CHECK(last.status == request_status::ok);
  CHECK(sinks[3].status == 200);
  CHECK_FALSE(last.reused_connection);
  CHECK(last.dead_connections == 3);
  CHECK(s.requests_seen() == 7);
}

TEST_CASE("a new connection's failure is the request's", "[runtime][connections]") {
  scripted_server s({{keep_alive_answer()}, {"", then::close}, {"", then::close}});
  const auto records = run_plan(s, closed_arrival{1}, 2);
  REQUIRE(records.size() == 2);
  CHECK(records[0].status == request_status::ok);
  // The second went out on the kept-alive connection (dead: set aside), then on a new one,
  // which the server closed too: that one is charged.
  CHECK(records[1].status == request_status::read);
  CHECK(records[1].dead_connections == 1);
  CHECK(s.requests_seen() == 3);
}
