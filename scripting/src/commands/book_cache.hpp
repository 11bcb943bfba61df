#pragma once
// `gutenberg { url = … }`: the book is downloaded once, over HTTP(S), into a cache folder
// ($XDG_CACHE_HOME or ~/.cache, then loadwright/books/), and read from there ever after, as
// Project Gutenberg asks of automated readers. Nothing is downloaded by validate or --dry-run.

#include <optional>
#include <string>

#include "loadwright/runtime/scenario_plan.hpp"

namespace loadwright::scripting {

/// Where `url`'s copy lives in the cache.
std::string book_cache_path(const std::string& url);

/// Points every gutenberg dataset with a url at its cached copy, downloading it first when
/// `download` and it is missing (`insecure`: without verifying TLS certificates). Returns
/// false after printing the error (naming the URL).
bool resolve_book_urls(runtime::scenario_plan& plan, bool download, bool insecure, bool quiet);

}  // namespace loadwright::scripting
