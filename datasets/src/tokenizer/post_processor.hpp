#pragma once
// tokenizer.json's `post_processor`, for a single sequence: the special ids it puts before
// and after the text when `add_special_tokens` is on (TemplateProcessing, Bert, Roberta,
// ByteLevel (ids unchanged), Sequence).

#include <boost/json/fwd.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace loadwright::datasets::detail {

struct special_affixes {
  std::vector<std::int32_t> prefix;
  std::vector<std::int32_t> suffix;
};

special_affixes parse_post_processor(const boost::json::value& spec, const std::string& path);

}  // namespace loadwright::datasets::detail
