// The emulator's HTTP side: Beast sessions that parse OpenAI requests, hand sequences to the
// scheduler and stream their tokens back as SSE (chunked) or one JSON body.

#include <fmt/format.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json.hpp>
#include <fstream>
#include <limits>
#include <map>
#include <mutex>
#include <thread>

#include "loadwright/datasets/token_counter.hpp"
#include "loadwright/datasets/tokenizer.hpp"
#include "loadwright/emulator/emulator.hpp"
#include "prefix_cache.hpp"
#include "responses.hpp"
#include "scheduler.hpp"

namespace loadwright::runtime {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using net::ip::tcp;
constexpr auto use_tuple = net::as_tuple(net::use_awaitable);

namespace {

// The prompt text of a chat or completions request body, or why it has none.
bool prompt_text(const json::object& body, bool chat, std::string& text, std::string& why) {
  if (chat) {
    const auto* messages = body.if_contains("messages");
    if (!messages || !messages->is_array() || messages->as_array().empty()) {
      why = "'messages' must be a non-empty list";
      return false;
    }
    for (const auto& m : messages->as_array()) {
      const auto* content = m.is_object() ? m.as_object().if_contains("content") : nullptr;
      if (!content) continue;
      if (content->is_string()) {
        text += content->as_string();
        text += '\n';
      } else if (content->is_array()) {  // [{"type": "text", "text": "…"}]
        for (const auto& part : content->as_array()) {
          const auto* t = part.is_object() ? part.as_object().if_contains("text") : nullptr;
          if (t && t->is_string()) {
            text += t->as_string();
            text += '\n';
          }
        }
      }
    }
    return true;
  }
  const auto* prompt = body.if_contains("prompt");
  if (!prompt || !prompt->is_string()) {
    why = "'prompt' must be a string";
    return false;
  }
  text = prompt->as_string();
  return true;
}

std::int64_t int_field(const json::object& o, std::string_view k, std::int64_t fallback) {
  const auto* v = o.if_contains(k);
  if (v && (v->is_int64() || v->is_uint64())) return v->to_number<std::int64_t>();
  return fallback;
}

bool bool_field(const json::object& o, std::string_view k, bool fallback) {
  const auto* v = o.if_contains(k);
  return v && v->is_bool() ? v->as_bool() : fallback;
}

std::uint64_t fnv1a(std::string_view s) {
  std::uint64_t h = 1469598103934665603ULL;
  for (const char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  return h;
}

}  // namespace

struct emulator::impl {
  impl(emulator_profile p, std::string addr, std::uint16_t port)
      : profile(std::move(p)),
        address(std::move(addr)),
        requested_port(port),
        sched(ioc, profile),
        cache(profile.prefix_cache_blocks) {}

  emulator_profile profile;
  std::string address;
  std::uint16_t requested_port;
  net::io_context ioc{1};
  emulation::scheduler sched;
  emulation::prefix_cache cache;
  std::optional<tcp::acceptor> acceptor;
  std::uint16_t bound_port = 0;
  std::thread thread;
  std::atomic<std::uint64_t> served{0};
  std::atomic<std::uint64_t> accepted{0};
  std::uint64_t next_id = 0;
  std::optional<std::ofstream> log;
  std::uint64_t generation_requests = 0;  // picks each one's fault
  mutable std::mutex injected_mu;
  std::map<std::string, std::uint64_t> injected;

  void bind() {
    tcp::endpoint ep(net::ip::make_address(address), requested_port);
    acceptor.emplace(ioc);
    acceptor->open(ep.protocol());
    acceptor->set_option(net::socket_base::reuse_address(true));
    acceptor->bind(ep);
    acceptor->listen(net::socket_base::max_listen_connections);
    bound_port = acceptor->local_endpoint().port();
    sched.start();
    net::co_spawn(ioc, accept_loop(), net::detached);
  }

