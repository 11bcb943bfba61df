#pragma once
// HTTP/1.1 client for one worker thread: keep-alive connections to one server, reused
// across requests; plain TCP or TLS (verified by default). Not thread-safe: one per
// io_context.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "http_response_parser.hpp"
#include "loadwright/core/request_record.hpp"
#include "loadwright/core/url.hpp"
#include "loadwright/engine/engine_clock.hpp"

namespace loadwright::runtime {

/// How an exchange ended at the transport level. `status == ok` means a complete HTTP
/// response was parsed (whatever its status code).
struct exchange_result {
  request_status status = request_status::ok;
  std::string error;
  /// How the connection that carried the request was had, for the record.
  bool reused_connection = false;  // a kept-alive one (else opened for this request)
  /// Kept-alive connections the server had closed, found while sending this request: seen
  /// closed before use, or failing before any answer (then the request went out again on
  /// another). None of them is charged to the request.
  std::uint32_t dead_connections = 0;
};

struct exchange_limits {
  std::chrono::steady_clock::time_point deadline;  // whole exchange
  std::chrono::steady_clock::duration idle;        // max silence between reads
};

class http_connection;

class http_client {
 public:
  /// Bytes are timestamped on `clock` (the engine's; the steady clock when null).
  http_client(boost::asio::io_context& ioc, base_url target, boost::asio::ssl::context* tls,
              const engine_clock* clock = nullptr);
  ~http_client();
  http_client(const http_client&) = delete;
  http_client& operator=(const http_client&) = delete;

  /// Sends `head` + `body` (a complete request) and streams the response into `consumer`.
  /// A kept-alive connection is checked before use, and one the server closed meanwhile (it
  /// fails before any byte of an answer) is set aside and the request sent again on the next,
  /// at worst on a new connection: only a new connection's failure fails the request.
  boost::asio::awaitable<exchange_result> exchange(std::string_view head, std::string_view body,
                                                   response_consumer& consumer,
                                                   exchange_limits limits);

  /// Closes every connection, idle or busy: in-flight exchanges end with `cancelled`.
  void close_all();

  const base_url& target() const { return target_; }

 private:
  boost::asio::awaitable<exchange_result> connect(std::unique_ptr<http_connection>& out,
                                                  const exchange_limits& limits);
  /// The newest idle connection still open, dropping (and counting) those the server closed.
  std::unique_ptr<http_connection> take_idle(std::uint32_t& dead);

  boost::asio::io_context& ioc_;
  base_url target_;
  boost::asio::ssl::context* tls_;
  const engine_clock& clock_;
  std::vector<boost::asio::ip::tcp::endpoint> endpoints_;
  std::vector<std::unique_ptr<http_connection>> idle_;
  std::vector<http_connection*> busy_;
  bool closing_ = false;
};

/// A TLS context with the system's trust store and peer verification (off when `insecure`).
std::unique_ptr<boost::asio::ssl::context> make_tls_context(bool insecure);

}  // namespace loadwright::runtime
