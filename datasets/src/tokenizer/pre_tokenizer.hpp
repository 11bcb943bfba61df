#pragma once
// tokenizer.json's `pre_tokenizer`: cuts a normalized segment into the pieces BPE runs on.
// Split (every behaviour, invert), ByteLevel, Metaspace, Digits, Whitespace, WhitespaceSplit
// and Sequence, with Hugging Face tokenizers' semantics.

#include <boost/json/fwd.hpp>
#include <memory>
#include <string>
#include <vector>

namespace loadwright::datasets::detail {

class pre_tokenizer {
 public:
  virtual ~pre_tokenizer() = default;
  /// Rewrites `pieces` in place. `at_text_start`: the segment begins the input text (no
  /// added token before it), which Metaspace's prepend_scheme "first" looks at.
  virtual void split(std::vector<std::string>& pieces, bool at_text_start) const = 0;
  /// True when the pieces come out in GPT-2's byte alphabet (a ByteLevel step ran).
  virtual bool byte_level() const { return false; }
};

/// nullptr for a null pre-tokenizer (the whole segment is one piece).
std::unique_ptr<pre_tokenizer> make_pre_tokenizer(const boost::json::value& spec,
                                                  const std::string& path);

}  // namespace loadwright::datasets::detail
