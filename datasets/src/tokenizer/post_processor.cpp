#include "post_processor.hpp"

#include <boost/json.hpp>

#include "json_fields.hpp"

namespace loadwright::datasets::detail {

namespace json = boost::json;

namespace {

// Bert's and Roberta's {"cls": ["[CLS]", 101], "sep": ["[SEP]", 102]}.
std::int32_t pair_id(const json::object& o, std::string_view key, const std::string& path) {
  const auto& v = member(o, key, path);
  const auto* a = v.if_array();
  if (!a || a->size() != 2 || !(*a)[1].is_int64())
    throw tokenizer_format_error(path + "." + std::string(key), "expected [token, id]");
  return static_cast<std::int32_t>((*a)[1].get_int64());
}

void apply(const json::value& spec, const std::string& path, special_affixes& out) {
  if (spec.is_null()) return;
  const auto& o = as_object(spec, path);
  const std::string type = string_member(o, "type", path);
  if (type == "ByteLevel") return;
  if (type == "BertProcessing" || type == "RobertaProcessing") {
    out.prefix.insert(out.prefix.begin(), pair_id(o, "cls", path));
    out.suffix.push_back(pair_id(o, "sep", path));
    return;
  }
  if (type == "Sequence") {
    const auto& list = member(o, "processors", path);
    if (!list.is_array()) throw tokenizer_format_error(path + ".processors", "expected a list");
    for (std::size_t i = 0; i < list.get_array().size(); ++i)
      apply(list.get_array()[i], path + ".processors[" + std::to_string(i) + "]", out);
    return;
  }
  if (type != "TemplateProcessing")
    throw tokenizer_format_error(path + ".type", "unsupported post-processor \"" + type + "\"");

  const auto& specials = as_object(member(o, "special_tokens", path), path + ".special_tokens");
  const auto& single = member(o, "single", path);
  if (!single.is_array()) throw tokenizer_format_error(path + ".single", "expected a list");
  special_affixes mine;
  bool seen_sequence = false;
  for (std::size_t i = 0; i < single.get_array().size(); ++i) {
    const std::string where = path + ".single[" + std::to_string(i) + "]";
    const auto& item = as_object(single.get_array()[i], where);
    if (item.contains("Sequence")) {
      seen_sequence = true;
      continue;
    }
    const auto& st = as_object(member(item, "SpecialToken", where), where + ".SpecialToken");
    const std::string name = string_member(st, "id", where + ".SpecialToken");
    const auto* def = specials.if_contains(name);
    if (!def) throw tokenizer_format_error(where, "\"" + name + "\" is not in special_tokens");
    const auto& ids = member(as_object(*def, path + ".special_tokens." + name), "ids", path);
    if (!ids.is_array())
      throw tokenizer_format_error(path + ".special_tokens." + name + ".ids", "expected a list");
    for (const auto& id : ids.get_array()) {
      if (!id.is_int64())
        throw tokenizer_format_error(path + ".special_tokens." + name + ".ids", "expected ids");
      (seen_sequence ? mine.suffix : mine.prefix)
          .push_back(static_cast<std::int32_t>(id.get_int64()));
    }
  }
  out.prefix.insert(out.prefix.begin(), mine.prefix.begin(), mine.prefix.end());
  out.suffix.insert(out.suffix.end(), mine.suffix.begin(), mine.suffix.end());
}

}  // namespace

special_affixes parse_post_processor(const json::value& spec, const std::string& path) {
  special_affixes out;
  apply(spec, path, out);
  return out;
}

}  // namespace loadwright::datasets::detail
