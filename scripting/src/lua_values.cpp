#include "lua_values.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <new>

#include "loadwright/core/result_files.hpp"
#include "loadwright/scripting/scenario_loader.hpp"
#include "table_reader.hpp"

namespace loadwright::scripting {

namespace rt = loadwright::runtime;

namespace {

void set_number(lua_State* L, const char* key, double v) {
  lua_pushnumber(L, v);
  lua_setfield(L, -2, key);
}
void set_string(lua_State* L, const char* key, std::string_view v) {
  lua_pushlstring(L, v.data(), v.size());
  lua_setfield(L, -2, key);
}
void set_bool(lua_State* L, const char* key, bool v) {
  lua_pushboolean(L, v);
  lua_setfield(L, -2, key);
}
void push_strings(lua_State* L, const std::vector<std::string>& v) {
  lua_createtable(L, static_cast<int>(v.size()), 0);
  for (std::size_t i = 0; i < v.size(); ++i) {
    lua_pushlstring(L, v[i].data(), v[i].size());
    lua_rawseti(L, -2, static_cast<int>(i + 1));
  }
}

struct to_lua final : rt::record_visitor {
  lua_State* L;
  explicit to_lua(lua_State* state) : L(state) {}
  void text(std::string_view k, std::string_view v) override {
    lua_pushlstring(L, k.data(), k.size());
    lua_pushlstring(L, v.data(), v.size());
    lua_rawset(L, -3);
  }
  void integer(std::string_view k, std::int64_t v) override {
    lua_pushlstring(L, k.data(), k.size());
    lua_pushnumber(L, static_cast<double>(v));
    lua_rawset(L, -3);
  }
  void number(std::string_view k, double v) override {
    lua_pushlstring(L, k.data(), k.size());
    lua_pushnumber(L, v);
    lua_rawset(L, -3);
  }
  void optional_number(std::string_view k, std::optional<double> v) override {
    if (v) number(k, *v);  // absent (nil) when it did not happen, as JSON's null
  }
  void numbers(std::string_view k, const std::vector<float>& v) override {
    lua_pushlstring(L, k.data(), k.size());
    lua_createtable(L, static_cast<int>(v.size()), 0);
    for (std::size_t i = 0; i < v.size(); ++i) {
      lua_pushnumber(L, static_cast<double>(v[i]));
      lua_rawseti(L, -2, static_cast<int>(i + 1));
    }
    lua_rawset(L, -3);
  }
};

// records(): an iterator over a records file, one line at a time.
const char* const kRecordsReader = "loadwright.records_reader";

int records_next(lua_State* L) {
  auto* in = static_cast<std::ifstream*>(lua_touserdata(L, lua_upvalueindex(1)));
  std::string line, why;
  while (in && std::getline(*in, line)) {
    rt::request_record r;
    if (line.empty() || !rt::parse_record_jsonl(line, r, &why)) continue;
    push_record(L, r);
    return 1;
  }
  return 0;
}

int records_gc(lua_State* L) {
  static_cast<std::ifstream*>(lua_touserdata(L, 1))->~basic_ifstream();
  return 0;
}

int records_open(lua_State* L) {
  const char* path = lua_tostring(L, lua_upvalueindex(1));
  void* mem = lua_newuserdata(L, sizeof(std::ifstream));
  new (mem) std::ifstream(path ? path : "");
  if (luaL_newmetatable(L, kRecordsReader)) {
    lua_pushcfunction(L, records_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");  // getmetatable() cannot reach __gc
  }
  lua_setmetatable(L, -2);
  lua_pushcclosure(L, records_next, 1);
  return 1;
}

[[noreturn]] void fail(const std::string& label, const std::string& what) {
  throw hook_error(label + ": " + what);
}

bool header_name_ok(std::string_view n) {
  return !n.empty() && std::all_of(n.begin(), n.end(), [](unsigned char c) {
    return std::isalnum(c) ||
           std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
  });
}

}  // namespace

void push_record(lua_State* L, const rt::request_record& r) {
  lua_createtable(L, 0, 32);
  to_lua v(L);
  rt::visit_record(r, v);
}

void push_summary(lua_State* L, const rt::summary& s) {
  lua_createtable(L, 0, static_cast<int>(s.fields.size()) + 2);
  for (const auto& f : s.fields) set_number(L, f.key.c_str(), f.value);
  lua_createtable(L, 0, static_cast<int>(s.errors.size()));
  for (const auto& [k, n] : s.errors) set_number(L, k.c_str(), static_cast<double>(n));
  lua_setfield(L, -2, "errors");
  push_strings(L, s.error_examples);
  lua_setfield(L, -2, "error_examples");
}

void push_result(lua_State* L, const std::string& name, const rt::scenario_report& report,
                 const std::filesystem::path& records_path) {
  lua_createtable(L, 0, 12);
  set_string(L, "name", name);
  push_summary(L, report.combined);
  lua_setfield(L, -2, "summary");
  push_summary(L, report.std_across_runs);
  lua_setfield(L, -2, "std");
  lua_createtable(L, static_cast<int>(report.runs.size()), 0);
  for (std::size_t i = 0; i < report.runs.size(); ++i) {
    push_summary(L, report.runs[i]);
    lua_rawseti(L, -2, static_cast<int>(i + 1));
  }
  lua_setfield(L, -2, "runs");
  lua_createtable(L, 0, static_cast<int>(report.custom.size()));
  for (const auto& [k, v] : report.custom) set_number(L, k.c_str(), v);
  lua_setfield(L, -2, "custom");
  push_strings(L, report.notes);
  lua_setfield(L, -2, "notes");
  push_strings(L, report.failed_checks);
  lua_setfield(L, -2, "failed_checks");
  set_bool(L, "passed", report.failed_checks.empty());
  set_bool(L, "interrupted", report.interrupted);
  std::vector<std::string> files;
  for (const auto& f : report.files) files.push_back(f.string());
  push_strings(L, files);
  lua_setfield(L, -2, "files");
  lua_pushstring(L, records_path.c_str());
  lua_pushcclosure(L, records_open, 1);
  lua_setfield(L, -2, "records");
}

void push_sample(lua_State* L, const datasets::sample& s, std::size_t index, rt::run_phase phase,
                 std::int64_t max_tokens) {
  lua_createtable(L, 0, 8);
  lua_createtable(L, static_cast<int>(s.messages.size()), 0);
  for (std::size_t i = 0; i < s.messages.size(); ++i) {
    lua_createtable(L, 0, 2);
    set_string(L, "role", s.messages[i].role);
    set_string(L, "content", s.messages[i].content);
    lua_rawseti(L, -2, static_cast<int>(i + 1));
  }
  lua_setfield(L, -2, "messages");
  set_string(L, "prompt", s.prompt_text());
  set_number(L, "input_tokens", static_cast<double>(s.input_tokens));
  if (max_tokens >= 0) set_number(L, "max_tokens", static_cast<double>(max_tokens));
  set_number(L, "turns", static_cast<double>(1 + s.followups.size()));
  set_string(L, "phase", rt::phase_name(phase));
  set_number(L, "index", static_cast<double>(index + 1));
}

rt::request_shape read_shape(lua_State* L, int index, const std::string& label) {
  rt::request_shape shape;
  index = abs_index(L, index);
  if (lua_isnil(L, index)) return shape;
  if (lua_type(L, index) != LUA_TTABLE)
    fail(label, fmt::format("expected nil or {{ body = {{…}}, headers = {{…}} }}, got a {}",
                            luaL_typename(L, index)));
  // Only body and headers: a typo would otherwise be silently dropped.
  lua_pushnil(L);
  while (lua_next(L, index)) {
    const std::string key = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "";
    lua_pop(L, 1);
    if (key != "body" && key != "headers")
      fail(label, fmt::format("the answer has '{}': only body = {{…}} and headers = {{…}}",
                              key.empty() ? "a key that is not a string" : key));
  }
  table_reader owner(L, index, "request_hook()", label);
  lua_getfield(L, index, "body");
  if (lua_istable(L, -1)) {
    const int body = lua_gettop(L);
    std::size_t bytes = 0;
    lua_pushnil(L);
    while (lua_next(L, body)) {
      if (lua_type(L, -2) != LUA_TSTRING) fail(label, "body: field names must be strings");
      const std::string key = lua_tostring(L, -2);
      try {
        auto json = lua_to_json(L, -1, owner, "body." + key);
        bytes += json.size();
        shape.body.emplace_back(key, std::move(json));
      } catch (const script_error& e) {
        fail(label, e.what());
      }
      if (bytes > (4u << 20)) fail(label, "body: more than 4 MiB of fields for one request");
      lua_pop(L, 1);
    }
    // The same fields in the same order whatever the table's layout: requests repeat exactly.
    std::sort(shape.body.begin(), shape.body.end());
  } else if (!lua_isnil(L, -1)) {
    fail(label, "body: expected a table of fields");
  }
  lua_pop(L, 1);
  lua_getfield(L, index, "headers");
  if (lua_istable(L, -1)) {
    std::vector<std::pair<std::string, std::string>> headers;
    lua_pushnil(L);
    while (lua_next(L, -2)) {
      if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TSTRING)
        fail(label, "headers: expected { [\"Name\"] = \"value\" } with strings");
      std::string name = lua_tostring(L, -2), value = lua_tostring(L, -1);
      if (!header_name_ok(name))
        fail(label, fmt::format("headers: '{}' is not a header name", name));
      if (value.find_first_of("\r\n\0", 0, 3) != std::string::npos)
        fail(label, fmt::format("headers.{}: a value cannot hold CR, LF or NUL", name));
      std::string lower = name;
      for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      for (const char* own : {"host", "content-length", "transfer-encoding", "connection",
                              "x-request-id", "authorization"})
        if (lower == own) fail(label, fmt::format("headers.{}: loadwright sets that one", name));
      headers.emplace_back(std::move(name), std::move(value));
      lua_pop(L, 1);
    }
    std::sort(headers.begin(), headers.end());
    for (const auto& [n, v] : headers) shape.header_lines += n + ": " + v + "\r\n";
    if (shape.header_lines.size() > 64 * 1024) fail(label, "headers: more than 64 KiB");
  } else if (!lua_isnil(L, -1)) {
    fail(label, "headers: expected a table of strings");
  }
  lua_pop(L, 1);
  return shape;
}

std::vector<std::pair<std::string, double>> read_custom(lua_State* L, int index,
                                                        const std::string& label) {
  std::vector<std::pair<std::string, double>> out;
  index = abs_index(L, index);
  if (lua_isnil(L, index)) return out;
  if (lua_type(L, index) != LUA_TTABLE)
    fail(label, fmt::format("expected nil or a table of custom metrics, got a {}",
                            luaL_typename(L, index)));
  lua_pushnil(L);
  while (lua_next(L, index)) {
    if (out.size() >= 1000) fail(label, "more than 1000 custom metrics");
    if (lua_type(L, -2) != LUA_TSTRING) fail(label, "custom metric names must be strings");
    const std::string key = lua_tostring(L, -2);
    if (key.empty() || key.size() > 200) fail(label, "a custom metric name of 1 to 200 characters");
    if (lua_type(L, -1) != LUA_TNUMBER)
      fail(label, fmt::format("custom metric '{}': expected a number, got a {}", key,
                              luaL_typename(L, -1)));
    const double v = lua_tonumber(L, -1);
    if (!std::isfinite(v)) fail(label, fmt::format("custom metric '{}': not a finite number", key));
    out.emplace_back(key, v);
    lua_pop(L, 1);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace loadwright::scripting
