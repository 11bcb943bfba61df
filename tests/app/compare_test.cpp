// `loadwright compare`'s own logic (app/src/commands/compare_model.*): pairing measured records
// by request id, the checks that two results are the same requests, which metrics are tested
// and the verdicts on data whose difference is known by construction, and the three reports.
// The statistics themselves are the analysis library's (tests/analysis/).

#include "commands/compare_model.hpp"

#include <boost/json.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "catch.hpp"
#include "loadwright/analysis/random.hpp"

namespace cmp = loadwright::app::compare;
namespace rt = loadwright::runtime;
namespace an = loadwright::analysis;

namespace {

// A finished request: TTFT, then `tokens` tokens `tpot_ms` apart.
rt::request_record record(const std::string& scenario, std::uint32_t run, std::uint64_t seq,
                          double ttft_ms, double tpot_ms, std::int64_t tokens = 16) {
  rt::request_record r;
  r.scenario = scenario;
  r.run = run;
  r.seq = seq;
  r.phase = rt::run_phase::measure;
  r.request_id = scenario + "-" + std::to_string(run) + "-" + std::to_string(seq);
  r.ttft_ns = static_cast<std::int64_t>(ttft_ms * 1e6);
  r.e2el_ns = r.ttft_ns + static_cast<std::int64_t>(tpot_ms * 1e6) * (tokens - 1);
  r.end_ns = r.e2el_ns;
  r.output_tokens = tokens;
  r.input_tokens = r.expected_input_tokens = 64;
  r.max_tokens = tokens;
  for (std::int64_t i = 1; i < tokens; ++i) r.itl_ms.push_back(static_cast<float>(tpot_ms));
  r.text_events = static_cast<std::uint32_t>(tokens);
  return r;
}

// `runs` runs of `n` requests; latencies = base × factor × (1 ± jitter), seeded.
cmp::side_results side(const std::string& scenario, std::uint64_t seed, std::uint32_t runs,
                       std::uint64_t n, double factor, double jitter, std::uint64_t noise_seed) {
  cmp::side_results s;
  s.scenario = scenario;
  s.seed = seed;
  s.records_file = scenario + ".requests.jsonl";
  an::xoshiro256ss rng(noise_seed);
  an::xoshiro256ss base(1);  // the same base latency per request on both sides
  for (std::uint32_t run = 1; run <= runs; ++run) {
    double sum_e2el = 0;
    for (std::uint64_t i = 0; i < n; ++i) {
      const double ttft = 50 + 100 * base.next_uniform();
      const double tpot = 10 + 5 * base.next_uniform();
      auto noise = [&] { return 1 + jitter * (2 * rng.next_uniform() - 1); };
      auto r = record(scenario, run, i, ttft * factor * noise(), tpot * factor * noise());
      sum_e2el += static_cast<double>(r.e2el_ns) * 1e-6;
      s.records.push_back(std::move(r));
    }
    cmp::run_values v;
    v["output_throughput"] = 1000.0 / factor * (1 + jitter * (2 * rng.next_uniform() - 1));
    v["median_e2el_ms"] = sum_e2el / static_cast<double>(n);
    s.runs.push_back(v);
  }
  return s;
}

const cmp::request_metric_result& metric(const cmp::scenario_comparison& c, const char* key) {
  for (const auto& m : c.per_request)
    if (m.key == key) return m;
  FAIL("no metric " << key);
  return c.per_request.front();
}

const cmp::run_metric_result& run_metric(const cmp::scenario_comparison& c, const char* key) {
  for (const auto& m : c.per_run)
    if (m.key == key) return m;
  FAIL("no run metric " << key);
  return c.per_run.front();
}

cmp::compare_options fast_options() {
  cmp::compare_options o;
  o.resamples = 2000;
  return o;
}

}  // namespace

TEST_CASE("compare: the fewest pairs a two-sided signed-rank test can reject with", "[compare]") {
  CHECK(cmp::minimum_pairs(0.05) == 6);  // 2/2^5 = 0.0625, 2/2^6 = 0.03125
  CHECK(cmp::minimum_pairs(0.01) == 8);  // 2/2^7 = 0.0156, 2/2^8 = 0.0078
  CHECK(cmp::minimum_pairs(0.1) == 5);   // 2/2^4 = 0.125, 2/2^5 = 0.0625
}

