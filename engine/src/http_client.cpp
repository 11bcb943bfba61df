#include "http_client.hpp"

#include <openssl/ssl.h>

#include <sys/socket.h>
#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <cerrno>
#include <cstring>
#include <optional>

namespace loadwright::runtime {

namespace net = boost::asio;
namespace beast = boost::beast;
using net::ip::tcp;
using clock_type = std::chrono::steady_clock;
constexpr auto use_tuple = net::as_tuple(net::use_awaitable);

/// One TCP or TLS connection and its read buffer (kept across responses).
class http_connection {
 public:
  explicit http_connection(net::io_context& ioc) : tcp_(ioc) {}
  http_connection(net::io_context& ioc, net::ssl::context& ctx)
      : tcp_(ioc), tls_(std::make_unique<net::ssl::stream<beast::tcp_stream&>>(tcp_, ctx)) {}

  beast::tcp_stream& tcp() { return tcp_; }
  net::ssl::stream<beast::tcp_stream&>* tls() { return tls_.get(); }

  net::awaitable<std::tuple<beast::error_code, std::size_t>> write(std::string_view head,
                                                                   std::string_view body) {
    const std::array<net::const_buffer, 2> bufs{net::buffer(head.data(), head.size()),
                                                net::buffer(body.data(), body.size())};
    if (tls_) co_return co_await net::async_write(*tls_, bufs, use_tuple);
    co_return co_await net::async_write(tcp_, bufs, use_tuple);
  }

  net::awaitable<std::tuple<beast::error_code, std::size_t>> read_some(char* data,
                                                                       std::size_t size) {
    if (tls_) co_return co_await tls_->async_read_some(net::buffer(data, size), use_tuple);
    co_return co_await tcp_.async_read_some(net::buffer(data, size), use_tuple);
  }

  void close() {
    beast::error_code ec;
    tcp_.socket().shutdown(tcp::socket::shutdown_both, ec);
    tcp_.close();
  }

