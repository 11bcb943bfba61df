#include "pre_tokenizer.hpp"

#include <boost/json.hpp>

#include "byte_level.hpp"
#include "json_fields.hpp"
#include "regex.hpp"

namespace loadwright::datasets::detail {

namespace json = boost::json;

namespace {

enum class split_behavior { removed, isolated, merged_with_previous, merged_with_next, contiguous };

split_behavior parse_behavior(const std::string& name, const std::string& path) {
  if (name == "Removed") return split_behavior::removed;
  if (name == "Isolated") return split_behavior::isolated;
  if (name == "MergedWithPrevious") return split_behavior::merged_with_previous;
  if (name == "MergedWithNext") return split_behavior::merged_with_next;
  if (name == "Contiguous") return split_behavior::contiguous;
  throw tokenizer_format_error(path, "unknown split behavior \"" + name + "\"");
}

struct span {
  std::size_t begin, end;
  bool is_match;
};

// tokenizers' NormalizedString::split: matches and the gaps between them, combined by behaviour.
void split_by(const compiled_regex& re, split_behavior behavior, bool invert,
              const std::string& piece, std::vector<std::string>& out) {
  std::vector<span> spans;
  std::size_t prev = 0;
  for (const auto& [b, e] : re.find_all(piece)) {
    if (prev != b) spans.push_back({prev, b, invert});
    spans.push_back({b, e, !invert});
    prev = e;
  }
  if (prev != piece.size()) spans.push_back({prev, piece.size(), invert});

  std::vector<span> kept;
  bool previous_match = false;
  switch (behavior) {
    case split_behavior::isolated:
      kept = spans;
      break;
    case split_behavior::removed:
      for (const auto& s : spans)
        if (!s.is_match) kept.push_back(s);
      break;
    case split_behavior::merged_with_previous:
      for (const auto& s : spans) {
        if (s.is_match && !previous_match && !kept.empty())
          kept.back().end = s.end;
        else
          kept.push_back(s);
        previous_match = s.is_match;
      }
      break;
    case split_behavior::merged_with_next:
      for (auto it = spans.rbegin(); it != spans.rend(); ++it) {
        if (it->is_match && !previous_match && !kept.empty())
          kept.back().begin = it->begin;
        else
          kept.push_back(*it);
        previous_match = it->is_match;
      }
      std::reverse(kept.begin(), kept.end());
      break;
    case split_behavior::contiguous:
      for (const auto& s : spans) {
        if (s.is_match == previous_match && !kept.empty())
          kept.back().end = s.end;
        else
          kept.push_back(s);
        previous_match = s.is_match;
      }
      break;
  }
  for (const auto& s : kept)
    if (s.end > s.begin) out.push_back(piece.substr(s.begin, s.end - s.begin));
}

class regex_split : public pre_tokenizer {
 public:
  regex_split(const pattern_spec& pattern, split_behavior behavior, bool invert)
      : re_(pattern.text, !pattern.regex), behavior_(behavior), invert_(invert) {}
  void split(std::vector<std::string>& pieces, bool) const override {
    std::vector<std::string> out;
    out.reserve(pieces.size() * 2);
    for (const auto& p : pieces) split_by(re_, behavior_, invert_, p, out);
    pieces = std::move(out);
  }

 private:
  compiled_regex re_;
  split_behavior behavior_;
  bool invert_;
};

// GPT-2's built-in pattern, used by ByteLevel{use_regex: true}.
constexpr const char* gpt2_pattern =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

class byte_level_split final : public pre_tokenizer {
 public:
  byte_level_split(bool add_prefix_space, bool use_regex)
      : add_prefix_space_(add_prefix_space),
        re_(use_regex ? new compiled_regex(gpt2_pattern) : nullptr) {}
  void split(std::vector<std::string>& pieces, bool) const override {
    std::vector<std::string> split_pieces;
    for (auto& p : pieces) {
      if (add_prefix_space_ && (p.empty() || p[0] != ' ')) p.insert(0, " ");
      if (re_)
        split_by(*re_, split_behavior::isolated, false, p, split_pieces);
      else
        split_pieces.push_back(std::move(p));
    }
    pieces.clear();
    for (const auto& p : split_pieces) {
      std::string mapped;
      byte_level_encode(p, mapped);
      pieces.push_back(std::move(mapped));
    }
  }
  bool byte_level() const override { return true; }

