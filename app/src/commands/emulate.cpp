// `loadwright emulate`: the built-in server on its own, until Ctrl-C.

#include <fmt/format.h>

#include <csignal>
#include <iostream>

#include "loadwright/app/commands.hpp"
#include "loadwright/datasets/tokenizer.hpp"
#include "loadwright/emulator/emulator.hpp"

namespace loadwright::app {

namespace rt = loadwright::runtime;

int emulate_command(const emulate_args& args) {
  rt::emulator_profile p;
  try {
    p = rt::find_emulator_profile(args.profile);
  } catch (const std::exception& e) {
    std::cerr << "loadwright: " << e.what() << '\n';
    return exit_bad_input;
  }
  if (args.model) p.model = *args.model;
  // Prefill speed: the shared-step model's compute rate, or the side-by-side model's rate.
  if (args.prefill_tps)
    (p.max_batched_tokens > 0 ? p.compute_tps : p.prefill_tps) = *args.prefill_tps;
  if (args.decode_ms) p.decode_t1_ms = *args.decode_ms;
  if (args.decode_exponent) p.decode_exponent = *args.decode_exponent;
  if (args.time_scale) p.time_scale = *args.time_scale;
  if (args.prefix_cache) p.prefix_cache_blocks = 1u << 20;  // ~64 MB of prompt text
  if (args.max_batch) p.max_batch = *args.max_batch;
  p.request_log = args.request_log;
  try {
    p.faults = rt::parse_fault_mix(args.faults);
  } catch (const std::invalid_argument& e) {
    std::cerr << "loadwright: --faults: " << e.what() << '\n';
    return exit_bad_input;
  }
  if (!args.tokenizer.empty()) {
    try {
      p.tokenizer = datasets::tokenizer::load(args.tokenizer);
    } catch (const datasets::tokenizer_error& e) {
      std::cerr << "loadwright: " << e.what() << '\n';
      return exit_bad_input;
    }
  }
  if (args.port < 0 || args.port > 65535) {
    std::cerr << "loadwright: --port must be in 0..65535\n";
    return exit_bad_input;
  }
  // Block the stop signals here; the main thread waits for them below.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  rt::emulator emu(p, args.host, static_cast<std::uint16_t>(args.port));
  try {
    emu.start();
  } catch (const std::exception& e) {
    std::cerr << fmt::format("loadwright: cannot listen on {}:{}: {}\n", args.host, args.port,
                             e.what());
    return exit_bad_input;
  }
  std::cout << fmt::format(
                   "loadwright emulate: profile {} ({}), model {}\n  {}, time scale {}\n  "
                   "serving {} (Ctrl-C to stop)\n",
                   p.name, p.description, p.model, rt::emulator_model_summary(p), p.time_scale,
                   emu.base_url())
            << std::flush;
  int sig = 0;
  sigwait(&set, &sig);
  emu.stop();
  std::cout << fmt::format("loadwright emulate: stopped after {} requests\n",
                           emu.requests_served());
  return exit_ok;
}

}  // namespace loadwright::app