TEST_CASE("compare: per-request values", "[compare]") {
  auto r = record("s", 1, 0, 100, 10, 11);
  CHECK(*cmp::request_metric_value(r, "ttft_ms") == Approx(100));
  CHECK(*cmp::request_metric_value(r, "e2el_ms") == Approx(200));
  CHECK(*cmp::request_metric_value(r, "tpot_ms") == Approx(10));
  CHECK(*cmp::request_metric_value(r, "itl_ms") == Approx(10));
  auto one = record("s", 1, 1, 100, 10, 1);  // one token: no TPOT, no gaps
  CHECK_FALSE(cmp::request_metric_value(one, "tpot_ms"));
  CHECK_FALSE(cmp::request_metric_value(one, "itl_ms"));
  CHECK(cmp::request_metric_value(one, "ttft_ms"));
  r.status = rt::request_status::timeout;  // a failure has no latency
  CHECK_FALSE(cmp::request_metric_value(r, "ttft_ms"));
}

TEST_CASE("compare: records are paired by request id, measured and ok only", "[compare]") {
  std::vector<rt::request_record> a, b;
  for (std::uint64_t i = 0; i < 8; ++i) a.push_back(record("s", 1, i, 100 + i, 10));
  // B in another order, with different latencies, one request more and one less.
  for (std::uint64_t i = 8; i-- > 1;) b.push_back(record("s", 1, i, 200 + i, 20));
  b.push_back(record("s", 1, 9, 1, 1));
  // Warm-up and context records never pair, even with a matching id.
  auto w = record("s", 1, 0, 5, 5);
  w.phase = rt::run_phase::warmup;
  w.request_id = "s-1-w0";
  a.push_back(w);
  b.push_back(w);
  auto ctx = record("s", 1, 3, 5, 5);
  ctx.phase = rt::run_phase::context;
  b.push_back(ctx);
  // A failure on one side drops its pair.
  b[0].status = rt::request_status::http_status;  // s-1-7

  const auto p = cmp::pair_records(a, b, "s");
  CHECK(p.measured_a == 8);
  CHECK(p.measured_b == 8);
  CHECK(p.matched == 7);  // s-1-1 … s-1-7
  CHECK(p.only_a == 1);   // s-1-0
  CHECK(p.only_b == 1);   // s-1-9
  CHECK(p.failed_a == 0);
  CHECK(p.failed_b == 1);
  CHECK(p.ok_pairs == 6);
  CHECK(p.runs == std::vector<std::uint32_t>{1});
  REQUIRE(p.metrics.size() == cmp::request_metrics().size());
  const auto& ttft = p.metrics.front();
  CHECK(ttft.key == "ttft_ms");
  REQUIRE(ttft.a.size() == 6);
  for (std::size_t i = 0; i < 6; ++i) {  // in A's order: s-1-1 … s-1-6, each with its own B
    CHECK(ttft.a[i] == Approx(100 + 1 + i));
    CHECK(ttft.b[i] == Approx(200 + 1 + i));
  }
}

TEST_CASE("compare: results that are not the same requests are refused", "[compare]") {
  std::vector<rt::request_record> a, b;
  for (std::uint64_t i = 0; i < 8; ++i) {
    a.push_back(record("s", 1, i, 100, 10));
    b.push_back(record("s", 1, i, 100, 10));
  }
  SECTION("a different prompt") {
    b[3].expected_input_tokens = 80;
    try {
      cmp::pair_records(a, b, "s");
      FAIL("no error");
    } catch (const cmp::compare_error& e) {
      const std::string what = e.what();
      CHECK(what.find("did not send the same requests") != std::string::npos);
      CHECK(what.find("s-1-3 has a prompt of 64 tokens in A and of 80 in B") != std::string::npos);
      CHECK(what.find("1 of 8") != std::string::npos);
    }
  }
  SECTION("a different max_tokens") {
    b[2].max_tokens = 99;
    CHECK_THROWS_AS(cmp::pair_records(a, b, "s"), cmp::compare_error);
  }
  SECTION("a later turn may differ in prompt (it carries the server's replies)") {
    for (auto* side : {&a, &b})
      for (auto& r : *side) {
        r.turn = 2;
        r.request_id += ".2";
      }
    b[3].expected_input_tokens = 80;
    CHECK(cmp::pair_records(a, b, "s").ok_pairs == 8);
  }
  SECTION("an id twice on one side") {
    b.push_back(b.front());
    CHECK_THROWS_WITH(cmp::pair_records(a, b, "s"), Catch::Contains("appears twice in B"));
  }
}

