#include "table_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "loadwright/core/json_writer.hpp"
#include "loadwright/scripting/scenario_loader.hpp"

namespace loadwright::scripting {

table_reader::table_reader(lua_State* L, int index, std::string path, std::string where)
    : L_(L), index_(abs_index(L, index)), path_(std::move(path)), where_(std::move(where)) {}

std::string table_reader::field_path(const std::string& field) const {
  if (field.empty()) return path_;
  if (!field.empty() && field.front() == '[') return path_ + field;
  return path_.empty() ? field : path_ + "." + field;
}

namespace {
const script_source* g_source = nullptr;

// "file:line" for `field`: the first line at or after `where`'s line that assigns it, so a
// field inside a multi-line table is pointed at exactly.
std::string locate(const std::string& where, const std::string& field) {
  if (!g_source) return where;
  std::size_t from_line = 1;
  if (const auto colon = where.rfind(':'); colon != std::string::npos)
    from_line = std::strtoul(where.c_str() + colon + 1, nullptr, 10);
  if (from_line == 0) from_line = 1;
  std::string key = field;
  if (const auto dot = key.rfind('.'); dot != std::string::npos) key = key.substr(dot + 1);
  if (const auto br = key.find('['); br != std::string::npos) key = key.substr(0, br);
  const std::string& text = g_source->text;
  std::size_t line = 1, pos = 0;
  while (pos < text.size()) {
    const auto end = std::min(text.find('\n', pos), text.size());
    if (line >= from_line && !key.empty()) {
      const std::string_view l(text.data() + pos, end - pos);
      for (auto at = l.find(key); at != std::string_view::npos; at = l.find(key, at + 1)) {
        const bool word_start =
            at == 0 || !(std::isalnum(static_cast<unsigned char>(l[at - 1])) || l[at - 1] == '_');
        auto after = at + key.size();
        while (after < l.size() && l[after] == ' ') ++after;
        if (word_start && after < l.size() && l[after] == '=' &&
            (after + 1 >= l.size() || l[after + 1] != '='))
          return fmt::format("{}:{}", g_source->display, line);
      }
    }
    pos = end + 1;
    ++line;
  }
  if (where.empty() || where.find(':') == std::string::npos) return g_source->display;
  return where;
}
}  // namespace

void set_current_source(const script_source* source) {
  g_source = source;
}

std::string locate_constructor(const std::string& name, std::size_t nth) {
  if (!g_source) return "?";
  const std::string& text = g_source->text;
  std::size_t line = 1, seen = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') ++line;
    if (text.compare(i, name.size(), name) != 0) continue;
    if (i > 0 && (std::isalnum(static_cast<unsigned char>(text[i - 1])) || text[i - 1] == '_'))
      continue;
    std::size_t j = i + name.size();
    while (j < text.size() && (text[j] == ' ' || text[j] == '\t')) ++j;
    if (j < text.size() && (text[j] == '{' || text[j] == '(') && seen++ == nth)
      return fmt::format("{}:{}", g_source->display, line);
  }
  return g_source->display;
}

void table_reader::fail(const std::string& field, const std::string& message) const {
  const std::string path = field_path(field);
  throw script_error(fmt::format("{}: {}: {}", locate(where_, field.empty() ? std::string() : path),
                                 path, message));
}

bool table_reader::push(const char* key) const {
  lua_getfield(L_, index_, key);
  if (lua_isnil(L_, -1)) {
    lua_pop(L_, 1);
    return false;
  }
  return true;
}

bool table_reader::has(const char* key) const {
  if (!push(key)) return false;
  lua_pop(L_, 1);
  return true;
}

