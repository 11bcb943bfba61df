// Prompt token counts from the server's own tokenizer, through `POST /tokenize`. Used before
// the clock starts when no tokenizer.json is available. Servers disagree on the shape:
//   vLLM, SGLang  {"model", "prompt", "add_special_tokens"}  → {"count", "tokens", …}
//   llama.cpp     {"content", "add_special", "parse_special"} → {"tokens": [ids]}
//                 (a body without "content" is answered {"tokens": []}, which read as 0)
//   TGI           {"inputs", "add_special_tokens"}          → [{"id", "text", …}, …]
// The first shape whose answers are plausible (a non-empty text has tokens, a longer text
// has more) is kept for the whole run; none plausible means no server counting at all.

#include <fmt/format.h>

#include <boost/json.hpp>
#include <stdexcept>

#include "loadwright/engine/engine.hpp"

namespace loadwright::runtime {

namespace json = boost::json;

namespace {

enum class tokenize_dialect { vllm, llama_cpp, tgi };

const char* dialect_name(tokenize_dialect d) {
  switch (d) {
    case tokenize_dialect::vllm:
      return "vLLM/SGLang";
    case tokenize_dialect::llama_cpp:
      return "llama.cpp";
    case tokenize_dialect::tgi:
      return "TGI";
  }
  return "?";
}

std::string request_body(tokenize_dialect d, const std::string& model, std::string_view text,
                         bool add_special) {
  json::object body;
  switch (d) {
    case tokenize_dialect::vllm:
      body["model"] = model;
      body["prompt"] = text;
      body["add_special_tokens"] = add_special;
      break;
    case tokenize_dialect::llama_cpp:
      body["content"] = text;
      body["add_special"] = add_special;
      body["parse_special"] = true;  // what llama-server does to a completion's prompt
      break;
    case tokenize_dialect::tgi:
      body["inputs"] = text;
      body["add_special_tokens"] = add_special;
      break;
  }
  return json::serialize(body);
}

// The token count in an answer of dialect `d`, or nullopt with *why.
std::optional<std::int64_t> read_count(tokenize_dialect d, const json::value& doc,
                                       const std::string& where, std::string* why) {
  if (d == tokenize_dialect::tgi) {
    if (const auto* a = doc.if_array()) return static_cast<std::int64_t>(a->size());
    *why = where + ": the answer is not a JSON array";
    return std::nullopt;
  }
  const auto* o = doc.if_object();
  if (!o) {
    *why = where + ": the answer is not a JSON object";
    return std::nullopt;
  }
  if (d == tokenize_dialect::vllm)
    if (const auto* c = o->if_contains("count"); c && c->is_int64()) return c->get_int64();
  if (const auto* t = o->if_contains("tokens"); t && t->is_array())
    return static_cast<std::int64_t>(t->get_array().size());
  *why = where + ": no \"count\" or \"tokens\" in the answer";
  return std::nullopt;
}

// One /tokenize call in dialect `d`; nullopt with *why on any problem, an implausible count
// included. `*estimated`: the server says it only estimates (loadwright's own emulator).
// `*other_shape`: the server answered, but not to this shape (worth asking another); false
// when it did not answer at all or has no /tokenize.
std::optional<std::int64_t> ask(const engine_target& target, tokenize_dialect d,
                                std::string_view text, bool add_special, std::string* why,
                                bool* estimated = nullptr, bool* other_shape = nullptr) {
  const auto r = send_small_request(target, "POST", target.url.root_path("tokenize"),
                                    request_body(d, target.model, text, add_special));
  // 400/422: the body's shape was refused. (A 200 is another shape only in one case, below.)
  if (other_shape) *other_shape = r.ok && (r.status == 400 || r.status == 422);
  if (auto problem = r.problem(); !problem.empty()) {
    *why = std::move(problem);
    return std::nullopt;
  }
  boost::system::error_code ec;
  const auto doc = json::parse(r.body, ec);
  if (ec) {
    *why = r.where + ": the answer is not JSON";
    return std::nullopt;
  }
  if (estimated) {
    const auto* o = doc.if_object();
    const auto* e = o ? o->if_contains("estimated") : nullptr;
    *estimated = e && e->is_bool() && e->get_bool();
  }
  const auto n = read_count(d, doc, r.where, why);
  if (!n) return std::nullopt;
  // llama-server answers a body without its "content" with no tokens and no count.
  if (other_shape && *n == 0 && doc.is_object() && !doc.as_object().contains("count"))
    *other_shape = true;
  // No tokenizer makes more tokens than bytes (plus a few special ones), and none makes no
  // token of a text that has some: a count outside that would send the prompt sizing astray
  // (a -1e18 would ask for 1e18 words; a 0 grows the prompt without end).
  const auto most = static_cast<std::int64_t>(text.size()) + 64;
  const bool blank = text.find_first_not_of(" \t\r\n") == std::string_view::npos;
  if (*n < 0 || *n > most || (*n == 0 && !blank)) {
    *why = fmt::format("{}: an implausible count of {} tokens for {} bytes of text", r.where, *n,
                       text.size());
    return std::nullopt;
  }
  return n;
}

class server_token_counter final : public datasets::token_counter {
 public:
  server_token_counter(engine_target target, tokenize_dialect dialect)
      : target_(std::move(target)), dialect_(dialect) {}

  std::int64_t count(std::string_view text) const override { return counted(text, true); }
  std::int64_t count_text(std::string_view text) const override { return counted(text, false); }
  bool exact() const override { return true; }
  std::string describe() const override {
    return fmt::format("the server's /tokenize at {} ({} shape)", target_.url.to_string(),
                       dialect_name(dialect_));
  }

 private:
  std::int64_t counted(std::string_view text, bool add_special) const {
    std::string why;
    const auto n = ask(target_, dialect_, text, add_special, &why);
    if (!n)
      throw std::runtime_error("counting prompt tokens with the server's /tokenize failed: " + why);
    return *n;
  }

  engine_target target_;
  tokenize_dialect dialect_;
};

}  // namespace

std::unique_ptr<datasets::token_counter> make_server_token_counter(const engine_target& target,
                                                                   std::string* why) {
  // A short and a longer text: both must have tokens, and the longer more of them.
  const std::string_view probe = "Hello world";
  const std::string longer = "Hello world. The quick brown fox jumps over the lazy dog.";
  std::string reasons;
  for (const auto d :
       {tokenize_dialect::vllm, tokenize_dialect::llama_cpp, tokenize_dialect::tgi}) {
    std::string reason;
    bool estimated = false, other_shape = false;
    const auto a = ask(target, d, probe, true, &reason, &estimated, &other_shape);
    if (a && estimated)
      return nullptr;  // the built-in emulator without a tokenizer: nothing to say
    std::optional<std::int64_t> b;
    if (a) b = ask(target, d, longer, true, &reason);
    if (a && b && *b <= *a)
      reason = fmt::format("{} tokens for a text longer than one of {} tokens", *b, *a);
    if (a && b && *b > *a) return std::make_unique<server_token_counter>(target, d);
    reasons += fmt::format("{}{} shape: {}", reasons.empty() ? "" : "; ", dialect_name(d), reason);
    // No answer, or no /tokenize at all (404, 405…): another shape would fare no better.
    if (!other_shape) break;
  }
  if (why) *why = reasons;
  return nullptr;
}

}  // namespace loadwright::runtime
