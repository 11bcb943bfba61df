#include <fmt/format.h>

#include <stdexcept>

#include "loadwright/emulator/emulator.hpp"

namespace loadwright::runtime {

std::vector<emulator_profile> emulator_profiles() {
  std::vector<emulator_profile> out;
  {
    emulator_profile p;
    p.name = "fast";
    p.description = "tests and quick starts: instant prefill, 1 ms per decode step, batch 256";
    out.push_back(p);
  }
  {
    emulator_profile p;
    p.name = "instant";
    p.description =
        "no modelled time: tokens as fast as the emulator can write (client benchmarks)";
    p.prefill_tps = 1e12;
    p.decode_t1_ms = 0.0;
    p.max_batch = 100000;
    out.push_back(p);
  }
  {
    // One DGX Spark serving gpt-oss-120b MXFP4 with vLLM, fitted to the published llama-benchy
    // table (reference/arena-suite.md: 1024 in / 128 out, c1–c64): measured the same way, every
    // figure comes out within 7%. Shared steps (vLLM's chunked prefill); a step of n tokens
    // (one per decoding request, plus prompt tokens) takes √(memory² + compute²), the two
    // partly overlapping:
    //   * memory 18.1 ms × n^0.5, at most 270 ms: decode is bound by reading weights, more of
    //     the 128 experts as the batch grows (18 ms a step alone, 145 ms at 64); a prompt of a
    //     few hundred tokens touches them all (~65 GB at ~240 GB/s);
    //   * compute n / 7800 tokens/s: so prefill throughput rises with the prompts batched,
    //     3.3k t/s for one 1k prompt, ~7k t/s for 16 or more;
    //   * at most 57344 tokens a step (--max-num-batched-tokens): a burst of 64 1k prompts
    //     takes two prefill steps after the first one's, which spreads their first responses;
    //   * 3 silent tokens: gpt-oss opens each reply with `<|channel|>analysis<|message|>`, so
    //     text starts 3 steps after the first response. In a burst the first request arrives
    //     alone and is prefilled alone; its header holds its text back until the others are
    //     prefilled, so the whole batch decodes in step (the published decode rates).
    emulator_profile p;
    p.name = "spark";
    p.description = "shaped like one DGX Spark serving gpt-oss-120b (emulated, not measured)";
    p.model = "emulated/gpt-oss-120b";
    p.max_batched_tokens = 57344;
    p.decode_t1_ms = 18.1;
    p.decode_exponent = 0.5;
    p.weights_ms = 270;
    p.compute_tps = 7800;
    p.silent_tokens = 3;
    p.max_batch = 64;
    p.default_max_tokens = 2048;
    p.natural_output_tokens = 8192;  // a reasoning model: replies run to max_tokens
    out.push_back(p);
  }
  return out;
}

std::string emulator_model_summary(const emulator_profile& p) {
  if (p.max_batched_tokens <= 0)
    return fmt::format("prefill {} tok/s (×k^{}, max {}), decode step {} ms × b^{}, max batch {}",
                       p.prefill_tps, p.prefill_exponent, p.prefill_tps_max, p.decode_t1_ms,
                       p.decode_exponent, p.max_batch);
  return fmt::format(
      "steps of at most {} tokens taking √(memory² + compute²): memory {} ms × n^{} (at most {} "
      "ms), compute n / {} tok/s; max batch {}, {} silent tokens a reply",
      p.max_batched_tokens, p.decode_t1_ms, p.decode_exponent, p.weights_ms, p.compute_tps,
      p.max_batch, p.silent_tokens);
}

emulator_profile find_emulator_profile(const std::string& name) {
  std::string names;
  for (auto& p : emulator_profiles()) {
    if (p.name == name) return p;
    names += (names.empty() ? "" : ", ") + p.name;
  }
  throw std::invalid_argument("unknown emulator profile '" + name + "' (profiles: " + names + ")");
}

}  // namespace loadwright::runtime
