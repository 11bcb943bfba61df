#pragma once
// A misbehaving HTTP server that is not our emulator: plain POSIX sockets on a free loopback
// port, answering the n-th request with exactly the bytes of scripted reply n (mod their
// count). It shares no code with loadwright, so the client is tested against wire bytes no
// part of loadwright produced.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <climits>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace loadwright::testing {

struct scripted_reply {
  enum class then {
    keep_alive,
    close,
    hold
  };  // after the bytes: read the next request,
      // close, or keep the socket open, silent
  std::string bytes;
  then after = then::keep_alive;
};

class scripted_server {
 public:
  explicit scripted_server(std::vector<scripted_reply> replies) : replies_(std::move(replies)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::listen(listener_, 64) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &len) != 0)
      throw std::runtime_error("scripted_server: cannot listen on loopback");
    port_ = ntohs(a.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
  }
  ~scripted_server() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    changed_.notify_all();
    acceptor_.join();
    std::vector<std::thread> threads;
    {
      std::lock_guard lock(mu_);  // not held while joining: a thread may still record a request
      threads.swap(connections_);
    }
    for (auto& t : threads) t.join();
    ::close(listener_);
  }
  scripted_server(const scripted_server&) = delete;
  scripted_server& operator=(const scripted_server&) = delete;

  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }
  int requests_seen() const { return requests_; }
  /// From now on replies wait for release(): the test decides when each answer goes out.
  void hold_replies() { released_ = 0; }
  /// Lets `n` more replies go out, in the order their requests were read.
  void release(int n = 1) {
    {
      std::lock_guard lock(mu_);
      released_ += n;
    }
    changed_.notify_all();
  }
  /// Waits (real time, up to `limit`) until `n` requests have been read; false if not.
  bool wait_requests(int n, std::chrono::milliseconds limit = std::chrono::seconds(10)) const {
    std::unique_lock lock(mu_);
    return changed_.wait_for(lock, limit, [&] { return static_cast<int>(seen_.size()) >= n; });
  }
  /// A server of known capacity: from now on replies go out one at a time, in the order their
  /// requests were read, each `service` after the later of its request and the previous reply
  /// (a single FIFO server: at most 1 / service replies per second, exactly).
  void serve_one_at_a_time(std::chrono::microseconds service) { service_ = service; }
  /// From now on each reply goes out `delay` after its request was read, every connection on
  /// its own (a server that takes the same time for every request, however many at once).
  void reply_after(std::chrono::microseconds delay) { delay_ = delay; }
  /// The server's own clock: when each request was read (in the order of requests()) and when
  /// each reply was sent (in the order sent).
  std::vector<std::chrono::system_clock::time_point> read_times() const {
    std::lock_guard lock(mu_);
    return read_at_;
  }
  std::vector<std::chrono::system_clock::time_point> reply_times() const {
    std::lock_guard lock(mu_);
    return replied_at_;
  }
  /// Requests whose head starts with `prefix` ("GET /v1/models") get `bytes` at once, outside
  /// the scripted replies and the queue.
  void answer(std::string prefix, std::string bytes) {
    std::lock_guard lock(mu_);
    fixed_.emplace_back(std::move(prefix), scripted_reply{std::move(bytes)});
  }
  /// Every request read so far (head and body), in the order they were read.
  std::vector<std::string> requests() const {
    std::lock_guard lock(mu_);
    return seen_;
  }

 private:
  // Waits up to 50 ms for `fd` to be readable; false when the server is stopping.
  bool readable(int fd) {
    while (!stop_) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 50) > 0) return true;
    }
    return false;
  }

  void accept_loop() {
    while (readable(listener_)) {
      const int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0) continue;
      std::lock_guard lock(mu_);
      connections_.emplace_back([this, fd] { serve(fd); });
    }
  }

  // Reads one request (headers, then Content-Length bytes of body); false at EOF or stop.
  bool read_request(int fd, std::string& pending) {
    std::size_t need = std::string::npos;
    for (;;) {
      if (need == std::string::npos) {
        if (const auto end = pending.find("\r\n\r\n"); end != std::string::npos) {
          std::size_t body = 0;
          const auto cl = pending.find("Content-Length: ");
          if (cl != std::string::npos && cl < end) body = std::stoul(pending.substr(cl + 16));
          need = end + 4 + body;
        }
      }
      if (need != std::string::npos && pending.size() >= need) {
        {
          std::lock_guard lock(mu_);
          seen_.push_back(pending.substr(0, need));
          read_at_.push_back(std::chrono::system_clock::now());
        }
        changed_.notify_all();
        pending.erase(0, need);
        return true;
      }
      if (!readable(fd)) return false;
      char buf[16384];
      const auto n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return false;
      pending.append(buf, static_cast<std::size_t>(n));
    }
  }

  void serve(int fd) {
    std::string pending;
    while (read_request(fd, pending)) {
      const scripted_reply* fixed = fixed_reply();
      const int number = fixed ? -1 : requests_++;
      {
        std::unique_lock lock(mu_);
        changed_.wait(lock, [&] { return stop_ || fixed || number < released_; });
      }
      if (!fixed && service_.count() > 0) {
        std::chrono::steady_clock::time_point done;
        {
          std::lock_guard lock(mu_);
          busy_until_ = std::max(busy_until_, std::chrono::steady_clock::now()) + service_;
          done = busy_until_;
        }
        std::this_thread::sleep_until(done);
      }
      if (!fixed && delay_.count() > 0) std::this_thread::sleep_for(delay_);
      const auto& reply =
          fixed ? *fixed : replies_[static_cast<std::size_t>(number) % replies_.size()];
      if (!fixed) {
        std::lock_guard lock(mu_);
        replied_at_.push_back(std::chrono::system_clock::now());
      }
      for (std::size_t sent = 0; sent < reply.bytes.size();) {
        const auto n =
            ::send(fd, reply.bytes.data() + sent, reply.bytes.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) break;
        sent += static_cast<std::size_t>(n);
      }
      if (reply.after == scripted_reply::then::close) break;
      if (reply.after == scripted_reply::then::hold) {
        while (!stop_) std::this_thread::sleep_for(std::chrono::milliseconds(20));
        break;
      }
    }
    ::close(fd);
  }

  // The fixed answer for the request just read (the last one in seen_), if any.
  const scripted_reply* fixed_reply() {
    std::lock_guard lock(mu_);
    for (auto& [prefix, reply] : fixed_)
      if (seen_.back().rfind(prefix, 0) == 0) return &reply;
    return nullptr;
  }

  std::vector<scripted_reply> replies_;
  std::vector<std::pair<std::string, scripted_reply>> fixed_;
  std::chrono::microseconds service_{0}, delay_{0};
  std::vector<std::chrono::system_clock::time_point> read_at_, replied_at_;
  std::chrono::steady_clock::time_point busy_until_{};
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0};
  mutable std::mutex mu_;
  mutable std::condition_variable changed_;
  int released_ = INT_MAX;  // replies allowed out (hold_replies/release)
  std::vector<std::string> seen_;
  std::vector<std::thread> connections_;
  std::thread acceptor_;
};

}  // namespace loadwright::testing
