#pragma once
// Where the tests find third-party fixtures (fetched by scripts/fetch-fixtures.sh at set-up
// time) and the Debian-packaged Gutenberg book. A missing fixture fails the test, naming it.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace lw_test {

/// LW_FIXTURES_DIR/relative; fails the current test when it does not exist.
std::string fixture_path(const std::string& relative);
/// pg1661.txt from golang-github-bkaradzic-go-lz4-dev; fails the test when missing.
std::string gutenberg_book();
std::string read_text(const std::string& path);
/// A fresh empty folder under the system temp dir.
std::string temp_dir(const std::string& name);
/// sha256 (hex) of the ids joined by ",", as make_golden.mjs writes it.
std::string sha256_hex(const std::vector<std::int32_t>& ids);

}  // namespace lw_test
