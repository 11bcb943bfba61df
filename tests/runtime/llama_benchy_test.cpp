// llama-benchy's formulas and formats (reference/llama-benchy.md §3–§5). Expected values come
// from the formulas applied by hand (numpy for the means and population stds).

#include "loadwright/runtime/llama_benchy.hpp"

#include <boost/json.hpp>

#include "catch.hpp"

using namespace loadwright::runtime;
namespace lb = loadwright::runtime::llama_benchy;

namespace {

request_record rec(double sent_s, double ttfr_s, double ttft_s, std::vector<float> itl_ms,
                   std::int64_t out_usage, std::int64_t in_usage, std::int64_t expected,
                   double end_s) {
  request_record r;
  r.sent_ns = static_cast<std::int64_t>(sent_s * 1e9);
  r.ttfr_ns = static_cast<std::int64_t>(ttfr_s * 1e9);
  r.ttft_ns = static_cast<std::int64_t>(ttft_s * 1e9);
  double e2el_ms = ttft_s * 1e3;
  for (const float g : itl_ms) e2el_ms += g;
  r.e2el_ns = static_cast<std::int64_t>(std::llround(e2el_ms * 1e6));
  r.itl_ms = std::move(itl_ms);
  r.text_events = static_cast<std::uint32_t>(r.itl_ms.size() + 1);
  r.output_tokens = out_usage;
  r.output_tokens_from_usage = true;
  r.input_tokens = in_usage;
  r.input_tokens_from_usage = true;
  r.expected_input_tokens = expected;
  r.end_ns = static_cast<std::int64_t>(end_s * 1e9);
  return r;
}

// The two-run, concurrency-2 example worked out in the test below.
std::vector<std::vector<request_record>> example_batches() {
  request_record failed;
  failed.status = request_status::read;
  return {
      {rec(0.0, 0.10, 0.12, {100, 100, 100}, 4, 100, 100, 0.45),
       rec(0.01, 0.20, 0.20, {200, 200}, 6, 200, 150, 0.62)},
      {rec(0.0, 0.05, 0.05, {}, 1, 80, 80, 0.06), failed},
  };
}

}  // namespace

TEST_CASE("llama-benchy: decode rate excludes every token sharing the first timestamp",
          "[runtime][llama_benchy]") {
  lb::request_view v;
  v.total_tokens = 4;
  v.token_ts = {1.0, 1.1, 1.2, 1.3};
  CHECK(*lb::decode_rate(v) == Approx(10.0));  // llama-benchy's own unit test

  // A 256-token first block, then 256 tokens over the next second: 256 t/s.
  lb::request_view block;
  block.token_ts.assign(256, 0.0);
  for (int i = 1; i <= 256; ++i) block.token_ts.push_back(i / 256.0);
  block.total_tokens = 512;
  CHECK(*lb::decode_rate(block) == Approx(256.0));

  // One burst: no decode rate, but a peak of N.
  lb::request_view burst;
  burst.token_ts.assign(130, 5.0);
  burst.total_tokens = 130;
  CHECK_FALSE(lb::decode_rate(burst));
  CHECK(*lb::peak_throughput(burst.token_ts) == 130.0);
}

TEST_CASE("llama-benchy: peak is N/D under a second, else the densest trailing second",
          "[runtime][llama_benchy]") {
  CHECK(*lb::peak_throughput({0.0, 0.25, 0.5}) == Approx(6.0));  // 3 tokens over 0.5 s
  // Window (t − 1, t]: at t = 2.0 the tokens at 1.0 fall out, so the best window is [0.5..1.4].
  CHECK(*lb::peak_throughput({0.0, 0.5, 1.0, 1.2, 1.4, 2.0, 3.5}) == 4.0);
  CHECK_FALSE(lb::peak_throughput({}));
  const auto series = lb::throughput_series({2.0, 1.0, 1.5});
  REQUIRE(series.size() == 3);
  CHECK(series[0] == std::pair<double, double>{0.0, 1.0});
  CHECK(series[2] == std::pair<double, double>{1.0, 2.0});  // 2.0 − 1 excludes 1.0
}

