#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace loadwright::runtime {

/// A server's base URL: `http[s]://host[:port][/path/prefix]`. The path prefix keeps its
/// leading '/' and has no trailing '/' ("" or "/v1").
struct base_url {
  bool tls = false;
  std::string host;
  std::uint16_t port = 0;
  std::string path_prefix;

  /// Parses `text`; on failure returns nullopt and sets `*why`.
  static std::optional<base_url> parse(std::string_view text, std::string* why);

  /// The path for an OpenAI endpoint ("chat/completions", "models"): adds "/v1" unless the
  /// prefix already ends with it, as every OpenAI client accepts both spellings.
  std::string endpoint_path(std::string_view endpoint) const;
  /// The path for a server-root endpoint ("tokenize", "health"): prefix without "/v1".
  std::string root_path(std::string_view endpoint) const;
  /// The "Host" header value.
  std::string host_header() const;
  std::string to_string() const;
};

/// `text` as it may be shown in a message: credentials ("user:pass@") and any query or
/// fragment replaced by "***", since either may hold a secret.
std::string redacted_url(std::string_view text);

}  // namespace loadwright::runtime
