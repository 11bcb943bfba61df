#include "loadwright/datasets/token_counter.hpp"

#include "loadwright/datasets/tokenizer.hpp"
#include "loadwright/datasets/utf8.hpp"

namespace loadwright::datasets {

namespace {
bool is_letter(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(unsigned char c) {
  return c >= '0' && c <= '9';
}
}  // namespace

std::int64_t estimate_token_counter::estimate_tokens(std::string_view text) {
  std::int64_t tokens = 0;
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (ascii_space(c)) {
      ++i;
    } else if (is_letter(c)) {
      std::size_t j = i;
      while (j < n && is_letter(static_cast<unsigned char>(text[j]))) ++j;
      tokens += static_cast<std::int64_t>((j - i + 4) / 5);
      i = j;
    } else if (is_digit(c)) {
      std::size_t j = i;
      while (j < n && is_digit(static_cast<unsigned char>(text[j]))) ++j;
      tokens += static_cast<std::int64_t>((j - i + 2) / 3);
      i = j;
    } else if (c >= 0x80) {
      // One token per UTF-8 character: skip its continuation bytes.
      ++i;
      while (i < n && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
      ++tokens;
    } else {
      ++i;
      ++tokens;
    }
  }
  return tokens;
}

std::int64_t tokenizer_token_counter::count(std::string_view text) const {
  return static_cast<std::int64_t>(tok_->encode(text, true).size());
}

std::int64_t tokenizer_token_counter::count_text(std::string_view text) const {
  return static_cast<std::int64_t>(tok_->encode(text, false).size());
}

std::string tokenizer_token_counter::describe() const {
  return "tokenizer " + tok_->description();
}

std::span<const std::string_view> one_token_words() {
  static constexpr std::string_view words[] = {
      " the",   " of",    " and",   " to",    " in",    " is",    " was",   " he",    " for",
      " it",    " with",  " as",    " his",   " on",    " be",    " at",    " by",    " had",
      " are",   " but",   " from",  " or",    " have",  " an",    " they",  " which", " one",
      " you",   " were",  " her",   " all",   " she",   " there", " would", " their", " we",
      " him",   " been",  " has",   " when",  " who",   " will",  " more",  " no",    " if",
      " out",   " so",    " said",  " what",  " up",    " its",   " about", " into",  " than",
      " them",  " can",   " only",  " other", " new",   " some",  " could", " time",  " these",
      " two",   " may",   " then",  " do",    " first", " any",   " my",    " now",   " such",
      " like",  " our",   " over",  " man",   " me",    " even",  " most",  " made",  " after",
      " also",  " did",   " many",  " off",   " shall", " well",  " come",  " much",  " where",
      " your",  " way",   " down",  " each",  " just",  " those", " how",   " too",   " good",
      " being", " long",  " work",  " world", " still", " own",   " see",   " men",   " light",
      " life",  " never", " under", " last",  " might", " great", " old",   " year",  " write",
      " while", " here",  " house", " high",  " again", " place", " young", " small", " water",
      " state", " hand",  " left",  " early", " night", " open",  " point", " city",  " found",
      " three", " book",  " land",  " river", " stone"};
  return words;
}

}  // namespace loadwright::datasets
