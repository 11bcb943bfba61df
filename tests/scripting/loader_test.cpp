#include "loadwright/scripting/scenario_loader.hpp"

#include <filesystem>
#include <fstream>

#include "catch.hpp"
#include "loadwright/scripting/script_session.hpp"

using namespace loadwright::scripting;
namespace rt = loadwright::runtime;
namespace fs = std::filesystem;

namespace {

fs::path write_script(const std::string& name, const std::string& text) {
  const auto dir = fs::temp_directory_path() / "lw_loader_test";
  fs::create_directories(dir);
  const auto p = dir / name;
  std::ofstream(p) << text;
  return p;
}

std::string load_error(const std::string& text, load_options o = {}) {
  const auto p = write_script("bad.lua", text);
  try {
    load_scenario_file(p, o);
  } catch (const script_error& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("loader: a full scenario becomes a plan", "[scripting]") {
  const auto p = write_script("ok.lua", R"(
return scenario {
  name = "mm",
  seed = 7,
  dataset = random { input_tokens = 100, output_tokens = 10, range_ratio = 0.1 },
  arrival = stages {
    { poisson { rate = 0.3, burstiness = 0.7 }, duration = "2m" },
    { ramp { from = 1, to = 3, over = "1m" }, duration = 90 },
  },
  max_concurrency = 25,
  warmup = 2, runs = 3,
  request = { temperature = 0, headers = { ["X-A"] = "b" }, body = { top_k = 5, stop = { "x" } } },
  slo = { ttft = "2s", tpot = "100ms", goodput = 0.9 },
  sinks = { console(), json "s.json", csv "r.csv" },
  percentiles = { 50, 99.9 },
  timeout = "5m",
})");
  const auto f = load_scenario_file(p, {});
  REQUIRE(f.scenarios.size() == 1);
  const auto& plan = f.scenarios[0];
  CHECK(plan.name == "mm");
  CHECK(plan.seed == 7);
  CHECK(plan.source.ends_with("ok.lua:2"));
  const auto& st = std::get<rt::stages_arrival>(plan.arrival);
  REQUIRE(st.stages.size() == 2);
  CHECK(st.stages[0].duration.count() == 120);
  CHECK(std::get<rt::poisson_arrival>(st.stages[0].arrival).burstiness == 0.7);
  CHECK(std::get<rt::ramp_arrival>(st.stages[1].arrival).over.count() == 60);
  CHECK(*plan.max_concurrency == 25);
  CHECK(plan.runs == 3);
  CHECK(*plan.request.ignore_eos);  // random dataset
  CHECK(plan.request.body.size() == 2);
  CHECK(plan.slo.tpot->count() == Approx(0.1));
  CHECK(plan.sinks.size() == 3);
  CHECK(plan.percentiles == std::vector<double>{50, 99.9});
  CHECK(plan.timeout.count() == 300);
}

TEST_CASE("loader: errors name file, line and field", "[scripting]") {
  CHECK(load_error("return scenario {\n name = 'x',\n arrival = poisson {\n  rate = -1 },\n "
                   "requests = 3 }") ==
        std::string((fs::temp_directory_path() / "lw_loader_test/bad.lua").string()) +
            ":4: scenario.arrival.rate: expected a positive number, got -1");
  CHECK_THAT(
      load_error(
          "return scenario { name = 'x', arrival = closed { concurency = 2 }, requests = 1 }"),
      Catch::Contains("scenario.arrival.concurency: unknown field (did you mean 'concurrency'?)"));
  CHECK_THAT(
      load_error(
          "return scenario { name = 'x', arrival = closed { concurrency = 2 },\n requets = 1 }"),
      Catch::Contains("bad.lua:2: scenario.requets: unknown field (did you mean 'requests'?)"));
  CHECK_THAT(load_error("return scenario { name = 'x', arrival = closed { concurrency = 2 } }"),
             Catch::Contains("set `requests` or `duration`"));
  CHECK_THAT(
      load_error(
          "return scenario { name = 'x', arrival = poisson { rate = math.huge }, duration = 5 }"),
      Catch::Contains("needs `requests`"));
  CHECK_THAT(load_error("return scenario { name = 'x', arrival = random {}, requests = 1 }"),
             Catch::Contains("scenario.arrival: expected an arrival process"));
  CHECK_THAT(
      load_error(
          "return scenario { name = 'x', arrival = closed { concurrency = 1.5 }, requests = 1 }"),
      Catch::Contains("expected a whole number, got 1.5"));
  CHECK_THAT(load_error("return scenario { name = 'x', arrival = closed{concurrency=1}, requests = "
                        "1, duration = '2 weeks' }"),
             Catch::Contains("scenario.duration: expected a positive duration"));
  CHECK_THAT(load_error("return 42"), Catch::Contains("must return scenario { … }"));
  CHECK_THAT(load_error("return scenario {"), Catch::Contains("bad.lua:1:"));
  CHECK_THAT(load_error("error('boom')"), Catch::Contains("bad.lua:1: boom"));
  CHECK_THAT(load_error("return scenario { name = 'x', arrival = closed{concurrency=1}, requests = "
                        "1, target = { api_key = 'k' } }"),
             Catch::Contains("does not belong in a shareable file"));
  CHECK_THAT(load_error("return scenario { name = 'x', arrival = closed{concurrency=1}, requests = "
                        "1, request = { headers = { ['X'] = 'a\\r\\nB: c' } } }"),
             Catch::Contains("CR or LF"));
}

TEST_CASE("loader: the sandbox", "[scripting][sandbox]") {
  CHECK_THAT(load_error("os.execute('true')"), Catch::Contains("global 'os'"));
  CHECK_THAT(load_error("io.open('/tmp/x', 'w')"), Catch::Contains("global 'io'"));
  CHECK_THAT(load_error("require('ffi')"), Catch::Contains("module 'ffi' not found"));
  CHECK_THAT(load_error("require('../../etc/passwd')"), Catch::Contains("cannot leave"));
  CHECK_THAT(load_error("loadstring('return 1')()"), Catch::Contains("loadstring"));
  CHECK_THAT(load_error("string.dump(print)"), Catch::Contains("dump"));
  CHECK_THAT(load_error("debug.getinfo(1)"), Catch::Contains("global 'debug'"));
  CHECK_THAT(load_error("while true do end"),
             Catch::Contains("bad.lua:1: the script ran for more than"));
  CHECK_THAT(load_error("local t = {} while true do t[#t+1] = {} end"),
             Catch::Contains("bad.lua:1: the script reached its limit of 512 MiB of memory"));
  load_options unsafe;
  unsafe.unsafe = true;
  CHECK_THAT(load_error("assert(io and os) return 1", unsafe), Catch::Contains("must return"));
}

TEST_CASE("loader: a hostile script cannot outlast its limits or hide its errors",
          "[scripting][sandbox]") {
  // pcall catches the limit's error once; after that every instruction raises it again.
  CHECK_THAT(load_error("while true do pcall(function() while true do end end) end"),
             Catch::Contains("bad.lua:1: the script ran for more than"));
  CHECK_THAT(load_error("while true do pcall(pcall, function() while true do end end) end"),
             Catch::Contains("the script ran for more than"));
  CHECK_THAT(load_error("local t = {} while true do pcall(function() t[#t+1] = {} end) end"),
             Catch::Contains("the script reached its limit of 512 MiB of memory"));
  load_options small;
  small.max_memory_bytes = 64u << 20;
  CHECK_THAT(load_error("for i = 1, 1e9 do pcall(string.rep, 'x', 2^30) end", small),
             Catch::Contains("the script reached its limit of 64 MiB"));
  // An error object with a __tostring that never returns: its type is named, it is not run.
  CHECK(load_error("error(setmetatable({}, { __tostring = function() while true do end end }))") ==
        fs::path(fs::temp_directory_path() / "lw_loader_test" / "bad.lua").string() +
            ": the script raised an error that is not a string (a table)");
  // A returned value nested without end, or in a cycle, is refused or read once.
  CHECK_THAT(load_error("local t = {} for i = 1, 1e5 do t = { t } end return t"),
             Catch::Contains("the value the script returned: tables nested more than 200 deep"));
  CHECK_THAT(load_error("local l = {} l[1] = l return l"), Catch::Contains("suite[1]"));
  // A module that is a link out of the module folders is not read.
  const auto dir = fs::temp_directory_path() / "lw_loader_test";
  fs::remove(dir / "outside.lua");
  fs::create_symlink("/etc/passwd", dir / "outside.lua");
  CHECK_THAT(load_error("require 'outside'"), Catch::Contains("a link out of the module folders"));
  // The string library's metatable is the script's to spoil, but our checks are in C++.
  CHECK_THAT(load_error("string.find = function() return nil end "
                        "getmetatable('').__index = function() return function() end end "
                        "require('../x')"),
             Catch::Contains("cannot leave"));
}

TEST_CASE("loader: the sandbox keeps a script to its own files, servers and keys",
          "[scripting][sandbox]") {
  const std::string head =
      "return scenario { name = 'x', requests = 1, arrival = closed { "
      "concurrency = 1 }, ";
  for (const std::string path : {"/etc/passwd", "../../../../etc/hosts", "sub/../../outside.txt"})
    CHECK_THAT(load_error(head + "dataset = jsonl { path = '" + path + "' } }"),
               Catch::Contains("bad.lua:1: scenario.dataset.path: '") &&
                   Catch::Contains("is outside the scenario's folder"));
  CHECK_THAT(load_error(head + "dataset = conversations { sharegpt = '/etc/passwd' } }"),
             Catch::Contains("scenario.dataset.sharegpt"));
  CHECK_THAT(load_error(head + "tokenizer = '/etc/ssh' }"), Catch::Contains("scenario.tokenizer"));
  // A symlink beside the script does not lead out either.
  const auto dir = fs::temp_directory_path() / "lw_loader_test";
  fs::remove(dir / "link.jsonl");
  fs::create_symlink("/etc/passwd", dir / "link.jsonl");
  CHECK_THAT(load_error(head + "dataset = jsonl { path = 'link.jsonl' } }"),
             Catch::Contains("outside the scenario's folder"));
  // Files beside the script, and what the user names with --set, are fine.
  CHECK(load_error(head + "dataset = jsonl { path = 'data/prompts.jsonl' } }") == "(no error)");
  load_options set;
  set.overrides = {"dataset.path=/etc/hosts"};
  CHECK(load_error(head + "dataset = jsonl { path = '/etc/passwd' } }", set) == "(no error)");
  load_options unsafe;
  unsafe.unsafe = true;
  CHECK(load_error(head + "dataset = jsonl { path = '/etc/passwd' } }", unsafe) == "(no error)");

  CHECK_THAT(load_error(head + "dataset = gutenberg { url = 'https://evil.example/x.txt' } }"),
             Catch::Contains("scenario.dataset.url") && Catch::Contains("Project Gutenberg"));
  CHECK_THAT(load_error(head + "dataset = gutenberg { url = 'https://gutenberg.org.evil/x' } }"),
             Catch::Contains("scenario.dataset.url"));
  CHECK(load_error(head + "dataset = gutenberg { url = 'https://www.gutenberg.org/x.txt' } }") ==
        "(no error)");
  CHECK_THAT(load_error(head + "target = { api_key_env = 'AWS_SECRET_ACCESS_KEY' } }"),
             Catch::Contains("scenario.target.api_key_env"));
  CHECK(load_error(head + "target = { api_key_env = 'GROQ_API_KEY' } }") == "(no error)");

  // No code runs once loadwright reads the result: metatables are dropped.
  CHECK(load_error("local s = scenario { name = 'x', requests = 1, arrival = closed { "
                   "concurrency = 1 } } return setmetatable(s, { __index = function() while "
                   "true do end end })") == "(no error)");
  // Libraries that reach outside are absent; bytecode is refused, also as a module.
  CHECK_THAT(load_error("package.loadlib('x', 'y')"), Catch::Contains("global 'package'"));
  CHECK_THAT(load_error("jit.off()"), Catch::Contains("global 'jit'"));
  CHECK_THAT(load_error("dofile('/etc/passwd')"), Catch::Contains("global 'dofile'"));
  CHECK_THAT(load_error("loadfile('/etc/passwd')"), Catch::Contains("global 'loadfile'"));
  write_script("bytecode.lua", std::string("\x1bLJ\x02\x0a", 5));
  CHECK_THAT(load_error("require 'bytecode'"),
             Catch::Contains("bytecode.lua: precompiled bytecode"));
  // One huge allocation is caught by the allocator, not after the fact.
  load_options small;
  small.max_memory_bytes = 64u << 20;
  CHECK_THAT(load_error("local s = string.rep('x', 2^30)", small),
             Catch::Contains("bad.lua: the script reached its limit of 64 MiB of memory"));
}

TEST_CASE("loader: modules, suites, --set and --seed", "[scripting]") {
  write_script("common.lua", "return { fast = closed { concurrency = 2 } }");
  const auto p = write_script("suite.lua", R"(
local common = require "common"
local function s(name) return scenario { name = name, arrival = common.fast, requests = 4 } end
return { s "a", s "b" })");
  load_options o;
  o.overrides = {"requests=9", "arrival.concurrency=3"};
  o.seed = 5;
  const auto f = load_scenario_file(p, o);
  REQUIRE(f.suite);
  REQUIRE(f.scenarios.size() == 2);
  CHECK(*f.scenarios[1].requests == 9);
  CHECK(std::get<rt::closed_arrival>(f.scenarios[1].arrival).concurrency == 3);
  CHECK(f.scenarios[0].seed == 5);
  o.overrides = {"nothere.rate=1"};
  CHECK_THROWS_WITH(load_scenario_file(p, o), Catch::Contains("--set nothere.rate=1"));
  write_script("dup.lua",
               "local s = scenario { name = 'a', arrival = closed{concurrency=1}, requests = 1 } "
               "return { s, s }");
  CHECK_THROWS_WITH(load_scenario_file(fs::temp_directory_path() / "lw_loader_test/dup.lua", {}),
                    Catch::Contains("used twice"));
}

TEST_CASE("durations", "[scripting]") {
  CHECK(*parse_duration_seconds("250ms") == Approx(0.25));
  CHECK(*parse_duration_seconds("1m30s") == 90);
  CHECK(*parse_duration_seconds("2h") == 7200);
  CHECK(*parse_duration_seconds("12") == 12);
  CHECK_FALSE(parse_duration_seconds("12 parsecs"));
  CHECK_FALSE(parse_duration_seconds(""));
}

TEST_CASE("every shipped scenario and example loads and validates", "[scripting][shipped]") {
  std::size_t n = 0;
  for (const char* dir : {"scenarios", "examples"}) {
    const fs::path root = fs::path(LW_SOURCE_DIR) / dir;
    if (!fs::exists(root)) continue;
    for (const auto& e : fs::recursive_directory_iterator(root)) {
      if (e.path().extension() != ".lua" || e.path().parent_path().filename() == "lib")
        continue;  // lib/: modules
      INFO(e.path().string());
      load_options o;
      o.module_dirs = {fs::path(LW_SOURCE_DIR) / "scenarios",
                       fs::path(LW_SOURCE_DIR) / "scenarios" / "lib"};
      const auto f = load_scenario_file(e.path(), o);
      // scenarios, function(run), or a capacity plan on its own
      CHECK((!f.scenarios.empty() || f.session->decides() || f.capacity.has_value() ||
             f.experiment.has_value()));
      ++n;
    }
  }
  CHECK(n >= 2);
}

TEST_CASE("loader: the dataset constructors of issue 4 become specs", "[scripting][datasets]") {
  namespace ds = loadwright::datasets;
  const auto p = write_script("datasets.lua", R"(
return {
  scenario { name = "a", tokenizer = "tok/dir", requests = 1, arrival = closed { concurrency = 1 },
             dataset = sharegpt { path = "sg.json", output_tokens = 64, max_prompt_tokens = 2000, filter = false } },
  scenario { name = "b", requests = 1, arrival = closed { concurrency = 1 },
             dataset = gutenberg { url = "https://www.gutenberg.org/cache/epub/1661/pg1661.txt", prompt_tokens = 100, depth_tokens = 4096, no_cache = true } },
  scenario { name = "c", requests = 1, arrival = closed { concurrency = 1 },
             dataset = conversations { turns = 5, think_time = "2s", followup_tokens = 30, system_tokens = 500 } },
  scenario { name = "d", requests = 1, arrival = closed { concurrency = 1 },
             dataset = shared_prefix { path = "book.txt", system_tokens = 1000, question_tokens = 20, prefixes = 4 } },
})");
  const auto f = load_scenario_file(p, {});
  REQUIRE(f.scenarios.size() == 4);
  const auto dir = p.parent_path();
  CHECK(f.scenarios[0].tokenizer == (dir / "tok/dir").string());
  const auto& sg = std::get<ds::sharegpt_spec>(f.scenarios[0].dataset);
  CHECK(sg.path == (dir / "sg.json").string());
  CHECK(sg.output_tokens == 64);
  CHECK(sg.max_prompt_tokens == 2000);
  CHECK_FALSE(sg.filter);
  const auto& g = std::get<ds::gutenberg_spec>(f.scenarios[1].dataset);
  CHECK(g.url == "https://www.gutenberg.org/cache/epub/1661/pg1661.txt");
  CHECK(g.path.empty());
  CHECK(g.depth_tokens == 4096);
  CHECK(g.no_cache);
  const auto& c = std::get<ds::conversations_spec>(f.scenarios[2].dataset);
  CHECK(c.turns == 5);
  CHECK(c.think_time_s == 2.0);
  CHECK(c.system_tokens == 500);
  const auto& sp = std::get<ds::shared_prefix_spec>(f.scenarios[3].dataset);
  CHECK(sp.prefixes == 4);
  CHECK(sp.path == (dir / "book.txt").string());
}

TEST_CASE("loader: dataset mistakes name the field", "[scripting][datasets]") {
  CHECK_THAT(
      load_error(
          R"(return scenario { name = "x", requests = 1, arrival = closed { concurrency = 1 },
    dataset = sharegpt { } })"),
      Catch::Contains("scenario.dataset.path: required"));
  CHECK_THAT(
      load_error(
          R"(return scenario { name = "x", requests = 1, arrival = closed { concurrency = 1 },
    dataset = sharegpt { path = "a", outptu_tokens = 3 } })"),
      Catch::Contains("did you mean 'output_tokens'"));
  CHECK_THAT(
      load_error(
          R"(return scenario { name = "x", requests = 1, arrival = closed { concurrency = 1 },
    dataset = gutenberg { url = "ftp://x" } })"),
      Catch::Contains("scenario.dataset.url: expected an http:// or https:// URL"));
  CHECK_THAT(
      load_error(
          R"(return scenario { name = "x", requests = 1, arrival = closed { concurrency = 1 },
    dataset = gutenberg { path = "a", url = "https://x" } })"),
      Catch::Contains("give either path or url"));
  CHECK_THAT(
      load_error(
          R"(return scenario { name = "x", requests = 1, arrival = closed { concurrency = 1 },
    dataset = conversations { turns = 0 } })"),
      Catch::Contains("scenario.dataset.turns"));
  CHECK_THAT(
      load_error(
          R"(return scenario { name = "x", requests = 1, arrival = closed { concurrency = 1 },
    tokenizer = 3, dataset = random {} })"),
      Catch::Contains("scenario.tokenizer"));
}

