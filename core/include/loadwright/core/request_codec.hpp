#pragma once
// Building OpenAI request bodies and heads. Bodies are built before a run's clock starts.

#include <string>
#include <string_view>

#include "loadwright/core/scenario_plan.hpp"
#include "loadwright/core/url.hpp"
#include "loadwright/datasets/sample.hpp"

namespace loadwright::runtime {

/// The max_tokens a sample is sent with: its own, else the request's, else -1 (not sent).
std::int64_t effective_max_tokens(const datasets::sample& s, const request_options& opt);

/// The JSON body for `/v1/chat/completions` or `/v1/completions`. Fields in `opt.body`
/// replace the built-in ones of the same name and are added in their own order.
std::string build_request_body(const datasets::sample& s, const request_options& opt,
                               std::string_view model);

/// Everything a request needs besides its body and id: path, host, headers.
struct request_head_template {
  std::string prefix;  // "POST /v1/chat/completions HTTP/1.1\r\nHost: …\r\n…" up to Content-Length
  std::string suffix;  // custom headers + Authorization + final CRLF

  static request_head_template make(const base_url& url, const request_options& opt,
                                    std::string_view api_key);
  /// The head of one request; `extra` holds header lines of its own ("Name: value\r\n").
  std::string render(std::size_t content_length, std::string_view request_id,
                     std::string_view extra = {}) const;
};

}  // namespace loadwright::runtime
