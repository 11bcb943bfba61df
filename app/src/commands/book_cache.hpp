#pragma once
// `gutenberg { url = … }`: the book is downloaded once, over HTTP(S), into a cache folder
// ($XDG_CACHE_HOME or ~/.cache, then loadwright/books/), and read from there ever after, as
// Project Gutenberg asks of automated readers. Nothing is downloaded by validate or --dry-run.

#include <optional>
#include <string>

#include "loadwright/core/scenario_plan.hpp"

namespace loadwright::app {

/// Where `url`'s copy lives in the cache.
std::string book_cache_path(const std::string& url);

/// Points `dataset` (the plan's, as preparation will read it) at the cached copy of a
/// gutenberg book given by url, downloading it first when `download` and it is missing
/// (`insecure`: without verifying TLS certificates). Returns false after printing the error
/// (naming the URL and the plan's place).
bool resolve_book_urls(const runtime::scenario_plan& plan, datasets::dataset_spec& dataset,
                       bool download, bool insecure, bool quiet);

}  // namespace loadwright::app
