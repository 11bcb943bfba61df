#pragma once
// A ShareGPT-format file (a JSON list of {"conversations" | "conversation": [{from, value}…]}),
// mapped, not copied, and scanned once with simdjson On-Demand. Only where each turn's text is
// kept (as raw JSON string tokens); a turn is unescaped when a sampler uses it. The heap stays
// small however large the file: hundreds of MB of ShareGPT V3 cost page cache, not memory.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mapped_file.hpp"

namespace loadwright::datasets::detail {

struct sharegpt_turn {
  bool human = false;    // "from" is "human" or "user"
  std::string_view raw;  // the value's raw JSON string token
};

class sharegpt_file {
 public:
  /// Keeps up to `max_turns` turns of each entry. Throws dataset_error naming the file and the
  /// line and column of malformed JSON.
  sharegpt_file(const std::string& path, std::size_t max_turns);

  const std::string& path() const { return path_; }
  std::size_t records() const { return records_; }            // entries in the file
  std::size_t entries() const { return starts_.size() - 1; }  // entries with usable turns
  std::span<const sharegpt_turn> turns(std::size_t entry) const {
    return {turns_.data() + starts_[entry], starts_[entry + 1] - starts_[entry]};
  }
  /// A turn's text; nullopt for an invalid string (e.g. a lone surrogate escape).
  static std::optional<std::string> text(const sharegpt_turn& turn);

 private:
  std::string path_;
  mapped_file file_;
  std::vector<sharegpt_turn> turns_;
  std::vector<std::size_t> starts_{0};  // entry i's turns are [starts_[i], starts_[i+1])
  std::size_t records_ = 0;
};

}  // namespace loadwright::datasets::detail
