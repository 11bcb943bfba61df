#include "book_cache.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "loadwright/runtime/engine.hpp"

namespace loadwright::scripting {

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

bool download(const std::string& url, const std::string& dest, bool insecure, std::string& why) {
  runtime::engine_target target;  // no API key: the book's host is not the inference server
  target.insecure = insecure;
  const auto parsed = runtime::base_url::parse(url, &why);
  if (!parsed) return false;
  target.url = *parsed;
  const auto r = runtime::send_small_request(
      target, "GET", parsed->path_prefix.empty() ? "/" : parsed->path_prefix);
  if (!r.ok) {
    why = r.error;
    return false;
  }
  if (r.status != 200) {
    why = fmt::format("HTTP {}{}", r.status,
                      r.status / 100 == 3 ? " (a redirect: give the URL it points to)" : "");
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

bool resolve_book_urls(runtime::scenario_plan& plan, bool fetch, bool insecure, bool quiet) {
  auto* spec = std::get_if<ds::gutenberg_spec>(&plan.dataset);
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

}  // namespace loadwright::scripting
