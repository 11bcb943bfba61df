// Realistic lengths (methodology chapter §2): numpy's lognormal from numpy's legacy generator,
// the chapter's presets, and the random sampler honouring per-request lengths on both paths.

#include "loadwright/datasets/lengths.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>

#include "catch.hpp"
#include "fixtures.hpp"
#include "loadwright/analysis/lengths.hpp"
#include "loadwright/datasets/sampler.hpp"
#include "loadwright/datasets/tokenizer.hpp"

using namespace loadwright::datasets;

namespace {

// np.random.seed(0); np.random.randn(10): numpy's documented legacy stream (the polar method
// with the cached second value), printed to 16 digits in countless tutorials.
constexpr double kRandnSeed0[] = {1.764052345967664,  0.4001572083672233,  0.9787379841057392,
                                  2.240893199201458,  1.8675579901499675,  -0.977277879876411,
                                  0.9500884175255894, -0.1513572082976979, -0.10321885179355784,
                                  0.41059850193837233};

const lognormal_lengths kChatPrompt{500, 0.8, 50, 4000};

}  // namespace

TEST_CASE("lengths: numpy's legacy normals and lognormal lengths for seed 0",
          "[datasets][lengths]") {
  numpy_legacy_rng rng(0);
  for (const double z : kRandnSeed0) CHECK(rng.gauss() == Approx(z).epsilon(1e-15));
  // np.random.seed(0); np.random.lognormal(np.log(500), 0.8, 10).astype(int).clip(50, 4000)
  // (computed from the normals above with Python's math.exp / math.log).
  numpy_legacy_rng again(0);
  CHECK(draw_lognormal_lengths(kChatPrompt, 10, again) ==
        std::vector<std::int64_t>{2050, 688, 1094, 3002, 2227, 228, 1069, 442, 460, 694});
}

TEST_CASE("lengths: truncation, clipping, seeds, validation", "[datasets][lengths]") {
  CHECK(lognormal_length(kChatPrompt, 0.0) == 499);  // exp(log 500) = 499.99999999999983
  CHECK(lognormal_length(kChatPrompt, 10.0) == 4000);
  CHECK(lognormal_length(kChatPrompt, -10.0) == 50);
  CHECK(lognormal_length({500, 0.0, 1, 100000}, 3.0) == 499);  // sigma 0: the median (truncated)
  CHECK(length_seed(42) == (42u ^ 0x4E475448u));
  CHECK(length_seed(0x1'0000'0000ULL) == 0x4E475448u);  // numpy seeds are 32-bit
  CHECK(lognormal_problem(kChatPrompt).empty());
  CHECK_FALSE(lognormal_problem({0, 0.8, 1, 10}).empty());
  CHECK_FALSE(lognormal_problem({10, -1, 1, 10}).empty());
  CHECK_FALSE(lognormal_problem({10, 0.8, 0, 10}).empty());
  CHECK_FALSE(lognormal_problem({10, 0.8, 20, 10}).empty());
  CHECK(describe_lengths(kChatPrompt) == "lognormal median 500, sigma 0.8, clipped to 50..4000");
}

TEST_CASE("lengths: the chapter's presets, the same as the analysis library's",
          "[datasets][lengths]") {
  const auto ours = workload_presets();
  const auto theirs = loadwright::analysis::workload_presets();
  REQUIRE(ours.size() == 4);
  REQUIRE(theirs.size() == ours.size());
  for (std::size_t i = 0; i < ours.size(); ++i) {
    INFO(ours[i].name);
    CHECK(ours[i].name == theirs[i].name);
    for (const auto& [a, b] : {std::pair{ours[i].prompt, theirs[i].prompt},
                               std::pair{ours[i].output, theirs[i].output}}) {
      CHECK(a.median == b.median);
      CHECK(a.sigma == b.sigma);
      CHECK(a.min == b.min);
      CHECK(a.max == b.max);
    }
    // The same definition: the same normal gives the same length.
    for (const double u : {0.001, 0.2, 0.5, 0.77, 0.999}) {
      const double z = boost::math::quantile(boost::math::normal(), u);
      CHECK(lognormal_length(ours[i].prompt, z) ==
            loadwright::analysis::lognormal_length(theirs[i].prompt, u));
      CHECK(lognormal_length(ours[i].output, z) ==
            loadwright::analysis::lognormal_length(theirs[i].output, u));
    }
  }
  const auto* chat = find_workload_preset("chat");
  REQUIRE(chat);
  CHECK(chat->prompt == lognormal_lengths{500, 0.8, 50, 4000});
  CHECK(chat->output == lognormal_lengths{200, 0.8, 10, 2000});
  const auto* lc = find_workload_preset("long_context");
  REQUIRE(lc);
  CHECK(lc->prompt == lognormal_lengths{16000, 0.8, 2000, 128000});
  CHECK(lc->output == lognormal_lengths{300, 0.8, 20, 2000});
  CHECK(find_workload_preset("code")->prompt == lognormal_lengths{1500, 0.8, 200, 8000});
  CHECK(find_workload_preset("summarization")->output == lognormal_lengths{150, 0.8, 50, 500});
  CHECK(find_workload_preset("chatty") == nullptr);
}

