// `loadwright compare` end to end: two runs of one scenario and seed against the built-in
// emulator whose difference is known (the `fast` profile at time scale 5 and 10: every
// modelled time doubles, so TPOT and E2EL double), two runs with identical settings, and the
// inputs it must refuse with one line and exit code 2.
//
// Timing on a shared 2-core machine: the emulator keeps absolute step times (a late wake-up
// does not slow the modelled server), so TPOT and E2EL are set by the model (5.3 ms per
// token, 80 ms per request at time scale 5) and the client's noise is a fraction of a percent
// of them; TTFT of the `fast` profile is sub-millisecond (instant prefill) and so is mostly
// the machine's noise: the identical pair is not asked to agree on it.

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <string>

#include "catch.hpp"
#include "cli_support.hpp"

using namespace lw_e2e;

namespace {

const char* const ab_scenario = R"(return scenario {
  name    = "ab",
  seed    = 11,
  dataset = random { input_tokens = 64, output_tokens = 16 },
  arrival = closed { concurrency = 2 },
  requests = 20,
  warmup  = 2,
  runs    = 3,
}
)";

struct ab_results {
  fs::path root, file, fast, slow, fast_again;
};

// The three runs, made once for all the test cases: A (time scale 5), B (time scale 10) and A
// again (time scale 5).
const ab_results& runs() {
  static const ab_results results = [] {
    ab_results r;
    r.root = temp_dir("compare");
    r.file = write(r.root / "ab.lua", ab_scenario);
    r.fast = r.root / "fast";
    r.slow = r.root / "slow";
    r.fast_again = r.root / "fast-again";
    for (const auto& [dir, scale] : {std::pair{r.fast, "5"}, {r.slow, "10"}, {r.fast_again, "5"}}) {
      const auto out = sh("run " + r.file.string() + " -q --out " + dir.string() +
                          " --emulator-profile fast --emulator-time-scale " + scale);
      INFO(out.out);
      REQUIRE(out.code == 0);
    }
    return r;
  }();
  return results;
}

json::object per_request(const json::object& scenario, const std::string& metric) {
  for (const auto& m : scenario.at("per_request").as_array())
    if (m.as_object().at("metric").as_string() == metric) return m.as_object();
  FAIL("no per-request metric " << metric);
  return {};
}

json::object per_run(const json::object& scenario, const std::string& metric) {
  for (const auto& m : scenario.at("per_run").as_array())
    if (m.as_object().at("metric").as_string() == metric) return m.as_object();
  FAIL("no per-run metric " << metric);
  return {};
}

std::string kind(const json::object& metric) {
  return json::value_to<std::string>(metric.at("verdict").as_object().at("kind"));
}

// One line on the output (the problem), exit code 2, and no report written.
void refused(const std::string& args, const std::string& expected) {
  const auto out_dir = temp_dir("compare_refused");
  const auto r = sh("compare " + args + " --out " + out_dir.string());
  INFO("compare " << args << "\n" << r.out);
  CHECK(r.code == 2);
  CHECK(r.out.rfind("loadwright compare: ", 0) == 0);
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 1);
  CHECK(r.out.find(expected) != std::string::npos);
  CHECK_FALSE(fs::exists(out_dir / "compare.md"));
  CHECK_FALSE(fs::exists(out_dir / "compare.json"));
}

}  // namespace

TEST_CASE("compare: help", "[e2e][compare]") {
  const auto r = sh("help compare");
  CHECK(r.code == 0);
  CHECK(r.out.find("Usage") != std::string::npos);
  CHECK(r.out.find("--margin") != std::string::npos);
  CHECK(r.out.find("Wilcoxon") != std::string::npos);
}

