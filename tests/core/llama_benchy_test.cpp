// llama-benchy's formulas and formats (reference/llama-benchy.md §3–§5), as llama-benchy 0.4.0
// has them. Expected values come from the formulas applied by hand (numpy for the means and
// population stds), and, at the end, whole report files from llama-benchy's own code.

#include "loadwright/core/llama_benchy.hpp"

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

  // Without usage llama-benchy 0.4.0 counts the text with its tokenizer and spreads that count
  // the same way (the record's own count stands for it); with no count at all, one token per
  // content event, at the events' times.
  auto r = rec(0.0, 0.1, 0.2, {50, 50}, 9, 10, 10, 1.0);
  r.output_tokens_from_usage = false;
  const auto e = lb::view_of(r);
  CHECK(e.total_tokens == 9);
  REQUIRE(e.token_ts.size() == 9);
  CHECK(e.token_ts[1] == Approx(0.2125));
  r.output_tokens = -1;
  const auto per_event = lb::view_of(r);
  CHECK(per_event.total_tokens == 3);
  REQUIRE(per_event.token_ts.size() == 3);
  CHECK(per_event.token_ts[1] == Approx(0.25));

  // usage.completion_tokens of 0 is a count too: no token timestamps, so no decode rate.
  auto zero = rec(0.0, 0.1, 0.1, {10, 10}, 0, 10, 10, 1.0);
  const auto z = lb::view_of(zero);
  CHECK(z.total_tokens == 0);
  CHECK(z.token_ts.empty());
  CHECK_FALSE(lb::decode_rate(z));
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

// ---------------------------------------------------------------------------------------
// Golden bytes from llama-benchy 0.4.0's own code (upstream commit 446dd42, the release
// sparkrun runs today): client.py's _finalize_stream_tokens turned these records' event
// times into token timestamps, results.py's BenchmarkResults.add/save_report wrote the
// report (Python 3.11, numpy 1.24.2, tabulate 0.8.9, pydantic 2), with version "0.4.0" and
// the timestamp below.

namespace {

request_record golden_rec(std::int64_t sent, std::int64_t ttfr, std::int64_t ttft,
                          std::int64_t e2el, std::int64_t end, std::vector<float> itl_ms,
                          std::int64_t out_usage, std::int64_t in_usage, std::int64_t expected) {
  request_record r;
  r.sent_ns = sent;
  r.ttfr_ns = ttfr;
  r.ttft_ns = ttft;
  r.e2el_ns = e2el;
  r.end_ns = end;
  r.text_events = static_cast<std::uint32_t>(itl_ms.size() + 1);
  r.itl_ms = std::move(itl_ms);
  r.output_tokens = out_usage;
  r.output_tokens_from_usage = true;
  r.input_tokens = in_usage;
  r.input_tokens_from_usage = true;
  r.expected_input_tokens = expected;
  return r;
}

}  // namespace