  /// An idle connection is usable when the server has neither closed it nor sent anything
  /// on it (no answer is due: a byte would be a close_notify, an error or garbage). One
  /// non-blocking peek at the socket, as urllib3's is_connection_dropped does.
  bool idle_and_open() {
    if (begin_ != end_) return false;  // bytes past the last response: out of step
    char byte;
    const auto n = ::recv(tcp_.socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  }

  // Unparsed bytes: buf_[begin_, end_).
  std::vector<char> buf_ = std::vector<char>(64 * 1024);
  std::size_t begin_ = 0, end_ = 0;
  std::size_t responses_ = 0;

 private:
  beast::tcp_stream tcp_;
  std::unique_ptr<net::ssl::stream<beast::tcp_stream&>> tls_;
};

std::unique_ptr<net::ssl::context> make_tls_context(bool insecure) {
  auto ctx = std::make_unique<net::ssl::context>(net::ssl::context::tls_client);
  ctx->set_default_verify_paths();
  ctx->set_verify_mode(insecure ? net::ssl::verify_none : net::ssl::verify_peer);
  return ctx;
}

http_client::http_client(net::io_context& ioc, base_url target, net::ssl::context* tls,
                         const engine_clock* clock)
    : ioc_(ioc),
      target_(std::move(target)),
      tls_(tls),
      clock_(clock ? *clock : steady_engine_clock()) {}

http_client::~http_client() {
  close_all();
}

void http_client::close_all() {
  closing_ = true;
  for (auto& c : idle_) c->close();
  idle_.clear();
  for (auto* c : busy_) c->close();
}

namespace {

// Time left until `deadline`, never below zero, capped at `cap`.
clock_type::duration remaining(const exchange_limits& l, clock_type::duration cap) {
  const auto left = l.deadline - clock_type::now();
  return std::max(clock_type::duration::zero(), std::min(left, cap));
}

bool is_timeout(const beast::error_code& ec) {
  return ec == beast::error::timeout;
}

}  // namespace

net::awaitable<exchange_result> http_client::connect(std::unique_ptr<http_connection>& out,
                                                     const exchange_limits& limits) {
  if (endpoints_.empty()) {
    tcp::resolver resolver(ioc_);
    auto [ec, results] =
        co_await resolver.async_resolve(target_.host, std::to_string(target_.port), use_tuple);
    if (ec)
      co_return exchange_result{request_status::connect,
                                "cannot resolve " + target_.host + ": " + ec.message()};
    for (const auto& r : results) endpoints_.push_back(r.endpoint());
  }
  if (target_.tls && !tls_) co_return exchange_result{request_status::tls, "no TLS context"};
  auto conn = target_.tls ? std::make_unique<http_connection>(ioc_, *tls_)
                          : std::make_unique<http_connection>(ioc_);
  conn->tcp().expires_after(remaining(limits, limits.idle));
  auto [ec, ep] = co_await conn->tcp().async_connect(endpoints_, use_tuple);
  if (ec) {
    co_return exchange_result{is_timeout(ec) ? request_status::timeout : request_status::connect,
                              "connect to " + target_.host_header() + ": " + ec.message()};
  }
  conn->tcp().socket().set_option(tcp::no_delay(true));
  if (auto* tls = conn->tls()) {
    if (!SSL_set_tlsext_host_name(tls->native_handle(), target_.host.c_str()))
      co_return exchange_result{request_status::tls, "cannot set TLS server name"};
    if (tls_ && (tls_->native_handle() != nullptr) &&
        SSL_CTX_get_verify_mode(tls_->native_handle()) != SSL_VERIFY_NONE)
      tls->set_verify_callback(net::ssl::host_name_verification(target_.host));
    conn->tcp().expires_after(remaining(limits, limits.idle));
    auto [hec] = co_await tls->async_handshake(net::ssl::stream_base::client, use_tuple);
    if (hec) {
      co_return exchange_result{is_timeout(hec) ? request_status::timeout : request_status::tls,
                                "TLS handshake with " + target_.host + ": " + hec.message()};
    }
  }
  out = std::move(conn);
  co_return exchange_result{};
}

net::awaitable<exchange_result> http_client::exchange(std::string_view head, std::string_view body,
                                                      response_consumer& consumer,
                                                      exchange_limits limits) {
  std::uint32_t dead = 0;  // kept-alive connections found closed on the way
  auto finish = [&dead](exchange_result r, bool reused) {
    r.reused_connection = reused;
    r.dead_connections = dead;
    return r;
  };
  for (;;) {
    if (closing_) co_return finish({request_status::cancelled, "run stopped"}, false);
    std::unique_ptr<http_connection> conn = take_idle(dead);
    if (!conn) {
      auto r = co_await connect(conn, limits);
      if (r.status != request_status::ok) co_return finish(std::move(r), false);
    }
    const bool reused = conn->responses_ > 0;
    busy_.push_back(conn.get());
    struct unbusy {
      std::vector<http_connection*>& v;
      http_connection* c;
      ~unbusy() { v.erase(std::remove(v.begin(), v.end(), c), v.end()); }
    } guard{busy_, conn.get()};

    conn->tcp().expires_after(remaining(limits, limits.idle));
    auto [wec, wn] = co_await conn->write(head, body);
    if (wec) {
      conn->close();
      if (reused && !closing_ && !is_timeout(wec)) {  // the server closed the idle connection
        ++dead;
        continue;
      }
      if (closing_) co_return finish({request_status::cancelled, "run stopped"}, reused);
      co_return finish({is_timeout(wec) ? request_status::timeout : request_status::write,
                        "write: " + wec.message()},
                       reused);
    }

    std::optional<http_response_parser> parser;
    parser.emplace(consumer);
    std::size_t received = 0;
    auto read_at = clock_.now();  // when the bytes being parsed came off the socket
    bool retry = false;
    exchange_result result;
    for (;;) {
      if (parser->is_done()) {
        if (!parser->interim()) break;
        parser.emplace(consumer);  // after a 100 Continue or 103 Early Hints comes the answer
      }
      // Parse what is buffered first (a previous read may hold more than one piece).
      if (conn->begin_ < conn->end_) {
        beast::error_code pec;
        conn->begin_ += parser->feed_all(
            std::string_view(conn->buf_.data() + conn->begin_, conn->end_ - conn->begin_), read_at,
            pec);
        if (pec) {
          result = {request_status::protocol, parser->problem().empty()
                                                  ? "malformed HTTP response: " + pec.message()
                                                  : parser->problem()};
          break;
        }
        if (parser->is_done()) continue;
        if (consumer.abandoned()) {  // the consumer's own error is the one recorded
          result = {request_status::protocol, "response abandoned"};
          break;
        }
      }
      if (conn->begin_ == conn->end_) conn->begin_ = conn->end_ = 0;
      if (conn->begin_ > 0) {  // compact, keeping a partial header
        std::memmove(conn->buf_.data(), conn->buf_.data() + conn->begin_,
                     conn->end_ - conn->begin_);
        conn->end_ -= conn->begin_;
        conn->begin_ = 0;
      }
      if (conn->end_ == conn->buf_.size())
        conn->buf_.resize(conn->buf_.size() * 2);  // header > buffer

      const auto left = limits.deadline - clock_type::now();
      if (left <= clock_type::duration::zero()) {
        result = {request_status::timeout, "request timeout"};
        break;
      }
      conn->tcp().expires_after(std::min(left, limits.idle));
      auto [rec, n] =
          co_await conn->read_some(conn->buf_.data() + conn->end_, conn->buf_.size() - conn->end_);
      if (rec) {
        const bool eof = rec == net::error::eof || rec == net::ssl::error::stream_truncated;
        if (eof && parser->is_header_done() && parser->need_eof()) {
          beast::error_code pec;
          parser->put_eof(pec);
          if (pec)
            result = {request_status::read, "connection closed mid-response: " + pec.message()};
          break;
        }
        if (reused && received == 0 && !closing_ && (eof || rec == net::error::connection_reset)) {
          retry = true;  // stale keep-alive connection: nothing was answered on it
          break;
        }
        if (closing_ || rec == net::error::operation_aborted) {
          result = {request_status::cancelled, "run stopped"};
        } else if (is_timeout(rec)) {
          const bool total = limits.deadline <= clock_type::now();
          result = {request_status::timeout,
                    total ? "request timeout" : "idle timeout: no data from the server"};
        } else if (eof) {
          result = {request_status::read, received == 0 ? "connection closed before a response"
                                                        : "connection closed mid-response"};
        } else {
          result = {request_status::read, "read: " + rec.message()};
        }
        break;
      }
      read_at = clock_.now();  // one timestamp per read: every event in it shares it
      received += n;
      conn->end_ += n;
    }
    if (retry) {
      conn->close();
      ++dead;
      continue;
    }
    if (result.status == request_status::ok && parser->is_done() && parser->keep_alive() &&
        !closing_) {
      ++conn->responses_;
      if (conn->begin_ == conn->end_) conn->begin_ = conn->end_ = 0;
      conn->tcp().expires_never();
      idle_.push_back(std::move(conn));
    } else {
      conn->close();
    }
    co_return finish(std::move(result), reused);
  }
}

std::unique_ptr<http_connection> http_client::take_idle(std::uint32_t& dead) {
  while (!idle_.empty()) {
    auto conn = std::move(idle_.back());
    idle_.pop_back();
    if (conn->idle_and_open()) return conn;
    conn->close();
    ++dead;
  }
  return nullptr;
}

}  // namespace loadwright::runtime