TEST_CASE("compare: a known slow-down (time scale 5 vs 10) is found with a small p-value",
          "[e2e][compare]") {
  const auto& ab = runs();
  const auto out = ab.root / "report-slow";
  const auto r =
      sh("compare " + ab.fast.string() + " " + ab.slow.string() + " --out " + out.string());
  INFO(r.out);
  REQUIRE(r.code == 0);
  CHECK(r.out.find("== ab (seed 11) ==") != std::string::npos);
  CHECK(r.out.find("60 pairs by request id from runs 1\u20133") != std::string::npos);
  CHECK(r.out.find("TPOT: B is slower by") != std::string::npos);
  CHECK(r.out.find("wrote " + (out / "compare.md").string()) != std::string::npos);
  REQUIRE(fs::exists(out / "compare.md"));
  CHECK(read(out / "compare.md").find("## ab (seed 11)") != std::string::npos);

  const auto doc = json::parse(read(out / "compare.json")).as_object();
  CHECK(doc.at("margin").as_double() == 0.05);
  const auto& s = doc.at("scenarios").as_array().at(0).as_object();
  CHECK(s.at("seed").as_int64() == 11);
  CHECK(s.at("pairs").as_object().at("ok_pairs").as_int64() == 60);
  for (const char* metric : {"tpot_ms", "itl_ms", "e2el_ms"}) {
    INFO(metric);
    const auto m = per_request(s, metric);
    CHECK(kind(m) == "worse");
    // All 60 pairs slower: the asymptotic two-sided p is about 2e-11.
    CHECK(m.at("wilcoxon").as_object().at("p_value").as_double() < 1e-6);
    // Every modelled time doubled: +100 %, loosely (the client's own time is in E2EL).
    const double rel = m.at("median_difference").as_object().at("relative").as_double();
    CHECK(rel > 0.6);
    CHECK(rel < 1.4);
    CHECK_FALSE(m.at("tost").as_object().at("equivalent").as_bool());
  }
  // Across the three runs on each side: Welch on the output throughput (halved).
  const auto thr = per_run(s, "output_throughput");
  CHECK(thr.at("a").as_array().size() == 3);
  CHECK(thr.at("b").as_array().size() == 3);
  CHECK(kind(thr) == "worse");
  CHECK(thr.at("welch").as_object().at("p_value").as_double() < 0.01);
  const double rel = thr.at("verdict").as_object().at("relative_change").as_double();
  CHECK(rel < -0.3);
  CHECK(rel > -0.7);

  // The other way round, B is faster.
  const auto back = sh("compare " + ab.slow.string() + " " + ab.fast.string() + " --out " +
                       (ab.root / "report-back").string());
  INFO(back.out);
  CHECK(back.code == 0);
  CHECK(back.out.find("TPOT: B is faster by") != std::string::npos);
}

TEST_CASE("compare: identical settings are declared equivalent", "[e2e][compare]") {
  const auto& ab = runs();
  const auto out = ab.root / "report-same";
  const auto r =
      sh("compare " + ab.fast.string() + " " + ab.fast_again.string() + " --out " + out.string());
  INFO(r.out);
  REQUIRE(r.code == 0);
  const auto doc = json::parse(read(out / "compare.json")).as_object();
  const auto& s = doc.at("scenarios").as_array().at(0).as_object();
  // TPOT and E2EL are the emulator's modelled times: equivalent within ±5 %.
  for (const char* metric : {"tpot_ms", "e2el_ms"}) {
    INFO(metric);
    const auto m = per_request(s, metric);
    CHECK(kind(m) == "equivalent");
    CHECK(m.at("tost").as_object().at("equivalent").as_bool());
  }
  CHECK(r.out.find("TPOT: no difference larger than \u00b15 %") != std::string::npos);

  // A against its own results: every difference is zero, so every metric is equivalent
  // (deterministic, whatever the machine did).
  const auto self = sh("compare " + ab.fast.string() + " " + ab.fast.string() + " --out " +
                       (ab.root / "report-self").string());
  INFO(self.out);
  REQUIRE(self.code == 0);
  const auto self_doc = json::parse(read(ab.root / "report-self" / "compare.json")).as_object();
  const auto& ss = self_doc.at("scenarios").as_array().at(0).as_object();
  for (const char* metric : {"ttft_ms", "tpot_ms", "itl_ms", "e2el_ms"}) {
    INFO(metric);
    const auto m = per_request(ss, metric);
    CHECK(kind(m) == "equivalent");
    CHECK(m.at("wilcoxon").as_object().at("n_zero").as_int64() == 60);
  }
  // Across runs, A's own spread decides: three runs rarely show equivalence within ±5 % on a
  // busy machine, but never a difference.
  CHECK(per_run(ss, "output_throughput").at("welch").as_object().at("p_value").as_double() ==
        Approx(1));
  CHECK(self.out.find("A and B are the same results") != std::string::npos);
}

