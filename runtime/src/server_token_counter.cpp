// Prompt token counts from the server's own tokenizer, through `POST /tokenize` (vLLM and
// SGLang answer {"count", "tokens"}; llama.cpp answers {"tokens"}). Used before the clock
// starts when no tokenizer.json is available.

#include <fmt/format.h>

#include <boost/json.hpp>
#include <stdexcept>

#include "loadwright/runtime/engine.hpp"

namespace loadwright::runtime {

namespace json = boost::json;

namespace {

class server_token_counter final : public datasets::token_counter {
 public:
  explicit server_token_counter(engine_target target) : target_(std::move(target)) {}

  std::int64_t count(std::string_view text) const override {
    std::string why;
    const auto n = ask(target_, text, &why);
    if (!n)
      throw std::runtime_error("counting prompt tokens with the server's /tokenize failed: " + why);
    return *n;
  }
  bool exact() const override { return true; }
  std::string describe() const override {
    return "the server's /tokenize at " + target_.url.to_string();
  }

  // The count, or nullopt with *why; `*estimated` when the server says it only estimates.
  static std::optional<std::int64_t> ask(const engine_target& target, std::string_view text,
                                         std::string* why, bool* estimated = nullptr) {
    json::object body;
    body["model"] = target.model;
    body["prompt"] = text;
    body["add_special_tokens"] = true;
    const auto r =
        send_small_request(target, "POST", target.url.root_path("tokenize"), json::serialize(body));
    if (auto problem = r.problem(); !problem.empty()) {
      *why = std::move(problem);
      return std::nullopt;
    }
    boost::system::error_code ec;
    const auto doc = json::parse(r.body, ec);
    const auto* o = !ec ? doc.if_object() : nullptr;
    if (!o) {
      *why = r.where + ": the answer is not a JSON object";
      return std::nullopt;
    }
    if (estimated) {
      const auto* e = o->if_contains("estimated");
      *estimated = e && e->is_bool() && e->get_bool();
    }
    std::optional<std::int64_t> n;
    if (const auto* c = o->if_contains("count"); c && c->is_int64())
      n = c->get_int64();
    else if (const auto* t = o->if_contains("tokens"); t && t->is_array())
      n = static_cast<std::int64_t>(t->get_array().size());
    if (!n) {
      *why = r.where + ": no \"count\" or \"tokens\" in the answer";
      return std::nullopt;
    }
    // No tokenizer makes more tokens than bytes (plus a few special ones): a count outside
    // that would send the prompt sizing astray (a -1e18 would ask for 1e18 words).
    const auto most = static_cast<std::int64_t>(text.size()) + 64;
    if (*n < 0 || *n > most) {
      *why = fmt::format("{}: an implausible count of {} tokens for {} bytes of text", r.where, *n,
                         text.size());
      return std::nullopt;
    }
    return n;
  }

 private:
  engine_target target_;
};

}  // namespace

std::unique_ptr<datasets::token_counter> make_server_token_counter(const engine_target& target,
                                                                   std::string* why) {
  bool estimated = false;
  std::string reason;
  if (!server_token_counter::ask(target, "Hello world", &reason, &estimated)) {
    if (why) *why = reason;
    return nullptr;
  }
  if (estimated) {
    if (why)
      *why = "the server's /tokenize only estimates (the built-in emulator without a tokenizer)";
    return nullptr;
  }
  return std::make_unique<server_token_counter>(target);
}

}  // namespace loadwright::runtime
