// sharegpt { path, … }: ShareGPT V3-format conversations, sampled as vLLM's ShareGPTDataset
// does. The file (hundreds of MB) is mapped, not copied, and scanned once with simdjson
// On-Demand, keeping only where each entry's first two turns are; only the entries actually
// used are unescaped and tokenized.

#include <simdjson.h>

#include <fmt/format.h>
#include <boost/json.hpp>
#include <boost/json/basic_parser_impl.hpp>

#include "mapped_file.hpp"
#include "samplers.hpp"

namespace loadwright::datasets::detail {

namespace od = simdjson::ondemand;

namespace {

struct entry {
  std::string_view prompt;  // raw JSON string tokens (quotes and escapes included)
  std::string_view reply;
  std::size_t offset;  // where the entry starts, for messages
};

// One entry of the top-level list; false when it has fewer than two usable turns.
bool read_entry(od::value record, entry& out) {
  od::object obj;
  if (record.get_object().get(obj)) return false;
  for (auto field : obj) {
    std::string_view key;
    if (field.unescaped_key().get(key)) return false;
    if (key != "conversations" && key != "conversation") continue;
    od::array turns;
    if (field.value().get_array().get(turns)) return false;
    std::size_t index = 0;
    for (auto turn : turns) {
      if (index < 2) {
        od::object t;
        if (turn.get_object().get(t)) return false;
        od::value v;
        if (t.find_field_unordered("value").get(v)) return false;
        od::json_type type;
        if (v.type().get(type) || type != od::json_type::string) return false;
        (index == 0 ? out.prompt : out.reply) = v.raw_json_token();
      }
      ++index;
    }
    return index >= 2;
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

std::vector<sample> draw_sharegpt(const sharegpt_spec& spec, std::size_t count, std::uint64_t seed,
                                  const token_counter& counter) {
  mapped_file file(spec.path, simdjson::SIMDJSON_PADDING);
  const std::string_view text = file.text();
  od::parser parser;
  std::vector<entry> entries;
  std::size_t records = 0;
  const auto fail = [&](const char* at, const std::string& what) -> dataset_error {
    const std::size_t offset = at ? static_cast<std::size_t>(at - text.data()) : 0;
    return dataset_error(fmt::format("{}: {} ({}, byte {})", spec.path, what,
                                     line_and_column(text, offset), offset));
  };
  try {
    auto doc =
        parser.iterate(simdjson::padded_string_view(text.data(), text.size(), file.capacity()));
    od::array list;
    if (doc.get_array().get(list))
      throw fail(text.data(),
                 "expected a JSON list of conversations [{\"conversations\": [...]}, ...]");
    for (auto record : list) {
      od::value v;
      const char* at = nullptr;
      if (auto loc = doc.current_location(); !loc.error()) at = loc.value_unsafe();
      if (auto err = record.get(v)) throw fail(at, simdjson::error_message(err));
      ++records;
      entry e{{}, {}, at ? static_cast<std::size_t>(at - text.data()) : 0};
      if (read_entry(v, e)) entries.push_back(e);
    }
  } catch (const simdjson::simdjson_error& e) {
    const char* at = nullptr;
    throw fail(at, std::string("invalid JSON: ") + e.what());
  } catch (const dataset_error&) {
    // Name the first place the JSON itself is wrong, when that is the cause.
    if (const auto bad = first_json_error(text))
      throw fail(text.data() + bad->first, "invalid JSON: " + bad->second);
    throw;
  }
  if (entries.empty())
    throw dataset_error(fmt::format(
        "{}: none of its {} entries has two turns (a prompt and a reply)", spec.path, records));

  // vLLM: shuffle, then take entries in order while they pass the filter.
  std::vector<std::size_t> order(entries.size());
  if (spec.shuffle)
    order = seeded_permutation(entries.size(), seed);
  else
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::vector<sample> pool;
  const bool fixed_output = spec.output_tokens > 0;
  for (std::size_t k = 0; k < order.size() && pool.size() < count; ++k) {
    const entry& e = entries[order[k]];
    auto prompt = unescape(e.prompt);
    if (!prompt) continue;  // lone surrogates and the like: skip the entry, as a record
    std::int64_t out_len = spec.output_tokens;
    if (!fixed_output) {
      const auto reply = unescape(e.reply);
      if (!reply) continue;
      out_len = counter.count(*reply);
    }
    const std::int64_t in_len = counter.count(*prompt);
    if (spec.filter) {
      if (in_len < spec.min_prompt_tokens || in_len > spec.max_prompt_tokens) continue;
      if (!fixed_output && out_len < spec.min_output_tokens) continue;
      if (in_len + out_len > spec.max_total_tokens) continue;
    }
    sample s;
    s.messages.push_back({"user", std::move(*prompt)});
    s.input_tokens = in_len;
    s.input_tokens_estimated = !counter.exact();
    s.max_output_tokens = std::max<std::int64_t>(1, out_len);
    pool.push_back(std::move(s));
  }
  if (pool.empty())
    throw dataset_error(fmt::format(
        "{}: no entry passes the filter (prompt {}..{} tokens, output >= {}, total <= {}); "
        "set filter = false or widen the limits",
        spec.path, spec.min_prompt_tokens, spec.max_prompt_tokens, spec.min_output_tokens,
        spec.max_total_tokens));
  // Too few: oversample by cycling (vLLM duplicates random entries).
  std::vector<sample> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) out.push_back(pool[i % pool.size()]);
  return out;
}

}  // namespace loadwright::datasets::detail