TEST_CASE("compare: scenario and seed must match", "[compare]") {
  auto a = side("chat", 42, 1, 20, 1.0, 0.01, 1);
  auto b = side("chat", 43, 1, 20, 1.0, 0.01, 2);
  CHECK_THROWS_WITH(cmp::compare_scenario(a, b, fast_options()),
                    Catch::Contains("A was run with seed 42 and B with seed 43"));
  b.seed = 42;
  b.scenario = "code";
  CHECK_THROWS_WITH(cmp::compare_scenario(a, b, fast_options()),
                    Catch::Contains("A is scenario 'chat' and B is scenario 'code'"));
  // No id in common (e.g. runs numbered differently) is an error too.
  b = side("chat", 42, 1, 20, 1.0, 0.01, 2);
  for (auto& r : b.records) r.request_id += "x";
  CHECK_THROWS_WITH(cmp::compare_scenario(a, b, fast_options()),
                    Catch::Contains("no measured request id is in both"));
}

TEST_CASE("compare: a known 50 % slow-down is found, per request and per run", "[compare]") {
  const auto a = side("chat", 42, 3, 30, 1.0, 0.02, 1);
  const auto b = side("chat", 42, 3, 30, 1.5, 0.02, 2);
  const auto c = cmp::compare_scenario(a, b, fast_options());
  CHECK(c.pairs.ok_pairs == 90);
  CHECK(c.tested());
  for (const char* key : {"ttft_ms", "tpot_ms", "itl_ms", "e2el_ms"}) {
    INFO(key);
    const auto& m = metric(c, key);
    REQUIRE(m.result);
    CHECK(m.n == 90);
    CHECK(m.result->test.p_value < 1e-10);
    CHECK(m.result->result.kind == an::verdict_kind::worse);
    CHECK(m.result->result.relative_change == Approx(0.5).margin(0.05));
    CHECK(m.result->result.relative_ci.contains(m.result->result.relative_change));
    CHECK(cmp::short_verdict(m.result->result, 0.05).rfind("B slower by ", 0) == 0);
    CHECK_FALSE(m.result->tost.equivalent);
  }
  const auto& thr = run_metric(c, "output_throughput");
  REQUIRE(thr.result);
  CHECK(thr.a.size() == 3);
  CHECK(thr.welch->p_value < 0.001);
  CHECK(thr.result->kind == an::verdict_kind::worse);  // higher is better: B's is lower
  CHECK(thr.result->relative_change == Approx(-1.0 / 3).margin(0.03));
  CHECK(thr.cohens_d < 0);
  const auto& e2el = run_metric(c, "median_e2el_ms");
  REQUIRE(e2el.result);
  CHECK(e2el.result->kind == an::verdict_kind::worse);
  // Metrics the runs do not carry are left untested, with a note.
  const auto& p99 = run_metric(c, "p99_ttft_ms");
  CHECK_FALSE(p99.result);
  CHECK(p99.note.find("not in every run") != std::string::npos);
}

TEST_CASE("compare: the same requests served alike are equivalent within the margin", "[compare]") {
  const auto a = side("chat", 42, 3, 40, 1.0, 0.01, 1);
  const auto b = side("chat", 42, 3, 40, 1.0, 0.01, 2);
  const auto c = cmp::compare_scenario(a, b, fast_options());
  for (const char* key : {"ttft_ms", "tpot_ms", "itl_ms", "e2el_ms"}) {
    INFO(key);
    const auto& m = metric(c, key);
    REQUIRE(m.result);
    CHECK(m.result->tost.equivalent);
    CHECK(m.result->result.kind == an::verdict_kind::equivalent);
    CHECK(m.result->result.text.rfind("no difference larger than \u00b15 %", 0) == 0);
    CHECK(cmp::short_verdict(m.result->result, 0.05) == "equivalent (\u00b15 %)");
  }
  CHECK(run_metric(c, "output_throughput").result->kind == an::verdict_kind::equivalent);
  // A 3 % slow-down is equivalent at ±5 % but not at ±1 %.
  const auto slower = side("chat", 42, 3, 40, 1.03, 0.0, 3);
  auto tight = fast_options();
  tight.margin = 0.01;
  CHECK(metric(cmp::compare_scenario(a, slower, fast_options()), "tpot_ms").result->result.kind ==
        an::verdict_kind::equivalent);
  CHECK(metric(cmp::compare_scenario(a, slower, tight), "tpot_ms").result->result.kind ==
        an::verdict_kind::worse);
}

