#include "normalizer.hpp"

#include <utf8proc.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <vector>

#include "json_fields.hpp"
#include "loadwright/datasets/utf8.hpp"
#include "regex.hpp"

namespace loadwright::datasets::detail {

namespace json = boost::json;

namespace {

class unicode_form final : public normalizer {
 public:
  explicit unicode_form(utf8proc_option_t options) : options_(options) {}
  void normalize(std::string& text) const override {
    if (text.empty()) return;
    utf8proc_uint8_t* out = nullptr;
    const auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                                static_cast<utf8proc_ssize_t>(text.size()), &out, options_);
    if (n >= 0) text.assign(reinterpret_cast<const char*>(out), static_cast<std::size_t>(n));
    std::free(out);
  }

 private:
  utf8proc_option_t options_;
};

class lowercase final : public normalizer {
 public:
  void normalize(std::string& text) const override {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
      const std::size_t len = utf8_char_length(text, i);
      if (len == 0) {
        out += text[i++];
        continue;
      }
      utf8_append(out, static_cast<char32_t>(utf8proc_tolower(
                           static_cast<utf8proc_int32_t>(utf8_decode_at(text, i, len)))));
      i += len;
    }
    text = std::move(out);
  }
};

class prepend final : public normalizer {
 public:
  explicit prepend(std::string prefix) : prefix_(std::move(prefix)) {}
  void normalize(std::string& text) const override {
    if (!text.empty()) text.insert(0, prefix_);
  }

 private:
  std::string prefix_;
};

class replace final : public normalizer {
 public:
  replace(const pattern_spec& pattern, std::string content)
      : regex_(pattern.text, !pattern.regex), content_(std::move(content)) {}
  void normalize(std::string& text) const override { text = regex_.replace_all(text, content_); }

 private:
  compiled_regex regex_;
  std::string content_;
};

class strip final : public normalizer {
 public:
  strip(bool left, bool right) : left_(left), right_(right) {}
  void normalize(std::string& text) const override {
    std::size_t b = 0, e = text.size();
    if (left_)
      while (b < e && ascii_space(static_cast<unsigned char>(text[b]))) ++b;
    if (right_)
      while (e > b && ascii_space(static_cast<unsigned char>(text[e - 1]))) --e;
    text = text.substr(b, e - b);
  }

 private:
  bool left_, right_;
};

class sequence final : public normalizer {
 public:
  explicit sequence(std::vector<std::unique_ptr<normalizer>> parts) : parts_(std::move(parts)) {}
  void normalize(std::string& text) const override {
    for (const auto& p : parts_) p->normalize(text);
  }

 private:
  std::vector<std::unique_ptr<normalizer>> parts_;
};

constexpr auto compose = static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE);
constexpr auto decompose = static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_DECOMPOSE);

}  // namespace

std::unique_ptr<normalizer> make_normalizer(const json::value& spec, const std::string& path) {
  if (spec.is_null()) return nullptr;
  const auto& o = as_object(spec, path);
  const std::string type = string_member(o, "type", path);
  if (type == "NFC") return std::make_unique<unicode_form>(compose);
  if (type == "NFD") return std::make_unique<unicode_form>(decompose);
  if (type == "NFKC")
    return std::make_unique<unicode_form>(
        static_cast<utf8proc_option_t>(compose | UTF8PROC_COMPAT));
  if (type == "NFKD")
    return std::make_unique<unicode_form>(
        static_cast<utf8proc_option_t>(decompose | UTF8PROC_COMPAT));
  if (type == "Lowercase") return std::make_unique<lowercase>();
  if (type == "Prepend") return std::make_unique<prepend>(string_member(o, "prepend", path));
  if (type == "Replace")
    return std::make_unique<replace>(pattern_member(o, path), string_member(o, "content", path));
  if (type == "Strip")
    return std::make_unique<strip>(bool_or(o, "strip_left", true, path),
                                   bool_or(o, "strip_right", true, path));
  if (type == "Sequence") {
    const auto& list = member(o, "normalizers", path);
    if (!list.is_array()) throw tokenizer_format_error(path + ".normalizers", "expected a list");
    std::vector<std::unique_ptr<normalizer>> parts;
    for (std::size_t i = 0; i < list.get_array().size(); ++i) {
      auto p =
          make_normalizer(list.get_array()[i], path + ".normalizers[" + std::to_string(i) + "]");
      if (p) parts.push_back(std::move(p));
    }
    return std::make_unique<sequence>(std::move(parts));
  }
  throw tokenizer_format_error(path + ".type",
                               "unsupported normalizer \"" + type +
                                   "\" (supported: NFC, NFD, NFKC, NFKD, Lowercase, "
                                   "Prepend, Replace, Strip, Sequence)");
}

}  // namespace loadwright::datasets::detail