TEST_CASE("loader: the peers' modules expand into plans", "[scripting][peers]") {
  load_options o;
  o.module_dirs = {fs::path(LW_SOURCE_DIR) / "scenarios" / "lib"};
  const auto p = write_script("grid.lua", R"(
local llama_benchy = require "llama_benchy"
local vllm_bench = require "vllm_bench"
local grid = llama_benchy.sweep { name = "g", pp = { 512, 1024 }, tg = 32, depth = { 0, 4096 },
                                  concurrency = { 1, 4 }, prefix_caching = true, no_cache = true }
grid[#grid + 1] = vllm_bench.serve { name = "v", backend = "openai-chat", random_input_len = 100,
  random_output_len = 10, request_rate = 2, burstiness = 0.5, num_prompts = 30, max_concurrency = 3,
  seed = 7, metric_percentiles = "50,99.9", label = "lbl", temperature = 0 }
return grid)");
  const auto f = load_scenario_file(p, o);
  REQUIRE(f.scenarios.size() == 2 * 2 * 2 + 1);
  // llama-benchy's loop order: depth, then pp, then tg, then concurrency.
  const auto& first = f.scenarios[0];
  CHECK(first.name == "g-pp512-tg32-d0-c1");
  CHECK(f.scenarios[1].name == "g-pp512-tg32-d0-c4");
  CHECK(f.scenarios[4].name == "g-pp512-tg32-d4096-c1");
  CHECK(first.fresh_prompts);
  CHECK_FALSE(first.context_first);  // no context at depth 0
  CHECK(f.scenarios[4].context_first);
  REQUIRE(first.llama_benchy);
  CHECK(first.llama_benchy->grid_max_concurrency == 4);
  CHECK(first.llama_benchy->latency_mode == "api");
  CHECK(std::get<rt::batch_arrival>(f.scenarios[1].arrival).size == 4);
  CHECK(f.scenarios[1].requests == 4u);
  CHECK(f.scenarios[1].warmup == 4u);  // one warm-up batch per cell
  const auto& g = std::get<loadwright::datasets::gutenberg_spec>(first.dataset);
  CHECK(g.no_cache);
  CHECK(g.adapt_prompt);
  CHECK(g.output_tokens == 32);
  bool cache_prompt_off = false;
  for (const auto& [k, v] : first.request.body)
    cache_prompt_off |= k == "cache_prompt" && v == "false";
  CHECK(cache_prompt_off);

  const auto& v = f.scenarios.back();
  CHECK(v.seed == 7u);
  const auto& a = std::get<rt::poisson_arrival>(v.arrival);
  CHECK(a.rate == 2);
  CHECK(a.burstiness == 0.5);
  CHECK(a.normalize);
  CHECK(v.requests == 30u);
  CHECK(v.max_concurrency == 3);
  CHECK(v.request.api == rt::api_kind::chat);
  CHECK(v.request.temperature == 0.0);
  REQUIRE(v.vllm_bench);
  CHECK(v.vllm_bench->label == "lbl");
  CHECK(v.vllm_bench->metric_percentiles == std::vector<double>{50, 99.9});
  CHECK(std::get<loadwright::datasets::random_spec>(v.dataset).input_tokens == 100);
}

