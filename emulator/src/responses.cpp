#include "responses.hpp"

#include "loadwright/core/json_writer.hpp"
#include "loadwright/datasets/token_counter.hpp"

namespace loadwright::runtime::emulation {

namespace {
void open_chunk(json_writer& w, const response_shape& r) {
  w.begin_object()
      .field("id", r.id)
      .field("object", r.chat ? "chat.completion.chunk" : "text_completion")
      .field("created", r.created)
      .field("model", r.model);
}
}  // namespace

std::string_view token_text(std::uint64_t text_seed, std::int64_t index) {
  std::uint64_t x = text_seed + static_cast<std::uint64_t>(index) * 0x9E3779B97F4A7C15ULL;
  x ^= x >> 31;
  x *= 0xBF58476D1CE4E5B9ULL;
  x ^= x >> 27;
  const auto words = datasets::one_token_words();
  return words[x % words.size()];
}

namespace {
void write_usage(json_writer& w, const response_shape& r, std::int64_t prompt_tokens,
                 std::int64_t completion_tokens) {
  w.key("usage")
      .begin_object()
      .field("prompt_tokens", prompt_tokens)
      .field("completion_tokens", completion_tokens)
      .field("total_tokens", prompt_tokens + completion_tokens);
  if (r.cached_tokens >= 0)
    w.key("prompt_tokens_details")
        .begin_object()
        .field("cached_tokens", r.cached_tokens)
        .end_object();
  w.end_object();
}

std::string_view text_of(const response_shape& r, std::int64_t index) {
  if (index < r.silent_tokens) return {};
  return index == r.silent_tokens && !r.first_token_text.empty() ? r.first_token_text
                                                                 : token_text(r.text_seed, index);
}
}  // namespace

void append_token_event(std::string& out, const response_shape& r, std::int64_t first,
                        std::int64_t last, std::string_view finish_reason) {
  if (r.chat && first == 0) {
    out += "data: ";
    json_writer w(out);
    open_chunk(w, r);
    w.key("choices").begin_array().begin_object().field("index", 0);
    w.key("delta").begin_object().field("role", "assistant").field("content", "").end_object();
    w.key("finish_reason").null();
    w.end_object().end_array().end_object();
    out += "\n\n";
  }
  std::string text;
  for (std::int64_t i = first; i < last; ++i) text += text_of(r, i);
  if (text.empty() && finish_reason.empty()) return;  // silent tokens only
  out += "data: ";
  json_writer w(out);
  open_chunk(w, r);
  w.key("choices").begin_array().begin_object().field("index", 0);
  if (r.chat) {
    w.key("delta").begin_object();
    w.field("content", text).end_object();
  } else {
    w.field("text", text);
  }
  w.key("finish_reason");
  if (finish_reason.empty())
    w.null();
  else
    w.value(finish_reason);
  w.end_object().end_array().end_object();
  out += "\n\n";
}

void append_usage_event(std::string& out, const response_shape& r, std::int64_t prompt_tokens,
                        std::int64_t completion_tokens) {
  out += "data: ";
  json_writer w(out);
  open_chunk(w, r);
  w.key("choices").begin_array().end_array();
  write_usage(w, r, prompt_tokens, completion_tokens);
  w.end_object();
  out += "\n\n";
}

std::string whole_response(const response_shape& r, std::int64_t prompt_tokens,
                           std::int64_t completion_tokens, std::string_view finish_reason) {
  std::string text;
  for (std::int64_t i = 0; i < completion_tokens; ++i) text += text_of(r, i);
  std::string out;
  json_writer w(out);
  w.begin_object()
      .field("id", r.id)
      .field("object", r.chat ? "chat.completion" : "text_completion")
      .field("created", r.created)
      .field("model", r.model);
  w.key("choices").begin_array().begin_object().field("index", 0);
  if (r.chat)
    w.key("message").begin_object().field("role", "assistant").field("content", text).end_object();
  else
    w.field("text", text);
  w.field("finish_reason", finish_reason).end_object().end_array();
  write_usage(w, r, prompt_tokens, completion_tokens);
  w.end_object();
  return out;
}

std::string error_body(std::string_view message, std::string_view type, int code) {
  std::string out;
  json_writer w(out);
  w.begin_object()
      .key("error")
      .begin_object()
      .field("message", message)
      .field("type", type)
      .field("code", code)
      .end_object()
      .end_object();
  return out;
}

}  // namespace loadwright::runtime::emulation
