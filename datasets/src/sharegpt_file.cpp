#include "sharegpt_file.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <boost/json.hpp>
#include <boost/json/basic_parser_impl.hpp>

#include "loadwright/datasets/sampler.hpp"

namespace loadwright::datasets::detail {

namespace od = simdjson::ondemand;

namespace {

// One entry of the top-level list: its turns (at most `max_turns`) appended to `out`; false
// (and nothing appended) when a turn is not an object with a string value.
bool read_entry(od::value record, std::size_t max_turns, std::vector<sharegpt_turn>& out) {
  const std::size_t first = out.size();
  od::object obj;
  if (record.get_object().get(obj)) return false;
  for (auto field : obj) {
    std::string_view key;
    if (field.unescaped_key().get(key)) return false;
    if (key != "conversations" && key != "conversation") continue;
    od::array turns;
    if (field.value().get_array().get(turns)) return false;
    for (auto turn : turns) {
      if (out.size() - first >= max_turns) continue;  // skipped unread
      od::object t;
      if (turn.get_object().get(t)) break;
      sharegpt_turn parsed;
      bool has_value = false;
      for (auto f : t) {
        std::string_view name;
        if (f.unescaped_key().get(name)) break;
        od::value v;
        if (f.value().get(v)) break;
        if (name == "from") {
          std::string_view from;
          if (!v.get_string().get(from)) parsed.human = from == "human" || from == "user";
        } else if (name == "value") {
          od::json_type type;
          if (v.type().get(type) || type != od::json_type::string) break;
          parsed.raw = v.raw_json_token();
          has_value = true;
        }
      }
      if (!has_value) {
        out.resize(first);
        return false;
      }
      out.push_back(parsed);
    }
    return out.size() > first;
  }
  return false;
}

// Where a file's JSON first goes wrong: Boost.JSON's SAX parser with a handler that keeps
// nothing (only run after simdjson has rejected the file, to name the place).
struct null_handler {
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);
  using ec_t = boost::system::error_code;
  bool on_document_begin(ec_t&) { return true; }
  bool on_document_end(ec_t&) { return true; }
  bool on_object_begin(ec_t&) { return true; }
  bool on_object_end(std::size_t, ec_t&) { return true; }
  bool on_array_begin(ec_t&) { return true; }
  bool on_array_end(std::size_t, ec_t&) { return true; }
  bool on_key_part(std::string_view, std::size_t, ec_t&) { return true; }
  bool on_key(std::string_view, std::size_t, ec_t&) { return true; }
  bool on_string_part(std::string_view, std::size_t, ec_t&) { return true; }
  bool on_string(std::string_view, std::size_t, ec_t&) { return true; }
  bool on_number_part(std::string_view, ec_t&) { return true; }
  bool on_int64(std::int64_t, std::string_view, ec_t&) { return true; }
  bool on_uint64(std::uint64_t, std::string_view, ec_t&) { return true; }
  bool on_double(double, std::string_view, ec_t&) { return true; }
  bool on_bool(bool, ec_t&) { return true; }
  bool on_null(ec_t&) { return true; }
  bool on_comment_part(std::string_view, ec_t&) { return true; }
  bool on_comment(std::string_view, ec_t&) { return true; }
};

// The offset and reason of the first JSON error in `text`, if Boost.JSON finds one.
std::optional<std::pair<std::size_t, std::string>> first_json_error(std::string_view text) {
  boost::json::basic_parser<null_handler> p({});
  boost::system::error_code ec;
  const std::size_t used = p.write_some(false, text.data(), text.size(), ec);
  if (!ec) return std::nullopt;
  return std::pair<std::size_t, std::string>(used, ec.message());
}

// A raw JSON string token to its text; nullopt for an invalid one (e.g. a lone surrogate).
std::optional<std::string> unescape(std::string_view raw) {
  boost::system::error_code ec;
  auto v = boost::json::parse(raw, ec);
  if (ec || !v.is_string()) return std::nullopt;
  return std::string(v.get_string());
}

}  // namespace

std::optional<std::string> sharegpt_file::text(const sharegpt_turn& turn) {
  return unescape(turn.raw);
}

sharegpt_file::sharegpt_file(const std::string& path, std::size_t max_turns)
    : path_(path), file_(path, simdjson::SIMDJSON_PADDING) {
  const std::string_view text = file_.text();
  od::parser parser;
  const auto fail = [&](const char* at, const std::string& what) -> dataset_error {
    const std::size_t offset = at ? static_cast<std::size_t>(at - text.data()) : 0;
    return dataset_error(
        fmt::format("{}: {} ({}, byte {})", path, what, line_and_column(text, offset), offset));
  };
  try {
    auto doc =
        parser.iterate(simdjson::padded_string_view(text.data(), text.size(), file_.capacity()));
    od::array list;
    if (doc.get_array().get(list))
      throw fail(text.data(),
                 "expected a JSON list of conversations [{\"conversations\": [...]}, ...]");
    for (auto record : list) {
      od::value v;
      const char* at = nullptr;
      if (auto loc = doc.current_location(); !loc.error()) at = loc.value_unsafe();
      if (auto err = record.get(v)) throw fail(at, simdjson::error_message(err));
      ++records_;
      if (read_entry(v, max_turns, turns_)) starts_.push_back(turns_.size());
    }
  } catch (const simdjson::simdjson_error& e) {
    throw fail(nullptr, std::string("invalid JSON: ") + e.what());
  } catch (const dataset_error&) {
    // Name the first place the JSON itself is wrong, when that is the cause.
    if (const auto bad = first_json_error(text))
      throw fail(text.data() + bad->first, "invalid JSON: " + bad->second);
    throw;
  }
}

}  // namespace loadwright::datasets::detail
