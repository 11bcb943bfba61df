#include "book_cache.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "loadwright/engine/engine.hpp"

namespace loadwright::app {

namespace fs = std::filesystem;
namespace ds = loadwright::datasets;

std::string book_cache_path(const std::string& url) {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a: stable across platforms
  for (unsigned char c : url) h = (h ^ c) * 1099511628211ULL;
  fs::path dir;
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x)
    dir = x;
  else if (const char* home = std::getenv("HOME"); home && *home)
    dir = fs::path(home) / ".cache";
  else
    dir = fs::temp_directory_path();
  return (dir / "loadwright" / "books" / fmt::format("{:016x}.txt", h)).string();
}

namespace {

// `location` made absolute against `from` ("https://host/a/b" + "/c" -> "https://host/c").
std::string resolve_location(const std::string& from, const std::string& location) {
  if (location.starts_with("http://") || location.starts_with("https://")) return location;
  const auto scheme_end = from.find("://");
  const auto host_end = from.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
  const std::string origin = host_end == std::string::npos ? from : from.substr(0, host_end);
  if (location.starts_with("/")) return origin + location;
  const auto dir_end = from.rfind('/');
  return (dir_end != std::string::npos && dir_end >= origin.size() ? from.substr(0, dir_end + 1)
                                                                   : origin + "/") +
         location;
}

bool download(const std::string& first_url, const std::string& dest, bool insecure,
              std::string& why) {
  std::string url = first_url;
  runtime::small_response r;
  for (int hop = 0;; ++hop) {
    runtime::engine_target target;  // no API key: the book's host is not the inference server
    target.insecure = insecure;
    const auto parsed = runtime::base_url::parse(url, &why);
    if (!parsed) return false;
    target.url = *parsed;
    r = runtime::send_small_request(target, "GET",
                                    parsed->path_prefix.empty() ? "/" : parsed->path_prefix);
    if (!r.ok) {
      why = r.error;
      return false;
    }
    if (r.status / 100 != 3 || r.location.empty()) break;
    if (hop == 5) {
      why = "more than 5 redirects";
      return false;
    }
    url = resolve_location(url, r.location);  // as a browser (or llama-benchy's requests) would
  }
  if (r.status != 200) {
    why = fmt::format("HTTP {}", r.status);
    return false;
  }
  std::error_code ec;
  fs::create_directories(fs::path(dest).parent_path(), ec);
  const std::string tmp = dest + ".part";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(r.body.data(), static_cast<std::streamsize>(r.body.size()));
    if (!out) {
      why = "cannot write " + tmp;
      return false;
    }
  }
  fs::rename(tmp, dest, ec);  // atomic: a half-written book is never read
  if (ec) {
    why = "cannot write " + dest + ": " + ec.message();
    return false;
  }
  return true;
}

}  // namespace

bool resolve_book_urls(const runtime::scenario_plan& plan, datasets::dataset_spec& dataset,
                       bool fetch, bool insecure, bool quiet) {
  auto* spec = std::get_if<ds::gutenberg_spec>(&dataset);
  if (!spec || spec->url.empty()) return true;
  const std::string cached = book_cache_path(spec->url);
  if (!fs::exists(cached)) {
    if (!fetch) {
      std::cerr << fmt::format(
          "loadwright: {}: scenario.dataset.url: {} is not downloaded yet (`run` downloads it once "
          "into {}; or give path = a local copy)\n",
          plan.source, spec->url, cached);
      return false;
    }
    if (!quiet)
      std::cout << "loadwright: downloading " << spec->url << " (once) into " << cached << '\n';
    std::string why;
    if (!download(spec->url, cached, insecure, why)) {
      std::cerr << fmt::format("loadwright: {}: scenario.dataset.url: cannot download {}: {}\n",
                               plan.source, spec->url, why);
      return false;
    }
  }
  spec->path = cached;
  return true;
}

}  // namespace loadwright::app
