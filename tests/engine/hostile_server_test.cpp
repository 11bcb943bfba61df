// The client against a server it has never seen: wire bytes written by hand (not by our
// emulator), odd but legal ones read correctly, broken ones each a classified record.

#include <boost/json/parse.hpp>
#include <functional>

#include "catch.hpp"
#include "hostile_wire.hpp"
#include "loadwright/core/printable.hpp"
#include "loadwright/core/result_files.hpp"
#include "loadwright/core/summary.hpp"
#include "loadwright/datasets/token_counter.hpp"
#include "loadwright/engine/engine.hpp"
#include "scripted_server.hpp"
#include "tiny_plan.hpp"

using namespace loadwright::runtime;
using loadwright::testing::scripted_reply;
using then = scripted_reply::then;
using namespace loadwright::testing::wire;

namespace {

std::vector<request_record> run_against(const std::string& url, bool stream = true) {
  auto plan = loadwright::testing::tiny_plan("hostile", closed_arrival{1}, 2, 8, 3);
  plan.request.stream = stream;
  plan.idle_timeout = seconds_d(0.5);
  plan.timeout = seconds_d(5);
  loadwright::datasets::estimate_token_counter counter;
  const auto prepared = prepare_scenario(plan, "hostile", counter);
  engine_options o;
  std::string why;
  o.target.url = *base_url::parse(url, &why);
  o.target.model = "hostile";
  return execute_phase(prepared, run_phase::measure, 1, o).records;
}

struct wire_case {
  const char* name;
  std::vector<scripted_reply> replies;
  request_status status;
  const char* message;  // contained in each record's error ("" when ok)
};

// Each case against a server of its own: two requests, each read (not followed, not
// retried) once; `check` sees each record, `all` the two together.
void run_cases(const std::vector<wire_case>& cases,
               const std::function<void(const wire_case&, const request_record&)>& check,
               const std::function<void(const std::vector<request_record>&)>& all = {}) {
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.name) {
      loadwright::testing::scripted_server server(c.replies);
      const auto records = run_against(server.base_url());
      REQUIRE(records.size() == 2);
      for (const auto& r : records) {
        INFO(r.error);
        check(c, r);
      }
      if (all) all(records);
      CHECK(server.requests_seen() == 2);
    }
  }
}

}  // namespace

TEST_CASE("a server we never saw: odd but legal streams read exactly", "[runtime][hostile]") {
  std::string bytewise = kSseHead;
  for (const auto& e : good_events())
    for (const char c : e) bytewise += chunk(std::string(1, c));
  bytewise += "0\r\n\r\n";
  std::string close_delimited = "HTTP/1.0 200 OK\r\nContent-Type: text/event-stream\r\n\r\n";
  for (const auto& e : good_events()) close_delimited += e;
  const std::vector<wire_case> cases = {
      {"CRLF line ends", {{sse(good_events("\r\n"))}}, request_status::ok, ""},
      {"CR line ends", {{sse(good_events("\r"))}}, request_status::ok, ""},
      {"a stream without a Content-Type (a proxy dropped it)",
       {{sse(good_events(), "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")}},
       request_status::ok,
       ""},
      {"the media type in capitals, with a charset",
       {{sse(good_events(),
             "HTTP/1.1 200 OK\r\nContent-Type: Text/Event-Stream; charset=UTF-8\r\n"
             "Transfer-Encoding: chunked\r\n\r\n")}},
       request_status::ok,
       ""},
      {"one byte per chunk", {{bytewise}}, request_status::ok, ""},
      {"HTTP/1.0, ended by close", {{close_delimited, then::close}}, request_status::ok, ""},
      {"100 Continue first",
       {{"HTTP/1.1 100 Continue\r\n\r\n" + sse(good_events())}},
       request_status::ok,
       ""},
      {"103 Early Hints first",
       {{"HTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n" + sse(good_events())}},
       request_status::ok,
       ""},
      {"comments, other fields, no space after data:, empty data",
       {{sse({": ping\n\n", "event: message\nid: 7\nretry: 10\ndata: " + delta("one") + "\n\n",
              "data:\n\n", "data:" + delta(" two") + "\n\n", "data: " + delta(" three") + "\n\n",
              "data:[DONE]\n\n"})}},
       request_status::ok,
       ""},
      {"events after [DONE] are not counted",
       {{sse([] {
         auto e = good_events();
         e.push_back("data: " + delta(" four") + "\n\n");
         return e;
       }())}},
       request_status::ok,
       ""},
      // Keep-alive advertised, then the server closes between requests (uvicorn's 5 s
      // keep-alive timeout): the second request retries on a fresh connection.
      {"closed after a kept-alive response",
       {{sse(good_events()), then::close}},
       request_status::ok,
       ""},
  };
  run_cases(cases, [](const wire_case& c, const request_record& r) {
    CHECK(r.status == request_status::ok);
    CHECK(r.http_status == 200);
    CHECK(r.text_events == 3);
    CHECK(r.finish_reason == (std::string(c.name).find("comments") == 0 ? "" : "stop"));
    CHECK(r.ttft_ns > 0);
    CHECK(r.e2el_ns >= r.ttft_ns);
  });
}