TEST_CASE("llama-benchy 0.4.0: the report files, byte for byte", "[runtime][llama_benchy]") {
  constexpr std::int64_t ms = 1'000'000;
  request_record failed;
  failed.status = request_status::read;
  // Cell A: --pp 128 --tg 4 --concurrency 2, 2 runs, both time series, latency 20 ms.
  const std::vector<std::vector<request_record>> a{
      {golden_rec(0, 100 * ms, 120 * ms, 420 * ms, 450 * ms, {100, 100, 100}, 4, 140, 128),
       golden_rec(10 * ms, 200 * ms, 200 * ms, 600 * ms, 620 * ms, {200, 200}, 6, 200, 128)},
      {golden_rec(0, 50 * ms, 50 * ms, 50 * ms, 60 * ms, {}, 1, 130, 128), failed}};
  // Cell B: --depth 64 --enable-prefix-caching at concurrency 1: the context phase expects
  // the (adapted) depth, the inference phase pp alone (195 is not within 20% of 128). Its
  // second run's usage says 0 completion tokens: no token timestamps at all.
  const std::vector<std::vector<request_record>> b_ctx{
      {golden_rec(0, 30 * ms, 30 * ms, 217'500'000, 250 * ms, {62.5, 62.5, 62.5}, 4, 70, 64)},
      {golden_rec(0, 25 * ms, 40 * ms, 190 * ms, 220 * ms, {50, 50, 50}, 4, 80, 64)}};
  const std::vector<std::vector<request_record>> b_std{
      {golden_rec(0, 45 * ms, 46 * ms, 139'750'000, 150 * ms, {31.25, 31.25, 31.25}, 4, 195, 192)},
      {golden_rec(0, 38 * ms, 38 * ms, 88 * ms, 100 * ms, {25, 25}, 0, 130, 192)}};

  lb::cell ca;
  ca.concurrency = 2;
  ca.pp = 128;
  ca.tg = 4;
  ca.latency_s = 0.02;
  ca.save_total_timeseries = ca.save_all_timeseries = true;
  lb::cell cb = ca;
  cb.concurrency = 1;
  cb.depth = 64;
  cb.prefix_caching = true;
  cb.save_total_timeseries = cb.save_all_timeseries = false;
  lb::cell cb_ctx = cb;
  cb_ctx.context_phase = true;

  lb::report r;
  r.version = "0.4.0";
  r.timestamp = "2026-12-02 12:00:00Z";
  r.latency_mode = "api";
  r.latency_ms = 0.02 * 1000;
  r.model = "org/mod\u00e8l";
  r.prefix_caching_enabled = true;
  r.max_concurrency = 2;
  r.benchmarks = {lb::aggregate(ca, a), lb::aggregate(cb_ctx, b_ctx), lb::aggregate(cb, b_std)};

  const std::string md =
      "| model     |              test |       t/s (total) |         t/s (req) |     peak t/s |   "
      "peak t/s (req) |      ttfr (ms) |   est_ppt (ms) |   e2e_ttft (ms) |\n"
      "|:----------|------------------:|------------------:|------------------:|-------------:|----"
      "-------------:|---------------:|---------------:|----------------:|\n"
      "| org/modèl |        pp128 (c2) |  1938.10 ± 661.90 | 2264.81 ± 1522.91 |              |    "
      "              | 116.67 ± 62.36 |  96.67 ± 62.36 |  123.33 ± 61.28 |\n"
      "| org/modèl |          tg4 (c2) |      16.33 ± 0.00 |      11.25 ± 1.25 | 10.70 ± 9.70 |    "
      "  9.78 ± 6.24 |                |                |                 |\n"
      "| org/modèl | ctx_pp @ d64 (c1) | 9900.00 ± 2900.00 | 9900.00 ± 2900.00 |              |    "
      "              |   27.50 ± 2.50 |    7.50 ± 2.50 |    35.00 ± 5.00 |\n"
      "| org/modèl | ctx_tg @ d64 (c1) |      18.00 ± 2.00 |      18.00 ± 2.00 | 24.00 ± 2.67 |    "
      " 24.00 ± 2.67 |                |                |                 |\n"
      "| org/modèl |  pp128 @ d64 (c1) | 6171.11 ± 1051.11 | 6171.11 ± 1051.11 |              |    "
      "              |   41.50 ± 3.50 |   21.50 ± 3.50 |    42.00 ± 4.00 |\n"
      "| org/modèl |    tg4 @ d64 (c1) |      32.00 ± 0.00 |      32.00 ± 0.00 | 42.67 ± 0.00 |    "
      " 42.67 ± 0.00 |                |                |                 |";
  CHECK(lb::markdown(r) == md);
  const std::string csv =
      "model,test_name,t_s_mean,t_s_std,t_s_req_mean,t_s_req_std,peak_ts_mean,peak_ts_std,"
      "peak_ts_req_mean,peak_ts_req_std,ttfr_mean,ttfr_std,est_ppt_mean,est_ppt_std,"
      "e2e_ttft_mean,e2e_ttft_std\r\norg/modèl,pp128 (c2),1938.095238095238,661.9047619047619,"
      "2264.8148148148143,1522.9136935394013,,,,,116.66666666666669,62.360956446232365,"
      "96.66666666666669,62.360956446232365,123.33333333333334,61.28258770283412\r\n"
      "org/modèl,tg4 (c2),16.326530612244895,0.0,11.249999999999998,1.25,10.70408163265306,"
      "9.70408163265306,9.777777777777777,6.244009474767606,,,,,,\r\n"
      "org/modèl,ctx_pp @ d64 (c1),9899.999999999998,2899.9999999999995,9899.999999999998,"
      "2899.9999999999995,,,,,27.500000000000004,2.5000000000000004,7.500000000000002,"
      "2.5000000000000004,35.0,4.999999999999999\r\n"
      "org/modèl,ctx_tg @ d64 (c1),17.999999999999996,2.0000000000000027,17.999999999999996,"
      "2.0000000000000027,24.0,2.6666666666666696,24.0,2.6666666666666696,,,,,,\r\n"
      "org/modèl,pp128 @ d64 (c1),6171.111111111111,1051.1111111111118,6171.111111111111,"
      "1051.1111111111118,,,,,41.5,3.500000000000003,21.5,3.500000000000003,42.0,"
      "4.0000000000000036\r\norg/modèl,tg4 @ d64 (c1),32.0,0.0,32.0,0.0,42.666666666666664,0.0,"
      "42.666666666666664,0.0,,,,,,\r\n";
  CHECK(lb::csv(r) == csv);
  const std::string json =
      "{\n  \"version\": \"0.4.0\",\n  \"timestamp\": \"2026-12-02 12:00:00Z\",\n"
      "  \"latency_mode\": \"api\",\n  \"latency_ms\": 20.0,\n"
      "  \"model\": \"org/mod\\u00e8l\",\n  \"prefix_caching_enabled\": true,\n"
      "  \"max_concurrency\": 2,\n  \"benchmarks\": [\n"
      "    {\n      \"concurrency\": 2,\n      \"context_size\": 0,\n"
      "      \"prompt_size\": 128,\n      \"response_size\": 4,\n"
      "      \"is_context_prefill_phase\": false,\n      \"pp_throughput\": {\n"
      "        \"mean\": 1938.095238095238,\n        \"std\": 661.9047619047619,\n"
      "        \"values\": [\n          1276.1904761904761,\n"
      "          2600.0\n        ]\n      },\n      \"pp_req_throughput\": {\n"
      "        \"mean\": 2264.8148148148143,\n        \"std\": 1522.9136935394013,\n"
      "        \"values\": [\n          1750.0,\n          711.111111111111,\n"
      "          4333.333333333333\n        ]\n      },\n"
      "      \"tg_throughput\": {\n        \"mean\": 16.326530612244895,\n"
      "        \"std\": 0.0,\n        \"values\": [\n"
      "          16.326530612244895\n        ]\n      },\n"
      "      \"tg_req_throughput\": {\n        \"mean\": 11.249999999999998,\n"
      "        \"std\": 1.25,\n        \"values\": [\n"
      "          9.999999999999998,\n          12.499999999999998\n"
      "        ]\n      },\n      \"peak_throughput\": {\n"
      "        \"mean\": 10.70408163265306,\n        \"std\": 9.70408163265306,\n"
      "        \"values\": [\n          20.40816326530612,\n"
      "          1.0\n        ]\n      },\n      \"peak_req_throughput\": {\n"
      "        \"mean\": 9.777777777777777,\n        \"std\": 6.244009474767606,\n"
      "        \"values\": [\n          13.333333333333332,\n"
      "          14.999999999999996,\n          1.0\n"
      "        ]\n      },\n      \"ttfr\": {\n        \"mean\": 116.66666666666669,\n"
      "        \"std\": 62.360956446232365,\n        \"values\": [\n"
      "          100.0,\n          200.0,\n          50.0\n"
      "        ]\n      },\n      \"est_ppt\": {\n        \"mean\": 96.66666666666669,\n"
      "        \"std\": 62.360956446232365,\n        \"values\": [\n"
      "          80.0,\n          180.00000000000003,\n"
      "          30.000000000000004\n        ]\n      },\n"
      "      \"e2e_ttft\": {\n        \"mean\": 123.33333333333334,\n"
      "        \"std\": 61.28258770283412,\n        \"values\": [\n"
      "          120.00000000000001,\n          200.0,\n"
      "          50.0\n        ]\n      },\n      \"throughput_over_time\": [\n"
      "        [\n          [\n            0.0,\n            1.0\n"
      "          ],\n          [\n            0.09000000000000001,\n"
      "            2.0\n          ],\n          [\n            0.10000000000000002,\n"
      "            3.0\n          ],\n          [\n            0.17000000000000004,\n"
      "            4.0\n          ],\n          [\n            0.20000000000000007,\n"
      "            5.0\n          ],\n          [\n            0.25000000000000006,\n"
      "            6.0\n          ],\n          [\n            0.30000000000000004,\n"
      "            7.0\n          ],\n          [\n            0.33000000000000007,\n"
      "            8.0\n          ],\n          [\n            0.41000000000000003,\n"
      "            9.0\n          ],\n          [\n            0.4900000000000001,\n"
      "            10.0\n          ]\n        ],\n        [\n"
      "          [\n            0.0,\n            1.0\n"
      "          ]\n        ]\n      ],\n      \"requests_throughput_over_time\": [\n"
      "        [\n          [\n            [\n              0.0,\n"
      "              1.0\n            ],\n            [\n"
      "              0.10000000000000002,\n              2.0\n"
      "            ],\n            [\n              0.20000000000000007,\n"
      "              3.0\n            ],\n            [\n"
      "              0.30000000000000004,\n              4.0\n"
      "            ]\n          ],\n          [\n            [\n"
      "              0.0,\n              1.0\n            ],\n"
      "            [\n              0.08000000000000002,\n"
      "              2.0\n            ],\n            [\n"
      "              0.16000000000000003,\n              3.0\n"
      "            ],\n            [\n              0.24000000000000005,\n"
      "              4.0\n            ],\n            [\n"
      "              0.32,\n              5.0\n            ],\n"
      "            [\n              0.4000000000000001,\n"
      "              6.0\n            ]\n          ]\n"
      "        ],\n        [\n          [\n            [\n"
      "              0.0,\n              1.0\n            ]\n"
      "          ]\n        ]\n      ]\n    },\n    {\n"
      "      \"concurrency\": 1,\n      \"context_size\": 64,\n"
      "      \"prompt_size\": 128,\n      \"response_size\": 4,\n"
      "      \"is_context_prefill_phase\": true,\n      \"pp_throughput\": {\n"
      "        \"mean\": 9899.999999999998,\n        \"std\": 2899.9999999999995,\n"
      "        \"values\": [\n          6999.999999999999,\n"
      "          12799.999999999998\n        ]\n      },\n"
      "      \"pp_req_throughput\": {\n        \"mean\": 9899.999999999998,\n"
      "        \"std\": 2899.9999999999995,\n        \"values\": [\n"
      "          6999.999999999999,\n          12799.999999999998\n"
      "        ]\n      },\n      \"tg_throughput\": {\n"
      "        \"mean\": 17.999999999999996,\n        \"std\": 2.0000000000000027,\n"
      "        \"values\": [\n          15.999999999999995,\n"
      "          20.0\n        ]\n      },\n      \"tg_req_throughput\": {\n"
      "        \"mean\": 17.999999999999996,\n        \"std\": 2.0000000000000027,\n"
      "        \"values\": [\n          15.999999999999995,\n"
      "          20.0\n        ]\n      },\n      \"peak_throughput\": {\n"
      "        \"mean\": 24.0,\n        \"std\": 2.6666666666666696,\n"
      "        \"values\": [\n          21.33333333333333,\n"
      "          26.666666666666668\n        ]\n      },\n"
      "      \"peak_req_throughput\": {\n        \"mean\": 24.0,\n"
      "        \"std\": 2.6666666666666696,\n        \"values\": [\n"
      "          21.33333333333333,\n          26.666666666666668\n"
      "        ]\n      },\n      \"ttfr\": {\n        \"mean\": 27.500000000000004,\n"
      "        \"std\": 2.5000000000000004,\n        \"values\": [\n"
      "          30.000000000000004,\n          25.0\n"
      "        ]\n      },\n      \"est_ppt\": {\n        \"mean\": 7.500000000000002,\n"
      "        \"std\": 2.5000000000000004,\n        \"values\": [\n"
      "          10.000000000000002,\n          5.000000000000001\n"
      "        ]\n      },\n      \"e2e_ttft\": {\n        \"mean\": 35.0,\n"
      "        \"std\": 4.999999999999999,\n        \"values\": [\n"
      "          30.000000000000004,\n          40.0\n"
      "        ]\n      },\n      \"throughput_over_time\": null,\n"
      "      \"requests_throughput_over_time\": null\n"
      "    },\n    {\n      \"concurrency\": 1,\n      \"context_size\": 64,\n"
      "      \"prompt_size\": 128,\n      \"response_size\": 4,\n"
      "      \"is_context_prefill_phase\": false,\n      \"pp_throughput\": {\n"
      "        \"mean\": 6171.111111111111,\n        \"std\": 1051.1111111111118,\n"
      "        \"values\": [\n          5119.999999999999,\n"
      "          7222.222222222223\n        ]\n      },\n"
      "      \"pp_req_throughput\": {\n        \"mean\": 6171.111111111111,\n"
      "        \"std\": 1051.1111111111118,\n        \"values\": [\n"
      "          5119.999999999999,\n          7222.222222222223\n"
      "        ]\n      },\n      \"tg_throughput\": {\n"
      "        \"mean\": 32.0,\n        \"std\": 0.0,\n"
      "        \"values\": [\n          32.0\n        ]\n"
      "      },\n      \"tg_req_throughput\": {\n        \"mean\": 32.0,\n"
      "        \"std\": 0.0,\n        \"values\": [\n"
      "          32.0\n        ]\n      },\n      \"peak_throughput\": {\n"
      "        \"mean\": 42.666666666666664,\n        \"std\": 0.0,\n"
      "        \"values\": [\n          42.666666666666664\n"
      "        ]\n      },\n      \"peak_req_throughput\": {\n"
      "        \"mean\": 42.666666666666664,\n        \"std\": 0.0,\n"
      "        \"values\": [\n          42.666666666666664\n"
      "        ]\n      },\n      \"ttfr\": {\n        \"mean\": 41.5,\n"
      "        \"std\": 3.500000000000003,\n        \"values\": [\n"
      "          45.00000000000001,\n          38.0\n"
      "        ]\n      },\n      \"est_ppt\": {\n        \"mean\": 21.5,\n"
      "        \"std\": 3.500000000000003,\n        \"values\": [\n"
      "          25.000000000000004,\n          18.0\n"
      "        ]\n      },\n      \"e2e_ttft\": {\n        \"mean\": 42.0,\n"
      "        \"std\": 4.0000000000000036,\n        \"values\": [\n"
      "          46.00000000000001,\n          38.0\n"
      "        ]\n      },\n      \"throughput_over_time\": null,\n"
      "      \"requests_throughput_over_time\": null\n"
      "    }\n  ]\n}";
  CHECK(lb::json(r) == json);
}
