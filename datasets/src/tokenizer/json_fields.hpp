#pragma once
// Reading tokenizer.json's parts with errors that name the field
// ("pre_tokenizer.pretokenizers[1].type").

#include <boost/json/value.hpp>
#include <stdexcept>
#include <string>
#include <string_view>

namespace loadwright::datasets::detail {

/// A tokenizer.json that cannot be used; `what()` names the field path.
class tokenizer_format_error : public std::runtime_error {
 public:
  tokenizer_format_error(const std::string& path, const std::string& message)
      : std::runtime_error(path + ": " + message) {}
};

const boost::json::object& as_object(const boost::json::value& v, const std::string& path);
/// A member that must be there.
const boost::json::value& member(const boost::json::object& o, std::string_view key,
                                 const std::string& path);
std::string string_member(const boost::json::object& o, std::string_view key,
                          const std::string& path);
/// Optional members: the fallback when absent or null.
std::string string_or(const boost::json::object& o, std::string_view key, std::string fallback,
                      const std::string& path);
bool bool_or(const boost::json::object& o, std::string_view key, bool fallback,
             const std::string& path);
std::int64_t int_or(const boost::json::object& o, std::string_view key, std::int64_t fallback,
                    const std::string& path);

/// A `{"String": "…"}` or `{"Regex": "…"}` pattern: its text and whether it is a regex.
struct pattern_spec {
  std::string text;
  bool regex = false;
};
pattern_spec pattern_member(const boost::json::object& o, const std::string& path);

}  // namespace loadwright::datasets::detail