TEST_CASE("compare: summaries and records files as inputs", "[e2e][compare]") {
  const auto& ab = runs();
  const auto out = ab.root / "report-files";
  const auto r = sh("compare " + (ab.fast / "ab.json").string() + " " +
                    (ab.slow / "ab.requests.jsonl").string() + " --out " + out.string() +
                    " --margin 0.1 --resamples 1000");
  INFO(r.out);
  REQUIRE(r.code == 0);
  const auto doc = json::parse(read(out / "compare.json")).as_object();
  CHECK(doc.at("margin").as_double() == 0.1);
  CHECK(doc.at("bootstrap_resamples").as_int64() == 1000);
  const auto& s = doc.at("scenarios").as_array().at(0).as_object();
  CHECK(kind(per_request(s, "e2el_ms")) == "worse");
  CHECK(s.at("b").as_object().at("summary_file").as_string().ends_with("ab.json"));
}

TEST_CASE("compare: results that cannot be paired are refused with one line", "[e2e][compare]") {
  const auto& ab = runs();
  const auto dir = ab.root / "bad";
  fs::create_directories(dir);
  // The same file run with another seed, another scenario name, other prompts, too few
  // requests: quick runs (time scale 0.2).
  auto run = [&](const std::string& name, const std::string& extra) {
    const auto to = dir / name;
    const auto r = sh("run " + ab.file.string() + " -q --emulator-time-scale 0.2 --out " +
                      to.string() + " " + extra);
    INFO(r.out);
    REQUIRE(r.code == 0);
    return to;
  };
  const auto other_seed = run("seed", "--seed 12");
  const auto other_name = run("name", "--set name=other");
  const auto other_prompts = run("prompts", "--set dataset.input_tokens=80");
  const auto few = run("few", "--set requests=4 --set runs=1 --set warmup=0");

  refused(ab.fast.string() + " " + other_seed.string(),
          "scenario ab: A was run with seed 11 and B with seed 12: the requests differ");
  refused(ab.fast.string() + " " + other_name.string(),
          "A is scenario 'ab' and B is scenario 'other': compare results of the same scenario");
  refused(ab.fast.string() + " " + other_prompts.string(),
          "scenario ab: A and B did not send the same requests: 60 of 60 matched request ids "
          "differ (request ab-1-0 has a prompt of 64 tokens in A and of 80 in B)");
  refused(few.string() + " " + few.string(),
          "scenario ab: too few paired requests to compare: 4 completed on both sides (the "
          "signed-rank test needs at least 6)");

  const auto empty = dir / "empty";
  fs::create_directories(empty);
  refused(ab.fast.string() + " " + empty.string(), "B: " + empty.string() + ": no results found");
  refused((dir / "missing").string() + " " + ab.fast.string(),
          "A: " + (dir / "missing").string() + ": no such file or folder");
  refused(ab.file.string() + " " + ab.fast.string(),
          "not a results folder, NAME.json or NAME.requests.jsonl");

  // A summary without its records.
  const auto lonely = dir / "lonely";
  fs::create_directories(lonely);
  fs::copy_file(ab.fast / "ab.json", lonely / "ab.json");
  refused((lonely / "ab.json").string() + " " + ab.slow.string(), "has no records file");

  // Two folders with no scenario in common: {ab, other} against {third}.
  const auto both = dir / "both";
  const auto third = dir / "third";
  fs::create_directories(both);
  fs::create_directories(third);
  for (const char* ext : {".json", ".requests.jsonl"}) {
    fs::copy_file(ab.fast / ("ab" + std::string(ext)), both / ("ab" + std::string(ext)));
    fs::copy_file(other_name / ("other" + std::string(ext)), both / ("other" + std::string(ext)));
    std::string text = read(other_name / ("other" + std::string(ext)));
    for (std::size_t at; (at = text.find("\"other")) != std::string::npos;)
      text.replace(at, 6, "\"third");
    write(third / ("third" + std::string(ext)), text);
  }
  refused(both.string() + " " + third.string(),
          "no scenario is in both A (ab, other) and B (third)");
}
