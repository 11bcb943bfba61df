// loadwright's command line: argument parsing only; the verbs live in loadwright::scripting.

#include <CLI/CLI.hpp>
#include <iostream>

#include "loadwright/app/commands.hpp"

namespace lw = loadwright::app;

int main(int argc, char** argv) {
  CLI::App app{
      "loadwright: benchmark LLM inference servers with shareable Lua scenarios.\n"
      "Exit codes: 0 ok, 1 a check failed (SLO, failures), 2 bad script or arguments (nothing "
      "sent), 130 interrupted."};
  app.name("loadwright");
  app.set_version_flag("--version", "loadwright 0.1.0");
  app.require_subcommand(0, 1);

  lw::run_args run;
  auto* run_cmd = app.add_subcommand(
      "run", "Run a scenario file (against the built-in emulator if no --base-url)");
  run_cmd
      ->add_option("file", run.file,
                   "Scenario file (.lua), or a shipped scenario's name (see `list`)")
      ->required();
  run_cmd->add_option("--base-url", run.base_url,
                      "Server base URL, e.g. http://localhost:8000/v1 (or OPENAI_BASE_URL)");
  run_cmd->add_option("--target", run.targets,
                      "NAME=URL: the server of the scenarios whose target is named NAME "
                      "(target = { name = NAME }); repeatable");
  run_cmd->add_option("--base-url-b", run.base_url_b,
                      "An A/B's B server (ab { b = { base_url } }); --base-url is then A");
  run_cmd->add_option("--model", run.model,
                      "Model name to send (default: discovered from /v1/models)");
  run_cmd->add_option("--api-key", run.api_key,
                      "API key sent as a Bearer token (or OPENAI_API_KEY); never written anywhere");
  run_cmd->add_option("--out", run.out_dir, "Folder for result files")->capture_default_str();
  run_cmd->add_option("--set", run.overrides,
                      "Override a scenario field: --set arrival.rate=2 (repeatable)");
  run_cmd->add_option("--seed", run.seed, "Override the scenario's seed");
  run_cmd->add_option("--tokenizer", run.tokenizer,
                      "The model's tokenizer.json (or its folder) for exact prompt token counts");
  run_cmd->add_flag("--dry-run", run.dry_run, "Load, validate and print the plan; send nothing");
  run_cmd->add_flag("--insecure", run.insecure, "Do not verify TLS certificates");
  run_cmd->add_flag("--unsafe", run.unsafe, "Lift the script sandbox (only for your own scripts)");
  run_cmd->add_flag("--quiet,-q", run.quiet, "Print nothing but errors");
  run_cmd->add_option("--workers", run.workers, "Worker threads sending requests")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  run_cmd
      ->add_option("--emulator-profile", run.emulator_profile,
                   "Emulator profile when no --base-url (fast, spark, instant)")
      ->capture_default_str();
  run_cmd->add_option("--emulator-time-scale", run.emulator_time_scale,
                      "Multiply the emulator's modelled times and the scenario's send and think "
                      "times (0.1 = 10x faster; results are labelled)");
  run_cmd->add_flag("--emulator-prefix-cache", run.emulator_prefix_cache,
                    "The built-in emulator caches prompt prefixes (as vLLM's "
                    "--enable-prefix-caching)");
  run_cmd->add_option("--emulator-log", run.emulator_log,
                      "The built-in emulator appends every request it receives to this file");
  run_cmd->add_option("--emulator-faults", run.emulator_faults,
                      "The built-in emulator misbehaves: a fault mix such as "
                      "\"reset:0.1,503:0.05,stall:0.01\" (see `emulate --help`)");

  lw::validate_args validate;
  auto* validate_cmd = app.add_subcommand(
      "validate", "Load and validate a scenario file, print its plan; send nothing");
  validate_cmd->add_option("file", validate.file, "Scenario file (.lua)")->required();
  validate_cmd->add_option("--set", validate.overrides,
                           "Override a scenario field: --set arrival.rate=2 (repeatable)");
  validate_cmd->add_option("--seed", validate.seed, "Override the scenario's seed");
  validate_cmd->add_flag("--unsafe", validate.unsafe, "Lift the script sandbox");
  validate_cmd->add_option("--tokenizer", validate.tokenizer,
                           "The model's tokenizer.json (or its folder)");

  lw::emulate_args emulate;
  auto* emulate_cmd =
      app.add_subcommand("emulate", "Serve the built-in emulated OpenAI-compatible server");
  emulate_cmd->add_option("--host", emulate.host, "Address to listen on")->capture_default_str();
  emulate_cmd->add_option("--port", emulate.port, "Port (0: any free port)")->capture_default_str();
  emulate_cmd->add_option("--profile", emulate.profile, "Profile: fast, spark, instant")
      ->capture_default_str();
  emulate_cmd->add_option("--model", emulate.model, "Model name to report");
  emulate_cmd->add_option("--prefill-tps", emulate.prefill_tps,
                          "Prompt tokens per second for one request");
  emulate_cmd->add_option("--decode-ms", emulate.decode_ms,
                          "Decode step time with one sequence (ms)");
  emulate_cmd->add_option("--decode-exponent", emulate.decode_exponent,
                          "Step time grows as batch^exponent");
  emulate_cmd->add_option("--max-batch", emulate.max_batch, "Sequences decoded at once");
  emulate_cmd->add_option("--time-scale", emulate.time_scale, "Multiply all modelled times");
  emulate_cmd->add_flag("--prefix-cache", emulate.prefix_cache,
                        "Cache prompt prefixes (as vLLM's --enable-prefix-caching): cached tokens "
                        "are not prefilled and usage reports them");
  emulate_cmd->add_option(
      "--tokenizer", emulate.tokenizer,
      "Count prompts with this tokenizer.json (exact usage; /tokenize returns ids)");
  emulate_cmd->add_option("--log-requests", emulate.request_log,
                          "Append every request received to this file (JSON lines)");
  emulate_cmd->add_option("--faults", emulate.faults,
                          "Inject faults into generation requests: NAME:FRACTION,... where NAME "
                          "is close, reset, no_headers, stall, malformed, error_event, "
                          "truncated, no_done, long_line, huge_body or an HTTP status "
                          "(429 adds Retry-After). A request's X-Loadwright-Fault: NAME header "
                          "picks one for it alone.");

  lw::report_args report;
  auto* report_cmd = app.add_subcommand("report", "Recompute summaries from raw request records");
  report_cmd->add_option("path", report.path, "A results folder or a NAME.requests.jsonl file")
      ->required();
  report_cmd->add_option("--percentiles", report.percentiles, "Percentiles to report")
      ->delimiter(',');
  report_cmd->add_option("--json", report.json_out,
                         "Also write the recomputed summary as JSON here");

  lw::compare_args compare;
  auto* compare_cmd = app.add_subcommand(
      "compare",
      "A/B: pair two result folders' requests by id and test every latency (Wilcoxon, "
      "bootstrap, Welch, TOST)");
  compare_cmd
      ->add_option("a", compare.a,
                   "Results of the baseline A: a folder, NAME.json or NAME.requests.jsonl")
      ->required();
  compare_cmd
      ->add_option("b", compare.b, "Results of the candidate B, from the same scenario and seed")
      ->required();
  compare_cmd->add_option("--out", compare.out_dir, "Folder for compare.md and compare.json")
      ->capture_default_str();
  compare_cmd
      ->add_option("--margin", compare.margin,
                   "Equivalence margin, relative to A (0.05: no difference larger than 5 %)")
      ->capture_default_str();
  compare_cmd->add_option("--alpha", compare.alpha, "Significance level")->capture_default_str();
  compare_cmd->add_option("--resamples", compare.resamples, "Bootstrap resamples")
      ->capture_default_str();
  compare_cmd->footer(
      "For each scenario in both: measured requests (phase \"measure\") paired by request id,\n"
      "only pairs that succeeded on both sides. Per request (TTFT, TPOT, mean ITL, E2EL):\n"
      "Wilcoxon signed-rank test of B - A, bootstrap CIs of the differences of medians and\n"
      "p99s, Hodges-Lehmann shift, rank-biserial r, TOST against +-margin x A's median.\n"
      "Per run (runs >= 2 on both sides): Welch's t-test on each run's throughput and\n"
      "median/p99 latencies, TOST against +-margin x A's mean. Verdict per metric:\n"
      "equivalent (TOST p < alpha), else B faster/slower (p < alpha and the CI excludes 0),\n"
      "else inconclusive. Exit 0 when compared (whatever the verdicts); 2 when the results\n"
      "cannot be paired (different scenario or seed, different requests, no results, too\n"
      "few pairs). See docs/compare.md.");

  auto* list_cmd = app.add_subcommand("list", "List the shipped scenarios and examples");

  lw::tokenize_args tokenize;
  auto* tokenize_cmd = app.add_subcommand(
      "tokenize", "Print the token ids of a text (a JSON array), or with --decode the text of ids");
  tokenize_cmd
      ->add_option("--tokenizer", tokenize.tokenizer,
                   "A tokenizer.json (or its folder), GPT-2's vocab.json + merges.txt "
                   "folder, or a .tiktoken file")
      ->required();
  tokenize_cmd->add_option("text", tokenize.text, "The text (or ids with --decode); - reads stdin")
      ->required();
  tokenize_cmd->add_flag("--decode", tokenize.decode, "Decode a JSON array of ids to text");
  tokenize_cmd->add_flag("--add-special-tokens", tokenize.add_special_tokens,
                         "Add the tokenizer's BOS/EOS as a server does for a prompt");
  tokenize_cmd->add_flag("--skip-special-tokens", tokenize.skip_special_tokens,
                         "With --decode: leave special tokens out");
  tokenize_cmd->add_flag("--count", tokenize.count, "Print only the number of tokens");

  std::string help_topic;
  auto* help_cmd = app.add_subcommand("help", "Show help for a verb: loadwright help run");
  help_cmd->add_option("verb", help_topic);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : lw::exit_bad_input;
  }
  try {
    if (*run_cmd) return lw::run_command(run);
    if (*validate_cmd) return lw::validate_command(validate);
    if (*emulate_cmd) return lw::emulate_command(emulate);
    if (*report_cmd) return lw::report_command(report);
    if (*compare_cmd) return lw::compare_command(compare);
    if (*list_cmd) return lw::list_command();
    if (*tokenize_cmd) return lw::tokenize_command(tokenize);
  } catch (const std::exception& e) {
    // A bug, not bad input: say so (records already written stay on disk).
    std::cerr << "loadwright: internal error: " << e.what() << '\n';
    return lw::exit_check_failed;
  } catch (...) {
    std::cerr << "loadwright: internal error (unknown exception)\n";
    return lw::exit_check_failed;
  }
  if (*help_cmd && !help_topic.empty()) {
    for (auto* sub : app.get_subcommands({})) {
      if (sub->get_name() == help_topic) {
        std::cout << sub->help();
        return 0;
      }
    }
    std::cerr << "loadwright: no verb '" << help_topic << "'\n";
    return lw::exit_bad_input;
  }
  std::cout << app.help();
  return 0;
}
