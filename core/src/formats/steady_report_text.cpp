#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "loadwright/core/steady_report.hpp"

namespace loadwright::runtime {

namespace {

std::string num(double v, int digits = 1) {
  return std::isnan(v) ? std::string("–") : fmt::format("{:.{}f}", v, digits);
}

// Scenarios in the order first seen; batch sizes ascending; targets in the order first seen.
template <class Get>
std::vector<std::string> first_seen(const std::vector<steady_cell>& cells, Get get) {
  std::vector<std::string> out;
  for (const auto& c : cells)
    if (std::find(out.begin(), out.end(), get(c)) == out.end()) out.push_back(get(c));
  return out;
}

}  // namespace

steady_cell in_modelled_time(steady_cell c, double time_scale) {
  if (!(time_scale > 0) || time_scale == 1.0) return c;
  for (double* rate : {&c.server_tps, &c.user_tps, &c.user_tps_std, &c.window_output_tps})
    *rate *= time_scale;
  for (double* ms : {&c.ttft_p50_ms, &c.ttft_p99_ms, &c.tpot_ms}) *ms /= time_scale;
  return c;
}

std::string difficulty_reference(const std::vector<steady_cell>& cells) {
  for (const auto& c : cells)
    if (c.scenario == "A1") return "A1";
  return cells.empty() ? std::string() : cells.front().scenario;
}

std::string steady_report_markdown(const std::string& name, const std::vector<steady_cell>& cells,
                                   const std::string& note) {
  std::string out = fmt::format("# Steady state: {}\n\n", name);
  auto it = std::back_inserter(out);
  if (!note.empty()) fmt::format_to(it, "{}\n\n", note);
  const auto targets = first_seen(cells, [](const steady_cell& c) { return c.target; });
  const auto scenarios = first_seen(cells, [](const steady_cell& c) { return c.scenario; });
  std::set<int> sizes;
  for (const auto& c : cells) sizes.insert(c.batch_size);
  const auto reference = difficulty_reference(cells);
  for (const auto& target : targets) {
    if (!target.empty()) fmt::format_to(it, "## {}\n\n", target);
    std::map<std::pair<std::string, int>, const steady_cell*> at;
    for (const auto& c : cells)
      if (c.target == target) at[{c.scenario, c.batch_size}] = &c;
    out +=
        "| scenario | N | server tok/s | user tok/s | counted tok/s | TTFT p50 ms | TTFT p99 ms "
        "| TPOT ms | jitter | steady |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n";
    for (const auto& s : scenarios)
      for (const int n : sizes) {
        const auto found = at.find({s, n});
        if (found == at.end()) continue;
        const auto& c = *found->second;
        fmt::format_to(it, "| {} | {} | {} | {} ± {} | {} | {} | {} | {} | {} | {} |\n", s, n,
                       num(c.server_tps), num(c.user_tps), num(c.user_tps_std),
                       num(c.window_output_tps), num(c.ttft_p50_ms), num(c.ttft_p99_ms),
                       num(c.tpot_ms, 2), num(c.jitter_ratio, 2), c.steady ? "yes" : "**no**");
      }
    fmt::format_to(it,
                   "\nDifficulty: server tok/s of {} over each scenario's at the same N (2.00 = "
                   "half {}'s throughput)\n\n| scenario |",
                   reference, reference);
    for (const int n : sizes) fmt::format_to(it, " N={} |", n);
    out += "\n|---|";
    for (std::size_t i = 0; i < sizes.size(); ++i) out += "---:|";
    out += '\n';
    for (const auto& s : scenarios) {
      fmt::format_to(it, "| {} |", s);
      for (const int n : sizes) {
        const auto c = at.find({s, n}), r = at.find({reference, n});
        const bool ok = c != at.end() && r != at.end() && c->second->server_tps > 0;
        fmt::format_to(
            it, " {} |",
            ok ? num(r->second->server_tps / c->second->server_tps, 2) : std::string("–"));
      }
      out += '\n';
    }
    out += '\n';
  }
  for (std::size_t i = 0; i < targets.size(); ++i)
    for (std::size_t j = i + 1; j < targets.size(); ++j)
      out += steady_comparison(cells, targets[i], targets[j]);
  return out;
}

std::string steady_comparison(const std::vector<steady_cell>& cells, const std::string& a,
                              const std::string& b) {
  std::map<std::pair<std::string, int>, double> of_a, of_b;
  std::vector<std::pair<std::string, int>> order;
  for (const auto& c : cells) {
    const std::pair<std::string, int> key{c.scenario, c.batch_size};
    if (c.target == a) of_a[key] = c.server_tps;
    if (c.target == b) of_b[key] = c.server_tps;
    if (std::find(order.begin(), order.end(), key) == order.end()) order.push_back(key);
  }
  std::sort(order.begin(), order.end(), [&](const auto& x, const auto& y) {
    const auto rank = [&](const std::string& s) {
      return std::find_if(cells.begin(), cells.end(),
                          [&](const steady_cell& c) { return c.scenario == s; }) -
             cells.begin();
    };
    return rank(x.first) != rank(y.first) ? rank(x.first) < rank(y.first) : x.second < y.second;
  });
  std::string out = fmt::format(
      "## {} vs {}: server tok/s\n\n| scenario | N | {} | {} | wins | by |\n"
      "|---|---:|---:|---:|---|---:|\n",
      a, b, a, b);
  auto it = std::back_inserter(out);
  int won_a = 0, won_b = 0, both = 0;
  for (const auto& key : order) {
    const auto x = of_a.find(key), y = of_b.find(key);
    if (x == of_a.end() || y == of_b.end()) continue;
    ++both;
    const double va = x->second, vb = y->second;
    std::string who = "tie", by = "0.0 %";
    if (va > vb || vb > va) {
      who = va > vb ? a : b;
      (va > vb ? won_a : won_b)++;
      const double lo = std::min(va, vb), hi = std::max(va, vb);
      by = lo > 0 ? fmt::format("{:.1f} %", 100 * (hi / lo - 1)) : std::string("–");
    }
    fmt::format_to(it, "| {} | {} | {} | {} | {} | {} |\n", key.first, key.second, num(va), num(vb),
                   who, by);
  }
  auto share = [&](int n) { return both > 0 ? 100.0 * n / both : 0.0; };
  fmt::format_to(it, "\n{} wins {} of {} cells ({:.0f} %), {} {} ({:.0f} %).\n\n", a, won_a, both,
                 share(won_a), b, won_b, share(won_b));
  return out;
}

std::string steady_report_csv(const std::vector<steady_cell>& cells) {
  std::string out =
      "target,scenario,batch_size,server_tps,user_tps,user_tps_std,window_output_tps,"
      "ttft_p50_ms,ttft_p99_ms,tpot_ms,jitter_ratio,steady\n";
  auto it = std::back_inserter(out);
  for (const auto& c : cells)
    fmt::format_to(it, "{},{},{},{:.3f},{:.3f},{:.3f},{:.3f},{:.3f},{:.3f},{:.3f},{:.3f},{}\n",
                   c.target, c.scenario, c.batch_size, c.server_tps, c.user_tps, c.user_tps_std,
                   c.window_output_tps, c.ttft_p50_ms, c.ttft_p99_ms, c.tpot_ms, c.jitter_ratio,
                   c.steady ? "true" : "false");
  return out;
}

}  // namespace loadwright::runtime
