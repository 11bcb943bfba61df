#include "http_response_parser.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/string.hpp>

namespace loadwright::runtime {

namespace http = boost::beast::http;

http_response_parser::http_response_parser(response_consumer& consumer) : consumer_(consumer) {
  eager(true);
  body_limit(boost::none);  // bodies are consumed as they come; limits live in the consumer
  header_limit(64 * 1024);
}

std::size_t http_response_parser::feed(std::string_view bytes, response_consumer::time_point at,
                                       boost::beast::error_code& ec) {
  at_ = at;
  return put(boost::asio::const_buffer(bytes.data(), bytes.size()), ec);
}

std::size_t http_response_parser::feed_all(std::string_view bytes, response_consumer::time_point at,
                                           boost::beast::error_code& ec) {
  std::size_t total = 0;
  while (total < bytes.size() && !is_done()) {
    const std::size_t used = feed(bytes.substr(total), at, ec);
    total += used;
    if (ec == http::error::need_more) {
      ec = {};
      if (used == 0) break;
    } else if (ec) {
      break;
    }
  }
  return total;
}

void http_response_parser::on_field_impl(http::field f, boost::beast::string_view,
                                         boost::beast::string_view value,
                                         boost::beast::error_code&) {
  if (f == http::field::content_type) content_type_.assign(value.data(), value.size());
  if (f == http::field::retry_after) retry_after_.assign(value.data(), value.size());
  if (f == http::field::content_encoding) content_encoding_.assign(value.data(), value.size());
  if (f == http::field::location)
    consumer_.on_location(std::string_view(value.data(), value.size()));
  if (f == http::field::server) consumer_.on_server(std::string_view(value.data(), value.size()));
}

void http_response_parser::on_header_impl(boost::beast::error_code& ec) {
  if (interim()) return;
  consumer_.on_headers(status_, content_type_, retry_after_);
  // We ask for no encoding; a compressed body would read as garbage, so say what it is.
  if (!content_encoding_.empty() && !boost::beast::iequals(content_encoding_, "identity")) {
    problem_ = "the response is Content-Encoding: " + content_encoding_ +
               ", which loadwright does not decode (it asks for none)";
    ec = http::error::bad_value;
  }
}

std::size_t http_response_parser::on_body_impl(boost::beast::string_view body,
                                               boost::beast::error_code&) {
  consumer_.on_body(std::string_view(body.data(), body.size()), at_);
  return body.size();
}

std::size_t http_response_parser::on_chunk_body_impl(std::uint64_t, boost::beast::string_view body,
                                                     boost::beast::error_code&) {
  consumer_.on_body(std::string_view(body.data(), body.size()), at_);
  return body.size();
}

}  // namespace loadwright::runtime