TEST_CASE("a server we never saw: every broken reply is a classified record",
          "[runtime][hostile]") {
  const std::vector<wire_case> cases = {
      {"a chunk size that is not hex",
       {{kSseHead + "zz\r\nhello\r\n", then::hold}},
       request_status::protocol,
       "malformed HTTP response: bad chunk"},
      {"not HTTP at all",
       {{"SSH-2.0-OpenSSH_9.2\r\n", then::close}},
       request_status::protocol,
       "malformed HTTP response"},
      {"a 200 KiB header",
       {{"HTTP/1.1 200 OK\r\nX-Big: " + std::string(200'000, 'a') + "\r\n\r\n"}},
       request_status::protocol,
       "header limit exceeded"},
      {"both Content-Length and chunked",
       {{"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: 5\r\n"
         "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"}},
       request_status::protocol,
       "malformed HTTP response"},
      {"a gzip body we did not ask for",
       {{"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Encoding: gzip\r\n"
         "Content-Length: 4\r\n\r\n\x1f\x8b\x08\x00"}},
       request_status::protocol,
       "Content-Encoding: gzip"},
      {"a redirect elsewhere is not followed",
       {{"HTTP/1.1 307 Temporary Redirect\r\nLocation: http://example.com/v1/chat/completions\r\n"
         "Content-Length: 0\r\n\r\n"}},
       request_status::http_status,
       "HTTP 307"},
      {"an HTML page with 200",
       {{whole(200, "text/html", "<html>Bad Gateway</html>")}},
       request_status::protocol,
       "malformed JSON in response"},
      {"a 204 with no body",
       {{"HTTP/1.1 204 No Content\r\n\r\n"}},
       request_status::empty,
       "HTTP 204 with an empty body"},
      {"a JSON number as an event",
       {{sse({"data: 42\n\n", "data: [DONE]\n\n"})}},
       request_status::protocol,
       "JSON that is not an object"},
      {"text that is not UTF-8",
       {{sse({"data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\xff\xfe\"}}]}\n\n",
              "data: [DONE]\n\n"})}},
       request_status::protocol,
       "text that is not UTF-8"},
      {"the connection closes mid-stream",
       {{kSseHead + chunk(good_events()[0]), then::close}},
       request_status::read,
       "connection closed mid-response"},
      {"the stream stops, the socket stays open",
       {{kSseHead + chunk(good_events()[0]), then::hold}},
       request_status::timeout,
       "idle timeout"},
      {"no [DONE], then a clean end",
       {{sse({good_events()[0], good_events()[1]})}},
       request_status::truncated,
       "without [DONE]"},
      {"a 500 whose body is not UTF-8",
       {{whole(500, "text/plain", "\xff\xfe broken \xc3")}},
       request_status::http_status,
       "HTTP 500: "},
      {"a 500 whose body holds terminal escapes",
       {{whole(500, "text/plain",
               "\x1b]52;c;ZXZpbA==\x07\x1b[2J\xc2\x9b" + std::string("31m gone"))}},
       request_status::http_status,
       "HTTP 500: "},
  };
  run_cases(
      cases,
      [](const wire_case& c, const request_record& r) {
        CHECK(r.status == c.status);
        CHECK_THAT(r.error, Catch::Contains(c.message));
        CHECK(r.end_ns >= 0);
        // Each record is one line of valid JSON (UTF-8), whatever bytes the server sent.
        std::string line;
        append_record_jsonl(line, r);
        CHECK_NOTHROW(boost::json::parse(line));
      },
      [](const std::vector<request_record>& records) {
        // What the console shows of the server's words cannot reach the terminal as escapes.
        const auto text = console_summary("hostile", summarize_run(records, {}), nullptr, {50, 99});
        CHECK(text.find('\x1b') == std::string::npos);
        CHECK(text.find("\xc2\x9b") == std::string::npos);
      });
}

TEST_CASE("nothing listening: each request is a connect record", "[runtime][hostile]") {
  std::string url;
  {
    loadwright::testing::scripted_server gone({{""}});
    url = gone.base_url();
  }
  const auto records = run_against(url);
  REQUIRE(records.size() == 2);
  for (const auto& r : records) {
    CHECK(r.status == request_status::connect);
    CHECK_THAT(r.error, Catch::Contains("Connection refused"));
  }
}

TEST_CASE("printable: control characters escaped, UTF-8 kept", "[runtime][hostile]") {
  CHECK(printable("caf\xc3\xa9\tok") == "caf\xc3\xa9\tok");
  CHECK(printable("a\nb") == "a\\nb");
  CHECK(printable("\x1b[2J\x07\x7f") == "\\x1b[2J\\x07\\x7f");
  CHECK(printable(std::string("\xc2\x9b") + "31m") == "\\xc2\\x9b31m");  // C1 CSI as UTF-8
  CHECK(printable("\xc2\xa0") == "\xc2\xa0");                            // U+00A0 is printable
  CHECK(has_control_characters("m\x1b"));
  CHECK_FALSE(has_control_characters("meta-llama/Llama-3.1-8B"));
}
