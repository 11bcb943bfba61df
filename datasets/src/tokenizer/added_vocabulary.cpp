#include "added_vocabulary.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "json_fields.hpp"
#include "loadwright/datasets/utf8.hpp"

namespace loadwright::datasets::detail {

namespace json = boost::json;

namespace {

bool is_word_byte(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         c >= 0x80;
}

}  // namespace

added_vocabulary::added_vocabulary(const json::value& list, const std::string& path) {
  if (list.is_null()) return;
  if (!list.is_array()) throw tokenizer_format_error(path, "expected a list");
  for (std::size_t i = 0; i < list.get_array().size(); ++i) {
    const std::string where = path + "[" + std::to_string(i) + "]";
    const auto& o = as_object(list.get_array()[i], where);
    added_token t;
    const auto id = int_or(o, "id", -1, where);
    if (id < 0 || id > INT32_MAX) throw tokenizer_format_error(where + ".id", "expected an id");
    t.id = static_cast<std::int32_t>(id);
    t.content = string_member(o, "content", where);
    if (t.content.empty()) throw tokenizer_format_error(where + ".content", "empty token");
    t.single_word = bool_or(o, "single_word", false, where);
    t.lstrip = bool_or(o, "lstrip", false, where);
    t.rstrip = bool_or(o, "rstrip", false, where);
    t.special = bool_or(o, "special", false, where);
    t.normalized = bool_or(o, "normalized", !t.special, where);
    tokens_.push_back(std::move(t));
  }
  index();
}

added_vocabulary::added_vocabulary(std::vector<added_token> tokens) : tokens_(std::move(tokens)) {
  index();
}

void added_vocabulary::index() {
  for (std::size_t k = 0; k < tokens_.size(); ++k) {
    const auto& t = tokens_[k];
    by_first_byte_[t.normalized ? 1 : 0][static_cast<unsigned char>(t.content[0])].push_back(k);
  }
  for (auto& pass : by_first_byte_)
    for (auto& list_for_byte : pass)
      std::stable_sort(list_for_byte.begin(), list_for_byte.end(),
                       [&](std::size_t a, std::size_t b) {
                         return tokens_[a].content.size() > tokens_[b].content.size();
                       });
}

const added_token* added_vocabulary::find(std::int32_t id) const {
  for (const auto& t : tokens_)
    if (t.id == id) return &t;
  return nullptr;
}

const added_token* added_vocabulary::find(std::string_view content) const {
  for (const auto& t : tokens_)
    if (t.content == content) return &t;
  return nullptr;
}

std::vector<text_segment> added_vocabulary::split(std::string_view text,
                                                  bool normalized_pass) const {
  std::vector<text_segment> out;
  const auto& index = by_first_byte_[normalized_pass ? 1 : 0];
  std::size_t plain_start = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto& candidates = index[static_cast<unsigned char>(text[i])];
    const added_token* hit = nullptr;
    for (std::size_t k : candidates) {
      const auto& t = tokens_[k];
      if (text.compare(i, t.content.size(), t.content) != 0) continue;
      if (t.single_word) {
        const bool left_ok = i == 0 || !is_word_byte(static_cast<unsigned char>(text[i - 1]));
        const std::size_t e = i + t.content.size();
        const bool right_ok =
            e == text.size() || !is_word_byte(static_cast<unsigned char>(text[e]));
        if (!left_ok || !right_ok) continue;
      }
      hit = &t;
      break;
    }
    if (!hit) {
      const std::size_t len = utf8_char_length(text, i);
      i += len ? len : 1;
      continue;
    }
    std::size_t begin = i, end = i + hit->content.size();
    if (hit->lstrip)
      while (begin > plain_start && ascii_space(static_cast<unsigned char>(text[begin - 1])))
        --begin;
    if (hit->rstrip)
      while (end < text.size() && ascii_space(static_cast<unsigned char>(text[end]))) ++end;
    if (begin > plain_start)
      out.push_back({text.substr(plain_start, begin - plain_start), -1, plain_start});
    out.push_back({text.substr(begin, end - begin), hit->id, begin});
    plain_start = i = end;
  }
  if (plain_start < text.size()) out.push_back({text.substr(plain_start), -1, plain_start});
  return out;
}

}  // namespace loadwright::datasets::detail