std::string table_reader::describe_top() const {
  switch (lua_type(L_, -1)) {
    case LUA_TNUMBER:
      return fmt::format("{}", lua_tonumber(L_, -1));
    case LUA_TSTRING:
      return fmt::format("\"{}\"", lua_tostring(L_, -1));
    case LUA_TBOOLEAN:
      return lua_toboolean(L_, -1) ? "true" : "false";
    case LUA_TTABLE: {
      lua_getfield(L_, -1, "__kind");
      std::string kind = lua_isstring(L_, -1) ? lua_tostring(L_, -1) : "";
      lua_pop(L_, 1);
      return kind.empty() ? "a table" : kind + " { … }";
    }
    default:
      return std::string("a ") + lua_typename(L_, lua_type(L_, -1));
  }
}

std::optional<double> table_reader::number(const char* key) {
  if (!push(key)) return std::nullopt;
  if (lua_type(L_, -1) != LUA_TNUMBER) {
    const auto got = describe_top();
    lua_pop(L_, 1);
    fail(key, "expected a number, got " + got);
  }
  const double v = lua_tonumber(L_, -1);
  lua_pop(L_, 1);
  if (std::isnan(v)) fail(key, "expected a number, got nan");
  return v;
}

std::optional<double> table_reader::positive(const char* key, bool allow_infinite) {
  const auto v = number(key);
  if (v && (!(*v > 0) || (!allow_infinite && std::isinf(*v))))
    fail(key,
         fmt::format("expected a positive{} number, got {}", allow_infinite ? "" : " finite", *v));
  return v;
}

std::optional<std::int64_t> table_reader::integer(const char* key, std::int64_t min) {
  const auto v = number(key);
  if (!v) return std::nullopt;
  if (std::floor(*v) != *v || std::isinf(*v) || std::abs(*v) > 9.007199254740992e15)
    fail(key, fmt::format("expected a whole number, got {}", *v));
  if (*v < static_cast<double>(min))
    fail(key, fmt::format("expected a whole number ≥ {}, got {}", min, *v));
  return static_cast<std::int64_t>(*v);
}

std::optional<std::string> table_reader::string(const char* key) {
  if (!push(key)) return std::nullopt;
  if (lua_type(L_, -1) != LUA_TSTRING) {
    const auto got = describe_top();
    lua_pop(L_, 1);
    fail(key, "expected a string, got " + got);
  }
  std::size_t len = 0;
  const char* s = lua_tolstring(L_, -1, &len);
  std::string out(s, len);
  lua_pop(L_, 1);
  return out;
}

std::optional<bool> table_reader::boolean(const char* key) {
  if (!push(key)) return std::nullopt;
  if (lua_type(L_, -1) != LUA_TBOOLEAN) {
    const auto got = describe_top();
    lua_pop(L_, 1);
    fail(key, "expected true or false, got " + got);
  }
  const bool v = lua_toboolean(L_, -1) != 0;
  lua_pop(L_, 1);
  return v;
}

std::optional<double> table_reader::duration(const char* key) {
  if (!push(key)) return std::nullopt;
  std::optional<double> v;
  if (lua_type(L_, -1) == LUA_TNUMBER)
    v = lua_tonumber(L_, -1);
  else if (lua_type(L_, -1) == LUA_TSTRING)
    v = parse_duration_seconds(lua_tostring(L_, -1));
  const auto got = describe_top();
  lua_pop(L_, 1);
  if (!v || !(*v > 0) || std::isinf(*v))
    fail(key,
         "expected a positive duration (seconds, or a string like \"250ms\", \"30s\", \"2m\", "
         "\"1h\"), got " +
             got);
  return v;
}

bool table_reader::push_table(const char* key) {
  if (!push(key)) return false;
  if (lua_type(L_, -1) != LUA_TTABLE) {
    const auto got = describe_top();
    lua_pop(L_, 1);
    fail(key, "expected a table, got " + got);
  }
  return true;
}

std::size_t table_reader::length() const {
  return lua_objlen(L_, index_);
}

