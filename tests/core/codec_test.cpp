#include <boost/json.hpp>

#include "catch.hpp"
#include "loadwright/core/json_writer.hpp"
#include "loadwright/core/request_codec.hpp"
#include "loadwright/core/url.hpp"

using namespace loadwright::runtime;

TEST_CASE("url: parsing and endpoint paths", "[runtime][url]") {
  std::string why;
  auto u = base_url::parse("http://localhost:8000/v1/", &why);
  REQUIRE(u);
  CHECK(u->host == "localhost");
  CHECK(u->port == 8000);
  CHECK(u->endpoint_path("chat/completions") == "/v1/chat/completions");
  CHECK(u->root_path("tokenize") == "/tokenize");
  auto p = base_url::parse("https://api.example.com/openai", &why);
  REQUIRE(p);
  CHECK(p->tls);
  CHECK(p->port == 443);
  CHECK(p->endpoint_path("models") == "/openai/v1/models");
  CHECK(p->host_header() == "api.example.com");
  auto v6 = base_url::parse("http://[::1]:9/v1", &why);
  REQUIRE(v6);
  CHECK(v6->host == "::1");
  CHECK(v6->host_header() == "[::1]:9");
  CHECK_FALSE(base_url::parse("ftp://x", &why));
  CHECK_FALSE(base_url::parse("http://x:99999", &why));
  CHECK_FALSE(base_url::parse("http://user:pw@x", &why));
}

TEST_CASE("json writer: escaping and Python-like floats", "[runtime][json]") {
  std::string out;
  json_writer w(out);
  w.begin_object()
      .field("s", "a\"b\\\n\x01")
      .field("f", 1.0)
      .field("g", 0.1)
      .field("i", std::int64_t{3});
  w.key("n").value(std::nan("")).key("l").begin_array().value(true).null().end_array().end_object();
  CHECK(out ==
        R"({"s": "a\"b\\\n\u0001", "f": 1.0, "g": 0.1, "i": 3, "n": null, "l": [true, null]})");
}

TEST_CASE("json writer: keeps UTF-8, replaces bytes that are not UTF-8 with U+FFFD",
          "[runtime][json]") {
  const auto escaped = [](std::string_view s) {
    std::string out;
    json_writer::escape(out, s);
    return out;
  };
  const std::string fffd = "\xEF\xBF\xBD";
  CHECK(escaped("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80") ==
        "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
  CHECK(escaped(std::string("a\xFF") + "b") == "a" + fffd + "b");
  CHECK(escaped("\xC3") == fffd);                        // cut short (a 4 KiB error body)
  CHECK(escaped("\xC0\xAF") == fffd + fffd);             // overlong '/'
  CHECK(escaped("\xED\xA0\x80") == fffd + fffd + fffd);  // a UTF-16 surrogate
  CHECK(escaped("\xF4\x90\x80\x80") == fffd + fffd + fffd + fffd);  // above U+10FFFF
  CHECK(escaped("\xE2\x82") == fffd + fffd);
  // Whatever the bytes, the result parses as JSON.
  std::string all;
  for (int c = 1; c < 256; ++c) all += static_cast<char>(c);
  CHECK_NOTHROW(boost::json::parse("\"" + escaped(all) + "\""));
}

TEST_CASE("request bodies: chat, completions, overrides", "[runtime][codec]") {
  loadwright::datasets::sample s;
  s.messages = {{"system", "be brief"}, {"user", "hi"}};
  s.max_output_tokens = 64;
  request_options opt;
  opt.temperature = 0;
  opt.ignore_eos = true;
  auto chat = boost::json::parse(build_request_body(s, opt, "m")).as_object();
  CHECK(chat["model"] == "m");
  CHECK(chat["messages"].as_array().size() == 2);
  CHECK(chat["max_tokens"] == 64);
  CHECK(chat["ignore_eos"] == true);
  CHECK(chat["stream"] == true);
  CHECK(chat["stream_options"].as_object()["include_usage"] == true);
  opt.api = api_kind::completions;
  opt.body = {{"max_tokens", "7"}, {"top_k", "[1,2]"}};
  auto comp = boost::json::parse(build_request_body(s, opt, "m")).as_object();
  CHECK(comp["prompt"] == "be brief\nhi");
  CHECK(comp["max_tokens"] == 7);  // the scenario's body wins, once
  CHECK(comp["top_k"].as_array().size() == 2);
}

TEST_CASE("request bodies: vllm bench serve's shape and key order", "[runtime][codec]") {
  loadwright::datasets::sample s;
  s.messages = {{"user", "hi"}};
  s.max_output_tokens = 5;
  request_options o;
  o.vllm_style = true;
  o.ignore_eos = true;
  o.temperature = 0.0;
  o.body = {{"top_p", "0.9"}};
  // endpoint_request_func.py: model, messages (text parts), max_completion_tokens, stream,
  // stream_options, then ignore_eos and the sampling fields.
  CHECK(
      build_request_body(s, o, "m") ==
      R"({"model": "m", "messages": [{"role": "user", "content": [{"type": "text", "text": "hi"}]}], )"
      R"("max_completion_tokens": 5, "stream": true, "stream_options": {"include_usage": true}, )"
      R"("ignore_eos": true, "temperature": 0.0, "top_p": 0.9})");
  o.api = api_kind::completions;
  o.temperature.reset();
  o.body.clear();
  CHECK(build_request_body(s, o, "m") ==
        R"({"model": "m", "prompt": "hi", "repetition_penalty": 1.0, "max_tokens": 5, )"
        R"("logprobs": null, "stream": true, "stream_options": {"include_usage": true}, )"
        R"("ignore_eos": true})");
}

TEST_CASE("request heads carry the id, the key and custom headers", "[runtime][codec]") {
  std::string why;
  request_options opt;
  opt.headers = {{"X-Tenant", "a"}};
  const auto t = request_head_template::make(*base_url::parse("http://h:1/v1", &why), opt, "sk-1");
  const auto head = t.render(12, "s-1-0");
  CHECK(head.starts_with("POST /v1/chat/completions HTTP/1.1\r\nHost: h:1\r\n"));
  CHECK(head.find("Content-Length: 12\r\nX-Request-Id: s-1-0\r\n") != std::string::npos);
  CHECK(head.find("X-Tenant: a\r\nAuthorization: Bearer sk-1\r\n\r\n") != std::string::npos);
  CHECK(head.ends_with("\r\n\r\n"));
}
