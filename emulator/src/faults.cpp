#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <stdexcept>

#include "loadwright/emulator/emulator_faults.hpp"

namespace loadwright::runtime {

namespace {

struct named_fault {
  std::string_view name;
  emulator_fault kind;
};

constexpr named_fault kNamed[] = {
    {"close", emulator_fault::close},
    {"reset", emulator_fault::reset},
    {"429", emulator_fault::rate_limit},
    {"no_headers", emulator_fault::no_headers},
    {"stall", emulator_fault::stall},
    {"malformed", emulator_fault::malformed},
    {"error_event", emulator_fault::error_event},
    {"truncated", emulator_fault::truncated},
    {"no_done", emulator_fault::no_done},
    {"long_line", emulator_fault::long_line},
    {"huge_body", emulator_fault::huge_body},
    {"echo_auth", emulator_fault::echo_auth},
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string fault_name(const fault_rule& r) {
  if (r.kind == emulator_fault::status) return std::to_string(r.status);
  for (const auto& n : kNamed)
    if (n.kind == r.kind) return std::string(n.name);
  return "none";
}

std::string fault_names() {
  std::string out;
  for (const auto& n : kNamed) out += fmt::format("{}{}", out.empty() ? "" : ", ", n.name);
  return out + ", or an HTTP status 400-599";
}

bool parse_fault(std::string_view name, fault_rule& out, std::string* why) {
  name = trim(name);
  for (const auto& n : kNamed) {
    if (n.name == name) {
      out.kind = n.kind;
      return true;
    }
  }
  int status = 0;
  const auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), status);
  if (ec == std::errc() && end == name.data() + name.size() && status >= 400 && status <= 599) {
    out.kind = status == 429 ? emulator_fault::rate_limit : emulator_fault::status;
    out.status = status;
    return true;
  }
  if (why) *why = fmt::format("unknown fault '{}' (faults: {})", name, fault_names());
  return false;
}

std::vector<fault_rule> parse_fault_mix(std::string_view spec) {
  std::vector<fault_rule> mix;
  double total = 0;
  while (!trim(spec).empty()) {
    const auto comma = spec.find(',');
    const std::string_view part = trim(spec.substr(0, comma));
    spec = comma == std::string_view::npos ? std::string_view{} : spec.substr(comma + 1);
    fault_rule r;
    const auto colon = part.find(':');
    std::string why;
    if (!parse_fault(part.substr(0, colon), r, &why)) throw std::invalid_argument(why);
    if (colon != std::string_view::npos) {
      const std::string text(trim(part.substr(colon + 1)));
      char* end = nullptr;
      r.fraction = std::strtod(text.c_str(), &end);
      if (text.empty() || *end != '\0' || !(r.fraction > 0 && r.fraction <= 1))
        throw std::invalid_argument(
            fmt::format("fault '{}': the fraction must be a number in (0, 1]", part));
    }
    total += r.fraction;
    mix.push_back(r);
  }
  if (total > 1 + 1e-9)
    throw std::invalid_argument(fmt::format("the fault fractions add up to {:g}, above 1", total));
  return mix;
}

fault_rule pick_fault(const std::vector<fault_rule>& mix, std::uint64_t n) {
  // The golden-ratio sequence fills [0, 1) evenly: any interval of width f gets a share f of
  // the first N points to within ±1, whatever N is.
  const double u = std::fmod(static_cast<double>(n) * 0.6180339887498949, 1.0);
  double edge = 0;
  for (const auto& r : mix) {
    edge += r.fraction;
    if (u < edge) return r;
  }
  return {emulator_fault::none, 0, 0};
}

}  // namespace loadwright::runtime
