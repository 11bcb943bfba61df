#include "loadwright/core/request_codec.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "loadwright/core/json_writer.hpp"

namespace loadwright::runtime {

std::int64_t effective_max_tokens(const datasets::sample& s, const request_options& opt) {
  if (s.max_output_tokens >= 0) return s.max_output_tokens;
  return opt.max_tokens.value_or(-1);
}

std::string build_request_body(const datasets::sample& s, const request_options& opt,
                               std::string_view model) {
  auto overridden = [&](std::string_view k) {
    return std::any_of(opt.body.begin(), opt.body.end(),
                       [&](const auto& kv) { return kv.first == k; });
  };
  std::string body;
  body.reserve(256 + s.prompt_text().size() * 11 / 10);
  json_writer w(body);
  w.begin_object();
  if (!overridden("model")) w.field("model", model);
  const bool vllm = opt.vllm_style;
  const bool chat = opt.api == api_kind::chat;
  if (chat) {
    if (!overridden("messages")) {
      w.key("messages").begin_array();
      for (const auto& m : s.messages) {
        w.begin_object().field("role", m.role).key("content");
        if (vllm)  // vllm bench serve: [{"type": "text", "text": …}]
          w.begin_array()
              .begin_object()
              .field("type", "text")
              .field("text", m.content)
              .end_object()
              .end_array();
        else
          w.value(m.content);
        w.end_object();
      }
      w.end_array();
    }
  } else if (!overridden("prompt")) {
    w.field("prompt", s.prompt_text());
    if (vllm && !overridden("repetition_penalty")) w.field("repetition_penalty", 1.0);
  }
  const char* max_key = vllm && chat ? "max_completion_tokens" : "max_tokens";
  if (const auto max = effective_max_tokens(s, opt); max >= 0 && !overridden(max_key))
    w.field(max_key, max);
  if (vllm && !chat && !overridden("logprobs")) w.key("logprobs").null();
  if (opt.temperature && !vllm && !overridden("temperature"))
    w.field("temperature", *opt.temperature);
  if (!vllm && opt.ignore_eos.value_or(false) && !overridden("ignore_eos"))
    w.field("ignore_eos", true);
  if (!overridden("stream")) w.field("stream", opt.stream);
  if (opt.stream && opt.include_usage && !overridden("stream_options"))
    w.key("stream_options").begin_object().field("include_usage", true).end_object();
  if (vllm && opt.ignore_eos.value_or(false) && !overridden("ignore_eos"))
    w.field("ignore_eos", true);
  if (opt.temperature && vllm && !overridden("temperature"))
    w.field("temperature", *opt.temperature);
  for (const auto& [k, v] : opt.body) w.key(k).raw(v);
  w.end_object();
  return body;
}

request_head_template request_head_template::make(const base_url& url, const request_options& opt,
                                                  std::string_view api_key) {
  request_head_template t;
  const auto path =
      url.endpoint_path(opt.api == api_kind::chat ? "chat/completions" : "completions");
  t.prefix = fmt::format(
      "POST {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: loadwright/0.1\r\nAccept: {}\r\n"
      "Content-Type: application/json\r\n",
      path, url.host_header(), opt.stream ? "text/event-stream" : "application/json");
  for (const auto& [k, v] : opt.headers) t.suffix += fmt::format("{}: {}\r\n", k, v);
  if (!api_key.empty()) t.suffix += fmt::format("Authorization: Bearer {}\r\n", api_key);
  t.suffix += "\r\n";
  return t;
}

std::string request_head_template::render(std::size_t content_length, std::string_view request_id,
                                          std::string_view extra) const {
  std::string head;
  head.reserve(prefix.size() + suffix.size() + 64 + request_id.size() + extra.size());
  head += prefix;
  fmt::format_to(std::back_inserter(head), "Content-Length: {}\r\nX-Request-Id: {}\r\n",
                 content_length, request_id);
  head += extra;
  head += suffix;
  return head;
}

}  // namespace loadwright::runtime
