#include "loadwright/core/openai_decoder.hpp"

#include <array>
#include <boost/json/basic_parser_impl.hpp>
#include <cstdint>

#include "loadwright/datasets/utf8.hpp"

namespace loadwright::runtime {

void openai_chunk::clear() {
  done = has_choices = has_text = has_error = malformed = false;
  finish_reason.clear();
  prompt_tokens = completion_tokens = -1;
  error_message.clear();
  parse_error.clear();
}

namespace {

using boost::json::string_view;
using boost::system::error_code;

// The keys whose position matters. Anything else is `other`.
enum class key : std::uint8_t {
  none,
  other,
  choices,
  delta,
  message,
  content,
  reasoning_content,
  reasoning,
  text,
  finish_reason,
  usage,
  prompt_tokens,
  completion_tokens,
  error
};

key classify(std::string_view k) {
  switch (k.size()) {
    case 4:
      if (k == "text") return key::text;
      break;
    case 5:
      if (k == "delta") return key::delta;
      if (k == "usage") return key::usage;
      if (k == "error") return key::error;
      break;
    case 7:
      if (k == "choices") return key::choices;
      if (k == "message") return key::message;
      if (k == "content") return key::content;
      break;
    case 9:
      if (k == "reasoning") return key::reasoning;
      break;
    case 13:
      if (k == "finish_reason") return key::finish_reason;
      if (k == "prompt_tokens") return key::prompt_tokens;
      break;
    case 17:
      if (k == "reasoning_content") return key::reasoning_content;
      if (k == "completion_tokens") return key::completion_tokens;
      break;
  }
  return key::other;
}

// SAX handler for boost::json::basic_parser. Tracks, for each open container, the key it
// sits under, and the current key inside objects. Depth 1 is the root object.
struct chunk_handler {
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);
  static constexpr int max_tracked_depth = 8;

  openai_chunk* out = nullptr;
  std::string* text = nullptr;
  int depth = 0;
  std::array<key, max_tracked_depth + 1> current_key{};  // per depth: key being read
  std::array<bool, max_tracked_depth + 1> is_array{};
  std::string key_buf;
  std::string string_buf;  // a string value seen in parts

  void reset(openai_chunk* o, std::string* t) {
    out = o;
    text = t;
    depth = 0;
    current_key.fill(key::none);
    is_array.fill(false);
    key_buf.clear();
    string_buf.clear();
  }

  key at(int d) const { return d >= 1 && d <= max_tracked_depth ? current_key[d] : key::other; }

  // Where we are when a value arrives at `depth`.
  bool in_choice() const {  // directly inside choices[i]
    return depth == 3 && at(1) == key::choices && is_array[2];
  }
  bool in_choice_message() const {  // inside choices[i].delta or .message
    return depth == 4 && at(1) == key::choices && is_array[2] &&
           (at(3) == key::delta || at(3) == key::message);
  }
  bool in_usage() const { return depth == 2 && at(1) == key::usage; }
  bool in_error() const { return depth == 2 && at(1) == key::error; }

