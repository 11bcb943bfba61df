#pragma once
// Typed, path-aware reading of one Lua table: every error names the place the table was
// written and the field path ("x.lua:7: scenario.arrival.rate: expected …"), and fields
// nobody asked for are reported with a "did you mean" suggestion.

#include <lua.hpp>

#include <optional>

#include <string>
#include <vector>

namespace loadwright::scripting {

/// lua_absindex for the Lua 5.1 API that LuaJIT provides.
inline int abs_index(lua_State* L, int i) {
  return (i > 0 || i <= LUA_REGISTRYINDEX) ? i : lua_gettop(L) + i + 1;
}

class table_reader {
 public:
  /// Reads the table at stack index `index`. `where` is "file:line", `path` the field path.
  table_reader(lua_State* L, int index, std::string path, std::string where);

  const std::string& path() const { return path_; }
  const std::string& where() const { return where_; }
  lua_State* state() const { return L_; }
  int index() const { return index_; }

  bool has(const char* key) const;
  std::optional<double> number(const char* key);
  std::optional<double> positive(const char* key, bool allow_infinite = false);
  std::optional<std::int64_t> integer(const char* key, std::int64_t min);
  std::optional<std::string> string(const char* key);
  std::optional<bool> boolean(const char* key);
  /// A duration: seconds as a number, or a string with units ("250ms", "2m", "1h30m").
  std::optional<double> duration(const char* key);
  /// Pushes the field when it is a table (returns true); errors when it is something else.
  bool push_table(const char* key);
  /// The length of the array part.
  std::size_t length() const;

  /// Reports any string key not in `known` (keys starting with "__" are internal). Called
  /// before reading, so a misspelt required field is reported as a typo, not as missing.
  void reject_unknown(const std::vector<std::string>& known) const;

  [[noreturn]] void fail(const std::string& field, const std::string& message) const;
  std::string field_path(const std::string& field) const;

 private:
  bool push(const char* key) const;  // pushes the value; false (and pushes nothing) if nil
  std::string describe_top() const;  // "a string \"x\"", "the number -1", …

  lua_State* L_;
  int index_;
  std::string path_;
  std::string where_;
};

/// The script being validated, so errors can find a field's line in its text when Lua could
/// not tell (a tail call, a plain table). Set by the loader for the duration of a load.
struct script_source {
  std::string display;  // the file name as shown
  std::string text;
};
void set_current_source(const script_source* source);
/// "file:line" of the `nth` (0-based) call of constructor `name` ("scenario {") in the
/// current source, or the file name alone.
std::string locate_constructor(const std::string& name, std::size_t nth);

/// The closest of `candidates` to `word` when it is plausibly a typo, else "".
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

/// Converts the Lua value at `index` to JSON text (tables: arrays when they have only an
/// array part, objects otherwise). Errors name `path`.
std::string lua_to_json(lua_State* L, int index, const table_reader& owner,
                        const std::string& field);

}  // namespace loadwright::scripting
