#define PCRE2_CODE_UNIT_WIDTH 8
#include "regex.hpp"

#include <pcre2.h>

#include <stdexcept>

namespace loadwright::datasets::detail {

struct compiled_regex::state {
  pcre2_code* code = nullptr;
  // Match data is per call: a pattern may be shared by threads counting tokens.
};

compiled_regex::compiled_regex(std::string_view pattern, bool literal) : state_(new state) {
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
