#pragma once
// An HTTP/1.1 response parser driven by our own reads (sans I/O): Beast's basic_parser
// does the framing (content-length, chunked, close-delimited), body bytes go straight to a
// consumer without being stored, each tagged with the time of the read that brought them.

#include <boost/beast/http/basic_parser.hpp>
#include <chrono>
#include <string>
#include <string_view>

namespace loadwright::runtime {

/// Receives a response as it arrives.
class response_consumer {
 public:
  using time_point = std::chrono::steady_clock::time_point;
  /// The status line and headers are complete.
  virtual void on_headers(int status, std::string_view content_type,
                          std::string_view retry_after) = 0;
  /// A piece of the (de-chunked) body, read from the socket at `at`.
  virtual void on_body(std::string_view bytes, time_point at) = 0;
  /// A `Location` header (redirects), before on_headers. Most consumers ignore it.
  virtual void on_location(std::string_view) {}
  /// The `Server` header, if any, before on_headers (set-up requests note it).
  virtual void on_server(std::string_view) {}
  /// True once the consumer has what it needs (or has given up on the response): the client
  /// stops reading and drops the connection, so an endless or oversized reply costs nothing.
  virtual bool abandoned() const { return false; }

 protected:
  ~response_consumer() = default;
};

class http_response_parser final : public boost::beast::http::basic_parser<false> {
 public:
  explicit http_response_parser(response_consumer& consumer);

  /// Parses as much of `bytes` as possible; returns how many bytes were used. `at` is the
  /// time the bytes were read. `ec` is `need_more` when more input is required.
  std::size_t feed(std::string_view bytes, response_consumer::time_point at,
                   boost::beast::error_code& ec);

  /// Feeds `bytes` until the message is complete, an error occurs, or more input is needed
  /// (then `ec` is clear); returns the bytes consumed. Beast may stop with `need_more` after
  /// consuming part of the input although the rest would complete the message, so this
  /// feeds again as long as there is progress.
  std::size_t feed_all(std::string_view bytes, response_consumer::time_point at,
                       boost::beast::error_code& ec);

  int status() const { return status_; }
  /// An interim response (100 Continue, 103 Early Hints): the real one follows on the same
  /// connection, to be read with a fresh parser. The consumer never sees it.
  bool interim() const { return status_ >= 100 && status_ < 200 && status_ != 101; }
  /// Why the parser stopped with an error of its own making (else empty: Beast's message).
  const std::string& problem() const { return problem_; }

 private:
  void on_request_impl(boost::beast::http::verb, boost::beast::string_view,
                       boost::beast::string_view, int, boost::beast::error_code&) override {}
  void on_response_impl(int code, boost::beast::string_view, int,
                        boost::beast::error_code&) override {
    status_ = code;
  }
  void on_field_impl(boost::beast::http::field f, boost::beast::string_view,
                     boost::beast::string_view value, boost::beast::error_code&) override;
  void on_header_impl(boost::beast::error_code&) override;
  void on_body_init_impl(boost::optional<std::uint64_t> const&,
                         boost::beast::error_code&) override {}
  std::size_t on_body_impl(boost::beast::string_view body, boost::beast::error_code&) override;
  void on_chunk_header_impl(std::uint64_t, boost::beast::string_view,
                            boost::beast::error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, boost::beast::string_view body,
                                 boost::beast::error_code&) override;
  void on_finish_impl(boost::beast::error_code&) override {}

  response_consumer& consumer_;
  response_consumer::time_point at_{};
  int status_ = 0;
  std::string content_type_;
  std::string retry_after_;
  std::string content_encoding_;
  std::string problem_;
};

}  // namespace loadwright::runtime
