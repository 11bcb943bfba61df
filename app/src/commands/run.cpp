// `loadwright run` and `loadwright validate`.

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <thread>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <deque>
#include <iostream>
#include <map>
#include <memory>
#include <optional>

#include "book_cache.hpp"
#include "checklist.hpp"
#include "experiments/experiments.hpp"
#include "loadwright/app/capacity.hpp"
#include "loadwright/app/commands.hpp"
#include "loadwright/app/runner.hpp"
#include "loadwright/core/describe_plan.hpp"
#include "loadwright/core/printable.hpp"
#include "loadwright/datasets/sampler.hpp"
#include "loadwright/datasets/tokenizer.hpp"
#include "loadwright/emulator/emulator.hpp"
#include "loadwright/scripting/sandbox_policy.hpp"
#include "loadwright/scripting/scenario_loader.hpp"
#include "loadwright/scripting/script_session.hpp"
#include "prompt_adaptation.hpp"
#include "token_counting.hpp"

namespace loadwright::app {

namespace rt = loadwright::runtime;
using scripting::hook_error;
using scripting::is_loopback_url;
using scripting::load_options;
using scripting::loaded_file;
using scripting::script_error;
using scripting::script_session;

namespace {

std::atomic<bool> g_stop{false};     // set by the signal handler
std::atomic<bool> g_sending{false};  // requests have gone out
rt::stop_signal g_stop_signal;       // what the engine listens to
int g_stop_pipe[2] = {-1, -1};       // the handler's byte to the thread that stops the run

extern "C" void on_stop_signal(int) {
  if (g_stop.exchange(true)) _exit(exit_interrupted);  // a second Ctrl-C: leave at once
  static const char msg[] =
      "\nloadwright: stopping: no new requests; waiting briefly for those in flight (Ctrl-C again "
      "to quit now)\n";
  auto n = write(STDERR_FILENO, msg, sizeof msg - 1);
  const char byte = 1;
  n = write(g_stop_pipe[1], &byte, 1);  // async-signal-safe: the thread below does the rest
  (void)n;
}

void install_stop_handlers() {
  if (pipe2(g_stop_pipe, O_CLOEXEC) != 0) return;
  std::thread([] {
    char byte = 0;
    while (read(g_stop_pipe[0], &byte, 1) < 0 && errno == EINTR) {
    }
    g_stop_signal.request();
  }).detach();
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

std::string env_or(const char* name, const std::string& fallback = {}) {
  const char* v = name && *name ? std::getenv(name) : nullptr;
  return v && *v ? std::string(v) : fallback;
}

loaded_file load_or_report(const std::string& file, const std::vector<std::string>& overrides,
                           std::optional<std::uint64_t> seed, bool unsafe, bool& ok) {
  load_options lo;
  lo.overrides = overrides;
  lo.seed = seed;
  lo.unsafe = unsafe;
  if (const char* s = std::getenv("LOADWRIGHT_MAX_LOAD_SECONDS"); s && std::atoi(s) > 0)
    lo.max_load_time = std::chrono::seconds(std::atoi(s));
  // A script stuck inside one C call (a pathological pattern) cannot be interrupted: the verb
  // ends the process. Before any request that is bad input; later the records so far are on
  // disk, written as each request ended.
  lo.on_stuck = [](const std::string& message) {
    std::fprintf(stderr, "loadwright: %s\n", message.c_str());
    std::_Exit(g_sending.load() ? exit_check_failed : exit_bad_input);
  };
  for (const auto& d : shipped_dirs()) {
    lo.module_dirs.emplace_back(d);
    lo.module_dirs.emplace_back(std::filesystem::path(d) / "lib");  // the shared modules
  }
  try {
    ok = true;
    return load_scenario_file(resolve_scenario_path(file), lo);
  } catch (const script_error& e) {
    std::cerr << "loadwright: " << e.what() << '\n';
    ok = false;
    return {};
  }
}

// Samples and serializes `plan` for `model`, or reports why it cannot (naming the place).
std::optional<rt::prepared_scenario> prepare_or_report(const rt::scenario_plan& plan,
                                                       const std::string& model,
                                                       const datasets::token_counter& counter,
                                                       rt::request_shaper* shaper,
                                                       const rt::preparation_choices& choices) {
  try {
    return rt::prepare_scenario(plan, model, counter, shaper, choices);
  } catch (const hook_error&) {
    throw;  // the caller names the hook
  } catch (const std::exception& e) {
    std::cerr << "loadwright: " << plan.source << ": " << e.what() << '\n';
    return std::nullopt;
  }
}

// How `validate`, `--dry-run` and `run` prepare a scenario. Only `run` has a server: then books
// are downloaded, /tokenize may count, prompts are adapted and the tokenizer cross-checked.
struct preparation {
  std::string tokenizer_flag;
  std::string model;       // "" before discovery (validate, a dry run without --model)
  std::string model_root;  // vLLM's `root` of the served model, for the Hugging Face cache
  const rt::engine_target* server = nullptr;
  bool insecure = false;
  bool quiet = true;
  double time_scale = 1.0;  // the emulator's
};

struct counted_scenario {
  rt::prepared_scenario prepared;
  token_counting counting;
  std::size_t hooks = 0;  // the scenario's hooks in the script session
};

// Resolves books, picks how tokens are counted and prepares `plan`; reports why it cannot.
// The plan stays as validated: what this machine and target change goes into the preparation.
std::optional<counted_scenario> prepare_counted(const rt::scenario_plan& plan,
                                                const preparation& how,
                                                rt::request_shaper* shaper = nullptr) {
  rt::preparation_choices choices;
  choices.time_scale = how.time_scale;
  auto& dataset = choices.dataset.emplace(plan.dataset);
  if (!resolve_book_urls(plan, dataset, how.server != nullptr, how.insecure, how.quiet))
    return std::nullopt;
  auto counting = choose_token_counting(how.tokenizer_flag, plan.tokenizer, how.model, how.server,
                                        how.model_root);
  if (!counting) return std::nullopt;
  if (how.server) {
    if (!how.quiet) std::cout << "loadwright: " << describe_counting(*counting) << '\n';
    if (!adapt_prompts(plan, dataset, *how.server, *counting->counter, how.quiet))
      return std::nullopt;
  }
  auto p = prepare_or_report(plan, how.model.empty() ? "MODEL" : how.model, *counting->counter,
                             shaper, choices);
  if (!p) return std::nullopt;
  if (how.server) check_against_server(*counting, *p, *how.server);
  return counted_scenario{std::move(*p), std::move(*counting)};
}

// The dataset file a `skip_without_data` scenario lacks, or "".
std::string missing_data_file(const rt::scenario_plan& plan) {
  if (!plan.skip_without_data) return {};
  std::string path;
  if (const auto* s = std::get_if<datasets::sharegpt_spec>(&plan.dataset)) path = s->path;
  if (const auto* s = std::get_if<datasets::jsonl_spec>(&plan.dataset)) path = s->path;
  if (const auto* s = std::get_if<datasets::gutenberg_spec>(&plan.dataset); s && s->url.empty())
    path = s->path;
  std::error_code ec;
  return !path.empty() && !std::filesystem::exists(path, ec) ? path : std::string();
}

std::string skip_notice(const rt::scenario_plan& plan, const std::string& missing) {
  return fmt::format("{}: skipped: its data file {} is missing (skip_without_data)", plan.name,
                     missing);
}

// Reads what `plan` names on this machine (its dataset file, a named tokenizer) before
// anything goes to a server: a bad file stops the run with nothing sent, not even GET
// /v1/models. One sample parses the whole file; the real samples are drawn later, with the
// counter chosen once the model is known. A book still to be downloaded is checked then.
bool check_local_inputs(const rt::scenario_plan& plan, const std::string& tokenizer_flag) {
  if ((!tokenizer_flag.empty() || !plan.tokenizer.empty()) &&
      !choose_token_counting(tokenizer_flag, plan.tokenizer, "", nullptr, ""))
    return false;
  if (const auto* g = std::get_if<datasets::gutenberg_spec>(&plan.dataset);
      g && !g->url.empty() && g->path.empty())
    return true;
  try {
    (void)datasets::draw_samples(plan.dataset, 1, plan.seed, datasets::estimate_token_counter{});
  } catch (const std::exception& e) {
    std::cerr << "loadwright: " << plan.source << ": " << e.what() << '\n';
    return false;
  }
  return true;
}

// The plan as `validate`, `--dry-run` and `run` print it.
std::string plan_text(const rt::prepared_scenario& p) {
  return rt::describe_plan(*p.plan) + "  schedule:  " + p.schedule_description + "\n" +
         "  dataset:   " + p.dataset_description + "\n";
}

}  // namespace

int validate_command(const validate_args& args) {
  bool ok = false;
  auto loaded = load_or_report(args.file, args.overrides, args.seed, args.unsafe, ok);
  if (!ok) return exit_bad_input;
  if (loaded.capacity) {
    const int code = present_capacity(*loaded.capacity, nullptr, &std::cout);
    if (code == exit_ok) std::cout << "ok: capacity plan valid; nothing sent\n";
    return code;
  }
  preparation how;
  how.tokenizer_flag = args.tokenizer;
  if (loaded.experiment) {
    const auto& base = experiment_base(*loaded.experiment);
    const auto c = prepare_counted(base, how);
    if (!c) return exit_bad_input;
    std::cout << describe_experiment(*loaded.experiment) << plan_text(c->prepared)
              << "  tokens:    " << describe_counting(c->counting) << '\n';
    for (const auto& note : checklist_notes(experiment_scenarios(*loaded.experiment)))
      std::cout << note << '\n';
    std::cout << "ok: experiment valid; nothing sent\n";
    return exit_ok;
  }
  for (const auto& plan : loaded.scenarios) {
    if (const auto missing = missing_data_file(plan); !missing.empty()) {
      std::cout << skip_notice(plan, missing) << '\n';
      continue;
    }
    const auto c = prepare_counted(plan, how);
    if (!c) return exit_bad_input;
    std::cout << plan_text(c->prepared) << "  tokens:    " << describe_counting(c->counting)
              << '\n';
  }
  // The methodology chapter's checklist: advice, never an error.
  for (const auto& note : checklist_notes(loaded.scenarios)) std::cout << note << '\n';
  std::cout << "ok: " << loaded.scenarios.size()
            << (loaded.scenarios.size() == 1 ? " scenario" : " scenarios")
            << " valid; nothing sent\n";
  return exit_ok;
}

namespace {

// Where the scenarios go and how they are run, once for the whole file.
struct run_setup {
  run_setup(const run_args& a, std::shared_ptr<script_session> s)
      : args(a), session(std::move(s)) {}
  const run_args& args;
  std::shared_ptr<script_session> session;
  rt::engine_target target;
  std::unique_ptr<rt::emulator> emu;
  preparation how;
  rt::engine_options engine;
  rt::output_options out;
  std::unique_ptr<rt::suite_outputs> reports;
  std::deque<rt::scenario_plan> plans;  // prepared scenarios point into these
  int code = exit_ok;
  bool interrupted = false;
  /// Named targets (target = { name = … }), resolved as scenarios first use them.
  struct named_target {
    rt::engine_target target;
    rt::server_facts facts;
  };
  std::map<std::string, std::string> target_flags;  // --target NAME=URL
  std::map<std::string, named_target> named;
};

// While it lives, the run's server is `to` (a named target, an A/B's side): a scenario is
// prepared for it (its model, its /tokenize) and sent to it; then the run's own is back.
class target_scope {
 public:
  target_scope(run_setup& s, const rt::engine_target* to, const rt::server_facts* facts)
      : s_(s), active_(to != nullptr) {
    if (!active_) return;
    saved_target_ = s.engine.target;
    saved_server_ = s.how.server;
    saved_model_ = s.how.model;
    saved_facts_ = s.out.server;
    s.engine.target = *to;
    s.how.server = to;
    s.how.model = to->model;
    if (facts) s.out.server = *facts;
  }
  ~target_scope() {
    if (!active_) return;
    s_.engine.target = saved_target_;
    s_.how.server = saved_server_;
    s_.how.model = saved_model_;
    s_.out.server = saved_facts_;
  }
  target_scope(const target_scope&) = delete;
  target_scope& operator=(const target_scope&) = delete;

