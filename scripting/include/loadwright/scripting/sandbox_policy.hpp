#pragma once
// What a sandboxed scenario may make loadwright touch on its behalf, checked on the validated
// plan: the files it names (datasets, books, tokenizers) must lie in the script's folder or
// below, in the shipped scenarios, or in loadwright's and Hugging Face's caches; books are
// downloaded from Project Gutenberg only; the API key is read from an *_API_KEY or *_TOKEN
// variable only. Fields the user set with --set are the user's, not the script's: exempt.

#include <filesystem>
#include <string>
#include <vector>

#include "loadwright/core/scenario_plan.hpp"

namespace loadwright::scripting {

struct sandbox_roots {
  std::vector<std::filesystem::path> folders;  // files may be in these or below
  std::vector<std::filesystem::path> files;    // and these exact files (Debian's book)
};

/// The script's folder, the module folders (shipped scenarios), ~/.cache/loadwright (or
/// $XDG_CACHE_HOME/loadwright), the Hugging Face caches and Debian's pg1661.txt.
sandbox_roots default_sandbox_roots(const std::filesystem::path& script_dir,
                                    const std::vector<std::filesystem::path>& module_dirs);

/// Throws script_error "SOURCE: scenario.FIELD: …" for the first thing the sandbox forbids.
/// `overridden` are the --set keys ("dataset.path").
void check_sandbox(const runtime::scenario_plan& plan, const sandbox_roots& roots,
                   const std::vector<std::string>& overridden);

/// `file` lies in `folder` or below once both are resolved through `..` and symlinks.
bool is_inside_folder(const std::filesystem::path& file, const std::filesystem::path& folder);

/// A base URL's host is this machine (localhost, 127.0.0.0/8, ::1).
bool is_loopback_url(const std::string& base_url);

}  // namespace loadwright::scripting
