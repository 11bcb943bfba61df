#include "loadwright/datasets/sample.hpp"

#include "loadwright/datasets/dataset_spec.hpp"

namespace loadwright::datasets {

std::string sample::prompt_text() const {
  std::string text;
  for (const auto& m : messages) {
    if (!text.empty()) text += '\n';
    text += m.content;
  }
  return text;
}

const char* dataset_kind(const dataset_spec& spec) {
  struct visitor {
    const char* operator()(const random_spec&) const { return "random"; }
    const char* operator()(const prompts_spec&) const { return "prompts"; }
    const char* operator()(const jsonl_spec&) const { return "jsonl"; }
    const char* operator()(const sharegpt_spec&) const { return "sharegpt"; }
    const char* operator()(const gutenberg_spec&) const { return "gutenberg"; }
    const char* operator()(const shared_prefix_spec&) const { return "shared_prefix"; }
    const char* operator()(const conversations_spec&) const { return "conversations"; }
  };
  return std::visit(visitor{}, spec);
}

}  // namespace loadwright::datasets