TEST_CASE("loader: vllm_bench's ramp-up flags become a ramped schedule", "[scripting][peers]") {
  load_options o;
  o.module_dirs = {fs::path(LW_SOURCE_DIR) / "scenarios" / "lib"};
  const auto p = write_script("ramp.lua", R"(
local vllm_bench = require "vllm_bench"
return vllm_bench.serve { name = "r", random_input_len = 10, random_output_len = 5,
  num_prompts = 20, ramp_up_strategy = "exponential", ramp_up_start_rps = 1,
  ramp_up_end_rps = 16 })");
  const auto f = load_scenario_file(p, o);
  REQUIRE(f.scenarios.size() == 1);
  const auto& a = std::get<rt::poisson_arrival>(f.scenarios[0].arrival);
  CHECK(a.ramp_up == "exponential");
  CHECK(a.ramp_from == 1);
  CHECK(a.ramp_to == 16);

  const auto both = write_script("ramp-and-rate.lua", R"(
local vllm_bench = require "vllm_bench"
return vllm_bench.serve { name = "r", num_prompts = 20, request_rate = 4,
  ramp_up_strategy = "linear", ramp_up_start_rps = 1, ramp_up_end_rps = 2 })");
  CHECK_THROWS_WITH(load_scenario_file(both, o), Catch::Contains("ramp_up"));
  CHECK_THAT(load_error(R"(return scenario { name = "x", requests = 5,
    arrival = poisson { ramp_up = "linear", ramp_from = 4, ramp_to = 2 } })"),
             Catch::Contains("ramp_from"));
  CHECK_THAT(load_error(R"(return scenario { name = "x", duration = "1m",
    arrival = poisson { ramp_up = "linear", ramp_from = 1, ramp_to = 2 } })"),
             Catch::Contains("requests"));
  CHECK_THAT(load_error(R"(return scenario { name = "x", requests = 5,
    arrival = poisson { ramp_up = "cubic", ramp_from = 1, ramp_to = 2 } })"),
             Catch::Contains("ramp_up"));
}

