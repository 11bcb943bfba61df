#pragma once
// tokenizer.json's `decoder`: token strings back to text. Each step is tokenizers'
// `decode_chain` over the list of token strings: ByteLevel, ByteFallback, Fuse, Replace,
// Strip, Metaspace and Sequence.

#include <boost/json/fwd.hpp>
#include <memory>
#include <string>
#include <vector>

namespace loadwright::datasets::detail {

class decoder {
 public:
  virtual ~decoder() = default;
  virtual void decode_chain(std::vector<std::string>& tokens) const = 0;
};

/// nullptr for a null decoder (tokens are then joined with spaces).
std::unique_ptr<decoder> make_decoder(const boost::json::value& spec, const std::string& path);

}  // namespace loadwright::datasets::detail
