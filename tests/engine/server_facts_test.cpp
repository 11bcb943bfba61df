// What a server says about itself during set-up (the summary's "context"): the model list's
// owned_by and max_model_len, the Server header, and one version request to an engine known
// to report one. Wire bytes written by hand; nothing here may fail a run.

#include "catch.hpp"
#include "loadwright/engine/engine.hpp"
#include "scripted_server.hpp"

using namespace loadwright::runtime;
using loadwright::testing::scripted_reply;
using loadwright::testing::scripted_server;

namespace {

engine_target target_of(const scripted_server& s) {
  engine_target t;
  std::string why;
  t.url = *base_url::parse(s.base_url(), &why);
  return t;
}

scripted_reply answer(int status, const std::string& body, const std::string& server = "") {
  return {"HTTP/1.1 " + std::to_string(status) + " X\r\n" +
          (server.empty() ? "" : "Server: " + server + "\r\n") +
          "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
          "\r\n\r\n" + body};
}

// The request line of the n-th request the server read.
std::string request_line(const scripted_server& s, std::size_t n) {
  const auto req = s.requests().at(n);
  return req.substr(0, req.find("\r\n"));
}

}  // namespace

TEST_CASE("server facts: vLLM's model list and GET /version", "[runtime][context]") {
  scripted_server s({answer(200,
                            R"({"object":"list","data":[{"id":"llama","object":"model",)"
                            R"("owned_by":"vllm","root":"meta/llama","max_model_len":32768}]})",
                            "uvicorn"),
                     answer(200, R"({"version":"0.8.5"})", "uvicorn")});
  const auto t = target_of(s);
  std::string why, root;
  server_facts facts;
  CHECK(discover_model(t, &why, &root, &facts) == "llama");
  CHECK(root == "meta/llama");
  CHECK(facts.owned_by == "vllm");
  CHECK(facts.server == "uvicorn");
  CHECK(facts.max_model_len == 32768);
  discover_server_version(t, facts);
  CHECK(facts.version == "0.8.5");
  CHECK(facts.version_from == "GET /version");
  REQUIRE(s.requests_seen() == 2);
  CHECK(request_line(s, 1) == "GET /version HTTP/1.1");
}

TEST_CASE("server facts: llama.cpp's /props build_info", "[runtime][context]") {
  scripted_server s({answer(200, R"({"data":[{"id":"qwen.gguf","owned_by":"llamacpp"}]})"),
                     answer(200, R"({"build_info":"b6100-1a2b3c4","total_slots":4})")});
  const auto t = target_of(s);
  server_facts facts;
  CHECK(discover_model(t, nullptr, nullptr, &facts) == "qwen.gguf");
  discover_server_version(t, facts);
  CHECK(facts.version == "b6100-1a2b3c4");
  CHECK(facts.version_from == "GET /props build_info");
  CHECK(request_line(s, 1) == "GET /props HTTP/1.1");
  CHECK_FALSE(facts.max_model_len);
}

TEST_CASE("server facts: an engine that does not say is not asked; bad answers are ignored",
          "[runtime][context]") {
  SECTION("no owned_by: no second request") {
    scripted_server s({answer(200, R"({"data":[{"id":"m"}]})")});
    const auto t = target_of(s);
    server_facts facts;
    CHECK(discover_model(t, nullptr, nullptr, &facts) == "m");
    discover_server_version(t, facts);
    CHECK(facts.version.empty());
    CHECK(s.requests_seen() == 1);
  }
  SECTION("a 404, a body that is not JSON, a version with control characters") {
    for (const auto& reply : {answer(404, R"({"detail":"Not Found"})"), answer(200, "<html>"),
                              answer(200, R"({"version":"0.8\u001b[31m"})")}) {
      scripted_server s({answer(200, R"({"data":[{"id":"m","owned_by":"vllm"}]})"), reply});
      const auto t = target_of(s);
      server_facts facts;
      CHECK(discover_model(t, nullptr, nullptr, &facts) == "m");
      discover_server_version(t, facts);
      CHECK(facts.version.empty());
      CHECK(facts.version_from.empty());
    }
  }
  SECTION("a server that never answers the version request costs at most its timeout") {
    scripted_server s({answer(200, R"({"data":[{"id":"m","owned_by":"sglang"}]})"),
                       {"", scripted_reply::then::close}});
    const auto t = target_of(s);
    server_facts facts;
    discover_model(t, nullptr, nullptr, &facts);
    discover_server_version(t, facts);  // the connection closes: no version, no exception
    CHECK(facts.version.empty());
    CHECK(request_line(s, 1) == "GET /get_server_info HTTP/1.1");
  }
}
