#include "experiment_builder.hpp"

#include <fmt/format.h>

#include <cmath>
#include <regex>
#include <variant>

#include "loadwright/core/load_points.hpp"
#include "loadwright/core/summary.hpp"
#include "loadwright/scripting/scenario_loader.hpp"
#include "plan_builder.hpp"
#include "table_reader.hpp"

namespace loadwright::scripting {

namespace rt = loadwright::runtime;

namespace {

std::string percentiles_text(const std::vector<double>& ps) {
  std::string out;
  for (const double p : ps) out += (out.empty() ? "" : ", ") + fmt::format("{}", p);
  return out;
}

// `slo = { p99_ttft = "500ms", mean_e2el = "2s" }`: latency bounds on the scenario's summary.
std::vector<rt::slo_bound> read_slo(lua_State* L, table_reader& parent,
                                    const rt::scenario_plan& base) {
  std::vector<rt::slo_bound> out;
  if (!parent.push_table("slo")) return out;
  table_reader t(L, -1, parent.field_path("slo"), parent.where());
  std::vector<std::string> known;
  for (const char* metric : {"ttft", "tpot", "itl", "e2el"}) {
    known.push_back(fmt::format("mean_{}", metric));
    for (const double p : base.percentiles)
      known.push_back(fmt::format("{}_{}", rt::percentile_label(p), metric));
  }
  static const std::regex shape(R"((mean|p([0-9]+(\.[0-9]+)?))_(ttft|tpot|itl|e2el))");
  std::vector<std::string> names;
  lua_pushnil(L);
  while (lua_next(L, t.index())) {
    lua_pop(L, 1);
    if (lua_type(L, -1) != LUA_TSTRING) t.fail("[?]", "keys are bounds such as p99_ttft");
    names.emplace_back(lua_tostring(L, -1));
  }
  std::sort(names.begin(), names.end());
  for (const auto& name : names) {
    std::smatch m;
    if (!std::regex_match(name, m, shape)) {
      const auto guess = did_you_mean(name, known);
      t.fail(name, "not an SLO bound (pNN_ or mean_ of ttft, tpot, itl, e2el" +
                       (guess.empty() ? std::string(")") : "; did you mean '" + guess + "'?)"));
    }
    rt::slo_bound b;
    b.name = name;
    b.metric = m[4];
    if (m[1] != "mean") {
      b.percentile = std::stod(m[2]);
      const bool reported = std::find(base.percentiles.begin(), base.percentiles.end(),
                                      *b.percentile) != base.percentiles.end();
      if (!reported)
        t.fail(name, fmt::format("the scenario reports the percentiles {} (add {} to its "
                                 "percentiles)",
                                 percentiles_text(base.percentiles), *b.percentile));
      b.summary_key = fmt::format("{}_{}_ms", rt::percentile_label(*b.percentile), b.metric);
    } else {
      b.summary_key = fmt::format("mean_{}_ms", b.metric);
    }
    lua_getfield(L, t.index(), name.c_str());
    if (lua_type(L, -1) == LUA_TSTRING) b.text = lua_tostring(L, -1);
    lua_pop(L, 1);
    const auto seconds = t.duration(name.c_str());
    b.limit_ms = *seconds * 1000;
    if (b.text.empty()) b.text = fmt::format("{} ms", b.limit_ms);
    out.push_back(std::move(b));
  }
  lua_pop(L, 1);
  return out;
}

// `saturation = { p99_ttft = "10s", achieved = 0.9, error_rate = 0.01 }`.
rt::saturation_limits read_limits(lua_State* L, table_reader& parent) {
  rt::saturation_limits limits;
  if (!parent.push_table("saturation")) return limits;
  table_reader t(L, -1, parent.field_path("saturation"), parent.where());
  t.reject_unknown({"p99_ttft", "achieved", "error_rate"});
  if (const auto v = t.duration("p99_ttft")) limits.max_p99_ttft_ms = *v * 1000;
  if (const auto v = t.number("achieved")) {
    if (!(*v > 0 && *v <= 1))
      t.fail("achieved",
             fmt::format("expected a fraction of the asked rate in (0, 1], got {}", *v));
    limits.min_achieved_ratio = *v;
  }
  if (const auto v = t.number("error_rate")) {
    if (!(*v >= 0 && *v <= 1))
      t.fail("error_rate", fmt::format("expected a fraction in [0, 1], got {}", *v));
    limits.max_error_rate = *v;
  }
  lua_pop(L, 1);
  return limits;
}

// The axis the scenario's arrival gives: a rate (poisson, constant) or a concurrency (closed).
rt::load_axis axis_of(const table_reader& r, const rt::scenario_plan& base, const char* field) {
  if (std::holds_alternative<rt::closed_arrival>(base.arrival)) return rt::load_axis::concurrency;
  if (std::holds_alternative<rt::poisson_arrival>(base.arrival) ||
      std::holds_alternative<rt::constant_arrival>(base.arrival)) {
    if (const auto* p = std::get_if<rt::poisson_arrival>(&base.arrival); p && !p->ramp_up.empty())
      r.fail(field, "the scenario's poisson arrival ramps up; a load needs one rate");
    return rt::load_axis::rate;
  }
  r.fail(field, fmt::format("a load is a rate (poisson, constant) or a concurrency (closed); the "
                            "scenario's arrival is {}",
                            rt::arrival_kind(base.arrival)));
}

double check_load(const table_reader& r, const std::string& field, rt::load_axis axis, double v) {
  if (!(v > 0) || !std::isfinite(v))
    r.fail(field, fmt::format("expected a positive finite load, got {}", v));
  if (axis == rt::load_axis::concurrency && v != std::floor(v))
    r.fail(field, fmt::format("a concurrency is a whole number, got {}", v));
  return v;
}

std::string read_name(table_reader& r, const rt::scenario_plan& base) {
  const auto name = r.string("name");
  if (!name) return base.name;
  if (name->empty() || name->find('/') != std::string::npos ||
      name->find("..") != std::string::npos || name->front() == '.')
    r.fail("name", "a file name inside the output folder, without '/' or '..'");
  return *name;
}

rt::sweep_plan build_sweep(lua_State* L, table_reader& r, rt::scenario_plan base,
                           std::size_t hooks) {
  r.reject_unknown(
      {"name", "scenario", "rates", "concurrency", "slo", "saturation", "stop_at_knee"});
  rt::sweep_plan p;
  p.source = r.where();
  p.name = read_name(r, base);
  const bool rates = r.has("rates"), concurrency = r.has("concurrency");
  if (rates == concurrency)
    r.fail(rates ? "concurrency" : "rates",
           rates ? "give rates = {…} or concurrency = {…}, not both"
                 : "required: the loads to run, rates = {1, 2, 5, …} (requests/s) or "
                   "concurrency = {1, 2, 4, …}");
  const char* field = rates ? "rates" : "concurrency";
  p.axis = axis_of(r, base, field);
  if (rates && p.axis != rt::load_axis::rate)
    r.fail("rates",
           "rates need an open-loop arrival (poisson, constant); the scenario's is "
           "closed: sweep concurrency = {…}");
  if (concurrency && p.axis != rt::load_axis::concurrency)
    r.fail("concurrency", fmt::format("concurrency needs a closed-loop arrival; the scenario's is "
                                      "{}: sweep rates = {{…}}",
                                      rt::arrival_kind(base.arrival)));
  r.push_table(field);
  table_reader list(L, -1, r.field_path(field), r.where());
  const std::size_t n = list.length();
  if (n == 0) r.fail(field, "an empty sweep: give at least one load");
  for (std::size_t i = 1; i <= n; ++i) {
    lua_rawgeti(L, list.index(), static_cast<int>(i));
    const std::string item = fmt::format("[{}]", i);
    if (lua_type(L, -1) != LUA_TNUMBER) list.fail(item, "expected a number");
    const double v = check_load(list, item, p.axis, lua_tonumber(L, -1));
    lua_pop(L, 1);
    if (!p.loads.empty() && v <= p.loads.back())
      list.fail(item, fmt::format("loads go up: {} after {}", v, p.loads.back()));
    p.loads.push_back(v);
  }
  lua_pop(L, 1);
  p.slo = read_slo(L, r, base);
  p.limits = read_limits(L, r);
  if (const auto v = r.boolean("stop_at_knee")) p.stop_at_knee = *v;
  p.base = std::move(base);
  p.hooks = hooks;
  return p;
}

rt::find_max_plan build_find_max(lua_State* L, table_reader& r, rt::scenario_plan base,
                                 std::size_t hooks) {
  r.reject_unknown({"name", "scenario", "slo", "saturation", "from", "to", "precision", "repeats",
                    "confidence", "confirm", "capacity"});
  rt::find_max_plan p;
  p.source = r.where();
  p.name = read_name(r, base);
  p.axis = axis_of(r, base, "scenario");
  p.slo = read_slo(L, r, base);
  if (p.slo.empty())
    r.fail("slo", "required: the bounds a load must meet, e.g. slo = { p99_ttft = \"500ms\" }");
  p.limits = read_limits(L, r);
  if (const auto v = r.number("from")) p.from = check_load(r, "from", p.axis, *v);
  if (const auto v = r.number("to")) p.to = check_load(r, "to", p.axis, *v);
  if (!(p.from < p.to))
    r.fail("to",
           fmt::format("the search runs from {} up to a larger load, got to = {}", p.from, p.to));
  if (const auto v = r.number("precision")) {
    if (!(*v > 0 && *v < 1))
      r.fail("precision", fmt::format("expected a fraction in (0, 1) (0.05 = 5 %), got {}", *v));
    p.precision = *v;
  }
  if (const auto v = r.integer("repeats", 1))
    p.repeats = static_cast<int>(std::min<std::int64_t>(*v, 100));
  if (const auto v = r.number("confidence")) {
    if (!(*v >= 0.5 && *v < 1))
      r.fail("confidence", fmt::format("expected a level in [0.5, 1), got {}", *v));
    p.confidence = *v;
  }
  lua_getfield(L, r.index(), "confirm");
  const bool confirm_off = lua_type(L, -1) == LUA_TBOOLEAN && !lua_toboolean(L, -1);
  lua_pop(L, 1);
  if (confirm_off)
    p.confirm.reset();
  else if (const auto v = r.duration("confirm"))
    p.confirm = rt::seconds_d(*v);
  if (r.push_table("capacity")) {
    if (p.axis != rt::load_axis::rate)
      r.fail("capacity",
             "a capacity plan needs a maximum rate: search rates (a poisson or "
             "constant arrival), not concurrency");
    p.capacity = build_capacity(L, -1, r.where(), /*max_rate_given=*/false);
    lua_pop(L, 1);
  }
  p.base = std::move(base);
  p.hooks = hooks;
  return p;
}

rt::ab_side read_side(lua_State* L, table_reader& r, const char* key, const char* label) {
  rt::ab_side side;
  side.label = label;
  if (!r.push_table(key))
    r.fail(key, fmt::format("required: the {} side, {{ base_url = \"http://…/v1\" }} (or "
                            "{{}} with the URL given on the command line)",
                            label));
  table_reader t(L, -1, r.field_path(key), r.where());
  t.reject_unknown({"base_url", "model", "api_key_env", "label"});
  if (const auto v = t.string("label"); v && !v->empty()) side.label = *v;
  if (const auto v = t.string("base_url")) side.base_url = *v;
  if (const auto v = t.string("model")) side.model = *v;
  if (const auto v = t.string("api_key_env")) side.api_key_env = *v;
  lua_pop(L, 1);
  return side;
}

rt::ab_plan build_ab(lua_State* L, table_reader& r, rt::scenario_plan base, std::size_t hooks) {
  r.reject_unknown({"name", "scenario", "a", "b", "rounds", "pause", "warmup", "margin", "alpha"});
  rt::ab_plan p;
  p.source = r.where();
  p.name = read_name(r, base);
  p.a = read_side(L, r, "a", "A");
  p.b = read_side(L, r, "b", "B");
  if (const auto v = r.integer("rounds", 1))
    p.rounds = static_cast<int>(std::min<std::int64_t>(*v, 1000));
  lua_getfield(L, r.index(), "pause");
  const bool no_pause = lua_type(L, -1) == LUA_TNUMBER && lua_tonumber(L, -1) == 0;
  lua_pop(L, 1);
  if (no_pause)
    p.pause = rt::seconds_d(0);
  else if (const auto v = r.duration("pause"))
    p.pause = rt::seconds_d(*v);
  if (const auto v = r.integer("warmup", 0)) p.warmup = static_cast<std::uint64_t>(*v);
  if (const auto v = r.number("margin")) {
    if (!(*v > 0 && *v < 1))
      r.fail("margin", fmt::format("expected a fraction in (0, 1) (0.05 = ±5 %), got {}", *v));
    p.margin = *v;
  }
  if (const auto v = r.number("alpha")) {
    if (!(*v > 0 && *v < 0.5))
      r.fail("alpha", fmt::format("expected a level in (0, 0.5), got {}", *v));
    p.alpha = *v;
  }
  if (!rt::is_open_loop(base.arrival) && !std::holds_alternative<rt::closed_arrival>(base.arrival))
    r.fail("scenario", fmt::format("an A/B sends the same requests in the same order to both: a "
                                   "batch arrival's batches depend on each server; use closed or "
                                   "an open-loop arrival (the scenario's is {})",
                                   rt::arrival_kind(base.arrival)));
  p.base = std::move(base);
  p.hooks = hooks;
  return p;
}

}  // namespace

rt::experiment_plan build_experiment(lua_State* L, int index, const std::string& kind,
                                     const std::string& where, rt::scenario_plan base,
                                     std::size_t hooks) {
  index = abs_index(L, index);
  table_reader r(L, index, kind, where);
  if (kind == "sweep") return build_sweep(L, r, std::move(base), hooks);
  if (kind == "ab") return build_ab(L, r, std::move(base), hooks);
  return build_find_max(L, r, std::move(base), hooks);
}

}  // namespace loadwright::scripting