TEST_CASE("loader: the peers' fields are checked", "[scripting][peers]") {
  CHECK_THAT(
      load_error(
          R"(return scenario { name = "x", requests = 4, arrival = closed { concurrency = 2 },
    dataset = gutenberg { depth_tokens = 100 }, context_first = true })"),
      Catch::Contains("scenario.context_first") && Catch::Contains("batch"));
  CHECK_THAT(load_error(R"(return scenario { name = "x", duration = "1m",
    arrival = poisson { rate = 1, normalize = true } })"),
             Catch::Contains("normalize") && Catch::Contains("requests"));
  CHECK_THAT(
      load_error(
          R"(return scenario { name = "x", requests = 1, arrival = closed { concurrency = 1 },
    llama_benchy = { report = "r", latency_mode = "fast" } })"),
      Catch::Contains("scenario.llama_benchy.latency_mode"));
  CHECK_THAT(
      load_error(
          R"(return scenario { name = "x", requests = 1, arrival = closed { concurrency = 1 },
    vllm_bench = { percentile_metrics = { "ttft", "p99" } } })"),
      Catch::Contains("percentile_metrics") && Catch::Contains("p99"));
  CHECK_THAT(
      load_error(
          R"(return scenario { name = "x", requests = 1, arrival = closed { concurrency = 1 },
    curve = { report = "../up" } })"),
      Catch::Contains("scenario.curve.report"));
}