TEST_CASE("random: lognormal lengths per request under the estimate", "[datasets][lengths]") {
  estimate_token_counter counter;
  random_spec spec;
  spec.input_lengths = kChatPrompt;
  spec.output_lengths = lognormal_lengths{200, 0.8, 10, 2000};
  const std::size_t n = 400;
  const auto samples = draw_samples(spec, n, 42, counter);
  REQUIRE(samples.size() == n);
  // The lengths are numpy's for np.random.seed(length_seed(42)): inputs, then outputs.
  numpy_legacy_rng rng(length_seed(42));
  const auto in = draw_lognormal_lengths(kChatPrompt, n, rng);
  const auto out = draw_lognormal_lengths(*spec.output_lengths, n, rng);
  std::vector<std::int64_t> seen;
  for (std::size_t i = 0; i < n; ++i) {
    CHECK(samples[i].input_tokens == in[i]);
    CHECK(samples[i].input_tokens == counter.count(samples[i].prompt_text()));
    CHECK(samples[i].max_output_tokens == out[i]);
    CHECK(samples[i].input_tokens >= 50);
    CHECK(samples[i].input_tokens <= 4000);
    seen.push_back(samples[i].input_tokens);
  }
  std::sort(seen.begin(), seen.end());
  CHECK(seen[n / 2] > 400);  // the median is near 500
  CHECK(seen[n / 2] < 620);
  CHECK(seen.back() > 1500);  // and the tail is long
  // Deterministic; another seed, other lengths.
  const auto again = draw_samples(spec, n, 42, counter);
  for (std::size_t i = 0; i < n; ++i) CHECK(again[i].prompt_text() == samples[i].prompt_text());
  CHECK(draw_samples(spec, 8, 43, counter)[0].input_tokens != samples[0].input_tokens);
  // The plan's description shows the distributions.
  spec.workload = "chat";
  const auto text = describe_samples(spec, samples);
  CHECK(
      text.starts_with("random (workload chat, input lognormal median 500, sigma 0.8, clipped "
                       "to 50..4000; output lognormal median 200, sigma 0.8, clipped to "
                       "10..2000): 400 samples, input tokens "));
}

TEST_CASE("random: a lognormal side beside a number", "[datasets][lengths]") {
  estimate_token_counter counter;
  random_spec spec;
  spec.input_tokens = 64;
  spec.output_lengths = lognormal_lengths{30, 0.5, 5, 100};
  for (const auto& s : draw_samples(spec, 50, 3, counter)) {
    CHECK(s.input_tokens == 64);
    CHECK(s.max_output_tokens >= 5);
    CHECK(s.max_output_tokens <= 100);
  }
  CHECK(describe_length_distributions(spec) ==
        "input 64 tokens; output lognormal median 30, sigma 0.5, clipped to 5..100");
}

TEST_CASE("random: lognormal lengths are exact under the model's tokenizer",
          "[datasets][lengths][tokenizer]") {
  const std::string name = GENERATE("llama3", "qwen3");
  const tokenizer_token_counter counter(tokenizer::load(lw_test::fixture_path(name)));
  const auto& tok = *counter.model_tokenizer();
  random_spec spec;
  spec.input_lengths = lognormal_lengths{60, 0.8, 8, 300};
  spec.output_lengths = lognormal_lengths{20, 0.8, 2, 90};
  const std::size_t n = 30;
  const auto samples = draw_samples(spec, n, 7, counter);
  numpy_legacy_rng rng(length_seed(7));
  const auto in = draw_lognormal_lengths(*spec.input_lengths, n, rng);
  const auto out = draw_lognormal_lengths(*spec.output_lengths, n, rng);
  for (std::size_t i = 0; i < n; ++i) {
    INFO(name << " sample " << i);
    const auto& text = samples[i].messages.at(0).content;
    CHECK_FALSE(samples[i].input_tokens_estimated);
    // Counted with the special tokens the server adds, as a fixed length is.
    CHECK(samples[i].input_tokens == in[i]);
    CHECK(static_cast<std::int64_t>(tok.encode(text, true).size()) == in[i]);
    CHECK(samples[i].max_output_tokens == out[i]);
  }
}
