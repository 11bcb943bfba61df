#include "decoder.hpp"

#include <boost/json.hpp>

#include "byte_level.hpp"
#include "json_fields.hpp"
#include "loadwright/datasets/utf8.hpp"
#include "regex.hpp"

namespace loadwright::datasets::detail {

namespace json = boost::json;

namespace {

// Every token's characters back to bytes (a token with a character outside the alphabet
// contributes its own UTF-8); one lossy UTF-8 string.
class byte_level_decoder final : public decoder {
 public:
  void decode_chain(std::vector<std::string>& tokens) const override {
    std::string bytes;
    for (const auto& t : tokens) {
      if (auto raw = byte_level_decode(t))
        bytes += *raw;
      else
        bytes += t;
    }
    tokens.assign(1, utf8_lossy(bytes));
  }
};

// Runs of <0xXX> tokens become their bytes; an invalid run gives one U+FFFD per byte.
class byte_fallback_decoder final : public decoder {
 public:
  void decode_chain(std::vector<std::string>& tokens) const override {
    std::vector<std::string> out;
    std::string run;
    std::size_t run_tokens = 0;
    const auto flush = [&] {
      if (run_tokens == 0) return;
      if (utf8_valid(run)) {
        out.push_back(run);
      } else {
        for (std::size_t k = 0; k < run_tokens; ++k) out.emplace_back(replacement_character);
      }
      run.clear();
      run_tokens = 0;
    };
    for (auto& t : tokens) {
      if (auto b = byte_of(t)) {
        run += static_cast<char>(*b);
        ++run_tokens;
      } else {
        flush();
        out.push_back(std::move(t));
      }
    }
    flush();
    tokens = std::move(out);
  }

 private:
  static std::optional<unsigned char> byte_of(const std::string& t) {
    if (t.size() != 6 || t.compare(0, 3, "<0x") != 0 || t[5] != '>') return std::nullopt;
    unsigned v = 0;
    for (int k = 3; k < 5; ++k) {
      const char c = t[static_cast<std::size_t>(k)];
      v <<= 4;
      if (c >= '0' && c <= '9')
        v |= static_cast<unsigned>(c - '0');
      else if (c >= 'A' && c <= 'F')
        v |= static_cast<unsigned>(c - 'A' + 10);
      else
        return std::nullopt;
    }
    return static_cast<unsigned char>(v);
  }
};

class fuse_decoder final : public decoder {
 public:
  void decode_chain(std::vector<std::string>& tokens) const override {
    std::string all;
    for (const auto& t : tokens) all += t;
    tokens.assign(1, std::move(all));
  }
};

class replace_decoder final : public decoder {
 public:
  replace_decoder(const pattern_spec& p, std::string content)
      : re_(p.text, !p.regex), content_(std::move(content)) {}
  void decode_chain(std::vector<std::string>& tokens) const override {
    for (auto& t : tokens) t = re_.replace_all(t, content_);
  }

 private:
  compiled_regex re_;
  std::string content_;
};

// Removes up to `start` leading and `stop` trailing copies of one character, per token.
class strip_decoder final : public decoder {
 public:
  strip_decoder(std::string content, std::size_t start, std::size_t stop)
      : content_(std::move(content)), start_(start), stop_(stop) {}
  void decode_chain(std::vector<std::string>& tokens) const override {
    const std::size_t c = content_.size();
    for (auto& t : tokens) {
      std::size_t b = 0, e = t.size();
      for (std::size_t k = 0; k < start_ && e - b >= c && t.compare(b, c, content_) == 0; ++k)
        b += c;
      for (std::size_t k = 0; k < stop_ && e - b >= c && t.compare(e - c, c, content_) == 0; ++k)
        e -= c;
      t = t.substr(b, e - b);
    }
  }

 private:
  std::string content_;
  std::size_t start_, stop_;
};

class metaspace_decoder final : public decoder {
 public:
  metaspace_decoder(std::string replacement, bool strip_first)
      : re_(replacement, true), strip_first_(strip_first) {}
  void decode_chain(std::vector<std::string>& tokens) const override {
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      std::string t = re_.replace_all(tokens[i], " ");
      if (i == 0 && strip_first_ && !t.empty() && t[0] == ' ') t.erase(0, 1);
      tokens[i] = std::move(t);
    }
  }

 private:
  compiled_regex re_;
  bool strip_first_;
};

class sequence_decoder final : public decoder {
 public:
  explicit sequence_decoder(std::vector<std::unique_ptr<decoder>> parts)
      : parts_(std::move(parts)) {}
  void decode_chain(std::vector<std::string>& tokens) const override {
    for (const auto& p : parts_) p->decode_chain(tokens);
  }

 private:
  std::vector<std::unique_ptr<decoder>> parts_;
};

}  // namespace

std::unique_ptr<decoder> make_decoder(const json::value& spec, const std::string& path) {
  if (spec.is_null()) return nullptr;
  const auto& o = as_object(spec, path);
  const std::string type = string_member(o, "type", path);
  if (type == "ByteLevel") return std::make_unique<byte_level_decoder>();
  if (type == "ByteFallback") return std::make_unique<byte_fallback_decoder>();
  if (type == "Fuse") return std::make_unique<fuse_decoder>();
  if (type == "Replace")
    return std::make_unique<replace_decoder>(pattern_member(o, path),
                                             string_member(o, "content", path));
  if (type == "Strip") {
    const auto start = int_or(o, "start", 0, path), stop = int_or(o, "stop", 0, path);
    if (start < 0 || stop < 0)
      throw tokenizer_format_error(path, "start and stop must not be negative");
    return std::make_unique<strip_decoder>(string_member(o, "content", path),
                                           static_cast<std::size_t>(start),
                                           static_cast<std::size_t>(stop));
  }
  if (type == "Metaspace") {
    std::string scheme = string_or(o, "prepend_scheme", "", path);
    if (scheme.empty()) scheme = bool_or(o, "add_prefix_space", true, path) ? "always" : "never";
    return std::make_unique<metaspace_decoder>(string_or(o, "replacement", "\xE2\x96\x81", path),
                                               scheme != "never");
  }
  if (type == "Sequence") {
    const auto& list = member(o, "decoders", path);
    if (!list.is_array()) throw tokenizer_format_error(path + ".decoders", "expected a list");
    std::vector<std::unique_ptr<decoder>> parts;
    for (std::size_t i = 0; i < list.get_array().size(); ++i) {
      auto p = make_decoder(list.get_array()[i], path + ".decoders[" + std::to_string(i) + "]");
      if (p) parts.push_back(std::move(p));
    }
    return std::make_unique<sequence_decoder>(std::move(parts));
  }
  throw tokenizer_format_error(path + ".type", "unsupported decoder \"" + type +
                                                   "\" (supported: ByteLevel, ByteFallback, Fuse, "
                                                   "Replace, Strip, Metaspace, Sequence)");
}

}  // namespace loadwright::datasets::detail