TEST_CASE("loader: hooks are functions, thresholds comparisons", "[scripting][hooks]") {
  const auto ok = write_script("hooks_ok.lua", R"(
return scenario { name = "h", requests = 1, arrival = closed { concurrency = 1 },
  request_hook = function(s, i) end, on_record = function(r) end, on_done = function(r) end,
  thresholds = { p99_ttft_ms = "< 2000", error_rate = "<=0.01", ["custom.x"] = " == 3 ",
                 ["llama_benchy.tg"] = ">= 50" } })");
  const auto f = load_scenario_file(ok, {});
  REQUIRE(f.scenarios.size() == 1);
  const auto& t = f.scenarios[0].thresholds;
  REQUIRE(t.size() == 4);
  CHECK(t[0].key == "custom.x");
  CHECK(t[0].op == "==");
  CHECK(t[0].value == 3);
  CHECK(t[1].key == "error_rate");
  CHECK(t[1].op == "<=");
  CHECK(t[1].value == Approx(0.01));
  CHECK(t[3].key == "p99_ttft_ms");
  CHECK(t[3].op == "<");
  CHECK(t[3].value == 2000);
  CHECK(f.session->consumers(0).size() == 2);  // on_record, on_done

  auto fails = [](const char* name, const std::string& body) {
    const auto p = write_script(name,
                                "return scenario { name = 'x', requests = 1, arrival = "
                                "closed { concurrency = 1 }, " +
                                    body + " }");
    try {
      load_scenario_file(p, {});
    } catch (const script_error& e) {
      return std::string(e.what());
    }
    return std::string("(loaded)");
  };
  CHECK_THAT(fails("h1.lua", "on_record = 3"),
             Catch::Contains("scenario.on_record: expected a function"));
  CHECK_THAT(fails("h2.lua", "thresholds = { p99_ttft_ms = 5 }"),
             Catch::Contains("expected a comparison such as"));
  CHECK_THAT(fails("h3.lua", "thresholds = { p99_ttft_ms = '< 5ms' }"),
             Catch::Contains("got \"< 5ms\""));
  CHECK_THAT(fails("h4.lua", "request_hook = function() end, on_request = function() end"),
             Catch::Contains("the old name of request_hook"));
}

