#include "fixtures.hpp"

#include <openssl/evp.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "catch.hpp"

namespace lw_test {

namespace fs = std::filesystem;

std::string fixture_path(const std::string& relative) {
  const fs::path p = fs::path(LW_FIXTURES_DIR) / relative;
  if (!fs::exists(p))
    FAIL("missing test fixture " << p.string() << " (run scripts/fetch-fixtures.sh "
                                 << LW_FIXTURES_DIR << ")");
  return p.string();
}

std::string gutenberg_book() {
  const fs::path p = "/usr/share/gocode/src/github.com/bkaradzic/go-lz4/testdata/pg1661.txt";
  if (!fs::exists(p))
    FAIL("missing " << p.string() << " (apt-get install golang-github-bkaradzic-go-lz4-dev)");
  return p.string();
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return std::move(s).str();
}

std::string temp_dir(const std::string& name) {
  const fs::path p =
      fs::temp_directory_path() / ("lw-test-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(p);
  fs::create_directories(p);
  return p.string();
}

std::string sha256_hex(const std::vector<std::int32_t>& ids) {
  std::string joined;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i) joined += ',';
    joined += std::to_string(ids[i]);
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(joined.data(), joined.size(), digest, &len, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 15];
  }
  return out;
}

}  // namespace lw_test
