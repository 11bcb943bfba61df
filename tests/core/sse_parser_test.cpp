#include "loadwright/core/sse_parser.hpp"

#include <string>
#include <vector>

#include "catch.hpp"

using loadwright::runtime::sse_handler;
using loadwright::runtime::sse_parser;

namespace {
struct collect final : sse_handler {
  std::vector<std::pair<std::string, std::string>> events;
  void on_event(std::string_view type, std::string_view data) override {
    events.emplace_back(type, data);
  }
};

std::vector<std::pair<std::string, std::string>> parse_split(const std::string& stream,
                                                             std::size_t a, std::size_t b) {
  sse_parser p;
  collect c;
  p.feed(std::string_view(stream).substr(0, a), c);
  p.feed(std::string_view(stream).substr(a, b - a), c);
  p.feed(std::string_view(stream).substr(b), c);
  return c.events;
}
}  // namespace

TEST_CASE("sse: events survive every pair of split points", "[runtime][sse]") {
  const std::string stream =
      "\xEF\xBB\xBF: keep-alive comment\r\n\r\n"
      "data: {\"a\":1}\r\n\r\n"
      "event: message\ndata: line one\ndata: line two\n\n"
      "data:no-space\r\rdata: [DONE]\n\n";
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"", "{\"a\":1}"}, {"message", "line one\nline two"}, {"", "no-space"}, {"", "[DONE]"}};
  for (std::size_t a = 0; a <= stream.size(); ++a) {
    for (std::size_t b = a; b <= stream.size(); ++b) {
      INFO("split at " << a << " and " << b);
      REQUIRE(parse_split(stream, a, b) == expected);
    }
  }
}

TEST_CASE("sse: byte-at-a-time feeding gives the same events", "[runtime][sse]") {
  const std::string stream = "data: x\r\n\r\ndata: y\n\ndata: z\r\r";
  sse_parser p;
  collect c;
  for (const char ch : stream) p.feed(std::string_view(&ch, 1), c);
  REQUIRE(c.events.size() == 3);
  CHECK(c.events[2].second == "z");
  CHECK_FALSE(p.has_partial_event());
}

TEST_CASE("sse: fields without a value, unknown fields, empty data", "[runtime][sse]") {
  sse_parser p;
  collect c;
  p.feed("data\n\nid: 7\nretry: 10\nfoo: bar\n\ndata:\n\n", c);
  REQUIRE(c.events.size() == 2);  // the id/retry/foo event has no data: not dispatched
  CHECK(c.events[0].second.empty());
  CHECK(c.events[1].second.empty());
}

TEST_CASE("sse: a stream cut inside an event is reported as partial", "[runtime][sse]") {
  sse_parser p;
  collect c;
  p.feed("data: {\"x\":1}\n\ndata: {\"trunc", c);
  CHECK(c.events.size() == 1);
  CHECK(p.has_partial_event());
}

TEST_CASE("sse: an endless line is stopped at the size limit", "[runtime][sse]") {
  sse_parser p(1024);
  collect c;
  const std::string chunk(600, 'x');
  CHECK(p.feed("data: ", c));
  CHECK(p.feed(chunk, c));
  CHECK_FALSE(p.feed(chunk, c));
  CHECK(p.overflowed());
  CHECK(c.events.empty());
}

TEST_CASE(
    "sse: the limits hold the same whether a line comes whole or in pieces (found by "
    "fuzzing)",
    "[runtime][sse]") {
  // A long non-data line after some data: within the line limit, so no overflow either way.
  const std::string text =
      "data: " + std::string(600, 'd') + "\nevent: " + std::string(900, 'e') + "\ndata: x\n\n";
  for (const std::size_t step : {std::size_t{1}, std::size_t{7}, text.size()}) {
    sse_parser p(1024);
    collect c;
    bool ok = true;
    for (std::size_t i = 0; i < text.size() && ok; i += step) ok = p.feed(text.substr(i, step), c);
    INFO("step " << step);
    CHECK(ok);
    REQUIRE(c.events.size() == 1);
    CHECK(c.events[0].second.size() == 600 + 1 + 1);
  }
  // A line over the limit overflows even when it arrives in one piece.
  sse_parser p(1024);
  collect c;
  CHECK_FALSE(p.feed(": " + std::string(2000, 'c') + "\n", c));
  CHECK(p.overflowed());
}
