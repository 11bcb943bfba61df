#pragma once
// tokenizer.json's `added_tokens`: special and added tokens are cut out of the text before
// normalization (leftmost-longest, as tokenizers' Aho-Corasick with MatchKind::LeftmostLongest),
// honouring lstrip, rstrip, single_word and normalized.

#include <boost/json/fwd.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace loadwright::datasets::detail {

struct added_token {
  std::int32_t id = 0;
  std::string content;
  bool single_word = false;
  bool lstrip = false;
  bool rstrip = false;
  bool normalized = false;
  bool special = false;
};

/// A stretch of text: plain text to tokenize (`id < 0`), or one added token.
struct text_segment {
  std::string_view text;
  std::int32_t id = -1;
  std::size_t offset = 0;  // where it starts in the text that was split
};

class added_vocabulary {
 public:
  added_vocabulary() = default;
  added_vocabulary(const boost::json::value& list, const std::string& path);
  explicit added_vocabulary(std::vector<added_token> tokens);

  /// Cuts `text` at the tokens whose `normalized` flag equals `normalized_pass`.
  std::vector<text_segment> split(std::string_view text, bool normalized_pass) const;

  const std::vector<added_token>& tokens() const { return tokens_; }
  const added_token* find(std::int32_t id) const;
  const added_token* find(std::string_view content) const;

 private:
  void index();
  std::vector<added_token> tokens_;
  // Per pass, indices into tokens_ by first byte, longest first.
  std::vector<std::size_t> by_first_byte_[2][256];
};

}  // namespace loadwright::datasets::detail