TEST_CASE("loader: a file may return function(run)", "[scripting][hooks]") {
  const auto p = write_script("decides.lua", "return function(run) end");
  const auto f = load_scenario_file(p, {});
  CHECK(f.scenarios.empty());
  CHECK(f.session->decides());
}

TEST_CASE("loader: realistic lengths (lognormal, workload presets)", "[scripting][lengths]") {
  const auto p = write_script("lengths.lua", R"(
return {
  scenario { name = "a", requests = 1, arrival = closed { concurrency = 1 },
    dataset = random { input_tokens = lognormal { median = 500, sigma = 0.8, min = 50, max = 4000 },
                       output_tokens = 64 } },
  scenario { name = "b", requests = 1, arrival = closed { concurrency = 1 },
    dataset = random { workload = "long_context" } },
  scenario { name = "c", requests = 1, arrival = closed { concurrency = 1 },
    dataset = random { workload = "chat", output_tokens = 32, range_ratio = 0.5 } },
  scenario { name = "d", requests = 1, arrival = closed { concurrency = 1 },
    dataset = random { output_tokens = lognormal { median = 30, max = 90 } } },
})");
  const auto f = load_scenario_file(p, {});
  REQUIRE(f.scenarios.size() == 4);
  namespace ds = loadwright::datasets;
  const auto& a = std::get<ds::random_spec>(f.scenarios[0].dataset);
  REQUIRE(a.input_lengths);
  CHECK(*a.input_lengths == ds::lognormal_lengths{500, 0.8, 50, 4000});
  CHECK(a.input_tokens == 500);  // the median stands in for code that reads one number
  CHECK_FALSE(a.output_lengths);
  CHECK(a.output_tokens == 64);
  const auto& b = std::get<ds::random_spec>(f.scenarios[1].dataset);
  CHECK(b.workload == "long_context");
  CHECK(*b.input_lengths == ds::lognormal_lengths{16000, 0.8, 2000, 128000});
  CHECK(*b.output_lengths == ds::lognormal_lengths{300, 0.8, 20, 2000});
  // A number beside a preset replaces that side; range_ratio applies to it.
  const auto& c = std::get<ds::random_spec>(f.scenarios[2].dataset);
  CHECK(*c.input_lengths == ds::lognormal_lengths{500, 0.8, 50, 4000});
  CHECK_FALSE(c.output_lengths);
  CHECK(c.output_tokens == 32);
  CHECK(c.range_ratio == 0.5);
  const auto& d = std::get<ds::random_spec>(f.scenarios[3].dataset);
  CHECK(*d.output_lengths == ds::lognormal_lengths{30, 0.8, 1, 90});  // sigma 0.8, min 1
}

TEST_CASE("loader: length mistakes name the field", "[scripting][lengths]") {
  const std::string head =
      R"(return scenario { name = "x", requests = 1, arrival = closed { concurrency = 1 },
    dataset = random { )";
  CHECK_THAT(load_error(head + R"(workload = "chatt" } })"),
             Catch::Contains("scenario.dataset.workload: expected \"chat\", \"code\"") &&
                 Catch::Contains("did you mean 'chat'"));
  CHECK_THAT(load_error(head + R"(input_tokens = lognormal { median = 500 } } })"),
             Catch::Contains("scenario.dataset.input_tokens.max: required"));
  CHECK_THAT(load_error(head + R"(input_tokens = lognormal { max = 500 } } })"),
             Catch::Contains("scenario.dataset.input_tokens.median: required"));
  CHECK_THAT(
      load_error(head + R"(input_tokens = lognormal { median = 5, max = 9, sigma = -1 } } })"),
      Catch::Contains("scenario.dataset.input_tokens.sigma"));
  CHECK_THAT(load_error(head + R"(input_tokens = lognormal { median = 5, min = 10, max = 9 } } })"),
             Catch::Contains("scenario.dataset.input_tokens.min: is above max"));
  CHECK_THAT(load_error(head + R"(input_tokens = lognormal { median = 5, max = 9, mean = 3 } } })"),
             Catch::Contains("scenario.dataset.input_tokens.mean: unknown field"));
  CHECK_THAT(load_error(head + R"(input_tokens = { median = 5, max = 9 } } })"),
             Catch::Contains("scenario.dataset.input_tokens: expected a number or a length "
                             "distribution (lognormal), got a plain table"));
  CHECK_THAT(load_error(head + R"(workload = "chat", range_ratio = 0.2 } })"),
             Catch::Contains("scenario.dataset.range_ratio: applies to lengths given as numbers"));
}

