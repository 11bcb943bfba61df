#pragma once
// A book as a token sequence (llama-benchy's TokenizedCorpus), for the samplers that slice
// prompts out of real text: gutenberg, shared_prefix and conversations. Without a model
// tokenizer it works in words, counted by the run's counter when that is exact (the server's
// /tokenize), else under the estimate.

#include <fmt/format.h>

#include <cctype>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "loadwright/datasets/rng.hpp"
#include "loadwright/datasets/sampler.hpp"
#include "loadwright/datasets/tokenizer.hpp"

namespace loadwright::datasets::detail {

inline std::string read_book(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw dataset_error(path + ": cannot open the book");
  std::ostringstream s;
  s << in.rdbuf();
  return std::move(s).str();
}

// llama-benchy keeps the text from "*** START OF THE PROJECT GUTENBERG EBOOK" on; older
// editions (Debian's pg1661.txt) write "THIS" instead of "THE".
inline std::string clean_book(std::string text, bool strip_license) {
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
  for (const char* marker :
       {"*** START OF THE PROJECT GUTENBERG EBOOK", "*** START OF THIS PROJECT GUTENBERG EBOOK"}) {
    if (const auto at = text.find(marker); at != std::string::npos) {
      text.erase(0, at);
      break;
    }
  }
  if (strip_license)
    for (const char* marker :
         {"*** END OF THE PROJECT GUTENBERG EBOOK", "*** END OF THIS PROJECT GUTENBERG EBOOK"})
      if (const auto at = text.find(marker); at != std::string::npos) text.resize(at);
  return text;
}

// A deterministic UUID-4-shaped suffix (llama-benchy uses uuid4(); ours comes from the seed, so
// the same seed sends the same bytes).
inline std::string unique_suffix(seeded_rng& rng) {
  const std::uint64_t a = rng.next_u64(), b = rng.next_u64();
  return fmt::format(" {:08x}-{:04x}-4{:03x}-{:04x}-{:012x}", a >> 32, (a >> 16) & 0xFFFF,
                     a & 0xFFF, 0x8000 | ((b >> 48) & 0x3FFF), b & 0xFFFFFFFFFFFFULL);
}

// The corpus as a token sequence, with a way to turn a slice back into text.
class book_corpus {
 public:
  book_corpus(std::string text, const token_counter& counter)
      : tok_(counter.model_tokenizer()), words_counter_(counter.exact() ? &counter : nullptr) {
    if (tok_) {
      ids_ = tok_->encode(text, false);
    } else {
      // No tokenizer: words (with their leading whitespace) under the estimate.
      std::size_t i = 0;
      while (i < text.size()) {
        std::size_t j = i;
        while (j < text.size() && std::isspace(static_cast<unsigned char>(text[j]))) ++j;
        while (j < text.size() && !std::isspace(static_cast<unsigned char>(text[j]))) ++j;
        words_.push_back(text.substr(i, j - i));
        i = j;
      }
    }
  }
  std::size_t size() const { return tok_ ? ids_.size() : words_.size(); }
  std::string text(std::size_t begin, std::size_t n) const {
    const std::size_t len = size();
    if (tok_) {
      std::vector<token_id> slice;
      slice.reserve(n);
      for (std::size_t k = 0; k < n; ++k) slice.push_back(ids_[(begin + k) % len]);
      return tok_->decode(slice);
    }
    std::string out;
    for (std::size_t k = 0; k < n; ++k) out += words_[(begin + k) % len];
    return out;
  }
  std::int64_t count(const std::string& s) const {
    if (tok_) return static_cast<std::int64_t>(tok_->encode(s, false).size());
    return words_counter_ ? words_counter_->count_text(s)
                          : estimate_token_counter::estimate_tokens(s);
  }
  bool exact() const { return tok_ != nullptr || words_counter_ != nullptr; }

  // The text of the slice starting at `begin`, followed by `suffix`, whose encoding has
  // `target` tokens: decoding and re-encoding can merge tokens at the seams, so grow or shrink
  // the slice until it fits.
  std::string fitted(std::size_t begin, std::int64_t target, const std::string& suffix,
                     std::int64_t& actual) const {
    const std::int64_t suffix_tokens = suffix.empty() ? 0 : count(suffix);
    if (target - suffix_tokens <= 0) {
      actual = suffix_tokens;
      return suffix;
    }
    // Words counted by the server are coarse units (one word, one to several tokens).
    const bool coarse = !tok_ && words_counter_;
    auto n = static_cast<std::size_t>(target - suffix_tokens);
    std::string s, below, above;  // the closest texts under and over the target (coarse)
    for (int round = 0; round < 16; ++round) {
      s = text(begin, n);
      actual = count(s + suffix);
      if (actual == target) break;
      if (coarse) (actual < target ? below : above) = s;
      // Scale the step by units per token so words converge too, and move at least one unit.
      const double per_token =
          coarse && actual > 0 ? static_cast<double>(n) / static_cast<double>(actual) : 1.0;
      auto step = static_cast<std::int64_t>(
          std::llround(static_cast<double>(target - actual) * std::min(1.0, per_token)));
      if (step == 0) step = target > actual ? 1 : -1;
      const std::int64_t next = static_cast<std::int64_t>(n) + step;
      if (next < 1) break;
      n = static_cast<std::size_t>(next);
    }
    if (coarse && actual != target && !above.empty() && below.size() < above.size())
      s = cut_to_count(above, below.size(), target, suffix, actual);
    return s + suffix;
  }

 private:
  // No whole number of words has `target` tokens: cut `text` at the character where it has
  // (a prefix's count grows with its length), by binary search between `shorter` characters
  // (under the target) and all of it (over). A few calls to the counter.
  std::string cut_to_count(const std::string& text, std::size_t shorter, std::int64_t target,
                           const std::string& suffix, std::int64_t& actual) const {
    std::size_t lo = shorter, hi = text.size();
    std::string best = text.substr(0, lo);
    std::int64_t best_count = count(best + suffix);
    while (hi - lo > 1) {
      std::size_t mid = lo + (hi - lo) / 2;
      while (mid > lo && (static_cast<unsigned char>(text[mid]) & 0xC0) == 0x80) --mid;
      if (mid == lo) break;  // only one character left between them
      const std::int64_t c = count(text.substr(0, mid) + suffix);
      if (c <= target) {
        lo = mid;
        best = text.substr(0, mid);
        best_count = c;
        if (c == target) break;
      } else {
        hi = mid;
      }
    }
    actual = best_count;
    return best;
  }

  const tokenizer* tok_;
  const token_counter* words_counter_;  // counts words' text when there is no tokenizer
  std::vector<token_id> ids_;
  std::vector<std::string> words_;
};

// The first `tokens` tokens of `text` (fitted as slices are), or all of it when it is no longer.
// A LongBench-v2 document can hold two million words, so only a prefix a few times longer than
// needed is tokenized, doubled until it holds enough.
inline std::string leading_tokens(const std::string& text, std::int64_t tokens,
                                  const token_counter& counter) {
  const auto want = static_cast<std::size_t>(tokens);
  for (std::size_t bytes = want * 6;; bytes *= 2) {
    const bool whole = bytes >= text.size();
    const book_corpus prefix(whole ? text : text.substr(0, bytes), counter);
    if (prefix.size() > want || (whole && prefix.count(text) > tokens)) {
      std::int64_t actual = 0;
      return prefix.fitted(0, tokens, "", actual);
    }
    if (whole) return text;
  }
}

}  // namespace loadwright::datasets::detail
