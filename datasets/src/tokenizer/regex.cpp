#define PCRE2_CODE_UNIT_WIDTH 8
#include "regex.hpp"

#include <pcre2.h>

#include <stdexcept>

namespace loadwright::datasets::detail {

namespace {

// Hugging Face tokenizers compiles patterns with Oniguruma, whose Unicode classes differ from
// PCRE2's in two places: `\s` also matches U+0085 (NEXT LINE), and `\w` also matches marks
// and connector punctuation. Rewrite the shorthands so PCRE2 matches what Oniguruma matches.
std::string oniguruma_compatible(std::string_view pattern) {
  static constexpr std::string_view space_in_class = R"(\s\x{85})";
  static constexpr std::string_view word_in_class = R"(\p{L}\p{M}\p{N}\p{Pc})";
  std::string out;
  out.reserve(pattern.size() + 16);
  bool in_class = false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      const char e = pattern[++i];
      if (e == 's')
        out += in_class ? std::string(space_in_class) : "[" + std::string(space_in_class) + "]";
      else if (e == 'w')
        out += in_class ? std::string(word_in_class) : "[" + std::string(word_in_class) + "]";
      else if (e == 'S' && !in_class)
        out += "[^" + std::string(space_in_class) + "]";
      else if (e == 'W' && !in_class)
        out += "[^" + std::string(word_in_class) + "]";
      else {
        out += c;
        out += e;
      }
      continue;
    }
    if (!in_class && c == '[') {
      in_class = true;
      out += c;
      // A ']' (or '^]') right after '[' is a literal member, not the end.
      if (i + 1 < pattern.size() && pattern[i + 1] == '^') out += pattern[++i];
      if (i + 1 < pattern.size() && pattern[i + 1] == ']') out += pattern[++i];
      continue;
    }
    if (in_class && c == '[' && i + 1 < pattern.size() && pattern[i + 1] == ':') {
      const auto end = pattern.find(":]", i + 2);  // a POSIX class inside a class
      if (end != std::string_view::npos) {
        out.append(pattern.substr(i, end + 2 - i));
        i = end + 1;
        continue;
      }
    }
    if (in_class && c == ']') in_class = false;
    out += c;
  }
  return out;
}

}  // namespace

struct compiled_regex::state {
  pcre2_code* code = nullptr;
  // Match data is per call: a pattern may be shared by threads counting tokens.
};

compiled_regex::compiled_regex(std::string_view written, bool literal) : state_(new state) {
  const std::string rewritten = literal ? std::string(written) : oniguruma_compatible(written);
  const std::string_view pattern = rewritten;
  int error = 0;
  PCRE2_SIZE offset = 0;
  const std::uint32_t options = literal ? PCRE2_UTF | PCRE2_LITERAL : PCRE2_UTF | PCRE2_UCP;
  state_->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                               options, &error, &offset, nullptr);
  if (!state_->code) {
    PCRE2_UCHAR message[256];
    pcre2_get_error_message(error, message, sizeof message);
    throw std::invalid_argument("invalid regex at offset " + std::to_string(offset) + ": " +
                                reinterpret_cast<const char*>(message));
  }
  pcre2_jit_compile(state_->code, PCRE2_JIT_COMPLETE);  // falls back to the interpreter
}

compiled_regex::~compiled_regex() {
  if (state_ && state_->code) pcre2_code_free(state_->code);
}

std::vector<std::pair<std::size_t, std::size_t>> compiled_regex::find_all(
    std::string_view subject) const {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  pcre2_match_data* md = pcre2_match_data_create_from_pattern(state_->code, nullptr);
  const auto* text = reinterpret_cast<PCRE2_SPTR>(subject.data());
  std::size_t start = 0;
  while (start <= subject.size()) {
    const int rc =
        pcre2_match(state_->code, text, subject.size(), start, PCRE2_NO_UTF_CHECK, md, nullptr);
    if (rc < 0) break;  // PCRE2_ERROR_NOMATCH, or a resource limit: no further matches
    const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
    const std::size_t b = ov[0], e = ov[1];
    out.emplace_back(b, e);
    if (e > b) {
      start = e;
    } else {
      // Empty match: step over one character.
      if (b >= subject.size()) break;
      std::size_t next = b + 1;
      while (next < subject.size() && (static_cast<unsigned char>(subject[next]) & 0xC0) == 0x80)
        ++next;
      start = next;
    }
  }
  pcre2_match_data_free(md);
  return out;
}

std::string compiled_regex::replace_all(std::string_view subject,
                                        std::string_view replacement) const {
  std::string out;
  std::size_t prev = 0;
  for (const auto& [b, e] : find_all(subject)) {
    if (e == b) continue;
    out.append(subject.substr(prev, b - prev));
    out.append(replacement);
    prev = e;
  }
  out.append(subject.substr(prev));
  return out;
}

}  // namespace loadwright::datasets::detail
