#pragma once
// Turning a dataset spec + seed into samples. Everything here happens before a run's clock
// starts; the same spec, seed and count always give the same samples.

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "loadwright/datasets/dataset_spec.hpp"
#include "loadwright/datasets/sample.hpp"
#include "loadwright/datasets/token_counter.hpp"

namespace loadwright::datasets {

/// A dataset that cannot be read or does not hold what the spec says. `what()` names the
/// file and line (or byte offset) and the field.
class dataset_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Draws `count` samples. File datasets are cycled (in file order, or shuffled with the seed
/// when asked); random prompts are generated to exactly the drawn length under `counter`.
std::vector<sample> draw_samples(const dataset_spec& spec, std::size_t count, std::uint64_t seed,
                                 const token_counter& counter);

/// Debian's copy of the book llama-benchy uses by default (Sherlock Holmes, pg1661.txt), or
/// "" when the package that ships it is not installed.
std::string default_gutenberg_book();

/// The length distributions of a `random` dataset as one phrase ("workload chat, input
/// lognormal median 500, sigma 0.8, clipped to 50..4000; output …"), or "" when both lengths
/// are numbers.
std::string describe_length_distributions(const random_spec& spec);

/// One line summary for plans: "random: 4000±0 in, 500±0 out tokens", "jsonl: 120 prompts from x".
std::string describe_samples(const dataset_spec& spec, const std::vector<sample>& samples);

}  // namespace loadwright::datasets