TEST_CASE("compare: too few pairs or runs leave the metrics untested", "[compare]") {
  const auto a = side("chat", 42, 1, 5, 1.0, 0.01, 1);
  const auto b = side("chat", 42, 1, 5, 2.0, 0.01, 2);
  const auto c = cmp::compare_scenario(a, b, fast_options());
  CHECK_FALSE(c.tested());
  for (const auto& m : c.per_request) {
    CHECK_FALSE(m.result);
    CHECK(m.note == "not tested: 5 pairs, the signed-rank test needs at least 6");
  }
  for (const auto& m : c.per_run) CHECK_FALSE(m.result);
  CHECK(run_metric(c, "output_throughput").note.find("Welch's test needs 2 or more each") !=
        std::string::npos);
  bool noted = false;
  for (const auto& n : c.notes) noted = noted || n.find("only 5 paired request") == 0;
  CHECK(noted);
}

TEST_CASE("compare: A against itself", "[compare]") {
  const auto a = side("chat", 42, 2, 20, 1.0, 0.05, 1);
  const auto c = cmp::compare_scenario(a, a, fast_options());
  for (const auto& m : c.per_request) {
    REQUIRE(m.result);
    CHECK(m.result->test.n_zero == 40);
    CHECK(m.result->result.kind == an::verdict_kind::equivalent);
  }
  cmp::comparison all;
  all.a_label = all.b_label = "results";
  all.scenarios.push_back(c);
  const auto text = cmp::console_text(all);
  CHECK(text.find("nan") == std::string::npos);
  CHECK(text.find("no nonzero difference") != std::string::npos);
}

TEST_CASE("compare: the console report, compare.md and compare.json", "[compare]") {
  const auto a = side("chat", 42, 3, 30, 1.0, 0.02, 1);
  const auto b = side("chat", 42, 3, 30, 0.8, 0.02, 2);
  cmp::comparison all;
  all.a_label = "results-a";
  all.b_label = "results-b";
  all.options = fast_options();
  all.scenarios.push_back(cmp::compare_scenario(a, b, all.options));
  all.notes.push_back("scenario code is only in A: left out");

  const auto console = cmp::console_text(all);
  CHECK(console.find("== chat (seed 42) ==") != std::string::npos);
  CHECK(console.find("90 pairs by request id from runs 1\u20133") != std::string::npos);
  CHECK(console.find("TTFT (ms)") != std::string::npos);
  CHECK(console.find("B faster by ") != std::string::npos);
  CHECK(console.find("TTFT: B is faster by") != std::string::npos);
  CHECK(console.find("In short: B is better (faster) in TTFT, TPOT") != std::string::npos);
  CHECK(console.find("note: scenario code is only in A") != std::string::npos);

  const auto md = cmp::markdown_text(all);
  CHECK(md.find("## chat (seed 42)") != std::string::npos);
  CHECK(md.find("| metric | n | A median |") != std::string::npos);
  CHECK(md.find("- **E2EL**: B is faster by") != std::string::npos);

  const auto doc = boost::json::parse(cmp::json_text(all)).as_object();
  CHECK(doc.at("kind").as_string() == "compare");
  CHECK(doc.at("margin").as_double() == 0.05);
  const auto& s = doc.at("scenarios").as_array().at(0).as_object();
  CHECK(s.at("scenario").as_string() == "chat");
  CHECK(s.at("seed").as_int64() == 42);
  CHECK(s.at("pairs").as_object().at("ok_pairs").as_int64() == 90);
  const auto& ttft = s.at("per_request").as_array().at(0).as_object();
  CHECK(ttft.at("metric").as_string() == "ttft_ms");
  CHECK(ttft.at("wilcoxon").as_object().at("p_value").as_double() < 1e-6);
  CHECK(ttft.at("wilcoxon").as_object().at("method").as_string() == "asymptotic");
  CHECK(ttft.at("verdict").as_object().at("kind").as_string() == "better");
  CHECK(ttft.at("median_difference").as_object().at("relative").as_double() ==
        Approx(-0.2).margin(0.03));
  for (const char* key : {"hodges_lehmann", "rank_biserial", "p99_difference", "tost"})
    CHECK(ttft.contains(key));
  const auto& thr = s.at("per_run").as_array().at(0).as_object();
  CHECK(thr.at("metric").as_string() == "output_throughput");
  CHECK(thr.at("better").as_string() == "higher");
  CHECK(thr.at("verdict").as_object().at("kind").as_string() == "better");
  CHECK(thr.at("a").as_array().size() == 3);
  const auto& p99 = s.at("per_run").as_array().at(3).as_object();
  CHECK_FALSE(p99.at("tested").as_bool());
  CHECK(p99.at("sd_a").is_null());  // non-finite numbers are null
}