TEST_CASE("llama-benchy: usage tokens spread evenly; the 20% rule for prompt tokens",
          "[runtime][llama_benchy]") {
  const auto v = lb::view_of(rec(1.0, 0.1, 0.1, {10, 10, 10}, 7, 1100, 1000, 2.0));
  REQUIRE(v.token_ts.size() == 7);
  CHECK(v.token_ts.front() == Approx(1.1));
  CHECK(v.token_ts[3] == Approx(1.115));
  CHECK(v.token_ts.back() == Approx(1.13));
  CHECK(*lb::decode_rate(v) == Approx(6 / 0.03));
  CHECK(v.prompt_tokens == 1100);  // within 20% of the expected 1000: the server's count
  CHECK(lb::view_of(rec(0, 0.1, 0.1, {}, 1, 1300, 1000, 1)).prompt_tokens == 1000);
  CHECK(lb::view_of(rec(0, 0.1, 0.1, {}, 1, 0, 1000, 1)).prompt_tokens == 1000);

  // Without usage: one token per content event, at the events' times.
  auto r = rec(0.0, 0.1, 0.2, {50, 50}, 9, 10, 10, 1.0);
  r.output_tokens_from_usage = false;
  const auto e = lb::view_of(r);
  CHECK(e.total_tokens == 3);
  REQUIRE(e.token_ts.size() == 3);
  CHECK(e.token_ts[1] == Approx(0.25));
}

TEST_CASE("llama-benchy: a cell's metrics, per request and per batch", "[runtime][llama_benchy]") {
  const auto batches = example_batches();
  lb::cell c;
  c.concurrency = 2;
  c.pp = 128;
  c.tg = 6;
  c.latency_s = 0.02;
  const auto run = lb::aggregate(c, batches);
  // Batch totals: Σ prompt / (max first token − min start); Σ decode / (max last − min first).
  REQUIRE(run.pp_throughput);
  CHECK(run.pp_throughput->values.size() == 2);
  CHECK(run.pp_throughput->mean == Approx(1395.2380952380954));
  CHECK(run.pp_throughput->std == Approx(204.7619047619047));
  REQUIRE(run.tg_throughput);
  CHECK(run.tg_throughput->values.size() == 1);  // run 2 has no decode tokens
  CHECK(run.tg_throughput->mean == Approx(16.3265306122449));
  CHECK(run.pp_req_throughput->mean == Approx(1583.3333333333333));
  CHECK(run.pp_req_throughput->std == Approx(784.6914939903074));
  CHECK(run.tg_req_throughput->mean == Approx(11.25));
  CHECK(run.tg_req_throughput->std == Approx(1.25));
  CHECK(run.peak_throughput->mean == Approx(10.704081632653061));
  CHECK(run.peak_throughput->std == Approx(9.704081632653061));
  CHECK(run.peak_req_throughput->mean == Approx(9.777777777777779));
  CHECK(run.peak_req_throughput->std == Approx(6.244009474767608));
  // ms metrics: one value per successful request (the failed one is left out).
  CHECK(run.ttfr->values.size() == 3);
  CHECK(run.ttfr->mean == Approx(116.66666666666667));
  CHECK(run.ttfr->std == Approx(62.36095644623234));
  CHECK(run.est_ppt->mean == Approx(96.66666666666667));
  CHECK(run.e2e_ttft->mean == Approx(123.33333333333333));
  CHECK(run.e2e_ttft->std == Approx(61.28258770283411));

  // At concurrency 1 the headline t/s are the per-request values.
  c.concurrency = 1;
  const auto single = lb::aggregate(c, batches);
  CHECK(single.pp_throughput->values == single.pp_req_throughput->values);
  CHECK(single.tg_throughput->mean == Approx(11.25));
}