void table_reader::reject_unknown(const std::vector<std::string>& known) const {
  lua_pushnil(L_);
  while (lua_next(L_, index_)) {
    lua_pop(L_, 1);  // value
    if (lua_type(L_, -1) == LUA_TSTRING) {
      const std::string k = lua_tostring(L_, -1);
      if (!k.starts_with("__") && std::find(known.begin(), known.end(), k) == known.end()) {
        lua_pop(L_, 1);
        const auto guess = did_you_mean(k, known);
        std::string msg = "unknown field";
        if (!guess.empty())
          msg += " (did you mean '" + guess + "'?)";
        else if (!known.empty()) {
          msg += " (fields here: ";
          for (std::size_t i = 0; i < known.size(); ++i) msg += (i ? ", " : "") + known[i];
          msg += ")";
        }
        fail(k, msg);
      }
    }
  }
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  auto distance = [](const std::string& a, const std::string& b) {
    std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
      cur[0] = i;
      for (std::size_t j = 1; j <= b.size(); ++j) {
        const std::size_t cost = std::tolower(a[i - 1]) == std::tolower(b[j - 1]) ? 0 : 1;
        cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      }
      std::swap(prev, cur);
    }
    return prev[b.size()];
  };
  std::string best;
  std::size_t best_d = SIZE_MAX;
  for (const auto& c : candidates) {
    const auto d = distance(word, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  const std::size_t allowed = std::max<std::size_t>(1, std::min(word.size(), best.size()) / 3);
  return best_d <= allowed ? best : std::string();
}

namespace {

void write_json(lua_State* L, int index, runtime::json_writer& w, const table_reader& owner,
                const std::string& field, int depth) {
  index = abs_index(L, index);
  if (depth > 32) owner.fail(field, "nested too deeply to send as JSON");
  switch (lua_type(L, index)) {
    case LUA_TNIL:
      w.null();
      return;
    case LUA_TBOOLEAN:
      w.value(lua_toboolean(L, index) != 0);
      return;
    case LUA_TNUMBER: {
      const double d = lua_tonumber(L, index);
      if (std::isnan(d) || std::isinf(d)) owner.fail(field, "JSON cannot hold nan or infinity");
      if (std::floor(d) == d && std::abs(d) < 9.007199254740992e15)
        w.value(static_cast<std::int64_t>(d));
      else
        w.value(d);
      return;
    }
    case LUA_TSTRING: {
      std::size_t len = 0;
      const char* s = lua_tolstring(L, index, &len);
      w.value(std::string_view(s, len));
      return;
    }
    case LUA_TTABLE:
      break;
    default:
      owner.fail(field,
                 std::string("cannot send a ") + lua_typename(L, lua_type(L, index)) + " as JSON");
  }
  const std::size_t n = lua_objlen(L, index);
  std::size_t count = 0;
  bool string_keys = false;
  lua_pushnil(L);
  while (lua_next(L, index)) {
    ++count;
    if (lua_type(L, -2) == LUA_TSTRING) string_keys = true;
    lua_pop(L, 1);
  }
  if (count == n && (n > 0 || !string_keys)) {
    w.begin_array();
    for (std::size_t i = 1; i <= n; ++i) {
      lua_rawgeti(L, index, static_cast<int>(i));
      write_json(L, -1, w, owner, fmt::format("{}[{}]", field, i), depth + 1);
      lua_pop(L, 1);
    }
    w.end_array();
    return;
  }
  w.begin_object();
  lua_pushnil(L);
  while (lua_next(L, index)) {
    if (lua_type(L, -2) != LUA_TSTRING) owner.fail(field, "a JSON object needs string keys");
    const std::string k = lua_tostring(L, -2);
    w.key(k);
    write_json(L, -1, w, owner, field + "." + k, depth + 1);
    lua_pop(L, 1);
  }
  w.end_object();
}

}  // namespace

std::string lua_to_json(lua_State* L, int index, const table_reader& owner,
                        const std::string& field) {
  std::string out;
  runtime::json_writer w(out);
  write_json(L, index, w, owner, field, 0);
  return out;
}

}  // namespace loadwright::scripting