TEST_CASE("loader: context = { … } is checked and kept", "[scripting][context]") {
  const auto p = write_script("context.lua", R"(
return scenario { name = "x", requests = 1, arrival = closed { concurrency = 1 },
  context = { gpu = "H100 SXM", gpus = 8, model = "Llama-3.1-70B", quantization = "fp8", tp = 8,
              engine = "vllm", engine_version = "0.8.5" } })");
  const auto f = load_scenario_file(p, {});
  const auto& c = f.scenarios.at(0).context;
  CHECK(c.gpu == "H100 SXM");
  CHECK(c.gpus == 8);
  CHECK(c.model == "Llama-3.1-70B");
  CHECK(c.quantization == "fp8");
  CHECK(c.tp == 8);
  CHECK(c.engine == "vllm");
  CHECK(c.engine_version == "0.8.5");
  const std::string head =
      R"(return scenario { name = "x", requests = 1, arrival = closed { concurrency = 1 }, )";
  CHECK_THAT(load_error(head + R"(context = { gpus = "eight" } })"),
             Catch::Contains("scenario.context.gpus: expected a number"));
  CHECK_THAT(load_error(head + R"(context = { tp = 0 } })"),
             Catch::Contains("scenario.context.tp: expected a whole number ≥ 1"));
  CHECK_THAT(load_error(head + R"(context = { engine_version = 0.8 } })"),
             Catch::Contains("scenario.context.engine_version: expected a string"));
  CHECK_THAT(load_error(head + R"(context = { gpu_model = "H100" } })"),
             Catch::Contains("scenario.context.gpu_model: unknown field (fields here: gpu, "
                             "gpus, model, quantization, tp, engine, engine_version)"));
  CHECK_THAT(load_error(head + R"(context = { qantization = "fp8" } })"),
             Catch::Contains("did you mean 'quantization'"));
  CHECK_THAT(load_error(head + R"(context = { gpu = "H\27[31m" } })"),
             Catch::Contains("scenario.context.gpu: expected text without control characters"));
  CHECK_THAT(load_error(head + R"(context = "H100" })"),
             Catch::Contains("scenario.context: expected a table"));
}

TEST_CASE("loader: a file may return capacity { … } on its own", "[scripting][capacity]") {
  const auto p = write_script("capacity.lua", R"(
return capacity { target_rate = 100, headroom = 0.2, gpus_per_instance = 8, max_rate = 22,
                  max_rate_low = 20, max_rate_high = 24 })");
  const auto f = load_scenario_file(p, {});
  CHECK(f.scenarios.empty());
  REQUIRE(f.capacity);
  CHECK(f.capacity->target_rate == 100);
  CHECK(f.capacity->max_rate == 22);
  CHECK(f.capacity->max_rate_low == 20);
  CHECK(f.capacity->max_rate_high == 24);
  CHECK(f.capacity->gpus_per_instance == 8);
  CHECK(f.capacity->headroom == 0.2);
  CHECK(f.capacity->name == "capacity");
  CHECK(f.capacity->source.ends_with("capacity.lua:2"));
  // --set works on it as on a scenario.
  load_options o;
  o.overrides = {"target_rate=200"};
  CHECK(load_scenario_file(p, o).capacity->target_rate == 200);
  const std::string head = "return capacity { ";
  CHECK_THAT(load_error(head + "max_rate = 22 }"),
             Catch::Contains("capacity.target_rate: required"));
  CHECK_THAT(load_error(head + "target_rate = 100 }"),
             Catch::Contains("capacity.max_rate: required"));
  CHECK_THAT(load_error(head + "target_rate = 100, max_rate = 0 }"),
             Catch::Contains("capacity.max_rate: expected a positive"));
  CHECK_THAT(load_error(head + "target_rate = 100, max_rate = 22, max_rate_low = 20 }"),
             Catch::Contains("capacity.max_rate_high: a band needs both ends"));
  CHECK_THAT(
      load_error(head +
                 "target_rate = 100, max_rate = 22, max_rate_low = 23, max_rate_high = 30 }"),
      Catch::Contains("must contain max_rate"));
  CHECK_THAT(load_error(head + "target_rate = 100, max_rate = 22, gpus_per_instance = 0 }"),
             Catch::Contains("capacity.gpus_per_instance"));
  CHECK_THAT(load_error(head + "target_rate = 100, max_rate = 22, headroom = -0.1 }"),
             Catch::Contains("capacity.headroom"));
  CHECK_THAT(load_error(head + "target_rate = 100, max_rte = 22 }"),
             Catch::Contains("did you mean 'max_rate'"));
}

TEST_CASE("loader: experiments become plans around their scenario", "[scripting][experiments]") {
  const std::string base =
      R"(scenario { name = "s", requests = 10, arrival = poisson { rate = 1 } })";
  SECTION("a sweep") {
    const auto p = write_script("sweep.lua", "return sweep { scenario = " + base +
                                                 R"(, rates = { 1, 2.5, 4 },
      slo = { p99_ttft = "2s", mean_e2el = 30 }, saturation = { achieved = 0.8 } })");
    const auto f = load_scenario_file(p, {});
    REQUIRE(f.experiment);
    CHECK(f.scenarios.empty());
    const auto& s = std::get<loadwright::runtime::sweep_plan>(*f.experiment);
    CHECK(s.name == "s");
    CHECK(s.axis == loadwright::runtime::load_axis::rate);
    CHECK(s.loads == std::vector<double>{1, 2.5, 4});
    REQUIRE(s.slo.size() == 2);
    CHECK(s.slo[0].summary_key == "mean_e2el_ms");
    CHECK(s.slo[0].limit_ms == 30'000);
    CHECK(s.slo[1].summary_key == "p99_ttft_ms");
    CHECK(s.slo[1].limit_ms == 2'000);
    CHECK(s.slo[1].percentile == 99);
    CHECK(s.limits.min_achieved_ratio == 0.8);
  }
  SECTION("find_max, with its defaults") {
    const auto p = write_script("max.lua", "return find_max { scenario = " + base +
                                               R"(, slo = { p90_itl = "50ms" },
      capacity = { target_rate = 100, gpus_per_instance = 8 } })");
    const auto f = load_scenario_file(p, {});
    const auto& m = std::get<loadwright::runtime::find_max_plan>(*f.experiment);
    CHECK(m.from == 1);
    CHECK(m.to == 64);
    CHECK(m.precision == 0.05);
    CHECK(m.repeats == 3);
    CHECK(m.confirm->count() == 300);
    REQUIRE(m.capacity);
    CHECK(m.capacity->gpus_per_instance == 8);
  }
  SECTION("an A/B") {
    const auto p = write_script("ab.lua", "return ab { scenario = " + base +
                                              R"(, a = { base_url = "http://127.0.0.1:1/v1" },
      b = { label = "new" }, pause = 0, rounds = 3 })");
    const auto f = load_scenario_file(p, {});
    const auto& ab = std::get<loadwright::runtime::ab_plan>(*f.experiment);
    CHECK(ab.a.label == "A");
    CHECK(ab.b.label == "new");
    CHECK(ab.b.base_url.empty());  // from --base-url-b
    CHECK(ab.pause.count() == 0);
    CHECK(ab.rounds == 3);
  }
}

