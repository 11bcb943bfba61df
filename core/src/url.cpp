#include "loadwright/core/url.hpp"

#include <charconv>

namespace loadwright::runtime {

std::optional<base_url> base_url::parse(std::string_view text, std::string* why) {
  auto fail = [&](std::string msg) -> std::optional<base_url> {
    if (why) *why = std::move(msg);
    return std::nullopt;
  };
  base_url u;
  if (text.starts_with("http://")) {
    text.remove_prefix(7);
  } else if (text.starts_with("https://")) {
    u.tls = true;
    text.remove_prefix(8);
  } else {
    return fail("expected a URL starting with http:// or https://");
  }
  const auto slash = text.find('/');
  std::string_view authority = text.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? "" : text.substr(slash);
  if (authority.find('@') != std::string_view::npos)
    return fail("credentials in the URL are not supported; use --api-key");
  if (authority.empty()) return fail("no host in the URL");
  std::string_view host = authority, port;
  if (authority.front() == '[') {  // IPv6 literal
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return fail("unterminated IPv6 address");
    host = authority.substr(1, close - 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return fail("unexpected text after the IPv6 address");
      port = authority.substr(close + 2);
    }
  } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) return fail("no host in the URL");
  u.host = std::string(host);
  u.port = u.tls ? 443 : 80;
  if (!port.empty()) {
    unsigned value = 0;
    auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc{} || p != port.data() + port.size() || value == 0 || value > 65535)
      return fail("invalid port '" + std::string(port) + "'");
    u.port = static_cast<std::uint16_t>(value);
  }
  if (path.find_first_of("?#") != std::string_view::npos)
    return fail("a base URL cannot carry a query or fragment");
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  u.path_prefix = std::string(path);
  return u;
}

std::string base_url::endpoint_path(std::string_view endpoint) const {
  std::string p = path_prefix;
  if (!(p.size() >= 3 && p.compare(p.size() - 3, 3, "/v1") == 0)) p += "/v1";
  p += '/';
  p += endpoint;
  return p;
}

std::string base_url::root_path(std::string_view endpoint) const {
  std::string p = path_prefix;
  if (p.size() >= 3 && p.compare(p.size() - 3, 3, "/v1") == 0) p.resize(p.size() - 3);
  p += '/';
  p += endpoint;
  return p;
}

std::string base_url::host_header() const {
  const bool v6 = host.find(':') != std::string::npos;
  std::string h = v6 ? "[" + host + "]" : host;
  if (port != (tls ? 443 : 80)) h += ":" + std::to_string(port);
  return h;
}

std::string base_url::to_string() const {
  return std::string(tls ? "https://" : "http://") + host_header() + path_prefix;
}

std::string redacted_url(std::string_view text) {
  std::string out(text);
  const auto scheme = out.find("://");
  const std::size_t host_start = scheme == std::string::npos ? 0 : scheme + 3;
  const auto host_end = out.find_first_of("/?#", host_start);
  const auto at = out.rfind('@', host_end == std::string::npos ? out.size() : host_end);
  if (at != std::string::npos && at >= host_start) out.replace(host_start, at - host_start, "***");
  if (const auto q = out.find_first_of("?#"); q != std::string::npos)
    out.replace(q + 1, std::string::npos, "***");
  return out;
}

}  // namespace loadwright::runtime