 private:
  run_setup& s_;
  bool active_;
  rt::engine_target saved_target_;
  const rt::engine_target* saved_server_ = nullptr;
  std::string saved_model_;
  rt::server_facts saved_facts_;
};

// The URL of `plan`'s named target: --target NAME=URL, else the file's base_url (this machine
// only, unless --unsafe). Throws script_error naming the place when there is none.
std::string named_target_url(const std::map<std::string, std::string>& flags,
                             const rt::scenario_plan& plan, bool unsafe) {
  const auto& t = plan.target;
  if (const auto it = flags.find(t.name); it != flags.end()) return it->second;
  if (t.base_url.empty())
    throw script_error(
        fmt::format("{}: scenario.target: the target '{}' has no base_url: pass --target {}=URL",
                    plan.source, t.name, t.name));
  if (!unsafe && !is_loopback_url(t.base_url))
    throw script_error(fmt::format(
        "{}: scenario.target.base_url: '{}' is a remote server: a sandboxed script may only "
        "default to this machine; pass --target {}={} to send there (or --unsafe)",
        plan.source, rt::redacted_url(t.base_url), t.name, rt::redacted_url(t.base_url)));
  return t.base_url;
}

// `plan`'s named target, resolved on first use (its model discovered unless given), or null
// for a scenario without one. Throws script_error when it cannot be used.
const run_setup::named_target* named_target_of(run_setup& s, const rt::scenario_plan& plan) {
  const auto& spec = plan.target;
  if (spec.name.empty()) return nullptr;
  if (const auto it = s.named.find(spec.name); it != s.named.end()) return &it->second;
  run_setup::named_target n;
  const auto url = named_target_url(s.target_flags, plan, s.args.unsafe);
  std::string why;
  const auto parsed = rt::base_url::parse(url, &why);
  if (!parsed)
    throw script_error(fmt::format("target {}: '{}': {}", spec.name, rt::redacted_url(url), why));
  n.target = s.target;
  n.target.url = *parsed;
  if (!spec.api_key_env.empty()) n.target.api_key = env_or(spec.api_key_env.c_str());
  n.target.model = !spec.model.empty() ? spec.model : s.args.model;
  if (n.target.model.empty()) {
    n.target.model = rt::discover_model(n.target, &why, nullptr, &n.facts);
    if (n.target.model.empty())
      throw script_error(
          fmt::format("target {}: cannot discover the model (give its model or "
                      "--model): {}",
                      spec.name, why));
    rt::discover_server_version(n.target, n.facts);
  }
  if (!s.args.quiet)
    std::cout << fmt::format("loadwright: target {}: {} (model {})\n", spec.name,
                             n.target.url.to_string(), n.target.model);
  return &s.named.emplace(spec.name, std::move(n)).first->second;
}

// A scenario ready to run, or why not: skipped (its data file is missing: noted, not an
// error) or bad (its inputs or its request_hook failed: exit 2, nothing of it sent).
struct readied {
  std::optional<counted_scenario> scenario;
  bool skipped = false;
};

// `check_inputs`: read its local inputs first (a suite function's scenarios; a file's own were
// all read before anything was sent).
readied ready(run_setup& s, const rt::scenario_plan& plan, std::size_t hooks, bool check_inputs) {
  readied r;
  if (const auto missing = missing_data_file(plan); !missing.empty()) {
    if (!s.args.quiet) std::cout << "loadwright: " << skip_notice(plan, missing) << '\n';
    s.reports->skip(plan, "data file " + missing + " missing");
    r.skipped = true;
    return r;
  }
  if (check_inputs && !check_local_inputs(plan, s.args.tokenizer)) return r;
  try {
    const auto* named = named_target_of(s, plan);
    target_scope scope(s, named ? &named->target : nullptr, named ? &named->facts : nullptr);
    auto shaper = s.session->request_shaper(hooks, plan.seed);
    r.scenario = prepare_counted(plan, s.how, shaper.get());
  } catch (const hook_error& e) {
    std::cerr << "loadwright: " << e.what() << " (nothing was sent to " << plan.name << ")\n";
  } catch (const script_error& e) {
    std::cerr << "loadwright: " << e.what() << '\n';
  }
  if (r.scenario) r.scenario->hooks = hooks;
  return r;
}

// Runs a readied scenario through its pipeline; `*aborted` when it could not run to the end
// for a reason of its own (a consumer refused it, an I/O error), which ends the file's run.
rt::scenario_report execute(run_setup& s, const counted_scenario& c, bool* aborted) {
  const auto& p = c.prepared;
  s.out.token_counter = c.counting.counter->describe();
  s.out.tokenizer_name = c.counting.name;
  if (!s.args.quiet) std::cout << '\n' << plan_text(p);
  rt::scenario_report report;
  const auto named = s.named.find(p.plan->target.name);
  const auto* to = p.plan->target.name.empty() || named == s.named.end() ? nullptr : &named->second;
  target_scope scope(s, to ? &to->target : nullptr, to ? &to->facts : nullptr);
  try {
    rt::record_pipeline pipeline;
    rt::standard_consumers(*p.plan, s.out, rt::file_stem(p.plan->name), s.reports.get(),
                           s.session->consumers(c.hooks), pipeline);
    report = rt::run_scenario(p, s.engine, s.out, pipeline);
  } catch (const std::exception& e) {
    std::cerr << "loadwright: " << p.plan->name << ": " << e.what() << '\n';
    report.failed_checks.push_back(e.what());
    *aborted = true;
  }
  if (report.interrupted) s.interrupted = true;
  if (!report.failed_checks.empty()) s.code = exit_check_failed;
  return report;
}

// run(scenario) of a suite function: ready it, then run it (a bad one raises in the script).
rt::scenario_report run_from_suite(run_setup& s, const rt::scenario_plan& plan, std::size_t hooks) {
  const auto& stored = s.plans.emplace_back(plan);
  auto r = ready(s, stored, hooks, true);
  if (r.skipped) return {};
  if (!r.scenario) {
    s.code = exit_bad_input;
    throw script_error("run(): the scenario could not start (see above)");
  }
  bool aborted = false;
  return execute(s, *r.scenario, &aborted);
}

// Why an A/B's servers cannot be used, or "": each side needs a URL (the file's or the command
// line's), and a sandboxed file may only name this machine.
std::string check_ab_targets(const rt::ab_plan& ab, const run_args& args) {
  const std::pair<const rt::ab_side*, const std::string*> sides[] = {{&ab.a, &args.base_url},
                                                                     {&ab.b, &args.base_url_b}};
  for (const auto& [side, flag] : sides) {
    const char* key = side == &ab.a ? "a" : "b";
    const char* option = side == &ab.a ? "--base-url" : "--base-url-b";
    if (flag->empty() && side->base_url.empty())
      return fmt::format("{}: ab.{}.base_url: required (or {} on the command line)", ab.source, key,
                         option);
    if (flag->empty() && !args.unsafe && !is_loopback_url(side->base_url))
      return fmt::format(
          "{}: ab.{}.base_url: '{}' is a remote server: a sandboxed script may only name this "
          "machine; pass {} {} to send there (or --unsafe)",
          ab.source, key, rt::redacted_url(side->base_url), option,
          rt::redacted_url(side->base_url));
  }
  return {};
}

// The B side of an A/B: its URL, key and model (discovered when not given).
std::optional<rt::engine_target> ab_target_b(run_setup& s, const rt::ab_plan& ab) {
  rt::engine_target b = s.target;
  const std::string url = !s.args.base_url_b.empty() ? s.args.base_url_b : ab.b.base_url;
  std::string why;
  const auto parsed = rt::base_url::parse(url, &why);
  if (!parsed) {
    std::cerr << fmt::format("loadwright: B: '{}': {}\n", rt::redacted_url(url), why);
    return std::nullopt;
  }
  b.url = *parsed;
  if (!ab.b.api_key_env.empty()) b.api_key = env_or(ab.b.api_key_env.c_str());
  b.model = !ab.b.model.empty() ? ab.b.model : s.args.model;
  if (b.model.empty()) {
    b.model = rt::discover_model(b, &why, nullptr, nullptr);
    if (b.model.empty()) {
      std::cerr << "loadwright: B: cannot discover the model (give ab.b.model or --model): " << why
                << '\n';
      return std::nullopt;
    }
  }
  if (!s.args.quiet)
    std::cout << fmt::format("loadwright: A {} ({}), B {} ({})\n", s.target.url.to_string(),
                             s.target.model, b.url.to_string(), b.model);
  return b;
}

// A sweep or find_max: each load through run_from_suite; the experiment's own exit code (a
// load that fails its SLO is what an experiment looks for, not a failed run).
int run_experiment(run_setup& s, const rt::experiment_plan& plan) {
  experiment_io io;
  const std::size_t hooks = experiment_hooks(plan);
  io.run = [&](const rt::scenario_plan& scenario) {
    const int code = s.code;
    try {
      auto report = run_from_suite(s, scenario, hooks);
      s.code = code;
      return report;
    } catch (const script_error& e) {
      throw experiment_error(e.what());
    }
  };
  io.stopped = [] { return g_stop.load(); };
  io.pause = [](rt::seconds_d d) {
    const auto until = std::chrono::steady_clock::now() + d;
    while (!g_stop.load() && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
  };
  std::optional<rt::engine_target> b;
  if (const auto* ab = std::get_if<rt::ab_plan>(&plan)) {
    b = ab_target_b(s, *ab);
    if (!b) return exit_bad_input;
    io.side_url[0] = s.target.url.to_string();
    io.side_model[0] = s.target.model;
    io.side_url[1] = b->url.to_string();
    io.side_model[1] = b->model;
  }
  io.run_on = [&](const rt::scenario_plan& scenario, int side) {
    // B's runs go to B's server, prepared for its model (and its /tokenize, if it counts).
    target_scope scope(s, side == 0 ? nullptr : &*b, nullptr);
    return io.run(scenario);
  };
  io.out_dir = s.args.out_dir;
  io.console = s.args.quiet ? nullptr : &std::cout;
  io.time_scale = s.out.time_scale;
  io.note = s.emu ? fmt::format("emulated: profile {}", s.emu->profile().name) : "";
  int code = exit_ok;
  try {
    if (const auto* sweep = std::get_if<rt::sweep_plan>(&plan))
      code = run_sweep(*sweep, io);
    else if (const auto* find_max = std::get_if<rt::find_max_plan>(&plan))
      code = run_find_max(*find_max, io);
    else
      code = run_ab(std::get<rt::ab_plan>(plan), io);
  } catch (const experiment_error& e) {
    std::cerr << "loadwright: " << e.what() << '\n';
    return exit_bad_input;
  } catch (const std::exception& e) {  // a result file that cannot be written
    std::cerr << "loadwright: " << e.what() << '\n';
    return exit_check_failed;
  }
  if (s.interrupted || g_stop.load()) return exit_interrupted;
  return code == exit_ok ? s.code : code;
}

}  // namespace

int run_command(const run_args& args) {
  bool ok = false;
  auto loaded = load_or_report(args.file, args.overrides, args.seed, args.unsafe, ok);
  if (!ok) return exit_bad_input;
  if (loaded.capacity) {  // a plan on its own: computed and written, nothing sent
    const std::filesystem::path out_dir = args.out_dir;
    const int code = present_capacity(*loaded.capacity, args.dry_run ? nullptr : &out_dir,
                                      args.quiet ? nullptr : &std::cout);
    if (code == exit_ok && args.dry_run && !args.quiet) std::cout << "dry run: nothing written\n";
    return code;
  }
  // Scenario defaults (target, tokenizer) come from the first scenario; a suite function has
  // none until it runs.
  // An experiment's scenario is read and prepared like a file's own before anything is sent.
  if (loaded.experiment) {
    loaded.scenarios = {experiment_base(*loaded.experiment)};
    if (const auto missing = missing_data_file(loaded.scenarios.front()); !missing.empty()) {
      std::cerr << "loadwright: " << skip_notice(loaded.scenarios.front(), missing) << '\n';
      return exit_bad_input;
    }
  }
  for (const auto& plan : loaded.scenarios)
    if (missing_data_file(plan).empty() && !check_local_inputs(plan, args.tokenizer))
      return exit_bad_input;
  // Named targets (target = { name }): each URL from --target NAME=URL or the file, checked
  // before anything is sent. The run's own target comes from the first scenario without one.
  std::map<std::string, std::string> target_flags;
  for (const auto& t : args.targets) {
    const auto eq = t.find('=');
    if (eq == 0 || eq == std::string::npos || eq + 1 == t.size()) {
      std::cerr << fmt::format("loadwright: --target {}: expected NAME=URL\n", t);
      return exit_bad_input;
    }
    target_flags[t.substr(0, eq)] = t.substr(eq + 1);
  }
  const rt::scenario_plan* first_unnamed = nullptr;
  std::string first_named_url, names_text;
  for (const auto& plan : loaded.scenarios) {
    if (plan.target.name.empty()) {
      if (!first_unnamed) first_unnamed = &plan;
    } else if (names_text.find(" " + plan.target.name + ",") == std::string::npos) {
      names_text += " " + plan.target.name + ",";
    }
  }
  if (!loaded.session->decides())
    for (const auto& [name, url] : target_flags)
      if (names_text.find(" " + name + ",") == std::string::npos) {
        std::cerr << fmt::format(
            "loadwright: --target {}: no scenario names a target '{}' ({})\n", name, name,
            names_text.empty() ? std::string("the file names none: target = { name = … }")
                               : "it names" + names_text.substr(0, names_text.size() - 1));
        return exit_bad_input;
      }
  for (const auto& plan : loaded.scenarios) {
    if (plan.target.name.empty()) continue;
    try {
      const auto url = named_target_url(target_flags, plan, args.unsafe);
      if (first_named_url.empty()) first_named_url = url;
    } catch (const script_error& e) {
      std::cerr << "loadwright: " << e.what() << '\n';
      return exit_bad_input;
    }
  }
  const rt::scenario_plan defaults = first_unnamed ? *first_unnamed : rt::scenario_plan{};

  // Target: flags, then the environment, then the scenario's defaults, then the emulator. An
  // A/B names its two servers itself (A: --base-url or ab.a; B: --base-url-b or ab.b).
  const auto* ab = loaded.experiment ? std::get_if<rt::ab_plan>(&*loaded.experiment) : nullptr;
  if (ab) {
    if (const auto bad = check_ab_targets(*ab, args); !bad.empty()) {
      std::cerr << "loadwright: " << bad << '\n';
      return exit_bad_input;
    }
  }
  std::string base = ab ? (!args.base_url.empty() ? args.base_url : ab->a.base_url)
                     : !args.base_url.empty() ? args.base_url
                                              : env_or("OPENAI_BASE_URL", defaults.target.base_url);
  const bool base_from_set =
      std::any_of(args.overrides.begin(), args.overrides.end(),
                  [](const std::string& o) { return o.starts_with("target.base_url="); });
  if (!ab && !args.unsafe && !base_from_set && args.base_url.empty() &&
      env_or("OPENAI_BASE_URL").empty() && !base.empty() && !is_loopback_url(base)) {
    // A shared script must not choose where the traffic (and the API key) goes.
    std::cerr << fmt::format(
        "loadwright: {}: scenario.target.base_url: '{}' is a remote server: a sandboxed script "
        "may only default to this machine; pass --base-url {} to send there (or --unsafe)\n",
        defaults.source, rt::redacted_url(base), rt::redacted_url(base));
    return exit_bad_input;
  }
  if (base.empty() && !first_unnamed && !first_named_url.empty())
    base = first_named_url;  // every scenario names its server: no emulator
  run_setup s{args, loaded.session};
  s.target_flags = target_flags;
  if (base.empty() && !args.dry_run) {
    auto profile = rt::find_emulator_profile(args.emulator_profile);
    if (args.emulator_time_scale) profile.time_scale = *args.emulator_time_scale;
    profile.request_log = args.emulator_log;
    try {
      profile.faults = rt::parse_fault_mix(args.emulator_faults);
    } catch (const std::invalid_argument& e) {
      std::cerr << "loadwright: --emulator-faults: " << e.what() << '\n';
      return exit_bad_input;
    }
    if (args.emulator_prefix_cache) profile.prefix_cache_blocks = 1u << 20;  // ~64 MB of text
    // The emulator counts prompts with the run's tokenizer, so its usage agrees with ours.
    if (const auto named = !args.tokenizer.empty() ? args.tokenizer : defaults.tokenizer;
        !named.empty()) {
      try {
        profile.tokenizer = load_tokenizer(named);
      } catch (const datasets::tokenizer_error& e) {
        std::cerr << "loadwright: tokenizer: " << e.what() << '\n';
        return exit_bad_input;
      }
    }
    s.emu = std::make_unique<rt::emulator>(profile);
    s.emu->start();
    base = s.emu->base_url();
    if (!args.quiet)
      std::cout << fmt::format(
          "loadwright: no --base-url given: running against the built-in emulated server (profile "
          "{}{}{}) at {}; "
          "its numbers describe the emulator, not a real model\n",
          profile.name,
          profile.time_scale != 1.0 ? fmt::format(", time scale {}", profile.time_scale) : "",
          args.emulator_faults.empty() ? "" : ", faults " + args.emulator_faults, base);
  }
  // The methodology chapter's checklist, in the first lines (after the one that says where the
  // traffic goes): advice, never an error.
  if (!args.quiet)
    for (const auto& note : checklist_notes(
             loaded.experiment ? experiment_scenarios(*loaded.experiment) : loaded.scenarios))
      std::cout << note << '\n';
  auto& target = s.target;
  if (!base.empty()) {
    std::string why;
    const auto url = rt::base_url::parse(base, &why);
    if (!url) {
      std::cerr << fmt::format("loadwright: --base-url '{}': {}\n", rt::redacted_url(base), why);
      return exit_bad_input;
    }
    target.url = *url;
  }
  target.insecure = args.insecure;
  target.api_key = !args.api_key.empty()
                       ? args.api_key
                       : env_or(defaults.target.api_key_env.c_str(), env_or("OPENAI_API_KEY"));
  target.model = !args.model.empty() ? args.model : defaults.target.model;
  if (ab && !ab->a.model.empty()) target.model = ab->a.model;
  if (ab && !ab->a.api_key_env.empty()) target.api_key = env_or(ab->a.api_key_env.c_str());

  auto& how = s.how;
  how.tokenizer_flag = args.tokenizer;
  if (args.dry_run) {
    how.model = target.model;
    if (s.session->decides())
      std::cout << "a suite function: its scenarios are decided as it runs\n";
    if (loaded.experiment) std::cout << describe_experiment(*loaded.experiment);
    for (std::size_t i = 0; i < loaded.scenarios.size(); ++i) {
      const auto& plan = loaded.scenarios[i];
      if (const auto missing = missing_data_file(plan); !missing.empty()) {
        std::cout << skip_notice(plan, missing) << '\n';
        continue;
      }
      std::optional<counted_scenario> c;
      try {
        auto shaper = s.session->request_shaper(
            loaded.experiment ? experiment_hooks(*loaded.experiment) : i, plan.seed);
        c = prepare_counted(plan, how, shaper.get());
      } catch (const hook_error& e) {
        std::cerr << "loadwright: " << e.what() << '\n';
      }
      if (!c) return exit_bad_input;
      std::cout << plan_text(c->prepared) << "  tokens:    " << describe_counting(c->counting)
                << "\n  target:    "
                << (!plan.target.name.empty()
                        ? fmt::format("{} at {}", plan.target.name,
                                      named_target_url(target_flags, plan, args.unsafe))
                    : base.empty() ? std::string("the built-in emulator")
                                   : target.url.to_string())
                << (target.api_key.empty() ? "" : " (with an API key)") << '\n';
    }
    if (!s.session->decides()) std::cout << rt::describe_total_time(loaded.scenarios) << '\n';
    std::cout << "dry run: nothing sent\n";
    return exit_ok;
  }
  if (target.model.empty()) {
    std::string why;
    target.model = rt::discover_model(target, &why, &how.model_root, &s.out.server);
    if (target.model.empty()) {
      std::cerr << "loadwright: cannot discover the model (give --model): " << why << '\n';
      return exit_bad_input;
    }
    if (!args.quiet) std::cout << "loadwright: model " << target.model << " (from /v1/models)\n";
    // The engine's version, where the model list said which engine it is (one cheap request,
    // never a reason to stop): written into every summary's "context".
    rt::discover_server_version(target, s.out.server);
    const auto& facts = s.out.server;
    if (!args.quiet && !facts.version.empty())
      std::cout << fmt::format("loadwright: server {} {} ({})\n", rt::printable(facts.owned_by),
                               rt::printable(facts.version), facts.version_from);
    for (const auto& plan : loaded.scenarios)
      if (!args.quiet && !facts.version.empty() && !plan.context.engine_version.empty() &&
          plan.context.engine_version != facts.version) {
        std::cout << fmt::format(
            "note: {}: context.engine_version is {} but the server reports {}\n", plan.name,
            plan.context.engine_version, rt::printable(facts.version));
        break;
      }
  }

  how.model = target.model;
  how.server = &target;
  how.insecure = args.insecure;
  how.quiet = args.quiet;
  how.time_scale = s.emu ? s.emu->profile().time_scale : 1.0;
  const double time_scale = s.emu ? s.emu->profile().time_scale : 1.0;
  const std::string note =
      s.emu ? fmt::format("emulated: profile {}{}", s.emu->profile().name,
                          time_scale != 1.0
                              ? fmt::format(", time scale {}: the Arena table is in the modelled "
                                            "machine's time, the per-run files as measured",
                                            time_scale)
                              : "")
            : "";
  s.reports = std::make_unique<rt::suite_outputs>(args.out_dir, target.model, note, time_scale);
  s.engine.target = target;
  s.engine.workers = args.workers;
  s.engine.stop = &g_stop_signal;
  s.out.out_dir = args.out_dir;
  s.out.console = args.quiet ? nullptr : &std::cout;
  s.out.progress = !args.quiet && isatty(STDERR_FILENO);
  s.out.emulated = s.emu != nullptr;
  s.out.time_scale = time_scale;
  if (s.emu) s.out.emulator_faults = args.emulator_faults;
  s.out.unsafe = args.unsafe;
  if (args.unsafe && !args.quiet)
    std::cout << "loadwright: --unsafe: the script ran without its sandbox (recorded in the "
                 "results)\n";

  // Everything of a scenario is sampled, shaped and serialized before any of it is sent: a
  // bad dataset or a failing request_hook stops the run here (exit 2).
  std::vector<counted_scenario> prepared;
  for (std::size_t i = 0; i < loaded.scenarios.size(); ++i) {
    const std::size_t hooks = loaded.experiment ? experiment_hooks(*loaded.experiment) : i;
    auto r = ready(s, loaded.scenarios[i], hooks, false);
    if (r.skipped) continue;
    if (!r.scenario) return exit_bad_input;
    prepared.push_back(std::move(*r.scenario));
  }
  if (loaded.experiment) {  // its scenario was prepared as a check; each load is prepared anew
    prepared.clear();
    install_stop_handlers();
    g_sending = true;
    return run_experiment(s, *loaded.experiment);
  }

  install_stop_handlers();
  g_sending = true;
  if (s.session->decides()) {
    try {
      s.session->run_suite([&](const rt::scenario_plan& plan, std::size_t hooks) {
        return run_from_suite(s, plan, hooks);
      });
    } catch (const script_error& e) {
      std::cerr << "loadwright: " << e.what() << '\n';
      return s.code == exit_ok ? exit_bad_input : s.code;
    } catch (const hook_error& e) {
      std::cerr << "loadwright: " << e.what() << '\n';
      s.code = exit_check_failed;
    }
  }
  for (const auto& c : prepared) {
    bool aborted = false;
    execute(s, c, &aborted);
    if (aborted) return exit_check_failed;
    if (s.interrupted) break;
  }
  if (s.interrupted || g_stop.load()) {
    if (!args.quiet) std::cout << s.reports->closing_text();
    return exit_interrupted;
  }
  if (!args.quiet &&
      (prepared.size() > 1 || s.session->decides() || !s.reports->closing_text().empty()))
    std::cout << s.reports->closing_text();
  return s.code;
}

}  // namespace loadwright::app