  net::awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, socket] = co_await acceptor->async_accept(use_tuple);
      if (ec) {
        if (ec == net::error::operation_aborted) co_return;
        continue;  // e.g. too many open files: keep serving the others
      }
      accepted.fetch_add(1, std::memory_order_relaxed);
      net::co_spawn(ioc, session(std::move(socket)), net::detached);
    }
  }

  net::awaitable<void> session(tcp::socket socket) {
    beast::error_code ec;
    socket.set_option(tcp::no_delay(true), ec);
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(64u << 20);
      auto [rec, n] = co_await http::async_read(stream, buffer, parser, use_tuple);
      if (rec) break;
      auto& req = parser.get();
      const bool keep_alive = req.keep_alive();
      const bool ok = co_await handle(stream, req, keep_alive);
      if (!ok || !keep_alive) break;
    }
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  // One io thread serves every session, so appends need no lock.
  void log_request(const http::request<http::string_body>& req) {
    if (!log) log.emplace(profile.request_log, std::ios::app | std::ios::binary);
    json::object line;
    line["method"] = std::string_view(req.method_string().data(), req.method_string().size());
    line["path"] = std::string_view(req.target().data(), req.target().size());
    json::object headers;  // all but the key, which is written nowhere
    for (const auto& h : req) {
      const auto name = h.name_string();
      if (beast::iequals(name, "authorization")) continue;
      headers[std::string_view(name.data(), name.size())] =
          std::string_view(h.value().data(), h.value().size());
    }
    line["headers"] = std::move(headers);
    boost::system::error_code ec;
    json::value body = json::parse(req.body(), ec);
    if (ec)
      line["body_text"] = req.body();
    else
      line["body"] = std::move(body);
    *log << json::serialize(line) << '\n' << std::flush;
  }

  net::awaitable<bool> reply(beast::tcp_stream& stream, http::status status, std::string body,
                             bool keep_alive, std::string_view content_type = "application/json",
                             std::string_view retry_after = {}) {
    http::response<http::string_body> res{status, 11};
    res.set(http::field::server, "loadwright-emulator");
    res.set(http::field::content_type, content_type);
    if (!retry_after.empty()) res.set(http::field::retry_after, retry_after);
    res.keep_alive(keep_alive);
    res.body() = std::move(body);
    res.prepare_payload();
    auto [ec, n] = co_await http::async_write(stream, res, use_tuple);
    co_return !ec;
  }

  net::awaitable<bool> handle(beast::tcp_stream& stream, http::request<http::string_body>& req,
                              bool keep_alive) {
    std::string_view path(req.target().data(), req.target().size());
    if (const auto q = path.find('?'); q != std::string_view::npos) path = path.substr(0, q);
    if (path.starts_with("/v1/")) path.remove_prefix(3);
    served.fetch_add(1, std::memory_order_relaxed);
    if (!profile.request_log.empty()) log_request(req);

    if (path == "/models" && req.method() == http::verb::get) {
      std::string body = fmt::format(
          R"({{"object": "list", "data": [{{"id": "{}", "object": "model", "owned_by": "loadwright", "root": "{}", "max_model_len": 131072}}]}})",
          profile.model, profile.model);
      co_return co_await reply(stream, http::status::ok, std::move(body), keep_alive);
    }
    if (path == "/version" && req.method() == http::verb::get)  // as vLLM's GET /version
      co_return co_await reply(stream, http::status::ok, R"({"version": "0.1.0"})", keep_alive);
    if (path == "/health")
      co_return co_await reply(stream, http::status::ok, "", keep_alive, "text/plain");
    const bool chat = path == "/chat/completions";
    const bool completions = path == "/completions";
    const bool tokenize = path == "/tokenize";
    if (!chat && !completions && !tokenize) {
      co_return co_await reply(
          stream, http::status::not_found,
          emulation::error_body(fmt::format("no route {}", path), "NotFoundError", 404),
          keep_alive);
    }
    if (req.method() != http::verb::post) {
      co_return co_await reply(stream, http::status::method_not_allowed,
                               emulation::error_body("use POST", "BadRequestError", 405),
                               keep_alive);
    }
    boost::system::error_code jec;
    json::value doc = json::parse(req.body(), jec);
    if (jec || !doc.is_object()) {
      co_return co_await reply(
          stream, http::status::bad_request,
          emulation::error_body("the body is not a JSON object", "BadRequestError", 400),
          keep_alive);
    }
    const auto& body = doc.as_object();
    std::string text, why;
    const bool as_chat = tokenize ? body.contains("messages") : chat;
    if (!prompt_text(body, as_chat, text, why)) {
      co_return co_await reply(stream, http::status::bad_request,
                               emulation::error_body(why, "BadRequestError", 400), keep_alive);
    }
    std::vector<datasets::token_id> ids;
    if (profile.tokenizer)
      ids = profile.tokenizer->encode(text, bool_field(body, "add_special_tokens", true));
    const std::int64_t prompt_tokens =
        profile.tokenizer ? static_cast<std::int64_t>(ids.size())
                          : datasets::estimate_token_counter::estimate_tokens(text);
    if (tokenize) {
      if (!profile.tokenizer)
        co_return co_await reply(
            stream, http::status::ok,
            fmt::format(R"({{"count": {}, "max_model_len": 131072, "estimated": true}})",
                        prompt_tokens),
            keep_alive);
      json::object answer;
      answer["count"] = prompt_tokens;
      answer["max_model_len"] = 131072;
      json::array& tokens = answer["tokens"].emplace_array();
      for (auto id : ids) tokens.push_back(id);
      co_return co_await reply(stream, http::status::ok, json::serialize(answer), keep_alive);
    }
    fault_rule fault = pick_fault(profile.faults, generation_requests++);
    if (const auto h = req.find("X-Loadwright-Fault"); h != req.end()) {
      std::string fwhy;
      if (!parse_fault(std::string_view(h->value().data(), h->value().size()), fault, &fwhy))
        co_return co_await reply(stream, http::status::bad_request,
                                 emulation::error_body(fwhy, "BadRequestError", 400), keep_alive);
    }
    if (fault.kind != emulator_fault::none) {
      std::lock_guard lock(injected_mu);
      ++injected[fault_name(fault)];
    }
    if (fault.kind == emulator_fault::close) co_return false;  // not a word: the session closes
    if (fault.kind == emulator_fault::echo_auth) {
      const auto auth = req[http::field::authorization];
      co_return co_await reply(
          stream, http::status::unauthorized,
          emulation::error_body(
              fmt::format("invalid credentials: {}", std::string_view(auth.data(), auth.size())),
              "AuthenticationError", 401),
          keep_alive);
    }
    // llama-benchy's coherence test asks this; a coherent model names the city.
    const bool capital_question = text.find("capital of France") != std::string::npos;
    std::int64_t cached_tokens = -1;  // -1: no cache, nothing reported
    if (profile.prefix_cache_blocks > 0 && !text.empty())
      cached_tokens = static_cast<std::int64_t>(static_cast<double>(prompt_tokens) *
                                                static_cast<double>(cache.lookup_and_insert(text)) /
                                                static_cast<double>(text.size()));
    co_return co_await generate(stream, body, chat, prompt_tokens, cached_tokens, fnv1a(text),
                                capital_question, keep_alive, fault);
  }

  // --- fault injection -------------------------------------------------------------------

  // Waits until the client closes the connection (it sends nothing more on it meanwhile).
  static net::awaitable<void> wait_for_close(beast::tcp_stream& stream) {
    stream.expires_never();
    char byte = 0;
    for (;;) {
      auto [ec, n] = co_await stream.async_read_some(net::buffer(&byte, 1), use_tuple);
      if (ec) co_return;
    }
  }

  // Ends the connection with a TCP reset rather than a clean close.
  static void reset_connection(beast::tcp_stream& stream) {
    beast::error_code ec;
    stream.socket().set_option(net::socket_base::linger(true, 0), ec);
    stream.socket().close(ec);
  }

  static net::awaitable<bool> write_raw(beast::tcp_stream& stream, std::string_view bytes) {
    auto [ec, n] = co_await net::async_write(stream, net::buffer(bytes), use_tuple);
    co_return !ec;
  }

  static std::string chunk(std::string_view data) {
    return fmt::format("{:x}\r\n{}\r\n", data.size(), data);
  }

  // A 96 MiB JSON body, written in 1 MiB pieces: a client must give up on it, not buffer it.
  static net::awaitable<bool> send_huge_body(beast::tcp_stream& stream) {
    constexpr std::size_t piece = 1u << 20, pieces = 96;
    const std::string head = fmt::format(
        "HTTP/1.1 200 OK\r\nServer: loadwright-emulator\r\nContent-Type: application/json\r\n"
        "Content-Length: {}\r\nConnection: close\r\n\r\n{{\"text\": \"",
        piece * pieces);
    if (!co_await write_raw(stream, head)) co_return false;
    const std::string filler(piece, 'x');
    for (std::size_t i = 0; i < pieces; ++i) {
      const std::size_t n = i == 0 ? piece - 10 : piece;  // 10: the `{"text": "` already sent
      if (!co_await write_raw(stream, std::string_view(filler).substr(0, n))) co_return false;
    }
    co_return false;
  }

  // A reply's fault once generation is under way: after half a stream, or in place of a
  // whole body (`seq` is then dropped by the scheduler).
  static net::awaitable<bool> act_midstream(beast::tcp_stream& stream, emulator_fault kind) {
    switch (kind) {
      case emulator_fault::reset:
        reset_connection(stream);
        co_return false;
      case emulator_fault::stall:
        co_await wait_for_close(stream);
        co_return false;
      case emulator_fault::error_event:
        co_return co_await write_raw(
            stream, chunk("data: " +
                          emulation::error_body("injected fault: the engine failed mid-stream",
                                                "InternalServerError", 500) +
                          "\n\ndata: [DONE]\n\n") +
                        "0\r\n\r\n");
      case emulator_fault::truncated:
        co_return co_await write_raw(stream,
                                     chunk("data: {\"id\": \"cmpl-cut\", \"cho") + "0\r\n\r\n");
      default:
        co_return true;
    }
  }

  static bool is_midstream(emulator_fault k) {
    return k == emulator_fault::reset || k == emulator_fault::stall ||
           k == emulator_fault::malformed || k == emulator_fault::error_event ||
           k == emulator_fault::truncated;
  }

  net::awaitable<bool> generate(beast::tcp_stream& stream, const json::object& body, bool chat,
                                std::int64_t prompt_tokens, std::int64_t cached_tokens,
                                std::uint64_t prompt_hash, bool capital_question, bool keep_alive,
                                fault_rule fault) {
    std::int64_t max_tokens = int_field(body, "max_tokens", -1);
    if (max_tokens < 0)
      max_tokens = int_field(body, "max_completion_tokens", profile.default_max_tokens);
    if (max_tokens < 1) {
      co_return co_await reply(
          stream, http::status::bad_request,
          emulation::error_body("max_tokens must be at least 1", "BadRequestError", 400),
          keep_alive);
    }
    const bool stream_mode = bool_field(body, "stream", false);
    switch (fault.kind) {
      case emulator_fault::status:
        co_return co_await reply(
            stream, static_cast<http::status>(fault.status),
            emulation::error_body(fmt::format("injected fault: HTTP {}", fault.status),
                                  fault.status < 500 ? "BadRequestError" : "InternalServerError",
                                  fault.status),
            keep_alive);
      case emulator_fault::rate_limit:
        co_return co_await reply(
            stream, http::status::too_many_requests,
            emulation::error_body("injected fault: rate limited", "RateLimitError", 429),
            keep_alive, "application/json", "2");
      case emulator_fault::no_headers:
        co_await wait_for_close(stream);
        co_return false;
      case emulator_fault::huge_body:
        co_return co_await send_huge_body(stream);
      case emulator_fault::long_line:
        if (!stream_mode) co_return co_await send_huge_body(stream);
        break;
      default:
        break;
    }
    bool include_usage = false;
    if (const auto* so = body.if_contains("stream_options"); so && so->is_object())
      include_usage = bool_field(so->as_object(), "include_usage", false);
    std::int64_t target = max_tokens;
    if (!bool_field(body, "ignore_eos", false)) {
      // A reply "ends naturally" somewhere in [0.5, 1.5) × the profile's typical length.
      const double u = static_cast<double>(prompt_hash % 1000003) / 1000003.0;
      const auto natural =
          static_cast<std::int64_t>(static_cast<double>(profile.natural_output_tokens) * (0.5 + u));
      target = std::clamp<std::int64_t>(natural, 1, max_tokens);
    }
    const std::string_view finish_reason = target == max_tokens ? "length" : "stop";

    auto seq = std::make_shared<emulation::sequence>(ioc);
    seq->prompt_tokens = prompt_tokens;
    seq->cached_tokens = std::max<std::int64_t>(0, cached_tokens);
    seq->target_tokens = target;
    emulation::response_shape shape;
    shape.chat = chat;
    shape.id = fmt::format("{}{}", chat ? "chatcmpl-" : "cmpl-", ++next_id);
    shape.model = profile.model;
    if (const auto* m = body.if_contains("model"); m && m->is_string())
      shape.model = m->as_string();
    shape.created = std::chrono::duration_cast<std::chrono::seconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
    shape.text_seed = prompt_hash;
    if (capital_question) shape.first_token_text = " Paris";
    shape.silent_tokens = profile.silent_tokens;
    shape.cached_tokens = cached_tokens;
    sched.submit(seq);

    if (!stream_mode) {
      while (!seq->finished) {
        seq->wake.expires_at(std::chrono::steady_clock::time_point::max());
        co_await seq->wake.async_wait(use_tuple);
      }
      std::string whole = emulation::whole_response(shape, prompt_tokens, target, finish_reason);
      switch (fault.kind) {
        case emulator_fault::reset:
        case emulator_fault::stall:
          co_return co_await act_midstream(stream, fault.kind);
        case emulator_fault::malformed:
          whole.resize(whole.size() / 2);  // complete HTTP, broken JSON
          break;
        case emulator_fault::error_event:
          whole = emulation::error_body("injected fault: the engine failed", "InternalServerError",
                                        500);
          break;
        case emulator_fault::truncated: {  // the body stops short of its Content-Length
          const std::string head = fmt::format(
              "HTTP/1.1 200 OK\r\nServer: loadwright-emulator\r\nContent-Type: "
              "application/json\r\nContent-Length: {}\r\n\r\n",
              whole.size());
          co_await write_raw(stream, head + whole.substr(0, whole.size() / 2));
          co_return false;
        }
        default:
          break;
      }
      co_return co_await reply(stream, http::status::ok, std::move(whole), keep_alive);
    }

    std::string out =
        "HTTP/1.1 200 OK\r\nServer: loadwright-emulator\r\nContent-Type: text/event-stream\r\n"
        "Cache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n";
    if (!keep_alive) out += "Connection: close\r\n";
    out += "\r\n";
    if (fault.kind == emulator_fault::long_line) {  // 16 MiB of one `data:` line, never ended
      seq->abandoned = true;
      out += chunk("data: ");
      const std::string filler(1u << 20, 'x');
      for (int i = 0; i < 16 && co_await write_raw(stream, out + chunk(filler)); ++i) out.clear();
      co_await wait_for_close(stream);
      co_return false;
    }
    // Mid-stream faults strike once the first half of the tokens has gone out.
    std::int64_t fault_at = is_midstream(fault.kind) ? std::max<std::int64_t>(1, (target + 1) / 2)
                                                     : std::numeric_limits<std::int64_t>::max();
    std::string events;
    std::int64_t delivered = 0;
    for (;;) {
      if (delivered < seq->produced) {
        // Decide "this write ends the stream" now: the scheduler may finish the sequence
        // while the write is in flight, and those last tokens still have to go out.
        bool ends_stream = seq->finished;
        std::int64_t upto = seq->produced;
        const bool fault_now = upto >= fault_at;
        if (fault_now) {
          upto = fault_at;
          ends_stream = false;
        }
        events.clear();
        for (std::int64_t i = delivered; i < upto; ++i) {
          const bool last = ends_stream && i + 1 == upto;
          emulation::append_token_event(events, shape, i, i + 1,
                                        last ? finish_reason : std::string_view{});
        }
        delivered = upto;
        if (fault_now && fault.kind == emulator_fault::malformed)
          events +=
              "data: {\"id\": \"cmpl-bad\", \"choices\": [{\"index\": 0, \"delta\": {\"content\n\n";
        if (ends_stream) {
          if (include_usage) emulation::append_usage_event(events, shape, prompt_tokens, delivered);
          if (fault.kind != emulator_fault::no_done) events += "data: [DONE]\n\n";
        }
        if (!events.empty()) {  // (an empty chunk would end the body)
          fmt::format_to(std::back_inserter(out), "{:x}\r\n", events.size());
          out += events;
          out += "\r\n";
        }
        if (ends_stream) out += "0\r\n\r\n";
        if (out.empty() && !fault_now) continue;  // silent tokens only: nothing to send yet
        if (!out.empty()) {
          auto [ec, n] = co_await net::async_write(stream, net::buffer(out), use_tuple);
          out.clear();
          if (ec) {
            seq->abandoned = true;
            co_return false;
          }
        }
        if (fault_now && fault.kind != emulator_fault::malformed) {
          seq->abandoned = true;
          co_return co_await act_midstream(stream, fault.kind);
        }
        if (fault_now) fault_at = std::numeric_limits<std::int64_t>::max();  // sent; go on
        if (ends_stream) co_return true;
      } else {
        if (!out.empty()) {  // headers before the first token: TTFR/TTFT start from here
          auto [ec, n] = co_await net::async_write(stream, net::buffer(out), use_tuple);
          out.clear();
          if (ec) {
            seq->abandoned = true;
            co_return false;
          }
          continue;
        }
        seq->wake.expires_at(std::chrono::steady_clock::time_point::max());
        co_await seq->wake.async_wait(use_tuple);
      }
    }
  }
};

emulator::emulator(emulator_profile profile, std::string address, std::uint16_t port)
    : impl_(std::make_unique<impl>(std::move(profile), std::move(address), port)) {}

emulator::~emulator() {
  stop();
}

void emulator::start() {
  impl_->bind();
  impl_->thread = std::thread([this] { impl_->ioc.run(); });
}

void emulator::run() {
  impl_->bind();
  impl_->ioc.run();
}

void emulator::stop() {
  if (!impl_) return;
  impl_->ioc.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

std::uint16_t emulator::port() const {
  return impl_->bound_port;
}
std::string emulator::base_url() const {
  return fmt::format("http://{}:{}/v1", impl_->address, impl_->bound_port);
}
const emulator_profile& emulator::profile() const {
  return impl_->profile;
}
std::uint64_t emulator::requests_served() const {
  return impl_->served.load();
}
std::uint64_t emulator::connections_accepted() const {
  return impl_->accepted.load();
}
std::vector<std::pair<std::string, std::uint64_t>> emulator::faults_injected() const {
  std::lock_guard lock(impl_->injected_mu);
  return {impl_->injected.begin(), impl_->injected.end()};
}

}  // namespace loadwright::runtime
