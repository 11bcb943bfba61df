#include "http_response_parser.hpp"

#include "catch.hpp"

using namespace loadwright::runtime;

namespace {
struct capture final : response_consumer {
  int status = 0;
  std::string content_type, body;
  void on_headers(int s, std::string_view ct, std::string_view) override {
    status = s;
    content_type = ct;
  }
  void on_body(std::string_view b, time_point) override { body += b; }
};

// Feeds `wire` in pieces cut at `cuts`, the way http_client does: keep unconsumed bytes and
// append the next read to them.
capture parse_in_pieces(const std::string& wire, std::vector<std::size_t> cuts, bool& done) {
  capture c;
  http_response_parser p(c);
  std::string pending;
  cuts.push_back(wire.size());
  std::size_t from = 0;
  for (const auto cut : cuts) {
    pending += wire.substr(from, cut - from);
    from = cut;
    boost::beast::error_code ec;
    const auto used = p.feed_all(pending, {}, ec);
    REQUIRE_FALSE(ec);
    pending.erase(0, used);
  }
  done = p.is_done();
  return c;
}
}  // namespace

TEST_CASE("http response parser: chunked SSE split at every pair of points", "[runtime][http]") {
  const std::string body = "data: {\"a\":1}\n\ndata: [DONE]\n\n";
  const std::string wire =
      "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
      "e\r\ndata: {\"a\":1}\n\r\n1\r\n\n\r\n"
      "e\r\ndata: [DONE]\n\n\r\n0\r\n\r\n";
  for (std::size_t a = 0; a <= wire.size(); ++a) {
    for (std::size_t b = a; b <= wire.size(); ++b) {
      bool done = false;
      const auto c = parse_in_pieces(wire, {a, b}, done);
      INFO("cuts " << a << ", " << b);
      REQUIRE(done);
      REQUIRE(c.status == 200);
      REQUIRE(c.body == body);
    }
  }
}

TEST_CASE("http response parser: content-length and close-delimited bodies", "[runtime][http]") {
  bool done = false;
  auto c = parse_in_pieces(
      "HTTP/1.1 404 Not Found\r\nContent-Length: 5\r\nContent-Type: application/json\r\n\r\nnope!",
      {20, 60}, done);
  CHECK(done);
  CHECK(c.status == 404);
  CHECK(c.body == "nope!");
  capture k;
  http_response_parser p(k);
  boost::beast::error_code ec;
  const std::string wire = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\ndata: x\n\n";
  CHECK(p.feed_all(wire, {}, ec) == wire.size());
  CHECK_FALSE(p.is_done());
  CHECK(p.need_eof());
  p.put_eof(ec);
  CHECK_FALSE(ec);
  CHECK(p.is_done());
  CHECK(k.body == "data: x\n\n");
}

TEST_CASE("http response parser: garbage is an error", "[runtime][http]") {
  capture c;
  http_response_parser p(c);
  boost::beast::error_code ec;
  p.feed_all("SMTP ready\r\n\r\n", {}, ec);
  CHECK(ec);
}
