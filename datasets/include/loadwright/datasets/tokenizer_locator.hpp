#pragma once
// Which tokenizer a run uses: the one named (--tokenizer, then the scenario's `tokenizer =`),
// else the served model's tokenizer.json in the Hugging Face cache, else none (the caller
// then asks the server's /tokenize, or falls back to the estimate).

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace loadwright::datasets {

struct tokenizer_location {
  std::filesystem::path path;
  std::string origin;  // "--tokenizer", "scenario", "Hugging Face cache"
};

/// The Hugging Face hub cache folders to search, in order: $HF_HUB_CACHE, $HF_HOME/hub,
/// $XDG_CACHE_HOME/huggingface/hub, ~/.cache/huggingface/hub.
std::vector<std::filesystem::path> hf_cache_dirs();

/// `models--ORG--NAME/snapshots/REV/tokenizer.json` for `model` ("ORG/NAME"), preferring
/// the revision `refs/main` names; nullopt when not cached.
std::optional<std::filesystem::path> find_in_hf_cache(
    const std::string& model, const std::vector<std::filesystem::path>& dirs);

/// The first of: `flag`, `scenario`, the cache for `model`. Named paths are not checked
/// here: loading reports a missing file.
std::optional<tokenizer_location> locate_tokenizer(const std::string& flag,
                                                   const std::string& scenario,
                                                   const std::string& model);

}  // namespace loadwright::datasets