TEST_CASE("llama-benchy: rows, the pipe table, CSV and JSON", "[runtime][llama_benchy]") {
  lb::report r;
  r.model = "m";
  r.max_concurrency = 2;
  lb::benchmark_run b;
  b.concurrency = 2;
  b.prompt_size = 512;
  b.response_size = 32;
  b.context_size = 4096;
  b.pp_throughput = lb::metric{1000.5, 2.25, {998.25, 1002.75}};
  b.tg_throughput = lb::metric{50, 0, {50, 50}};
  b.ttfr = lb::metric{123.456, 1, {122.456, 124.456}};
  auto ctx = b;
  ctx.is_context_prefill_phase = true;
  ctx.tg_throughput.reset();
  r.benchmarks = {ctx, b};

  const auto rs = lb::rows(r);
  REQUIRE(rs.size() == 3);  // ctx_pp; no ctx_tg (no tg, no peak); pp; tg
  CHECK(rs[0].test_name == "ctx_pp @ d4096 (c2)");
  CHECK(rs[1].test_name == "pp512 @ d4096 (c2)");
  CHECK(rs[2].test_name == "tg32 @ d4096 (c2)");

  // tabulate(rows, headers, tablefmt="pipe", colalign=("left", "right", …)), verbatim.
  CHECK(lb::markdown(r) ==
        "| model   |                test |    t/s (total) |   t/s (req) |   peak t/s |   peak t/s "
        "(req) |     ttfr (ms) |   est_ppt (ms) |   e2e_ttft (ms) |\n"
        "|:--------|--------------------:|---------------:|------------:|-----------:|------------"
        "-----:|--------------:|---------------:|----------------:|\n"
        "| m       | ctx_pp @ d4096 (c2) | 1000.50 ± 2.25 |             |            |            "
        "      | 123.46 ± 1.00 |                |                 |\n"
        "| m       |  pp512 @ d4096 (c2) | 1000.50 ± 2.25 |             |            |            "
        "      | 123.46 ± 1.00 |                |                 |\n"
        "| m       |   tg32 @ d4096 (c2) |   50.00 ± 0.00 |             |            |            "
        "      |               |                |                 |");

  const std::string csv = lb::csv(r);
  CHECK(csv.rfind(
            "model,test_name,t_s_mean,t_s_std,t_s_req_mean,t_s_req_std,peak_ts_mean,peak_ts_std,"
            "peak_ts_req_mean,peak_ts_req_std,ttfr_mean,ttfr_std,est_ppt_mean,est_ppt_std,"
            "e2e_ttft_mean,e2e_ttft_std\r\n",
            0) == 0);
  CHECK(csv.find("m,pp512 @ d4096 (c2),1000.5,2.25,,,,,,,123.456,1.0,,,,\r\n") !=
        std::string::npos);
  CHECK(csv.find("m,tg32 @ d4096 (c2),50.0,0.0,,,,,,,,,,,,\r\n") != std::string::npos);

  const std::string js = lb::json(r);
  CHECK(js.rfind("{\n  \"version\": ", 0) == 0);
  const auto doc = boost::json::parse(js).as_object();
  std::vector<std::string> keys;
  for (const auto& kv : doc) keys.emplace_back(kv.key());
  CHECK(keys == std::vector<std::string>{"version", "timestamp", "latency_mode", "latency_ms",
                                         "model", "prefix_caching_enabled", "max_concurrency",
                                         "benchmarks"});
  const auto& bench = doc.at("benchmarks").as_array().at(1).as_object();
  keys.clear();
  for (const auto& kv : bench) keys.emplace_back(kv.key());
  CHECK(keys == std::vector<std::string>{"concurrency", "context_size", "prompt_size",
                                         "response_size", "is_context_prefill_phase",
                                         "pp_throughput", "pp_req_throughput", "tg_throughput",
                                         "tg_req_throughput", "peak_throughput",
                                         "peak_req_throughput", "ttfr", "est_ppt", "e2e_ttft",
                                         "throughput_over_time", "requests_throughput_over_time"});
  CHECK(bench.at("pp_req_throughput").is_null());
  CHECK(bench.at("pp_throughput").at("values").as_array().size() == 2);

  lb::report empty;
  CHECK(lb::markdown(empty) == "No results collected. Check if the model is generating tokens.");
}
