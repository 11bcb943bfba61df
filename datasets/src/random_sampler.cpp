// random { input_tokens, output_tokens, range_ratio, prefix_tokens }: prompts of exactly the
// drawn length under the configured token counter.

#include <cmath>

#include "loadwright/datasets/rng.hpp"
#include "loadwright/datasets/sampler.hpp"
#include "loadwright/datasets/token_counter.hpp"
#include "samplers.hpp"

namespace loadwright::datasets::detail {

namespace {

void append_words(std::string& text, std::int64_t n, seeded_rng& rng) {
  const auto words = one_token_words();  // " the", " of", …: each carries its separating space
  const auto last = static_cast<std::int64_t>(words.size()) - 1;
  for (std::int64_t i = 0; i < n; ++i) {
    const auto word = words[static_cast<std::size_t>(rng.uniform_int(0, last))];
    text += text.empty() ? word.substr(1) : word;
  }
}

// Grows or trims `text` (word by word) until `counter` says it has `target` tokens. With the
// estimate one word is one token, so the first guess is exact; other counters converge in a
// few steps.
std::int64_t fit_to_length(std::string& text, std::int64_t target, const token_counter& counter,
                           seeded_rng& rng) {
  std::int64_t have = counter.count(text);
  for (int step = 0; step < 64 && have != target; ++step) {
    if (have < target) {
      append_words(text, target - have, rng);
    } else {
      for (std::int64_t k = 0; k < have - target && !text.empty(); ++k) {
        const auto cut = text.find_last_of(' ');
        text.resize(cut == std::string::npos ? 0 : cut);
      }
    }
    have = counter.count(text);
  }
  return have;
}

std::int64_t draw_length(seeded_rng& rng, std::int64_t center, double ratio, std::int64_t floor) {
  const auto lo =
      std::max<std::int64_t>(floor, static_cast<std::int64_t>(std::floor(center * (1 - ratio))));
  const auto hi =
      std::max<std::int64_t>(lo, static_cast<std::int64_t>(std::ceil(center * (1 + ratio))));
  return rng.uniform_int(lo, hi);
}

}  // namespace

std::vector<sample> draw_random(const random_spec& spec, std::size_t count, std::uint64_t seed,
                                const token_counter& counter) {
  seeded_rng rng(seed);
  std::string prefix;
  if (spec.prefix_tokens > 0) fit_to_length(prefix, spec.prefix_tokens, counter, rng);

  std::vector<sample> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const std::int64_t in = draw_length(rng, spec.input_tokens, spec.range_ratio, 1);
    const std::int64_t max_out = draw_length(rng, spec.output_tokens, spec.range_ratio, 1);
    std::string body;
    fit_to_length(body, in, counter, rng);
    std::string text = prefix.empty() ? std::move(body) : prefix + ' ' + body;
    sample s;
    s.input_tokens = counter.count(text);
    s.input_tokens_estimated = !counter.exact();
    s.max_output_tokens = max_out;
    s.messages.push_back({"user", std::move(text)});
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace loadwright::datasets::detail