 private:
  bool add_prefix_space_;
  std::unique_ptr<compiled_regex> re_;
};

class metaspace final : public pre_tokenizer {
 public:
  enum class prepend { always, never, first };
  metaspace(std::string replacement, prepend scheme, bool split)
      : replacement_(std::move(replacement)),
        scheme_(scheme),
        split_(split),
        re_(replacement_, /*literal=*/true) {}
  void split(std::vector<std::string>& pieces, bool at_text_start) const override {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < pieces.size(); ++i) {
      std::string p = space_re().replace_all(pieces[i], replacement_);
      const bool prepend_here =
          scheme_ == prepend::always || (scheme_ == prepend::first && at_text_start && i == 0);
      if (prepend_here && p.compare(0, replacement_.size(), replacement_) != 0)
        p.insert(0, replacement_);
      if (split_)
        split_by(re_, split_behavior::merged_with_next, false, p, out);
      else
        out.push_back(std::move(p));
    }
    pieces = std::move(out);
  }

 private:
  static const compiled_regex& space_re() {
    static const compiled_regex re(" ", true);
    return re;
  }
  std::string replacement_;
  prepend scheme_;
  bool split_;
  compiled_regex re_;
};

class sequence final : public pre_tokenizer {
 public:
  explicit sequence(std::vector<std::unique_ptr<pre_tokenizer>> parts) : parts_(std::move(parts)) {}
  void split(std::vector<std::string>& pieces, bool at_text_start) const override {
    for (const auto& p : parts_) p->split(pieces, at_text_start);
  }
  bool byte_level() const override {
    for (const auto& p : parts_)
      if (p->byte_level()) return true;
    return false;
  }

 private:
  std::vector<std::unique_ptr<pre_tokenizer>> parts_;
};

}  // namespace

std::unique_ptr<pre_tokenizer> make_pre_tokenizer(const json::value& spec,
                                                  const std::string& path) {
  if (spec.is_null()) return nullptr;
  const auto& o = as_object(spec, path);
  const std::string type = string_member(o, "type", path);
  if (type == "Split") {
    return std::make_unique<regex_split>(
        pattern_member(o, path),
        parse_behavior(string_member(o, "behavior", path), path + ".behavior"),
        bool_or(o, "invert", false, path));
  }
  if (type == "ByteLevel")
    return std::make_unique<byte_level_split>(bool_or(o, "add_prefix_space", true, path),
                                              bool_or(o, "use_regex", true, path));
  if (type == "Metaspace") {
    std::string scheme = string_or(o, "prepend_scheme", "", path);
    if (scheme.empty()) scheme = bool_or(o, "add_prefix_space", true, path) ? "always" : "never";
    metaspace::prepend p = metaspace::prepend::always;
    if (scheme == "never")
      p = metaspace::prepend::never;
    else if (scheme == "first")
      p = metaspace::prepend::first;
    else if (scheme != "always")
      throw tokenizer_format_error(path + ".prepend_scheme", "unknown scheme \"" + scheme + "\"");
    return std::make_unique<metaspace>(string_or(o, "replacement", "\xE2\x96\x81", path), p,
                                       bool_or(o, "split", true, path));
  }
  if (type == "Digits") {
    const bool individual = bool_or(o, "individual_digits", false, path);
    return std::make_unique<regex_split>(
        pattern_spec{R"(\p{N})", true},
        individual ? split_behavior::isolated : split_behavior::contiguous, false);
  }
  if (type == "Whitespace")
    return std::make_unique<regex_split>(pattern_spec{R"(\w+|[^\w\s]+)", true},
                                         split_behavior::removed, true);
  if (type == "WhitespaceSplit")
    return std::make_unique<regex_split>(pattern_spec{R"(\s+)", true}, split_behavior::removed,
                                         false);
  if (type == "Punctuation") {
    // tokenizers' is_punctuation: ASCII punctuation or a Unicode P category.
    return std::make_unique<regex_split>(
        pattern_spec{R"([\p{P}!-/:-@\[-`{-~])", true},
        parse_behavior(string_or(o, "behavior", "Isolated", path), path + ".behavior"), false);
  }
  if (type == "CharDelimiterSplit") {
    const std::string delimiter = string_member(o, "delimiter", path);
    return std::make_unique<regex_split>(pattern_spec{delimiter, false}, split_behavior::removed,
                                         false);
  }
  if (type == "Sequence") {
    const auto& list = member(o, "pretokenizers", path);
    if (!list.is_array()) throw tokenizer_format_error(path + ".pretokenizers", "expected a list");
    std::vector<std::unique_ptr<pre_tokenizer>> parts;
    for (std::size_t i = 0; i < list.get_array().size(); ++i) {
      auto p = make_pre_tokenizer(list.get_array()[i],
                                  path + ".pretokenizers[" + std::to_string(i) + "]");
      if (p) parts.push_back(std::move(p));
    }
    return std::make_unique<sequence>(std::move(parts));
  }
  throw tokenizer_format_error(
      path + ".type", "unsupported pre-tokenizer \"" + type +
                          "\" (supported: Split, ByteLevel, Metaspace, Digits, Punctuation, "
                          "Whitespace, WhitespaceSplit, CharDelimiterSplit, Sequence)");
}

}  // namespace loadwright::datasets::detail