TEST_CASE("loader: experiments refuse what cannot run", "[scripting][experiments]") {
  const std::string open =
      R"(scenario { name = "s", requests = 10, arrival = poisson { rate = 1 } })";
  const std::string closed =
      R"(scenario { name = "s", requests = 10, arrival = closed { concurrency = 1 } })";
  CHECK_THAT(load_error("return sweep { scenario = " + closed + ", rates = { 1 } }"),
             Catch::Contains("sweep.rates: rates need an open-loop arrival"));
  CHECK_THAT(load_error("return sweep { scenario = " + closed + ", concurrency = { 2, 1.5 } }"),
             Catch::Contains("sweep.concurrency[2]: a concurrency is a whole number"));
  CHECK_THAT(load_error("return sweep { scenario = " + open + ", rates = { 2, 1 } }"),
             Catch::Contains("sweep.rates[2]: loads go up: 1 after 2"));
  CHECK_THAT(
      load_error("return sweep { scenario = " + open + ", rates = { 1 }, concurrency = { 1 } }"),
      Catch::Contains("not both"));
  CHECK_THAT(load_error("return sweep { rates = { 1 } }"),
             Catch::Contains("sweep.scenario: required"));
  CHECK_THAT(load_error("return find_max { scenario = " + closed +
                        ", slo = { p99_ttft = 1 }, capacity = { target_rate = 1 } }"),
             Catch::Contains("find_max.capacity: a capacity plan needs a maximum rate"));
  CHECK_THAT(load_error("return find_max { scenario = " + open +
                        ", slo = { p99_ttft = 1 }, from = 8, to = 4 }"),
             Catch::Contains("find_max.to: the search runs from 8 up to a larger load"));
  CHECK_THAT(load_error("return find_max { scenario = " + open +
                        ", slo = { p99_ttft = 1 }, capacity = { target_rate = 1, max_rate = 2 } }"),
             Catch::Contains("max_rate"));
  CHECK_THAT(load_error("return ab { scenario = " + open + ", a = {} }"),
             Catch::Contains("ab.b: required"));
  CHECK_THAT(load_error(R"(return ab { scenario = scenario { name = "s", requests = 4,
    arrival = batch { size = 2 } }, a = {}, b = {} })"),
             Catch::Contains("ab.scenario: an A/B sends the same requests"));
}

TEST_CASE("loader: conversations take OpenAssistant trees", "[scripting][conversations]") {
  const auto p = write_script("oasst.lua", R"(return scenario { name = "d", requests = 1,
    arrival = closed { concurrency = 1 }, dataset = conversations { oasst = "trees.jsonl" } })");
  const auto f = load_scenario_file(p, {});
  const auto& d = std::get<loadwright::datasets::conversations_spec>(f.scenarios.at(0).dataset);
  CHECK(fs::path(d.oasst).filename() == "trees.jsonl");
  CHECK(fs::path(d.oasst).is_absolute());  // resolved against the script's folder
  CHECK_THAT(load_error(R"(return scenario { name = "d", requests = 1,
    arrival = closed { concurrency = 1 },
    dataset = conversations { oasst = "a.jsonl", sharegpt = "b.json" } })"),
             Catch::Contains("dataset.oasst: one source of real dialogs"));
}
