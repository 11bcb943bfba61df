#include "loadwright/datasets/sampler.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "loadwright/datasets/lengths.hpp"
#include "samplers.hpp"

namespace loadwright::datasets {

std::vector<sample> draw_samples(const dataset_spec& spec, std::size_t count, std::uint64_t seed,
                                 const token_counter& counter) {
  struct visitor {
    std::size_t count;
    std::uint64_t seed;
    const token_counter& counter;
    std::vector<sample> operator()(const random_spec& s) const {
      return detail::draw_random(s, count, seed, counter);
    }
    std::vector<sample> operator()(const prompts_spec& s) const {
      return detail::draw_prompts(s, count, counter);
    }
    std::vector<sample> operator()(const jsonl_spec& s) const {
      return detail::draw_jsonl(s, count, seed, counter);
    }
    std::vector<sample> operator()(const sharegpt_spec& s) const {
      return detail::draw_sharegpt(s, count, seed, counter);
    }
    std::vector<sample> operator()(const gutenberg_spec& s) const {
      return detail::draw_gutenberg(s, count, seed, counter);
    }
    std::vector<sample> operator()(const shared_prefix_spec& s) const {
      return detail::draw_shared_prefix(s, count, seed, counter);
    }
    std::vector<sample> operator()(const conversations_spec& s) const {
      return detail::draw_conversations(s, count, seed, counter);
    }
  };
  return std::visit(visitor{count, seed, counter}, spec);
}

std::string describe_length_distributions(const random_spec& spec) {
  if (!spec.input_lengths && !spec.output_lengths) return {};
  std::string out;
  if (!spec.workload.empty()) out += "workload " + spec.workload + ", ";
  out += "input " + (spec.input_lengths ? describe_lengths(*spec.input_lengths)
                                        : fmt::format("{} tokens", spec.input_tokens));
  out += "; output " + (spec.output_lengths ? describe_lengths(*spec.output_lengths)
                                            : fmt::format("{} tokens", spec.output_tokens));
  return out;
}

namespace {

// "random", or "random (workload chat, input lognormal median 500, …)" for distributions.
std::string describe_kind(const dataset_spec& spec) {
  if (const auto* r = std::get_if<random_spec>(&spec)) {
    const auto lengths = describe_length_distributions(*r);
    if (!lengths.empty()) return "random (" + lengths + ")";
  }
  return dataset_kind(spec);
}

}  // namespace

std::string describe_samples(const dataset_spec& spec, const std::vector<sample>& samples) {
  if (samples.empty()) return fmt::format("{}: no samples", describe_kind(spec));
  std::int64_t in_min = INT64_MAX, in_max = 0, in_sum = 0;
  std::int64_t out_min = INT64_MAX, out_max = -1;
  bool estimated = false;
  for (const auto& s : samples) {
    in_min = std::min(in_min, s.input_tokens);
    in_max = std::max(in_max, s.input_tokens);
    in_sum += s.input_tokens;
    out_min = std::min(out_min, s.max_output_tokens);
    out_max = std::max(out_max, s.max_output_tokens);
    estimated = estimated || s.input_tokens_estimated;
  }
  const double in_mean = static_cast<double>(in_sum) / static_cast<double>(samples.size());
  std::string out_desc =
      out_max < 0 ? std::string("request default") : fmt::format("{}..{}", out_min, out_max);
  std::string turns;
  if (!samples[0].followups.empty())
    turns = fmt::format(" ({} turns each, think time {} s; input tokens are the first turn's)",
                        samples[0].followups.size() + 1, samples[0].think_time_s);
  return fmt::format("{}: {} samples{}, input tokens {}..{} (mean {:.1f}{}), max output tokens {}",
                     describe_kind(spec), samples.size(), turns, in_min, in_max, in_mean,
                     estimated ? ", estimated" : "", out_desc);
}

}  // namespace loadwright::datasets
