#include "loadwright/scripting/sandbox_policy.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

#include "loadwright/core/url.hpp"
#include "loadwright/datasets/tokenizer_locator.hpp"
#include "loadwright/scripting/scenario_loader.hpp"

namespace loadwright::scripting {

namespace fs = std::filesystem;
namespace ds = loadwright::datasets;

namespace {

constexpr const char* kDebianBook =
    "/usr/share/gocode/src/github.com/bkaradzic/go-lz4/testdata/pg1661.txt";

// Symlinks and ".." resolved, so neither can lead out of a folder.
fs::path real(const fs::path& p) {
  std::error_code ec;
  auto r = fs::weakly_canonical(fs::absolute(p, ec), ec);
  return ec ? fs::absolute(p).lexically_normal() : r;
}

}  // namespace

bool is_inside_folder(const fs::path& file, const fs::path& folder) {
  const auto f = real(file), d = real(folder);
  auto fi = f.begin();
  for (auto di = d.begin(); di != d.end(); ++di, ++fi) {
    if (di->empty()) continue;  // a trailing separator
    if (fi == f.end() || *fi != *di) return false;
  }
  return true;
}

namespace {

bool allowed(const std::string& path, const sandbox_roots& roots) {
  if (path.empty()) return true;
  for (const auto& f : roots.files)
    if (real(path) == real(f)) return true;
  return std::any_of(roots.folders.begin(), roots.folders.end(),
                     [&](const fs::path& d) { return is_inside_folder(path, d); });
}

bool host_is_gutenberg(const std::string& url) {
  std::string why;
  const auto u = runtime::base_url::parse(url, &why);
  if (!u) return false;
  for (const std::string_view domain : {"gutenberg.org", "pglaf.org"}) {
    const std::string_view h = u->host;
    if (h == domain ||
        (h.size() > domain.size() && h.ends_with(domain) && h[h.size() - domain.size() - 1] == '.'))
      return true;
  }
  return false;
}

}  // namespace

sandbox_roots default_sandbox_roots(const fs::path& script_dir,
                                    const std::vector<fs::path>& module_dirs) {
  sandbox_roots r;
  r.folders.push_back(script_dir);
  for (const auto& d : module_dirs) r.folders.push_back(d);
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
    r.folders.push_back(fs::path(xdg) / "loadwright");
  if (const char* home = std::getenv("HOME"); home && *home)
    r.folders.push_back(fs::path(home) / ".cache" / "loadwright");
  for (const auto& d : ds::hf_cache_dirs()) r.folders.push_back(d);
  r.files.emplace_back(kDebianBook);
  return r;
}

bool is_loopback_url(const std::string& base_url) {
  std::string why;
  const auto u = runtime::base_url::parse(base_url, &why);
  if (!u) return false;
  return u->host == "localhost" || u->host.starts_with("127.") || u->host == "::1" ||
         u->host == "[::1]";
}

void check_sandbox(const runtime::scenario_plan& plan, const sandbox_roots& roots,
                   const std::vector<std::string>& overridden) {
  auto user_set = [&](std::string_view field) {
    return std::find(overridden.begin(), overridden.end(), field) != overridden.end();
  };
  auto check_file = [&](std::string_view field, const std::string& path) {
    if (user_set(field) || allowed(path, roots)) return;
    throw script_error(fmt::format(
        "{}: scenario.{}: '{}' is outside the scenario's folder: a sandboxed script may only "
        "name files beside it or below, in the shipped scenarios or in ~/.cache/loadwright "
        "(give the file with --set {}=PATH, or run your own script with --unsafe)",
        plan.source, field, path, field));
  };
  std::visit(
      [&](const auto& d) {
        using T = std::decay_t<decltype(d)>;
        if constexpr (std::is_same_v<T, ds::jsonl_spec> || std::is_same_v<T, ds::sharegpt_spec> ||
                      std::is_same_v<T, ds::shared_prefix_spec>) {
          check_file("dataset.path", d.path);
        } else if constexpr (std::is_same_v<T, ds::gutenberg_spec>) {
          if (!d.url.empty() && !user_set("dataset.url") && !host_is_gutenberg(d.url) &&
              !is_loopback_url(d.url))
            throw script_error(fmt::format(
                "{}: scenario.dataset.url: '{}': a sandboxed script may download books from "
                "Project Gutenberg (gutenberg.org) or this machine only (or --unsafe)",
                plan.source, d.url));
          if (d.url.empty()) check_file("dataset.path", d.path);
        } else if constexpr (std::is_same_v<T, ds::conversations_spec>) {
          check_file("dataset.path", d.path);
          check_file("dataset.sharegpt", d.sharegpt);
          check_file("dataset.oasst", d.oasst);
        }
      },
      plan.dataset);
  check_file("tokenizer", plan.tokenizer);
  const auto& env = plan.target.api_key_env;
  if (!env.empty() && !user_set("target.api_key_env") && !env.ends_with("_API_KEY") &&
      !env.ends_with("_TOKEN"))
    throw script_error(fmt::format(
        "{}: scenario.target.api_key_env: '{}': a sandboxed script may name an *_API_KEY or "
        "*_TOKEN variable only",
        plan.source, env));
}

}  // namespace loadwright::scripting
