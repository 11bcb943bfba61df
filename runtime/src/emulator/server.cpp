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
#include <thread>

#include "loadwright/datasets/token_counter.hpp"
#include "loadwright/datasets/tokenizer.hpp"
#include "loadwright/runtime/emulator.hpp"
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
    boost::system::error_code ec;
    json::value body = json::parse(req.body(), ec);
    if (ec)
      line["body_text"] = req.body();
    else
      line["body"] = std::move(body);
    *log << json::serialize(line) << '\n' << std::flush;
  }

  net::awaitable<bool> reply(beast::tcp_stream& stream, http::status status, std::string body,
                             bool keep_alive, std::string_view content_type = "application/json") {
    http::response<http::string_body> res{status, 11};
    res.set(http::field::server, "loadwright-emulator");
    res.set(http::field::content_type, content_type);
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
    // llama-benchy's coherence test asks this; a coherent model names the city.
    const bool capital_question = text.find("capital of France") != std::string::npos;
    std::int64_t cached_tokens = -1;  // -1: no cache, nothing reported
    if (profile.prefix_cache_blocks > 0 && !text.empty())
      cached_tokens = static_cast<std::int64_t>(static_cast<double>(prompt_tokens) *
                                                static_cast<double>(cache.lookup_and_insert(text)) /
                                                static_cast<double>(text.size()));
    co_return co_await generate(stream, body, chat, prompt_tokens, cached_tokens, fnv1a(text),
                                capital_question, keep_alive);
  }

  net::awaitable<bool> generate(beast::tcp_stream& stream, const json::object& body, bool chat,
                                std::int64_t prompt_tokens, std::int64_t cached_tokens,
                                std::uint64_t prompt_hash, bool capital_question, bool keep_alive) {
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
    shape.cached_tokens = cached_tokens;
    sched.submit(seq);

    if (!stream_mode) {
      while (!seq->finished) {
        seq->wake.expires_at(std::chrono::steady_clock::time_point::max());
        co_await seq->wake.async_wait(use_tuple);
      }
      co_return co_await reply(
          stream, http::status::ok,
          emulation::whole_response(shape, prompt_tokens, target, finish_reason), keep_alive);
    }

    std::string out =
        "HTTP/1.1 200 OK\r\nServer: loadwright-emulator\r\nContent-Type: text/event-stream\r\n"
        "Cache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n";
    if (!keep_alive) out += "Connection: close\r\n";
    out += "\r\n";
    std::string events;
    std::int64_t delivered = 0;
    for (;;) {
      if (delivered < seq->produced) {
        // Decide "this write ends the stream" now: the scheduler may finish the sequence
        // while the write is in flight, and those last tokens still have to go out.
        const bool ends_stream = seq->finished;
        events.clear();
        for (std::int64_t i = delivered; i < seq->produced; ++i) {
          const bool last = ends_stream && i + 1 == seq->produced;
          emulation::append_token_event(events, shape, i, i + 1,
                                        last ? finish_reason : std::string_view{});
        }
        delivered = seq->produced;
        if (ends_stream) {
          if (include_usage) emulation::append_usage_event(events, shape, prompt_tokens, delivered);
          events += "data: [DONE]\n\n";
        }
        fmt::format_to(std::back_inserter(out), "{:x}\r\n", events.size());
        out += events;
        out += "\r\n";
        if (ends_stream) out += "0\r\n\r\n";
        auto [ec, n] = co_await net::async_write(stream, net::buffer(out), use_tuple);
        out.clear();
        if (ec) {
          seq->abandoned = true;
          co_return false;
        }
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

}  // namespace loadwright::runtime
