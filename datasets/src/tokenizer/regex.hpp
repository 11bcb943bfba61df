#pragma once
// The split patterns of tokenizer.json, run exactly as written with PCRE2 (UTF + UCP, JIT).
// PCRE2 handles what these patterns use: `(?i:…)`, `\p{L}`, `(?!\S)`, possessive quantifiers.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace loadwright::datasets::detail {

class compiled_regex {
 public:
  /// Throws std::invalid_argument with PCRE2's message and offset on a bad pattern.
  /// `literal` matches the pattern text as is.
  explicit compiled_regex(std::string_view pattern, bool literal = false);
  ~compiled_regex();
  compiled_regex(const compiled_regex&) = delete;
  compiled_regex& operator=(const compiled_regex&) = delete;

  /// Every non-overlapping match in `subject` (valid UTF-8), as [begin, end) byte offsets.
  std::vector<std::pair<std::size_t, std::size_t>> find_all(std::string_view subject) const;

  /// `subject` with every match replaced by `replacement` (taken literally).
  std::string replace_all(std::string_view subject, std::string_view replacement) const;

 private:
  struct state;
  std::unique_ptr<state> state_;
};

}  // namespace loadwright::datasets::detail