  void open(bool array) {
    // A container as an element of the choices array: the choices list is non-empty.
    if (depth == 2 && at(1) == key::choices && is_array[2]) out->has_choices = true;
    ++depth;
    if (depth <= max_tracked_depth) {
      is_array[depth] = array;
      current_key[depth] = key::none;
    }
    if (depth == 2 && at(1) == key::error && !array) out->has_error = true;
  }
  void on_scalar_in_array() {
    if (depth == 2 && at(1) == key::choices && is_array[2]) out->has_choices = true;
  }

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }
  bool on_array_begin(error_code&) {
    open(true);
    return true;
  }
  bool on_array_end(std::size_t, error_code&) {
    --depth;
    return true;
  }
  bool on_object_begin(error_code&) {
    open(false);
    return true;
  }
  bool on_object_end(std::size_t, error_code&) {
    --depth;
    return true;
  }
  bool on_key_part(string_view s, std::size_t, error_code&) {
    key_buf.append(s.data(), s.size());
    return true;
  }
  bool on_key(string_view s, std::size_t, error_code&) {
    key k;
    if (key_buf.empty()) {
      k = classify(std::string_view(s.data(), s.size()));
    } else {
      key_buf.append(s.data(), s.size());
      k = classify(key_buf);
      key_buf.clear();
    }
    if (depth >= 1 && depth <= max_tracked_depth) current_key[depth] = k;
    return true;
  }
  bool on_string_part(string_view s, std::size_t, error_code&) {
    string_value(std::string_view(s.data(), s.size()), false);
    return true;
  }
  bool on_string(string_view s, std::size_t, error_code&) {
    string_value(std::string_view(s.data(), s.size()), true);
    return true;
  }
  void string_value(std::string_view s, bool last) {
    if (depth >= 1 && depth <= max_tracked_depth && is_array[depth]) on_scalar_in_array();
    const key k = at(depth);
    const bool generated =
        (in_choice_message() &&
         (k == key::content || k == key::reasoning_content || k == key::reasoning)) ||
        (in_choice() && k == key::text);
    if (generated) {
      if (!s.empty()) {
        out->has_text = true;
        if (text) text->append(s);
      }
    } else if (in_choice() && k == key::finish_reason) {
      out->finish_reason.append(s);
    } else if ((in_error() && k == key::message) || (depth == 1 && k == key::error)) {
      out->has_error = true;
      string_buf.append(s);
      if (last) {
        out->error_message = string_buf;
        string_buf.clear();
      }
    }
  }
  bool on_number_part(string_view, error_code&) { return true; }
  void integer(std::int64_t v) {
    if (depth >= 1 && depth <= max_tracked_depth && is_array[depth]) on_scalar_in_array();
    if (!in_usage()) return;
    if (at(2) == key::prompt_tokens) out->prompt_tokens = v;
    if (at(2) == key::completion_tokens) out->completion_tokens = v;
  }
  bool on_int64(std::int64_t i, string_view, error_code&) {
    integer(i);
    return true;
  }
  // A count too large for int64 (or not a number of tokens at all) counts as absent.
  bool on_uint64(std::uint64_t u, string_view, error_code&) {
    integer(u <= static_cast<std::uint64_t>(INT64_MAX) ? static_cast<std::int64_t>(u) : -1);
    return true;
  }
  bool on_double(double d, string_view, error_code&) {
    integer(d >= 0 && d < 9.2e18 ? static_cast<std::int64_t>(d) : -1);  // NaN fails both
    return true;
  }
  bool on_bool(bool, error_code&) {
    if (depth >= 1 && depth <= max_tracked_depth && is_array[depth]) on_scalar_in_array();
    return true;
  }
  bool on_null(error_code&) {
    if (depth >= 1 && depth <= max_tracked_depth && is_array[depth]) on_scalar_in_array();
    return true;
  }
  bool on_comment_part(string_view, error_code&) { return true; }
  bool on_comment(string_view, error_code&) { return true; }
};

}  // namespace

struct openai_decoder::impl {
  boost::json::basic_parser<chunk_handler> parser{boost::json::parse_options{}};
};

openai_decoder::openai_decoder() : impl_(std::make_unique<impl>()) {}
openai_decoder::~openai_decoder() = default;

void openai_decoder::decode(std::string_view json, openai_chunk& out, std::string* text) {
  out.clear();
  // Trim the whitespace a server may leave around the JSON text.
  while (!json.empty() && (json.front() == ' ' || json.front() == '\t' || json.front() == '\n' ||
                           json.front() == '\r'))
    json.remove_prefix(1);
  while (!json.empty() &&
         (json.back() == ' ' || json.back() == '\t' || json.back() == '\n' || json.back() == '\r'))
    json.remove_suffix(1);
  if (json == "[DONE]") {
    out.done = true;
    return;
  }
  if (json.empty()) return;   // `data:` alone carries nothing (a keep-alive, at most)
  if (json.front() != '{') {  // `42`, `"x"`, `[...]`, `null`: not a chunk
    out.malformed = true;
    out.parse_error = "JSON that is not an object";
    return;
  }
  auto& p = impl_->parser;
  p.reset();
  p.handler().reset(&out, text);
  error_code ec;
  const std::size_t used = p.write_some(false, json.data(), json.size(), ec);
  if (!ec && used != json.size()) ec = boost::json::error::extra_data;
  if (ec) {
    out.malformed = true;
    out.parse_error = datasets::utf8_valid(json) ? ec.message() : "text that is not UTF-8";
  }
}

}  // namespace loadwright::runtime
