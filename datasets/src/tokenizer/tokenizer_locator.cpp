#include "loadwright/datasets/tokenizer_locator.hpp"

#include <cstdlib>
#include <fstream>

namespace loadwright::datasets {

namespace fs = std::filesystem;

namespace {
std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}
}  // namespace

std::vector<fs::path> hf_cache_dirs() {
  std::vector<fs::path> dirs;
  if (auto v = env("HF_HUB_CACHE"); !v.empty()) dirs.emplace_back(v);
  if (auto v = env("HF_HOME"); !v.empty()) dirs.push_back(fs::path(v) / "hub");
  if (auto v = env("XDG_CACHE_HOME"); !v.empty())
    dirs.push_back(fs::path(v) / "huggingface" / "hub");
  if (auto v = env("HOME"); !v.empty())
    dirs.push_back(fs::path(v) / ".cache" / "huggingface" / "hub");
  return dirs;
}

std::optional<fs::path> find_in_hf_cache(const std::string& model,
                                         const std::vector<fs::path>& dirs) {
  if (model.empty() || model.find("..") != std::string::npos) return std::nullopt;
  std::string folder = "models--";
  for (char c : model) folder += c == '/' ? std::string("--") : std::string(1, c);
  std::error_code ec;
  for (const auto& dir : dirs) {
    const fs::path repo = dir / folder;
    if (!fs::is_directory(repo / "snapshots", ec)) continue;
    std::ifstream ref(repo / "refs" / "main");
    std::string revision;
    if (ref && std::getline(ref, revision) && !revision.empty()) {
      const fs::path p = repo / "snapshots" / revision / "tokenizer.json";
      if (fs::exists(p, ec)) return p;
    }
    for (const auto& snap : fs::directory_iterator(repo / "snapshots", ec)) {
      const fs::path p = snap.path() / "tokenizer.json";
      if (fs::exists(p, ec)) return p;
    }
  }
  return std::nullopt;
}

std::optional<tokenizer_location> locate_tokenizer(const std::string& flag,
                                                   const std::string& scenario,
                                                   const std::string& model) {
  if (!flag.empty()) return tokenizer_location{flag, "--tokenizer"};
  if (!scenario.empty()) return tokenizer_location{scenario, "the scenario's tokenizer"};
  if (auto p = find_in_hf_cache(model, hf_cache_dirs()))
    return tokenizer_location{*p, "the Hugging Face cache for " + model};
  return std::nullopt;
}

}  // namespace loadwright::datasets
