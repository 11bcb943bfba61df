#pragma once
// tokenizer.json's `normalizer`: NFC/NFD/NFKC/NFKD, Lowercase, Prepend, Replace, Strip and
// Sequence, with Hugging Face tokenizers' semantics.

#include <boost/json/fwd.hpp>
#include <memory>
#include <string>

namespace loadwright::datasets::detail {

class normalizer {
 public:
  virtual ~normalizer() = default;
  virtual void normalize(std::string& text) const = 0;
};

/// nullptr for a null normalizer. Throws tokenizer_format_error naming `path`.
std::unique_ptr<normalizer> make_normalizer(const boost::json::value& spec,
                                            const std::string& path);

}  // namespace loadwright::datasets::detail
