// llama-benchy's steps before the measured requests (reference/llama-benchy.md §2): the
// coherence question and the latency measurement. Set-up calls, never on the hot path.

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>

#include "loadwright/app/llama_benchy_preflight.hpp"
#include "loadwright/engine/engine.hpp"

namespace loadwright::runtime::llama_benchy {

namespace bj = boost::json;

namespace {

std::string chat_body(const engine_target& t, const char* text, int max_tokens, bool stream) {
  bj::object body{{"model", t.model},
                  {"messages", bj::array{bj::object{{"role", "user"}, {"content", text}}}},
                  {"max_tokens", max_tokens}};
  if (stream) body["stream"] = true;
  return bj::serialize(body);
}

std::string string_at(const bj::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

double measure_latency(const engine_target& target, const std::string& mode) {
  if (mode == "none") return 0;
  double sum = 0;
  int n = 0;
  for (int i = 0; i < 3; ++i) {
    const auto r =
        mode == "api"
            ? send_small_request(target, "GET", target.url.endpoint_path("models"))
            : send_small_request(target, "POST", target.url.endpoint_path("chat/completions"),
                                 chat_body(target, "hello", 1, true));
    if (!r.problem().empty()) continue;
    const double s = mode == "api" ? r.complete_s : r.first_body_s;
    if (s < 0) continue;
    sum += s;
    ++n;
  }
  return n > 0 ? sum / n : 0.0;
}

bool coherence_check(const engine_target& target, std::string* reply) {
  const auto r = send_small_request(
      target, "POST", target.url.endpoint_path("chat/completions"),
      chat_body(target, "What is the capital of France? Please reply with one word only", 100,
                false));
  if (const auto problem = r.problem(); !problem.empty()) {
    if (reply) *reply = problem;
    return false;
  }
  boost::system::error_code ec;
  const auto doc = bj::parse(r.body, ec);
  std::string text;
  if (const auto* o = !ec ? doc.if_object() : nullptr) {
    if (const auto* choices = o->if_contains("choices");
        choices && choices->is_array() && !choices->as_array().empty()) {
      const auto* c = choices->as_array().front().if_object();
      const auto* m = c ? c->if_contains("message") : nullptr;
      if (m && m->is_object()) {
        const auto& msg = m->as_object();
        std::string reasoning = string_at(msg, "reasoning");
        if (reasoning.empty()) reasoning = string_at(msg, "reasoning_content");
        text = string_at(msg, "content") + reasoning;
      }
    }
  }
  if (reply) *reply = text;
  std::string lower = text;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower.find("paris") != std::string::npos;
}

}  // namespace loadwright::runtime::llama_benchy
