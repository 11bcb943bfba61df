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
  };
  return std::visit(visitor{}, spec);
}

}  // namespace loadwright::datasets
