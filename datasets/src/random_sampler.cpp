// random { input_tokens, output_tokens, range_ratio, prefix_tokens }: prompts of exactly the
// drawn length under the configured token counter. With a model tokenizer this is vLLM's
// RandomDataset: windows of token ids, decoded and re-encoded until the length is exact.
// Without one, prompts are built from one-token words under the estimate. Lengths given as
// lognormal distributions (or a workload preset) are drawn per request, before anything else,
// from their own numpy stream (lengths.hpp); lengths given as numbers keep vLLM's uniform rule.

#include <fmt/format.h>

#include <cmath>
#include <numeric>

#include "loadwright/datasets/lengths.hpp"
#include "loadwright/datasets/rng.hpp"
#include "loadwright/datasets/sampler.hpp"
#include "loadwright/datasets/token_counter.hpp"
#include "loadwright/datasets/tokenizer.hpp"
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
      const std::int64_t grown = counter.count(text);
      // A counter whose count does not grow with the text cannot size anything: without
      // this a server answering 0 grew every prompt 64-fold past its context.
      if (grown <= have)
        throw dataset_error(fmt::format(
            "random: counting with {} gave {} tokens after adding {} words to a text of {} "
            "tokens; that count cannot be right, so prompts cannot be sized with it",
            counter.describe(), grown, target - have, have));
      have = grown;
    } else {
      for (std::int64_t k = 0; k < have - target && !text.empty(); ++k) {
        const auto cut = text.find_last_of(' ');
        text.resize(cut == std::string::npos ? 0 : cut);
      }
      have = counter.count(text);
    }
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

// vLLM's `gen_prompt_decode_to_target_len`: decode, re-encode, then pad with random ids or
// truncate, until the re-encoded text has `target` tokens. vLLM gives up after 10 rounds and
// records the mismatch; we keep going (it converges in one or two rounds in practice) and
// return the count the prompt really has.
std::string decode_to_length(std::vector<token_id> ids, std::int64_t target, const tokenizer& tok,
                             seeded_rng& rng, std::int64_t& actual) {
  const auto vocab = static_cast<std::int64_t>(tok.vocab_size());
  const auto want = static_cast<std::size_t>(target);
  std::string prompt;
  for (int round = 0; round < 100; ++round) {
    prompt = tok.decode(ids);
    ids = tok.encode(prompt, false);
    if (ids.size() == want) break;
    if (ids.size() < want) {
      while (ids.size() < want) ids.push_back(static_cast<token_id>(rng.uniform_int(0, vocab - 1)));
    } else {
      ids.resize(want);
    }
  }
  actual = static_cast<std::int64_t>(ids.size());
  return prompt;
}

// The per-request lengths of the sides given as distributions (empty for a side given as a
// number): input lengths first, then output lengths, from one numpy stream.
struct drawn_lengths {
  std::vector<std::int64_t> input, output;
};
drawn_lengths draw_distributed_lengths(const random_spec& spec, std::size_t count,
                                       std::uint64_t seed) {
  drawn_lengths d;
  if (!spec.input_lengths && !spec.output_lengths) return d;
  numpy_legacy_rng rng(length_seed(seed));
  if (spec.input_lengths) d.input = draw_lognormal_lengths(*spec.input_lengths, count, rng);
  if (spec.output_lengths) d.output = draw_lognormal_lengths(*spec.output_lengths, count, rng);
  return d;
}

std::vector<sample> draw_random_tokens(const random_spec& spec, std::size_t count,
                                       std::uint64_t seed, const tokenizer& tok) {
  seeded_rng rng(seed);
  const auto specials = static_cast<std::int64_t>(tok.num_special_tokens_to_add());
  // The allowed window: the base vocabulary without special ids.
  std::vector<token_id> allowed;
  allowed.reserve(tok.vocab_size());
  for (std::size_t id = 0; id < tok.vocab_size(); ++id)
    if (!tok.is_special(static_cast<token_id>(id))) allowed.push_back(static_cast<token_id>(id));
  const auto n_allowed = static_cast<std::int64_t>(allowed.size());

  // Input lengths count the special tokens the tokenizer adds (vLLM subtracts them first);
  // the shared prefix comes on top, as in vLLM.
  const std::int64_t real_in = std::max<std::int64_t>(0, spec.input_tokens - specials);
  const auto drawn = draw_distributed_lengths(spec, count, seed);
  std::vector<std::int64_t> in_lens(count), out_lens(count), offsets(count);
  for (std::size_t i = 0; i < count; ++i)
    in_lens[i] = drawn.input.empty() ? draw_length(rng, real_in, spec.range_ratio, 0)
                                     : std::max<std::int64_t>(0, drawn.input[i] - specials);
  for (std::size_t i = 0; i < count; ++i)
    out_lens[i] = drawn.output.empty() ? draw_length(rng, spec.output_tokens, spec.range_ratio, 1)
                                       : drawn.output[i];
  for (auto& v : offsets) v = rng.uniform_int(0, static_cast<std::int64_t>(tok.vocab_size()) - 1);

  std::vector<token_id> prefix;
  for (std::int64_t k = 0; k < spec.prefix_tokens; ++k)
    prefix.push_back(allowed[static_cast<std::size_t>(rng.uniform_int(0, n_allowed - 1))]);
  std::int64_t prefix_len = 0;
  if (!prefix.empty())
    prefix = tok.encode(decode_to_length(prefix, spec.prefix_tokens, tok, rng, prefix_len));

  std::vector<sample> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    std::vector<token_id> ids = prefix;
    for (std::int64_t k = 0; k < in_lens[i]; ++k)
      ids.push_back(allowed[static_cast<std::size_t>(
          (offsets[i] + static_cast<std::int64_t>(i) + k) % n_allowed)]);
    std::int64_t actual = 0;
    std::string text = decode_to_length(std::move(ids), prefix_len + in_lens[i], tok, rng, actual);
    sample s;
    s.input_tokens = actual + specials;
    s.input_tokens_estimated = false;
    s.max_output_tokens = out_lens[i];
    s.messages.push_back({"user", std::move(text)});
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

std::vector<sample> draw_random(const random_spec& spec, std::size_t count, std::uint64_t seed,
                                const token_counter& counter) {
  if (const auto* tok = counter.model_tokenizer())
    return draw_random_tokens(spec, count, seed, *tok);
  seeded_rng rng(seed);
  std::string prefix;
  if (spec.prefix_tokens > 0) fit_to_length(prefix, spec.prefix_tokens, counter, rng);

  const auto drawn = draw_distributed_lengths(spec, count, seed);
  std::vector<sample> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const std::int64_t in = drawn.input.empty()
                                ? draw_length(rng, spec.input_tokens, spec.range_ratio, 1)
                                : drawn.input[i];
    const std::int64_t max_out = drawn.output.empty()
                                     ? draw_length(rng, spec.output_tokens, spec.range_ratio, 1)
                                     : drawn.output[i];
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
