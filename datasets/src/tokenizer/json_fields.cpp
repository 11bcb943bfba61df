#include "json_fields.hpp"

#include <boost/json.hpp>

namespace loadwright::datasets::detail {

namespace json = boost::json;

const json::object& as_object(const json::value& v, const std::string& path) {
  if (const auto* o = v.if_object()) return *o;
  throw tokenizer_format_error(path, "expected an object");
}

const json::value& member(const json::object& o, std::string_view key, const std::string& path) {
  if (const auto* v = o.if_contains(key)) return *v;
  throw tokenizer_format_error(path, "missing \"" + std::string(key) + "\"");
}

std::string string_member(const json::object& o, std::string_view key, const std::string& path) {
  const auto& v = member(o, key, path);
  if (!v.is_string())
    throw tokenizer_format_error(path + "." + std::string(key), "expected a string");
  return std::string(v.get_string());
}

std::string string_or(const json::object& o, std::string_view key, std::string fallback,
                      const std::string& path) {
  const auto* v = o.if_contains(key);
  if (!v || v->is_null()) return fallback;
  if (!v->is_string())
    throw tokenizer_format_error(path + "." + std::string(key), "expected a string");
  return std::string(v->get_string());
}

bool bool_or(const json::object& o, std::string_view key, bool fallback, const std::string& path) {
  const auto* v = o.if_contains(key);
  if (!v || v->is_null()) return fallback;
  if (!v->is_bool())
    throw tokenizer_format_error(path + "." + std::string(key), "expected true or false");
  return v->get_bool();
}

std::int64_t int_or(const json::object& o, std::string_view key, std::int64_t fallback,
                    const std::string& path) {
  const auto* v = o.if_contains(key);
  if (!v || v->is_null()) return fallback;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return static_cast<std::int64_t>(v->get_uint64());
  throw tokenizer_format_error(path + "." + std::string(key), "expected an integer");
}

pattern_spec pattern_member(const json::object& o, const std::string& path) {
  const auto& p = as_object(member(o, "pattern", path), path + ".pattern");
  if (const auto* s = p.if_contains("String"); s && s->is_string())
    return {std::string(s->get_string()), false};
  if (const auto* r = p.if_contains("Regex"); r && r->is_string())
    return {std::string(r->get_string()), true};
  throw tokenizer_format_error(path + ".pattern", "expected {\"String\": …} or {\"Regex\": …}");
}

}  // namespace loadwright::datasets::detail
