#include "plan_builder.hpp"

#include <cstring>

#include "loadwright/core/steady_state.hpp"
#include "loadwright/core/summary.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "loadwright/datasets/lengths.hpp"
#include "loadwright/datasets/sampler.hpp"
#include "loadwright/scripting/scenario_loader.hpp"
#include "table_reader.hpp"

namespace loadwright::scripting {

namespace rt = loadwright::runtime;
namespace ds = loadwright::datasets;

std::string kind_of(lua_State* L, int index) {
  if (lua_type(L, index) != LUA_TTABLE) return "";
  lua_getfield(L, index, "__kind");
  std::string k = lua_isstring(L, -1) ? lua_tostring(L, -1) : "";
  lua_pop(L, 1);
  return k;
}

std::string where_of(lua_State* L, int index, const std::string& fallback) {
  if (lua_type(L, index) != LUA_TTABLE) return fallback;
  lua_getfield(L, index, "__where");
  std::string w = lua_isstring(L, -1) ? lua_tostring(L, -1) : "";
  if (w.empty()) w = fallback;
  lua_pop(L, 1);
  return w;
}

namespace {

rt::seconds_d secs(double s) {
  return rt::seconds_d(s);
}

// A nested constructor table at the top of the stack: check its kind is one of `allowed`.
std::string expect_kind(const table_reader& parent, const char* field,
                        const std::vector<std::string>& allowed, const char* what) {
  lua_State* L = parent.state();
  const std::string kind = kind_of(L, -1);
  if (std::find(allowed.begin(), allowed.end(), kind) == allowed.end()) {
    std::string names;
    for (const auto& a : allowed) names += (names.empty() ? "" : ", ") + a;
    parent.fail(field, fmt::format("expected {} ({}), got {}", what, names,
                                   kind.empty() ? std::string("a plain table") : kind + " { … }"));
  }
  return kind;
}

[[noreturn]] void not_yet(const table_reader& r, const std::string& what,
                          const std::string& issue) {
  r.fail("",
         fmt::format("{} is not available in this version of loadwright yet ({})", what, issue));
}

rt::open_arrival build_open_arrival(lua_State* L, const std::string& kind, table_reader& r) {
  if (kind == "poisson") {
    rt::poisson_arrival a;
    r.reject_unknown({"rate", "burstiness", "normalize", "ramp_up", "ramp_from", "ramp_to"});
    if (const auto ramp = r.string("ramp_up")) {
      if (*ramp != "linear" && *ramp != "exponential")
        r.fail("ramp_up", "expected \"linear\" or \"exponential\" (vLLM's --ramp-up-strategy)");
      const auto from = r.positive("ramp_from"), to = r.positive("ramp_to");
      if (!from || !to)
        r.fail(from ? "ramp_to" : "ramp_from",
               "required with ramp_up: the first and last request's rates (vLLM asserts every "
               "rate is above 0)");
      if (*from > *to) r.fail("ramp_from", "is above ramp_to (vLLM ramps up, not down)");
      a.ramp_up = *ramp;
      a.ramp_from = *from;
      a.ramp_to = *to;
      a.rate = rt::infinite_rate;  // vLLM's --request-rate stays inf in ramp-up mode
      if (const auto b = r.positive("burstiness", true)) a.burstiness = *b;
      return a;
    }
    const auto rate = r.positive("rate", true);
    if (!rate) r.fail("rate", "required (requests per second; math.huge sends everything at once)");
    a.rate = *rate;
    if (const auto b = r.positive("burstiness", true)) a.burstiness = *b;
    if (const auto n = r.boolean("normalize")) a.normalize = *n;
    return a;
  }
  if (kind == "constant") {
    rt::constant_arrival a;
    r.reject_unknown({"rate"});
    const auto rate = r.positive("rate");
    if (!rate) r.fail("rate", "required (requests per second)");
    a.rate = *rate;
    return a;
  }
  rt::ramp_arrival a;  // "ramp"
  r.reject_unknown({"from", "to", "over", "burstiness"});
  const auto from = r.number("from"), to = r.number("to");
  if (!from) r.fail("from", "required (the starting rate, requests per second)");
  if (!to) r.fail("to", "required (the final rate, requests per second)");
  if (*from < 0 || std::isinf(*from))
    r.fail("from", fmt::format("expected a finite rate ≥ 0, got {}", *from));
  if (*to < 0 || std::isinf(*to))
    r.fail("to", fmt::format("expected a finite rate ≥ 0, got {}", *to));
  if (*from == 0 && *to == 0) r.fail("to", "a ramp from 0 to 0 never sends");
  const auto over = r.duration("over");
  if (!over) r.fail("over", "required (how long the ramp takes, e.g. \"5m\")");
  a.from = *from;
  a.to = *to;
  a.over = secs(*over);
  if (const auto b = r.positive("burstiness", true)) a.burstiness = *b;
  (void)L;
  return a;
}

rt::arrival_spec build_arrival(lua_State* L, table_reader& parent) {
  const std::string kind = expect_kind(
      parent, "arrival", {"closed", "batch", "poisson", "constant", "ramp", "stages", "trace"},
      "an arrival process");
  table_reader r(L, -1, parent.field_path("arrival"), where_of(L, -1, parent.where()));
  if (kind == "closed") {
    rt::closed_arrival a;
    r.reject_unknown({"concurrency"});
    const auto c = r.integer("concurrency", 1);
    if (!c) r.fail("concurrency", "required (how many requests to keep in flight)");
    a.concurrency = static_cast<int>(*c);
    return a;
  }
  if (kind == "batch") {
    rt::batch_arrival a;
    r.reject_unknown({"size"});
    const auto s = r.integer("size", 1);
    if (!s) r.fail("size", "required (how many requests each batch fires at once)");
    a.size = static_cast<int>(*s);
    return a;
  }
  if (kind == "trace") not_yet(r, "trace { … } replay", "a later issue");
  if (kind == "stages") {
    rt::stages_arrival a;
    r.reject_unknown({});
    const std::size_t n = r.length();
    if (n == 0) r.fail("", "expected a list of { arrival, duration = … } entries");
    for (std::size_t i = 1; i <= n; ++i) {
      lua_rawgeti(L, r.index(), static_cast<int>(i));
      const std::string field = fmt::format("[{}]", i);
      if (lua_type(L, -1) != LUA_TTABLE) r.fail(field, "expected { arrival, duration = … }");
      table_reader st(L, -1, r.field_path(field), r.where());
      st.reject_unknown({"duration"});
      lua_rawgeti(L, -1, 1);
      const std::string k = kind_of(L, -1);
      if (k != "poisson" && k != "constant" && k != "ramp")
        st.fail("[1]",
                "expected an open-loop arrival (poisson, constant or ramp) as the stage's first "
                "entry, got " +
                    (k.empty() ? std::string("something else") : k + " { … }"));
      table_reader inner(L, -1, st.field_path("[1]"), where_of(L, -1, st.where()));
      rt::stage stage{build_open_arrival(L, k, inner), {}};
      lua_pop(L, 1);
      const auto d = st.duration("duration");
      if (!d) st.fail("duration", "required (how long this stage lasts, e.g. \"2m\")");
      stage.duration = secs(*d);
      if (st.length() > 1) st.fail("[2]", "a stage holds one arrival process");
      a.stages.push_back(std::move(stage));
      lua_pop(L, 1);
    }
    return a;
  }
  auto open = build_open_arrival(L, kind, r);
  return std::visit([](auto&& x) -> rt::arrival_spec { return x; }, open);
}

std::string resolve_path(const std::string& p, const std::filesystem::path& dir) {
  std::filesystem::path path(p);
  if (path.is_relative()) path = dir / path;
  return path.lexically_normal().string();
}

// A data file: next to the script, else (a bare name) in ~/.cache/loadwright/datasets/.
std::string resolve_data_path(const std::string& p, const std::filesystem::path& dir) {
  const std::string here = resolve_path(p, dir);
  std::error_code ec;
  if (std::filesystem::exists(here, ec) || p.find('/') != std::string::npos) return here;
  if (const char* home = std::getenv("HOME"); home && *home) {
    const auto cached = std::filesystem::path(home) / ".cache/loadwright/datasets" / p;
    if (std::filesystem::exists(cached, ec)) return cached.string();
  }
  return here;
}

// `lognormal { median, sigma = 0.8, min = 1, max }` at the top of the stack (field `field` of
// `parent`): the methodology chapter's realistic lengths.
ds::lognormal_lengths build_lognormal(lua_State* L, table_reader& parent, const char* field) {
  expect_kind(parent, field, {"lognormal"}, "a number or a length distribution");
  table_reader r(L, -1, parent.field_path(field), where_of(L, -1, parent.where()));
  r.reject_unknown({"median", "sigma", "min", "max"});
  ds::lognormal_lengths d;
  const auto median = r.positive("median");
  if (!median) r.fail("median", "required (the middle length, in tokens)");
  d.median = *median;
  if (const auto v = r.number("sigma")) {
    if (*v < 0 || !std::isfinite(*v))
      r.fail("sigma", fmt::format("expected a finite number ≥ 0, got {}", *v));
    d.sigma = *v;
  }
  if (const auto v = r.integer("min", 1)) d.min = *v;
  const auto max = r.integer("max", 1);
  if (!max)
    r.fail("max",
           "required (lengths are clipped to it: a lognormal's tail is long, and a "
           "prompt must fit the model's context)");
  d.max = *max;
  if (d.min > d.max) r.fail("min", fmt::format("is above max ({} > {})", d.min, d.max));
  if (const auto why = ds::lognormal_problem(d); !why.empty()) r.fail("", why);
  return d;
}

// A length of `random { … }`: a whole number (vLLM's fixed length) or `lognormal { … }`, drawn
// per request. A number clears the distribution a workload preset gave that side.
void read_length(lua_State* L, table_reader& r, const char* field, std::int64_t min,
                 std::int64_t& fixed, std::optional<ds::lognormal_lengths>& distribution) {
  lua_getfield(L, r.index(), field);
  const bool table = lua_type(L, -1) == LUA_TTABLE;
  lua_pop(L, 1);
  if (table) {
    r.push_table(field);
    distribution = build_lognormal(L, r, field);
    lua_pop(L, 1);
  } else if (const auto v = r.integer(field, min)) {
    fixed = *v;
    distribution.reset();
  }
  if (distribution) fixed = std::max<std::int64_t>(min, std::llround(distribution->median));
}

ds::dataset_spec build_dataset(lua_State* L, table_reader& parent,
                               const std::filesystem::path& dir) {
  const std::string kind = expect_kind(
      parent, "dataset",
      {"random", "prompts", "jsonl", "sharegpt", "gutenberg", "shared_prefix", "conversations"},
      "a dataset");
  table_reader r(L, -1, parent.field_path("dataset"), where_of(L, -1, parent.where()));
  if (kind == "random") {
    ds::random_spec s;
    r.reject_unknown({"input_tokens", "output_tokens", "range_ratio", "prefix_tokens", "workload"});
    if (const auto w = r.string("workload")) {
      const auto* preset = ds::find_workload_preset(*w);
      if (!preset) {
        std::vector<std::string> names;
        for (const auto& p : ds::workload_presets()) names.emplace_back(p.name);
        const auto guess = did_you_mean(*w, names);
        r.fail("workload",
               fmt::format("expected \"chat\", \"code\", \"long_context\" or \"summarization\" "
                           "(the methodology chapter's presets), got \"{}\"{}",
                           *w, guess.empty() ? "" : " (did you mean '" + guess + "'?)"));
      }
      s.workload = *w;
      s.input_lengths = preset->prompt;
      s.output_lengths = preset->output;
    }
    read_length(L, r, "input_tokens", 1, s.input_tokens, s.input_lengths);
    read_length(L, r, "output_tokens", 1, s.output_tokens, s.output_lengths);
    if (const auto v = r.number("range_ratio")) {
      if (*v < 0 || *v >= 1)
        r.fail("range_ratio", fmt::format("expected a number in [0, 1), got {}", *v));
      if (*v > 0 && s.input_lengths && s.output_lengths)
        r.fail("range_ratio",
               "applies to lengths given as numbers; both lengths here are distributions");
      s.range_ratio = *v;
    }
    if (const auto v = r.integer("prefix_tokens", 0)) s.prefix_tokens = *v;
    return s;
  }
  if (kind == "prompts") {
    ds::prompts_spec s;
    r.reject_unknown({"system", "output_tokens"});
    const std::size_t n = r.length();
    for (std::size_t i = 1; i <= n; ++i) {
      lua_rawgeti(L, r.index(), static_cast<int>(i));
      if (lua_type(L, -1) != LUA_TSTRING)
        r.fail(fmt::format("[{}]", i), "expected a prompt (a string)");
      s.prompts.emplace_back(lua_tostring(L, -1));
      lua_pop(L, 1);
    }
    if (s.prompts.empty()) r.fail("", "expected at least one prompt: prompts { \"…\", \"…\" }");
    if (const auto v = r.string("system")) s.system = *v;
    if (const auto v = r.integer("output_tokens", 1)) s.output_tokens = *v;
    return s;
  }
  if (kind == "jsonl") {
    ds::jsonl_spec s;
    r.reject_unknown(
        {"path", "field", "output_field", "output_tokens", "prompt_tokens", "shuffle"});
    const auto path = r.string("path");
    if (!path) r.fail("path", "required (a JSONL file, relative to the scenario file)");
    s.path = resolve_path(*path, dir);
    if (const auto v = r.string("field")) s.field = *v;
    if (const auto v = r.string("output_field")) s.output_field = *v;
    if (const auto v = r.integer("output_tokens", 1)) s.output_tokens = *v;
    if (const auto v = r.integer("prompt_tokens", 1)) s.prompt_tokens = *v;
    if (const auto v = r.boolean("shuffle")) s.shuffle = *v;
    return s;
  }
  if (kind == "sharegpt") {
    ds::sharegpt_spec s;
    r.reject_unknown({"path", "output_tokens", "shuffle", "filter", "min_prompt_tokens",
                      "max_prompt_tokens", "min_output_tokens", "max_total_tokens"});
    const auto path = r.string("path");
    if (!path)
      r.fail("path", "required (ShareGPT_V3_unfiltered_cleaned_split.json or a file of its shape)");
    s.path = resolve_data_path(*path, dir);
    if (const auto v = r.integer("output_tokens", 1)) s.output_tokens = *v;
    if (const auto v = r.boolean("shuffle")) s.shuffle = *v;
    if (const auto v = r.boolean("filter")) s.filter = *v;
    if (const auto v = r.integer("min_prompt_tokens", 0)) s.min_prompt_tokens = *v;
    if (const auto v = r.integer("max_prompt_tokens", 1)) s.max_prompt_tokens = *v;
    if (const auto v = r.integer("min_output_tokens", 0)) s.min_output_tokens = *v;
    if (const auto v = r.integer("max_total_tokens", 1)) s.max_total_tokens = *v;
    if (s.min_prompt_tokens > s.max_prompt_tokens)
      r.fail("min_prompt_tokens", "is larger than max_prompt_tokens");
    return s;
  }
  if (kind == "gutenberg") {
    ds::gutenberg_spec s;
    r.reject_unknown({"path", "url", "prompt_tokens", "depth_tokens", "output_tokens", "no_cache",
                      "strip_license", "adapt_prompt"});
    const auto path = r.string("path");
    const auto url = r.string("url");
    if (path && url) r.fail("url", "give either path or url, not both");
    if (path) s.path = resolve_path(*path, dir);
    if (url) {
      if (!url->starts_with("https://") && !url->starts_with("http://"))
        r.fail("url", fmt::format("expected an http:// or https:// URL, got \"{}\"", *url));
      s.url = *url;
    }
    if (!path && !url) {
      // The book llama-benchy uses, as Debian ships it (golang-github-bkaradzic-go-lz4-dev).
      s.path = ds::default_gutenberg_book();
      if (s.path.empty())
        r.fail("path",
               "required (a book as plain text), or url = \"https://…\"; the default book "
               "is not installed (apt-get install golang-github-bkaradzic-go-lz4-dev)");
    }
    if (const auto v = r.integer("prompt_tokens", 1)) s.prompt_tokens = *v;
    if (const auto v = r.integer("depth_tokens", 0)) s.depth_tokens = *v;
    if (const auto v = r.integer("output_tokens", 1)) s.output_tokens = *v;
    if (const auto v = r.boolean("no_cache")) s.no_cache = *v;
    if (const auto v = r.boolean("strip_license")) s.strip_license = *v;
    if (const auto v = r.boolean("adapt_prompt")) s.adapt_prompt = *v;
    return s;
  }
  if (kind == "shared_prefix") {
    ds::shared_prefix_spec s;
    r.reject_unknown({"path", "system_tokens", "question_tokens", "prefixes", "output_tokens"});
    if (const auto v = r.string("path")) s.path = resolve_path(*v, dir);
    if (const auto v = r.integer("system_tokens", 1)) s.system_tokens = *v;
    if (const auto v = r.integer("question_tokens", 1)) s.question_tokens = *v;
    if (const auto v = r.integer("prefixes", 1)) s.prefixes = *v;
    if (const auto v = r.integer("output_tokens", 1)) s.output_tokens = *v;
    return s;
  }
  // "conversations"
  ds::conversations_spec s;
  r.reject_unknown({"path", "sharegpt", "oasst", "turns", "prompt_tokens", "followup_tokens",
                    "system_tokens", "output_tokens", "think_time"});
  if (const auto v = r.string("path")) s.path = resolve_path(*v, dir);
  if (const auto v = r.string("sharegpt")) s.sharegpt = resolve_path(*v, dir);
  if (const auto v = r.string("oasst")) {
    if (!s.sharegpt.empty())
      r.fail("oasst", "one source of real dialogs: sharegpt or oasst, not both");
    s.oasst = resolve_path(*v, dir);
  }
  if (const auto v = r.integer("turns", 1)) s.turns = *v;
  if (const auto v = r.integer("prompt_tokens", 1)) s.prompt_tokens = *v;
  if (const auto v = r.integer("followup_tokens", 1)) s.followup_tokens = *v;
  if (const auto v = r.integer("system_tokens", 0)) s.system_tokens = *v;
  if (const auto v = r.integer("output_tokens", 1)) s.output_tokens = *v;
  if (const auto v = r.duration("think_time")) s.think_time_s = *v;
  return s;
}

void build_request(lua_State* L, table_reader& parent, rt::request_options& req) {
  table_reader r(L, -1, parent.field_path("request"), parent.where());
  r.reject_unknown({"api", "max_tokens", "ignore_eos", "temperature", "stream", "include_usage",
                    "headers", "body", "style"});
  if (const auto style = r.string("style")) {
    if (*style == "vllm")
      req.vllm_style = true;
    else if (*style != "loadwright")
      r.fail("style", fmt::format("expected \"loadwright\" or \"vllm\", got \"{}\"", *style));
  }
  if (const auto api = r.string("api")) {
    if (*api == "chat")
      req.api = rt::api_kind::chat;
    else if (*api == "completions")
      req.api = rt::api_kind::completions;
    else
      r.fail("api", fmt::format("expected \"chat\" or \"completions\", got \"{}\"", *api));
  }
  if (const auto v = r.integer("max_tokens", 1)) req.max_tokens = *v;
  if (const auto v = r.boolean("ignore_eos")) req.ignore_eos = *v;
  if (const auto v = r.number("temperature")) {
    if (*v < 0 || std::isinf(*v))
      r.fail("temperature", fmt::format("expected a number ≥ 0, got {}", *v));
    req.temperature = *v;
  }
  if (const auto v = r.boolean("stream")) req.stream = *v;
  if (const auto v = r.boolean("include_usage")) req.include_usage = *v;
  if (r.push_table("headers")) {
    table_reader h(L, -1, r.field_path("headers"), r.where());
    lua_pushnil(L);
    while (lua_next(L, h.index())) {
      if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TSTRING)
        h.fail("", "expected header names and values as strings");
      const std::string k = lua_tostring(L, -2), v = lua_tostring(L, -1);
      auto bad = [](const std::string& s) { return s.find_first_of("\r\n") != std::string::npos; };
      if (k.empty() || bad(k) || bad(v) || k.find(':') != std::string::npos)
        h.fail(k, "a header name or value cannot contain ':' (in names), CR or LF");
      req.headers.emplace_back(k, v);
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  if (r.push_table("body")) {
    table_reader b(L, -1, r.field_path("body"), r.where());
    lua_pushnil(L);
    while (lua_next(L, b.index())) {
      if (lua_type(L, -2) != LUA_TSTRING) b.fail("", "body fields need string names");
      const std::string k = lua_tostring(L, -2);
      req.body.emplace_back(k, lua_to_json(L, -1, b, k));
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
}

void build_slo(lua_State* L, table_reader& parent, rt::slo_spec& slo) {
  table_reader r(L, -1, parent.field_path("slo"), parent.where());
  r.reject_unknown({"ttft", "tpot", "e2el", "goodput"});
  if (const auto v = r.duration("ttft")) slo.ttft = secs(*v);
  if (const auto v = r.duration("tpot")) slo.tpot = secs(*v);
  if (const auto v = r.duration("e2el")) slo.e2el = secs(*v);
  if (const auto v = r.number("goodput")) {
    if (*v < 0 || *v > 1)
      r.fail("goodput", fmt::format("expected a fraction in [0, 1], got {}", *v));
    slo.min_goodput_ratio = *v;
  }
  if (slo.min_goodput_ratio && slo.empty())
    r.fail("goodput", "needs at least one of ttft, tpot, e2el to measure against");
}

void build_sinks(lua_State* L, table_reader& parent, std::vector<rt::sink_spec>& sinks) {
  table_reader r(L, -1, parent.field_path("sinks"), parent.where());
  r.reject_unknown({});
  const std::size_t n = r.length();
  for (std::size_t i = 1; i <= n; ++i) {
    lua_rawgeti(L, r.index(), static_cast<int>(i));
    const std::string field = fmt::format("[{}]", i);
    if (kind_of(L, -1) != "sink")
      r.fail(field,
             "expected a sink: console(), json \"f.json\", jsonl \"f.jsonl\", csv \"f.csv\"");
    lua_getfield(L, -1, "__sink");
    const std::string kind = lua_tostring(L, -1);
    lua_pop(L, 1);
    lua_getfield(L, -1, "path");
    rt::sink_spec s;
    if (lua_isstring(L, -1)) s.path = lua_tostring(L, -1);
    lua_pop(L, 2);
    if (s.path.find("..") != std::string::npos || (!s.path.empty() && s.path.front() == '/'))
      r.fail(field,
             "sink files are written inside the output folder: use a relative name without '..'");
    s.kind = kind == "console" ? rt::sink_kind::console
             : kind == "json"  ? rt::sink_kind::json
             : kind == "jsonl" ? rt::sink_kind::jsonl
                               : rt::sink_kind::csv;
    sinks.push_back(s);
  }
}

// A list of strings or numbers at the top of the stack, as text.
std::vector<std::string> string_list(lua_State* L, const table_reader& parent, const char* field) {
  table_reader t(L, -1, parent.field_path(field), parent.where());
  std::vector<std::string> out;
  for (std::size_t i = 1; i <= t.length(); ++i) {
    lua_rawgeti(L, -1, static_cast<int>(i));
    if (!lua_isstring(L, -1)) t.fail(fmt::format("[{}]", i), "expected a string");
    out.emplace_back(lua_tostring(L, -1));
    lua_pop(L, 1);
  }
  return out;
}

rt::llama_benchy_spec build_llama_benchy(lua_State* L, table_reader& parent) {
  table_reader r(L, -1, parent.field_path("llama_benchy"), parent.where());
  r.reject_unknown({"report", "pp", "tg", "depth", "concurrency", "latency_mode", "coherence",
                    "grid_max_concurrency", "save_total_timeseries", "save_all_timeseries",
                    "prefix_caching"});
  rt::llama_benchy_spec s;
  if (const auto v = r.string("report")) s.report = *v;
  if (s.report.empty()) r.fail("report", "required (the report's file name, without extension)");
  if (s.report.find('/') != std::string::npos || s.report.find("..") != std::string::npos)
    r.fail("report", "a file name inside the output folder, without '/' or '..'");
  if (const auto v = r.integer("pp", 0)) s.pp = *v;
  if (const auto v = r.integer("tg", 1)) s.tg = *v;
  if (const auto v = r.integer("depth", 0)) s.depth = *v;
  if (const auto v = r.integer("concurrency", 1)) s.concurrency = static_cast<int>(*v);
  if (const auto v = r.string("latency_mode")) s.latency_mode = *v;
  if (s.latency_mode != "api" && s.latency_mode != "generation" && s.latency_mode != "none")
    r.fail("latency_mode", "expected \"api\", \"generation\" or \"none\"");
  if (const auto v = r.boolean("coherence")) s.coherence = *v;
  s.grid_max_concurrency = s.concurrency;
  if (const auto v = r.integer("grid_max_concurrency", 1))
    s.grid_max_concurrency = static_cast<int>(*v);
  if (const auto v = r.boolean("save_total_timeseries")) s.save_total_timeseries = *v;
  if (const auto v = r.boolean("save_all_timeseries")) s.save_all_timeseries = *v;
  if (const auto v = r.boolean("prefix_caching")) s.prefix_caching = *v;
  return s;
}

rt::vllm_bench_spec build_vllm_bench(lua_State* L, table_reader& parent) {
  table_reader r(L, -1, parent.field_path("vllm_bench"), parent.where());
  r.reject_unknown({"label", "backend", "result_filename", "save_detailed", "metadata",
                    "percentile_metrics", "metric_percentiles"});
  rt::vllm_bench_spec s;
  if (const auto v = r.string("label")) s.label = *v;
  if (const auto v = r.string("backend")) s.backend = *v;
  if (s.backend != "openai-chat" && s.backend != "openai" && s.backend != "vllm")
    r.fail("backend", "expected \"openai-chat\", \"openai\" or \"vllm\"");
  if (const auto v = r.string("result_filename")) {
    if (v->find("..") != std::string::npos || (!v->empty() && v->front() == '/'))
      r.fail("result_filename", "a file name inside the output folder, without '..'");
    s.result_filename = *v;
  }
  if (const auto v = r.boolean("save_detailed")) s.save_detailed = *v;
  if (r.push_table("metadata")) {
    table_reader m(L, -1, r.field_path("metadata"), r.where());
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) {
      if (lua_type(L, -2) != LUA_TSTRING || !lua_isstring(L, -1))
        m.fail("", "expected string keys and string or number values");
      s.metadata.emplace_back(lua_tostring(L, -2), lua_tostring(L, -1));
      lua_pop(L, 1);
    }
    std::sort(s.metadata.begin(), s.metadata.end());
    lua_pop(L, 1);
  }
  if (r.push_table("percentile_metrics")) {
    s.percentile_metrics = string_list(L, r, "percentile_metrics");
    for (const auto& m : s.percentile_metrics)
      if (m != "ttft" && m != "tpot" && m != "itl" && m != "e2el" && m != "client_queue_time" &&
          m != "e2el_including_client_queue")
        r.fail("percentile_metrics",
               "expected names among ttft, tpot, itl, e2el, client_queue_time, "
               "e2el_including_client_queue, got " +
                   m);
    lua_pop(L, 1);
  }
  if (r.push_table("metric_percentiles")) {
    s.metric_percentiles.clear();
    for (const auto& p : string_list(L, r, "metric_percentiles")) {
      char* end = nullptr;
      const double v = std::strtod(p.c_str(), &end);
      if (end == p.c_str() || *end || v < 0 || v > 100)
        r.fail("metric_percentiles", "expected percentiles between 0 and 100, got " + p);
      s.metric_percentiles.push_back(v);
    }
    lua_pop(L, 1);
  }
  return s;
}

// `context = { gpu, gpus, model, quantization, tp, engine, engine_version }`: what the run ran
// on, as the author states it. Strings are printed, so no control characters.
rt::context_spec build_context(lua_State* L, table_reader& parent) {
  table_reader c(L, -1, parent.field_path("context"), parent.where());
  c.reject_unknown({"gpu", "gpus", "model", "quantization", "tp", "engine", "engine_version"});
  rt::context_spec ctx;
  auto text = [&](const char* key, std::string& into) {
    const auto v = c.string(key);
    if (!v) return;
    if (v->empty()) c.fail(key, "expected a non-empty string (or leave it out)");
    if (v->size() > 200) c.fail(key, "expected at most 200 characters");
    for (const unsigned char ch : *v)
      if (ch < 0x20 || ch == 0x7f) c.fail(key, "expected text without control characters");
    into = *v;
  };
  text("gpu", ctx.gpu);
  if (const auto v = c.integer("gpus", 1)) ctx.gpus = *v;
  text("model", ctx.model);
  text("quantization", ctx.quantization);
  if (const auto v = c.integer("tp", 1)) ctx.tp = *v;
  text("engine", ctx.engine);
  text("engine_version", ctx.engine_version);
  (void)L;
  return ctx;
}

// `phases = { fill, stabilize, measure, drain, fill_interval }`: the steady-state framework's
// timeline. Closed loops fill slot by slot; an open loop's load is its rate, so it has no fill.
rt::phases_spec build_phases(lua_State* L, table_reader& parent, const rt::arrival_spec& arrival) {
  table_reader p(L, -1, parent.field_path("phases"), parent.where());
  p.reject_unknown({"fill", "stabilize", "measure", "drain", "fill_interval"});
  if (std::holds_alternative<rt::batch_arrival>(arrival))
    parent.fail("phases",
                "not for batch arrivals (a batch waits for all its requests, so it has no steady "
                "load to measure): use closed { concurrency = N }");
  const bool open = rt::is_open_loop(arrival);
  for (const char* key : {"fill", "fill_interval"})
    if (open && p.has(key))
      p.fail(key,
             "an open loop has no fill (its rate is its load from the start); stabilize is its "
             "warm-up by time");
  rt::phases_spec spec;
  if (open) spec.fill = rt::seconds_d(0);
  if (const auto v = p.duration("fill")) spec.fill = secs(*v);
  if (const auto v = p.duration("stabilize")) spec.stabilize = secs(*v);
  if (const auto v = p.duration("measure")) spec.measure = secs(*v);
  if (const auto v = p.duration("drain")) spec.drain = secs(*v);
  if (const auto v = p.duration("fill_interval")) spec.fill_interval = secs(*v);
  return spec;
}

}  // namespace

// `capacity { target_rate, max_rate, max_rate_low, max_rate_high, gpus_per_instance, headroom,
// name }`: a capacity plan on its own.
rt::capacity_spec build_capacity(lua_State* L, int index, const std::string& where,
                                 bool max_rate_given) {
  index = abs_index(L, index);
  table_reader r(L, index, "capacity", where);
  r.reject_unknown({"name", "target_rate", "max_rate", "max_rate_low", "max_rate_high",
                    "gpus_per_instance", "headroom"});
  rt::capacity_spec c;
  c.source = where;
  if (const auto v = r.string("name")) {
    if (v->empty() || v->find('/') != std::string::npos || v->find("..") != std::string::npos ||
        v->front() == '.')
      r.fail("name", "a file name inside the output folder, without '/' or '..'");
    c.name = *v;
  }
  const auto target = r.number("target_rate");
  if (!target) r.fail("target_rate", "required (the requests per second to serve)");
  if (*target <= 0 || !std::isfinite(*target))
    r.fail("target_rate", fmt::format("expected a positive finite rate, got {}", *target));
  c.target_rate = *target;
  if (!max_rate_given) {  // find_max's answer and band fill these in
    r.reject_unknown({"name", "target_rate", "gpus_per_instance", "headroom"});
  } else {
    const auto max = r.number("max_rate");
    if (!max)
      r.fail("max_rate",
             "required (what one instance sustains under the SLOs, in requests per second: "
             "find it with find_max)");
    if (*max <= 0 || !std::isfinite(*max))
      r.fail("max_rate", fmt::format("expected a positive finite rate, got {}", *max));
    c.max_rate = *max;
  }
  const auto low = r.number("max_rate_low"), high = r.number("max_rate_high");
  if (low.has_value() != high.has_value())
    r.fail(low ? "max_rate_high" : "max_rate_low",
           "a band needs both ends: max_rate_low and max_rate_high");
  if (low) {
    if (*low <= 0 || !std::isfinite(*low))
      r.fail("max_rate_low", fmt::format("expected a positive finite rate, got {}", *low));
    if (!std::isfinite(*high))
      r.fail("max_rate_high", fmt::format("expected a finite rate, got {}", *high));
    if (!(*low <= c.max_rate && c.max_rate <= *high))
      r.fail("max_rate_low",
             fmt::format("the band [{}, {}] must contain max_rate ({})", *low, *high, c.max_rate));
    c.max_rate_low = *low;
    c.max_rate_high = *high;
  }
  if (const auto v = r.integer("gpus_per_instance", 1))
    c.gpus_per_instance = static_cast<int>(std::min<std::int64_t>(*v, 1'000'000));
  if (const auto v = r.number("headroom")) {
    if (*v < 0 || *v > 10)
      r.fail("headroom", fmt::format("expected a fraction ≥ 0 (0.2 = 20 %), got {}", *v));
    c.headroom = *v;
  }
  return c;
}

// `thresholds = { p99_ttft_ms = "< 2000", ["custom.slow"] = "== 0" }`: each key a summary
// key (or custom.NAME, llama_benchy.NAME; with phases steady_state.NAME), each value a
// comparison with a number.
std::vector<rt::threshold_spec> build_thresholds(lua_State* L, table_reader& parent,
                                                 const rt::scenario_plan& plan) {
  table_reader t(L, -1, parent.field_path("thresholds"), parent.where());
  // The keys a summary of this scenario has: those of an empty one.
  rt::slo_spec any_slo;
  any_slo.ttft = rt::seconds_d(1);
  std::vector<std::string> known = rt::possible_summary_keys({plan.percentiles, any_slo});
  if (plan.phases)
    known.insert(known.end(), std::begin(rt::steady_state_keys), std::end(rt::steady_state_keys));
  std::vector<rt::threshold_spec> out;
  lua_pushnil(L);
  while (lua_next(L, t.index())) {
    if (lua_type(L, -2) != LUA_TSTRING) t.fail("[?]", "keys are metric names (strings)");
    rt::threshold_spec spec;
    spec.key = lua_tostring(L, -2);
    const bool derived = spec.key.starts_with("custom.") || spec.key.starts_with("llama_benchy.");
    if (!derived && std::find(known.begin(), known.end(), spec.key) == known.end()) {
      const auto guess = did_you_mean(spec.key, known);
      t.fail(spec.key,
             "not a summary metric" + (guess.empty() ? std::string(" (a script's own: custom.NAME)")
                                                     : " (did you mean '" + guess + "'?)"));
    }
    if (lua_type(L, -1) != LUA_TSTRING)
      t.fail(spec.key, "expected a comparison such as \"< 2000\" or \">= 0.99\"");
    spec.text = lua_tostring(L, -1);
    std::size_t i = spec.text.find_first_not_of(' ');
    for (const char* op : {"<=", ">=", "==", "!=", "<", ">"})
      if (i != std::string::npos && spec.text.compare(i, std::strlen(op), op) == 0) {
        spec.op = op;
        i += std::strlen(op);
        break;
      }
    const auto number = i == std::string::npos ? std::string() : spec.text.substr(i);
    char* end = nullptr;
    spec.value = std::strtod(number.c_str(), &end);
    const bool rest_blank =
        end && std::string_view(end).find_first_not_of(' ') == std::string_view::npos;
    if (spec.op.empty() || number.find_first_not_of(' ') == std::string::npos || !rest_blank ||
        !std::isfinite(spec.value))
      t.fail(spec.key,
             fmt::format("expected <, <=, >, >=, == or != and a number, got \"{}\"", spec.text));
    out.push_back(std::move(spec));
    lua_pop(L, 1);
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.key < b.key; });  // a stable print order
  return out;
}

rt::scenario_plan build_scenario(lua_State* L, int index, const std::filesystem::path& script_dir,
                                 std::size_t ordinal) {
  index = abs_index(L, index);
  std::string where = where_of(L, index, "");
  if (where.empty()) where = locate_constructor("scenario", ordinal);
  table_reader r(L, index, "scenario", where);
  r.reject_unknown({"name",          "description",
                    "seed",          "dataset",
                    "arrival",       "requests",
                    "duration",      "warmup",
                    "runs",          "max_concurrency",
                    "timeout",       "idle_timeout",
                    "sample_pool",   "allowed_failures",
                    "percentiles",   "request",
                    "slo",           "sinks",
                    "target",        "phases",
                    "tokenizer",     "request_hook",
                    "on_record",     "on_done",
                    "on_request",    "on_response",
                    "thresholds",    "fresh_prompts",
                    "context_first", "llama_benchy",
                    "vllm_bench",    "arena",
                    "curve",         "skip_without_data",
                    "steady_report", "context"});
  rt::scenario_plan plan;
  plan.source = where;
  const auto name = r.string("name");
  if (!name || name->empty()) r.fail("name", "required (it names the result files)");
  plan.name = *name;
  if (const auto v = r.integer("seed", 0)) plan.seed = static_cast<std::uint64_t>(*v);

  if (r.push_table("dataset")) {
    plan.dataset = build_dataset(L, r, script_dir);
    lua_pop(L, 1);
  }
  if (!r.push_table("arrival"))
    r.fail("arrival", "required (closed, batch, poisson, constant, ramp or stages)");
  plan.arrival = build_arrival(L, r);
  lua_pop(L, 1);

  if (const auto v = r.integer("requests", 1)) plan.requests = static_cast<std::uint64_t>(*v);
  if (const auto v = r.duration("duration")) plan.duration = secs(*v);
  if (const auto v = r.integer("warmup", 0)) plan.warmup = static_cast<std::uint64_t>(*v);
  if (const auto v = r.integer("runs", 1)) plan.runs = static_cast<int>(*v);
  if (const auto v = r.integer("max_concurrency", 1)) plan.max_concurrency = static_cast<int>(*v);
  if (const auto v = r.duration("timeout")) plan.timeout = secs(*v);
  if (const auto v = r.duration("idle_timeout")) plan.idle_timeout = secs(*v);
  if (const auto v = r.integer("sample_pool", 1)) plan.sample_pool = static_cast<std::uint64_t>(*v);
  if (const auto v = r.number("allowed_failures")) {
    if (*v < 0 || *v > 1)
      r.fail("allowed_failures", fmt::format("expected a fraction in [0, 1], got {}", *v));
    plan.allowed_failure_ratio = *v;
  }
  if (r.push_table("percentiles")) {
    table_reader p(L, -1, r.field_path("percentiles"), where);
    plan.percentiles.clear();
    for (std::size_t i = 1; i <= p.length(); ++i) {
      lua_rawgeti(L, -1, static_cast<int>(i));
      const double v = lua_tonumber(L, -1);
      if (lua_type(L, -1) != LUA_TNUMBER || v < 0 || v > 100)
        p.fail(fmt::format("[{}]", i), "expected a percentile between 0 and 100");
      plan.percentiles.push_back(v);
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  if (r.push_table("request")) {
    build_request(L, r, plan.request);
    lua_pop(L, 1);
  }
  if (r.push_table("slo")) {
    build_slo(L, r, plan.slo);
    lua_pop(L, 1);
  }
  if (r.push_table("sinks")) {
    build_sinks(L, r, plan.sinks);
    lua_pop(L, 1);
  }
  if (r.push_table("target")) {
    table_reader t(L, -1, r.field_path("target"), where);
    if (t.has("api_key"))
      t.fail("api_key", "a key does not belong in a shareable file; use api_key_env or --api-key");
    t.reject_unknown({"name", "base_url", "model", "api_key_env"});
    if (const auto v = t.string("name")) {
      const bool plain = !v->empty() && std::all_of(v->begin(), v->end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
      });
      if (!plain)
        t.fail("name",
               "a short name of letters, digits, '_', '-' or '.' (as in --target NAME=URL)");
      plan.target.name = *v;
    }
    if (const auto v = t.string("base_url")) plan.target.base_url = *v;
    if (const auto v = t.string("model")) plan.target.model = *v;
    if (const auto v = t.string("api_key_env")) plan.target.api_key_env = *v;
    lua_pop(L, 1);
  }
  if (r.push_table("context")) {
    plan.context = build_context(L, r);
    lua_pop(L, 1);
  }
  if (const auto v = r.string("tokenizer")) {
    if (v->empty()) r.fail("tokenizer", "expected a path to a tokenizer.json or its folder");
    plan.tokenizer = resolve_path(*v, script_dir);
  }
  if (const auto v = r.boolean("fresh_prompts")) plan.fresh_prompts = *v;
  if (const auto v = r.boolean("skip_without_data")) plan.skip_without_data = *v;
  if (const auto v = r.boolean("context_first")) plan.context_first = *v;
  if (r.push_table("llama_benchy")) {
    plan.llama_benchy = build_llama_benchy(L, r);
    lua_pop(L, 1);
  }
  if (r.push_table("vllm_bench")) {
    plan.vllm_bench = build_vllm_bench(L, r);
    lua_pop(L, 1);
  }
  if (r.push_table("arena")) {
    table_reader a(L, -1, r.field_path("arena"), where);
    a.reject_unknown({"benchmark", "headline"});
    rt::arena_spec spec;
    if (const auto v = a.string("benchmark")) spec.benchmark = *v;
    if (spec.benchmark.empty()) a.fail("benchmark", "required (the row's name, e.g. \"01 Chat\")");
    if (const auto v = a.string("headline")) spec.headline = *v;
    if (spec.headline != "tg" && spec.headline != "output_throughput")
      a.fail("headline", "expected \"tg\" (llama-benchy's decode t/s) or \"output_throughput\"");
    plan.arena = spec;
    lua_pop(L, 1);
  }
  if (r.push_table("curve")) {
    table_reader c(L, -1, r.field_path("curve"), where);
    c.reject_unknown({"report", "point"});
    rt::curve_spec spec;
    if (const auto v = c.string("report")) spec.report = *v;
    if (spec.report.empty() || spec.report.find('/') != std::string::npos ||
        spec.report.find("..") != std::string::npos)
      c.fail("report", "required: the curve's file name, without '/' or '..'");
    spec.point = c.string("point").value_or(plan.name);
    plan.curve = spec;
    lua_pop(L, 1);
  }
  if (r.push_table("phases")) {
    plan.phases = build_phases(L, r, plan.arrival);
    lua_pop(L, 1);
  }
  if (r.push_table("steady_report")) {
    table_reader c(L, -1, r.field_path("steady_report"), where);
    c.reject_unknown({"report", "scenario", "target"});
    rt::steady_report_spec spec;
    if (const auto v = c.string("report")) spec.report = *v;
    if (spec.report.empty() || spec.report.find('/') != std::string::npos ||
        spec.report.find("..") != std::string::npos)
      c.fail("report", "required: the report's file name, without '/' or '..'");
    spec.scenario = c.string("scenario").value_or(plan.name);
    spec.target = c.string("target").value_or("");
    if (!plan.phases || !std::holds_alternative<rt::closed_arrival>(plan.arrival))
      r.fail("steady_report",
             "a cell of a steady-state grid needs `phases` and a closed { concurrency = N } "
             "arrival (N is its batch size)");
    plan.steady_report = spec;
    lua_pop(L, 1);
  }
  for (const char* hook : {"request_hook", "on_record", "on_done", "on_request", "on_response"}) {
    if (!r.has(hook)) continue;
    lua_getfield(L, index, hook);
    const bool fn = lua_type(L, -1) == LUA_TFUNCTION;
    lua_pop(L, 1);
    if (!fn) r.fail(hook, "expected a function");
  }
  if (r.has("request_hook") && r.has("on_request"))
    r.fail("on_request", "the old name of request_hook: give one of them");
  if (r.has("on_record") && r.has("on_response"))
    r.fail("on_response", "the old name of on_record: give one of them");
  if (r.push_table("thresholds")) {
    plan.thresholds = build_thresholds(L, r, plan);
    lua_pop(L, 1);
  }

  // Cross-field rules.
  if (std::holds_alternative<ds::random_spec>(plan.dataset) && !plan.request.ignore_eos)
    plan.request.ignore_eos = true;  // vLLM's rule: random prompts run to max_tokens
  const bool open = rt::is_open_loop(plan.arrival);
  if (plan.phases && (plan.requests || plan.duration))
    r.fail(plan.requests ? "requests" : "duration",
           "`phases` set how long the run lasts (fill, stabilize, measure, drain): give "
           "`requests` and `duration` only without them");
  if (!plan.phases && !plan.requests && !plan.duration && !rt::natural_duration(plan.arrival))
    r.fail("requests", open ? "set `requests` or `duration` (how much to send)"
                            : "set `requests` or `duration` (how long the closed loop runs)");
  if (const auto* p = std::get_if<rt::poisson_arrival>(&plan.arrival);
      p && !p->ramp_up.empty() && !plan.requests)
    r.fail("requests", "a ramp_up gives each request its own rate, so it needs `requests`");
  if (const auto* p = std::get_if<rt::poisson_arrival>(&plan.arrival);
      p && std::isinf(p->rate) && p->ramp_up.empty() && !plan.requests)
    r.fail("requests", "rate = math.huge sends everything at once, so it needs `requests`");
  if (const auto* p = std::get_if<rt::poisson_arrival>(&plan.arrival);
      p && p->normalize && (!plan.requests || plan.duration))
    r.fail("arrival.normalize",
           "scales the schedule so `requests` arrivals span requests / rate: it needs `requests` "
           "and no `duration`");
  if (plan.context_first && !std::holds_alternative<rt::batch_arrival>(plan.arrival))
    r.fail("context_first",
           "sends each batch's context first: it needs a batch { size = N } arrival");
  if (plan.context_first && !std::holds_alternative<ds::gutenberg_spec>(plan.dataset))
    r.fail("context_first", "needs a dataset with a context: gutenberg { depth_tokens = N }");
  return plan;
}

}  // namespace loadwright::scripting
