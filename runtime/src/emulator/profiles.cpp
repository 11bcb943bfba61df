#include <stdexcept>

#include "loadwright/runtime/emulator.hpp"

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
    // Fitted to reference/arena-suite.md (gpt-oss-120b MXFP4 on one DGX Spark, vLLM):
    // decode 17.47 ms × b^0.5 fits every row within ~7%; prefill 3310 t/s alone, ~4.6k at 4
    // and ~6.9k at 16+ concurrent prompts.
    emulator_profile p;
    p.name = "spark";
    p.description = "shaped like one DGX Spark serving gpt-oss-120b (emulated, not measured)";
    p.model = "emulated/gpt-oss-120b";
    p.prefill_tps = 3310;
    p.prefill_exponent = 0.234;
    p.prefill_tps_max = 7000;
    p.decode_t1_ms = 17.47;
    p.decode_exponent = 0.5;
    p.max_batch = 64;
    p.default_max_tokens = 2048;
    p.natural_output_tokens = 8192;  // a reasoning model: replies run to max_tokens
    out.push_back(p);
  }
  return out;
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
