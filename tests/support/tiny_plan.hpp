#pragma once
// A small random-prompt plan for engine-level tests against the emulator.

#include <string>

#include "loadwright/core/scenario_plan.hpp"

namespace loadwright::testing {

inline runtime::scenario_plan tiny_plan(std::string name, runtime::arrival_spec arrival,
                                        std::uint64_t requests, std::int64_t input_tokens,
                                        std::int64_t output_tokens) {
  runtime::scenario_plan p;
  p.name = std::move(name);
  datasets::random_spec ds;
  ds.input_tokens = input_tokens;
  ds.output_tokens = output_tokens;
  p.dataset = ds;
  p.arrival = arrival;
  p.requests = requests;
  p.request.ignore_eos = true;  // exact output lengths
  return p;
}

}  // namespace loadwright::testing
