// vllm bench serve's metrics and formats (reference/vllm-bench-serve.md §4, §6), and its
// arrival schedule for a seed (§2, §7): offsets computed with numpy 1.24 (np.random.seed,
// one np.random.gamma per request, cumulative sum scaled to N / rate).

#include "loadwright/core/vllm_bench.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cstdlib>
#include <ctime>

#include "catch.hpp"
#include "loadwright/core/arrival.hpp"

using namespace loadwright::runtime;
namespace vb = loadwright::runtime::vllm_bench;

namespace {

std::vector<request_record> example_records() {
  request_record a;  // a role chunk, two more text events, a finish chunk
  a.ttfr_ns = 100'000'000;
  a.ttft_ns = 110'000'000;
  a.itl_ms = {20, 20};
  a.e2el_ns = 150'000'000;
  a.last_choice_ns = 160'000'000;
  a.leading_empty_events = 1;
  a.trailing_empty_events = 1;
  a.output_tokens = 3;
  a.input_tokens = 50;
  request_record b;  // one event; it waited 100 ms for a concurrency slot
  b.scheduled_ns = 400'000'000;
  b.sent_ns = 500'000'000;
  b.ttfr_ns = b.ttft_ns = b.e2el_ns = b.last_choice_ns = 200'000'000;
  b.output_tokens = 1;
  b.input_tokens = 70;
  request_record c;
  c.status = request_status::http_status;
  c.http_status = 500;
  c.error = "HTTP 500: boom";
  c.input_tokens = 90;
  return {a, b, c};
}

vb::setup example_setup() {
  vb::setup s;
  s.date = "20261202-120000";
  s.model_id = "org/some-model";
  s.tokenizer_id = "org/some-model";
  s.num_prompts = 3;
  s.request_rate = 1.5;
  s.max_concurrency = 2;
  s.slo.ttft = seconds_d(0.15);
  return s;
}

}  // namespace

TEST_CASE("vllm bench: per-request view and calculate_metrics", "[runtime][vllm_bench]") {
  const auto records = example_records();
  const auto a = vb::view_of(records[0]);
  CHECK(a.ttft_s == Approx(0.1));
  CHECK(a.latency_s == Approx(0.16));  // the last event with choices, not the last text
  REQUIRE(a.itl_s.size() == 4);        // role → text, two text gaps, text → finish
  CHECK(a.itl_s[0] == Approx(0.01));
  CHECK(a.itl_s[3] == Approx(0.01));

  const auto m = vb::calculate(records, 1.0, example_setup());
  CHECK(m.completed == 2);
  CHECK(m.failed == 1);
  CHECK(m.total_input == 120);
  CHECK(m.total_output == 4);
  CHECK(m.request_throughput == Approx(2.0));
  CHECK(m.total_token_throughput == Approx(124.0));
  REQUIRE(m.tpots.size() == 1);  // only out_len > 1
  CHECK(m.tpots[0] == Approx(0.03));
  CHECK(m.itls.size() == 4);                // pooled
  CHECK(m.max_output_tokens_per_s == 6.0);  // events (not tokens) in the first 1 s bucket
  CHECK(m.max_concurrent_requests == 1);    // [0, 0.16) and [0.5, 0.7) never overlap
  REQUIRE(m.request_goodput);
  CHECK(*m.request_goodput == Approx(1.0));  // TTFT ≤ 150 ms: only the first
  CHECK(m.queue_times[1] == Approx(0.1));
  REQUIRE(m.requests.size() == 3);
  CHECK(m.requests[2].error == "Internal Server Error");  // aiohttp's response.reason
}

TEST_CASE("vllm bench: --save-result JSON keys in vLLM's order", "[runtime][vllm_bench]") {
  const auto s = example_setup();
  vllm_bench_spec spec;
  spec.metadata = {{"gpu", "spark"}};
  spec.percentile_metrics = {"ttft", "itl", "client_queue_time"};
  spec.metric_percentiles = {95, 99.9};
  const auto m = vb::calculate(example_records(), 1.0, s);
  auto keys_of = [](const std::string& text) {
    std::vector<std::string> keys;
    const auto doc = boost::json::parse(text);
    for (const auto& kv : doc.as_object()) keys.emplace_back(kv.key());
    return keys;
  };
  const std::vector<std::string> head{"date",
                                      "endpoint_type",
                                      "backend",
                                      "label",
                                      "model_id",
                                      "tokenizer_id",
                                      "num_prompts",
                                      "gpu",
                                      "request_rate",
                                      "burstiness",
                                      "max_concurrency",
                                      "duration",
                                      "completed",
                                      "failed",
                                      "total_input_tokens",
                                      "total_output_tokens",
                                      "request_throughput",
                                      "request_goodput",
                                      "output_throughput",
                                      "total_token_throughput"};
  auto expect = head;
  for (const char* k : {"latencies",
                        "queue_times",
                        "max_output_tokens_per_s",
                        "max_concurrent_requests",
                        "rtfx",
                        "mean_ttft_ms",
                        "median_ttft_ms",
                        "std_ttft_ms",
                        "p95_ttft_ms",
                        "p99.9_ttft_ms",
                        "mean_itl_ms",
                        "median_itl_ms",
                        "std_itl_ms",
                        "p95_itl_ms",
                        "p99.9_itl_ms",
                        "mean_client_queue_time_ms",
                        "median_client_queue_time_ms",
                        "std_client_queue_time_ms",
                        "p95_client_queue_time_ms",
                        "p99.9_client_queue_time_ms"})
    expect.push_back(k);
  const auto plain = vb::save_result_json(s, spec, m);
  CHECK(keys_of(plain) == expect);
  CHECK(plain.rfind("{\"date\": \"20261202-120000\", \"endpoint_type\": \"openai-chat\"", 0) == 0);
  const auto doc = boost::json::parse(plain).as_object();
  CHECK(doc.at("label").is_null());
  CHECK(doc.at("request_rate").as_double() == 1.5);
  CHECK(doc.at("mean_ttft_ms").as_double() == Approx(150.0));
  CHECK(doc.at("p95_ttft_ms").as_double() == Approx(195.0));
  CHECK(doc.at("max_concurrent_requests").is_int64());

  spec.save_detailed = true;
  const auto detailed = boost::json::parse(vb::save_result_json(s, spec, m)).as_object();
  for (const char* k :
       {"input_lens", "output_lens", "ttfts", "itls", "start_times", "generated_texts", "errors"})
    CHECK(detailed.contains(k));
  CHECK(detailed.at("itls").as_array().at(0).as_array().size() == 4);
  CHECK(detailed.at("output_lens").as_array().at(2).as_int64() == 0);  // failed: 0

  CHECK(vb::result_filename(s, spec) ==
        "openai-chat-1.5qps-concurrency2-some-model-20261202-120000.json");
  spec.label = "arena";
  auto inf = s;
  inf.request_rate = infinite_rate;
  inf.max_concurrency.reset();
  CHECK(vb::result_filename(inf, spec) == "arena-infqps-some-model-20261202-120000.json");
}

TEST_CASE("vllm bench: the console block's layout", "[runtime][vllm_bench]") {
  const auto s = example_setup();
  vllm_bench_spec spec;
  const auto text = vb::console_block(s, spec, vb::calculate(example_records(), 1.0, s));
  CHECK(text.rfind("============ Serving Benchmark Result ============\n"
                   "Successful requests:                     2         \n"
                   "Failed requests:                         1         \n"
                   "Maximum request concurrency:             2         \n"
                   "Request rate configured (RPS):           1.50      \n"
                   "Benchmark duration (s):                  1.00      \n",
                   0) == 0);
  CHECK(text.find("---------------Time to First Token----------------\n"
                  "Mean TTFT (ms):                          150.00    \n") != std::string::npos);
  CHECK(text.find("-----Time per Output Token (excl. 1st token)------\n") != std::string::npos);
  CHECK(text.find("P99 ITL (ms):") != std::string::npos);
  CHECK(text.find("Request goodput (req/s):                 1.00      \n") != std::string::npos);
  CHECK(text.size() > 51);
  CHECK(text.substr(text.size() - 51) == std::string(50, '=') + "\n");
}

TEST_CASE("vllm bench: the arrival schedule is numpy's for the same seed",
          "[runtime][vllm_bench]") {
  struct golden {
    std::uint64_t seed;
    double rate, burstiness;
    std::uint64_t n;
    double first, second, third, middle, last;
  };
  // /usr/bin/python3 with numpy 1.24.2: see this file's header.
  const golden cases[] = {
      {42, 0.3, 0.7, 200, 1.1505532458124448, 5.572008998856158, 5.8960114373187755,
       318.4511347738065, 666.6666666666667},
      {42, 1.5, 1.0, 300, 0.32159532287840387, 2.3844693902944516, 3.2868517715157672,
       96.52065698283539, 200.0},
      {42, 0.2, 1.0, 50, 2.7736341318434437, 20.565117763722128, 28.347813575737863,
       131.7118111096656, 249.99999999999997},
      {0, 10.0, 2.5, 1000, 0.24082536740984953, 0.35480325296932264, 0.6079329319055786,
       48.98634833766813, 100.0},
  };
  for (const auto& g : cases) {
    INFO("seed " << g.seed << " rate " << g.rate << " burstiness " << g.burstiness);
    poisson_arrival p{g.rate, g.burstiness, true};
    const auto s = build_open_schedule(p, g.n, std::nullopt, g.seed);
    REQUIRE(s.size() == g.n);
    CHECK(s[0] == Approx(g.first).epsilon(1e-12));
    CHECK(s[1] == Approx(g.second).epsilon(1e-12));
    CHECK(s[2] == Approx(g.third).epsilon(1e-12));
    CHECK(s[g.n / 2] == Approx(g.middle).epsilon(1e-12));
    CHECK(s.back() == Approx(g.last).epsilon(1e-12));
  }
  // Without normalisation the last arrival is wherever the gaps put it.
  const auto raw = build_open_schedule(poisson_arrival{0.3, 0.7}, 200, std::nullopt, 42);
  CHECK(raw.back() != Approx(666.6666666666667).epsilon(1e-6));
}

TEST_CASE("vllm bench: a ramp-up gives request i its own rate, as numpy does",
          "[runtime][vllm_bench]") {
  struct golden {
    std::uint64_t seed;
    const char* strategy;
    double from, to, burstiness;
    std::uint64_t n;
    double first, second, third, middle, last;
  };
  // numpy 1.24.2: np.random.seed(seed); rate_i per §2's ramp formulas; one
  // np.random.gamma(shape=b, scale=1/(rate_i*b)) per request; cumulative, not normalised.
  const golden cases[] = {
      {42, "linear", 1, 10, 1.0, 100, 0.4692680899768591, 3.22854606831792, 4.342715501317915,
       18.055246525716186, 24.250784584481107},
      {0, "exponential", 2, 50, 0.5, 200, 0.3040018897607044, 0.6762041877043087,
       0.8499741124159468, 24.712340465199002, 30.19055424845585},
      {7, "linear", 5, 5, 3.0, 20, 0.13172438582836837, 0.23670375849418987, 0.4147065021938178,
       2.425649004163883, 4.160763173911282},
  };
  for (const auto& g : cases) {
    INFO("seed " << g.seed << " " << g.strategy << " " << g.from << " → " << g.to);
    poisson_arrival p{infinite_rate, g.burstiness};
    p.ramp_up = g.strategy;
    p.ramp_from = g.from;
    p.ramp_to = g.to;
    const auto s = build_open_schedule(p, g.n, std::nullopt, g.seed);
    REQUIRE(s.size() == g.n);
    CHECK(s[0] == Approx(g.first).epsilon(1e-12));
    CHECK(s[1] == Approx(g.second).epsilon(1e-12));
    CHECK(s[2] == Approx(g.third).epsilon(1e-12));
    CHECK(s[g.n / 2] == Approx(g.middle).epsilon(1e-12));
    CHECK(s.back() == Approx(g.last).epsilon(1e-12));
  }
  poisson_arrival p{infinite_rate, 1.0};
  p.ramp_up = "linear";
  p.ramp_from = 1;
  p.ramp_to = 2;
  CHECK_THROWS_WITH(build_open_schedule(p, std::nullopt, seconds_d{10.0}, 0),
                    Catch::Contains("needs `requests`"));
}

// ---------------------------------------------------------------------------------------
// Golden bytes from vLLM's own code: vllm/benchmarks/serve.py @009e6d4a (calculate_metrics,
// the summary block `benchmark` prints, its result dict, main_async's result_json and the
// json.dump / --append-result writes), run with Python 3.11 and numpy 1.24.2 on the
// RequestFuncOutput values these records stand for (endpoint_request_func.py @02cfb534).

namespace {

std::vector<request_record> golden_records() {
  constexpr std::int64_t ms = 1'000'000;
  request_record a;  // role chunk, three text events, finish chunk
  a.ttfr_ns = 100 * ms;
  a.ttft_ns = 110 * ms;
  a.itl_ms = {20, 20};
  a.e2el_ns = 150 * ms;
  a.last_choice_ns = 160 * ms;
  a.leading_empty_events = a.trailing_empty_events = 1;
  a.output_tokens = 3;
  a.output_tokens_from_usage = true;
  a.input_tokens = 50;
  request_record b;  // one event, after 100 ms waiting for a slot
  b.scheduled_ns = 400 * ms;
  b.sent_ns = 500 * ms;
  b.ttfr_ns = b.ttft_ns = b.e2el_ns = b.last_choice_ns = 200 * ms;
  b.output_tokens = 1;
  b.output_tokens_from_usage = true;
  b.input_tokens = 70;
  request_record c;  // HTTP 500: vLLM keeps aiohttp's reason, reads no body
  c.scheduled_ns = c.sent_ns = 600 * ms;
  c.status = request_status::http_status;
  c.http_status = 500;
  c.error = "HTTP 500: {\"error\": \"boom\"}";
  c.input_tokens = 90;
  request_record d;  // the body ended without [DONE]: a success for vLLM
  d.scheduled_ns = 650 * ms;
  d.sent_ns = 700 * ms;
  d.ttfr_ns = d.ttft_ns = 80 * ms;
  d.itl_ms = {40};
  d.e2el_ns = d.last_choice_ns = 120 * ms;
  d.status = request_status::truncated;
  d.output_tokens = 2;
  d.output_tokens_from_usage = true;
  d.input_tokens = 60;
  request_record e;  // reset after two events: TTFT and ITL kept, latency 0
  e.scheduled_ns = e.sent_ns = 800 * ms;
  e.ttfr_ns = e.ttft_ns = 90 * ms;
  e.itl_ms = {30};
  e.e2el_ns = 120 * ms;
  e.status = request_status::read;
  e.error = "connection reset";
  e.input_tokens = 40;
  return {a, b, c, d, e};
}

vb::setup golden_setup() {
  vb::setup s;
  s.date = "20261202-120000";
  s.model_id = "org/some-model";
  s.tokenizer_id = "org/some-model";
  s.num_prompts = 5;
  s.request_rate = 1.5;
  s.burstiness = 0.7;
  s.max_concurrency = 2;
  s.slo.ttft = seconds_d(0.15);  // --goodput ttft:150
  return s;
}

vllm_bench_spec golden_spec() {
  vllm_bench_spec spec;
  spec.percentile_metrics = {
      "ttft", "tpot", "itl", "e2el", "client_queue_time", "e2el_including_client_queue"};
  spec.metric_percentiles = {50, 99.9};
  return spec;
}

}  // namespace

TEST_CASE("vllm bench: summary block and --save-detailed file, byte for byte",
          "[runtime][vllm_bench]") {
  // --max-concurrency 2 --request-rate 1.5 --burstiness 0.7 --goodput ttft:150
  // --percentile-metrics ttft,tpot,itl,e2el,client_queue_time,e2el_including_client_queue
  // --metric-percentiles 50,99.9 --metadata gpu=spark request_rate=9 --save-detailed
  // (a --metadata key that vLLM sets later keeps the --metadata key's place).
  const auto s = golden_setup();
  auto spec = golden_spec();
  spec.metadata = {{"gpu", "spark"}, {"request_rate", "9"}};
  spec.save_detailed = true;
  const auto m = vb::calculate(golden_records(), 2.0, s);
  const std::string block =
      "============ Serving Benchmark Result ============\n"
      "Successful requests:                     3         \n"
      "Failed requests:                         2         \n"
      "Maximum request concurrency:             2         \n"
      "Request rate configured (RPS):           1.50      \n"
      "Benchmark duration (s):                  2.00      \n"
      "Total input tokens:                      180       \n"
      "Total generated tokens:                  6         \n"
      "Request throughput (req/s):              1.50      \n"
      "Request goodput (req/s):                 1.00      \n"
      "Output token throughput (tok/s):         3.00      \n"
      "Peak output token throughput (tok/s):    8.00      \n"
      "Peak concurrent requests:                1.00      \n"
      "Total token throughput (tok/s):          93.00     \n"
      "---------------Time to First Token----------------\n"
      "Mean TTFT (ms):                          126.67    \n"
      "Median TTFT (ms):                        100.00    \n"
      "P50 TTFT (ms):                           100.00    \n"
      "P99.9 TTFT (ms):                         199.80    \n"
      "-----Time per Output Token (excl. 1st token)------\n"
      "Mean TPOT (ms):                          35.00     \n"
      "Median TPOT (ms):                        35.00     \n"
      "P50 TPOT (ms):                           35.00     \n"
      "P99.9 TPOT (ms):                         39.99     \n"
      "---------------Inter-token Latency----------------\n"
      "Mean ITL (ms):                           20.00     \n"
      "Median ITL (ms):                         20.00     \n"
      "P50 ITL (ms):                            20.00     \n"
      "P99.9 ITL (ms):                          39.92     \n"
      "----------------End-to-end Latency----------------\n"
      "Mean E2EL (ms):                          160.00    \n"
      "Median E2EL (ms):                        160.00    \n"
      "P50 E2EL (ms):                           160.00    \n"
      "P99.9 E2EL (ms):                         199.92    \n"
      "---------------Client-side Queueing---------------\n"
      "Mean Client Queue Time (ms):             50.00     \n"
      "Median Client Queue Time (ms):           50.00     \n"
      "P50 Client Queue Time (ms):              50.00     \n"
      "P99.9 Client Queue Time (ms):            99.90     \n"
      "--------Queue-inclusive End-to-end Latency--------\n"
      "Mean E2EL incl. Client Queue (ms):       210.00    \n"
      "Median E2EL incl. Client Queue (ms):     170.00    \n"
      "P50 E2EL incl. Client Queue (ms):        170.00    \n"
      "P99.9 E2EL incl. Client Queue (ms):      299.74    \n"
      "==================================================\n";
  CHECK(vb::console_block(s, spec, m) == block);
  const std::string file =
      "{\"date\": \"20261202-120000\", \"endpoint_type\": \"openai-chat\", "
      "\"backend\": \"openai-chat\", \"label\": null, \"model_id\": \"org/some-model\", "
      "\"tokenizer_id\": \"org/some-model\", \"num_prompts\": 5, \"gpu\": \"spark\", "
      "\"request_rate\": 1.5, \"burstiness\": 0.7, \"max_concurrency\": 2, \"duration\": 2.0, "
      "\"completed\": 3, \"failed\": 2, \"total_input_tokens\": 180, "
      "\"total_output_tokens\": 6, \"request_throughput\": 1.5, \"request_goodput\": 1.0, "
      "\"output_throughput\": 3.0, \"total_token_throughput\": 93.0, \"input_lens\": [50, 70, "
      "90, 60, 40], \"output_lens\": [3, 1, 0, 2, 0], \"ttfts\": [0.1, 0.2, 0.0, 0.08, "
      "0.09000000000000001], \"itls\": [[0.01, 0.02, 0.02, 0.01], [], [], [0.04], [0.03]], "
      "\"latencies\": [0.16, 0.2, 0.0, 0.12000000000000001, 0.0], \"start_times\": [0.0, 0.5, "
      "0.6000000000000001, 0.7000000000000001, 0.8], \"queue_times\": [0.0, 0.1, 0.0, 0.05, "
      "0.0], \"generated_texts\": [\"\", \"\", \"\", \"\", \"\"], \"errors\": [\"\", \"\", "
      "\"Internal Server Error\", \"\", \"connection reset\"], "
      "\"max_output_tokens_per_s\": 8.0, \"max_concurrent_requests\": 1, \"rtfx\": 0.0, "
      "\"mean_ttft_ms\": 126.66666666666667, \"median_ttft_ms\": 100.0, "
      "\"std_ttft_ms\": 52.49338582674541, \"p50_ttft_ms\": 100.0, "
      "\"p99.9_ttft_ms\": 199.80000000000004, \"mean_tpot_ms\": 35.0, "
      "\"median_tpot_ms\": 35.0, \"std_tpot_ms\": 5.000000000000004, \"p50_tpot_ms\": 35.0, "
      "\"p99.9_tpot_ms\": 39.99000000000001, \"mean_itl_ms\": 20.0, \"median_itl_ms\": 20.0, "
      "\"std_itl_ms\": 10.954451150103322, \"p50_itl_ms\": 20.0, "
      "\"p99.9_itl_ms\": 39.92000000000001, \"mean_e2el_ms\": 160.0, "
      "\"median_e2el_ms\": 160.0, \"std_e2el_ms\": 32.65986323710904, \"p50_e2el_ms\": 160.0, "
      "\"p99.9_e2el_ms\": 199.92000000000002, "
      "\"mean_client_queue_time_ms\": 50.00000000000001, "
      "\"median_client_queue_time_ms\": 50.0, "
      "\"std_client_queue_time_ms\": 40.824829046386306, \"p50_client_queue_time_ms\": 50.0, "
      "\"p99.9_client_queue_time_ms\": 99.90000000000002, "
      "\"mean_e2el_including_client_queue_ms\": 210.00000000000006, "
      "\"median_e2el_including_client_queue_ms\": 170.0, "
      "\"std_e2el_including_client_queue_ms\": 63.77042156569665, "
      "\"p50_e2el_including_client_queue_ms\": 170.0, "
      "\"p99.9_e2el_including_client_queue_ms\": 299.74000000000007}";
  const auto json = vb::save_result_json(s, spec, m);
  CHECK(json == file);
  CHECK(vb::appended_result(json, true) == file);  // --save-result: no newline after it
}

TEST_CASE("vllm bench: no tokenizer, no concurrency cap; --append-result's file",
          "[runtime][vllm_bench]") {
  // --skip-tokenizer-init (tokenizer_id null: no generated-token, token-throughput, TTFT,
  // TPOT or ITL rows), no --max-concurrency (no queue sections, even at a finite rate), two
  // runs appended: "\n" between the objects, none after. loadwright's note of an emulated run
  // comes last, after vLLM's keys (ASCII-escaped, as json.dump writes).
  auto s = golden_setup();
  s.tokenizer_id.reset();
  s.max_concurrency.reset();
  s.slo = {};
  s.metadata = {{"emulated", "caf\u00e9"}};
  const auto spec = golden_spec();
  const auto m = vb::calculate(golden_records(), 2.0, s);
  const std::string block =
      "============ Serving Benchmark Result ============\n"
      "Successful requests:                     3         \n"
      "Failed requests:                         2         \n"
      "Request rate configured (RPS):           1.50      \n"
      "Benchmark duration (s):                  2.00      \n"
      "Total input tokens:                      180       \n"
      "Request throughput (req/s):              1.50      \n"
      "Peak concurrent requests:                1.00      \n"
      "----------------End-to-end Latency----------------\n"
      "Mean E2EL (ms):                          160.00    \n"
      "Median E2EL (ms):                        160.00    \n"
      "P50 E2EL (ms):                           160.00    \n"
      "P99.9 E2EL (ms):                         199.92    \n"
      "==================================================\n";
  CHECK(vb::console_block(s, spec, m) == block);
  const std::string file =
      "{\"date\": \"20261202-120000\", \"endpoint_type\": \"openai-chat\", "
      "\"backend\": \"openai-chat\", \"label\": null, \"model_id\": \"org/some-model\", "
      "\"tokenizer_id\": null, \"num_prompts\": 5, \"request_rate\": 1.5, \"burstiness\": 0.7, "
      "\"max_concurrency\": null, \"duration\": 2.0, \"completed\": 3, \"failed\": 2, "
      "\"total_input_tokens\": 180, \"total_output_tokens\": 6, \"request_throughput\": 1.5, "
      "\"request_goodput\": null, \"output_throughput\": 3.0, "
      "\"total_token_throughput\": 93.0, \"latencies\": [0.16, 0.2, 0.0, 0.12000000000000001, "
      "0.0], \"queue_times\": [0.0, 0.1, 0.0, 0.05, 0.0], \"max_output_tokens_per_s\": 8.0, "
      "\"max_concurrent_requests\": 1, \"rtfx\": 0.0, \"mean_e2el_ms\": 160.0, "
      "\"median_e2el_ms\": 160.0, \"std_e2el_ms\": 32.65986323710904, \"p50_e2el_ms\": 160.0, "
      "\"p99.9_e2el_ms\": 199.92000000000002, \"emulated\": \"caf\\u00e9\"}\n"
      "{\"date\": \"20261202-120000\", \"endpoint_type\": \"openai-chat\", "
      "\"backend\": \"openai-chat\", \"label\": null, \"model_id\": \"org/some-model\", "
      "\"tokenizer_id\": null, \"num_prompts\": 5, \"request_rate\": 1.5, \"burstiness\": 0.7, "
      "\"max_concurrency\": null, \"duration\": 2.0, \"completed\": 3, \"failed\": 2, "
      "\"total_input_tokens\": 180, \"total_output_tokens\": 6, \"request_throughput\": 1.5, "
      "\"request_goodput\": null, \"output_throughput\": 3.0, "
      "\"total_token_throughput\": 93.0, \"latencies\": [0.16, 0.2, 0.0, 0.12000000000000001, "
      "0.0], \"queue_times\": [0.0, 0.1, 0.0, 0.05, 0.0], \"max_output_tokens_per_s\": 8.0, "
      "\"max_concurrent_requests\": 1, \"rtfx\": 0.0, \"mean_e2el_ms\": 160.0, "
      "\"median_e2el_ms\": 160.0, \"std_e2el_ms\": 32.65986323710904, \"p50_e2el_ms\": 160.0, "
      "\"p99.9_e2el_ms\": 199.92000000000002, \"emulated\": \"caf\\u00e9\"}";
  const auto json = vb::save_result_json(s, spec, m);
  CHECK(vb::appended_result(json, true) + vb::appended_result(json, false) == file);
}

TEST_CASE("vllm bench: which series exist, and the failures' texts", "[runtime][vllm_bench]") {
  auto keys = [](const std::string& text) {
    std::vector<std::string> k;
    const auto doc = boost::json::parse(text);
    for (const auto& kv : doc.as_object()) k.emplace_back(kv.key());
    return k;
  };
  auto has = [](const std::vector<std::string>& k, const char* key) {
    return std::find(k.begin(), k.end(), key) != k.end();
  };
  const auto spec = golden_spec();
  auto s = golden_setup();
  // --max-concurrency at --request-rate inf: the queue, but no queue-inclusive latency.
  s.request_rate = infinite_rate;
  auto m = vb::calculate(golden_records(), 2.0, s);
  auto k = keys(vb::save_result_json(s, spec, m));
  CHECK(has(k, "mean_client_queue_time_ms"));
  CHECK_FALSE(has(k, "mean_e2el_including_client_queue_ms"));
  auto block = vb::console_block(s, spec, m);
  CHECK(block.find("Client-side Queueing") != std::string::npos);
  CHECK(block.find("E2EL incl.") == std::string::npos);
  // A finite rate without --max-concurrency: neither.
  s.request_rate = 1.5;
  s.max_concurrency.reset();
  m = vb::calculate(golden_records(), 2.0, s);
  k = keys(vb::save_result_json(s, spec, m));
  CHECK_FALSE(has(k, "mean_client_queue_time_ms"));
  CHECK_FALSE(has(k, "mean_e2el_including_client_queue_ms"));
  CHECK(has(k, "queue_times"));  // the per-request list is always there

  // A 200 with no event carrying choices, as endpoint_request_func.py words it.
  request_record empty;
  empty.status = request_status::empty;
  CHECK(vb::view_of(empty).error ==
        "Never received a valid chunk to calculate TTFT.This response will be marked as failed!");
  request_record timeout;
  timeout.status = request_status::timeout;
  timeout.error = "timed out after 6h";
  CHECK(vb::view_of(timeout).error == "timed out after 6h");
}

TEST_CASE("vllm bench: a ramp-up's rps_change_events", "[runtime][vllm_bench]") {
  // benchmark(): {"rps": start, "timestamp": now} first, then each whole rate as the first
  // request at it is sent (datetime.now().isoformat(), local time).
  const char* old_tz = std::getenv("TZ");
  const std::string saved = old_tz ? old_tz : "";
  setenv("TZ", "UTC", 1);
  tzset();
  vb::setup s;
  s.date = "20261202-120000";
  s.model_id = "m";
  s.tokenizer_id = "m";
  s.num_prompts = 5;
  s.ramp_up_strategy = "linear";
  s.ramp_up_start_rps = 1;
  s.ramp_up_end_rps = 4;
  s.run_start = std::chrono::system_clock::from_time_t(1'796'212'800);  // 2026-12-02 12:00 UTC
  std::vector<request_record> records(5);
  const std::int64_t sched_ms[] = {0, 700, 1250, 1500, 2000};
  for (std::size_t i = 0; i < 5; ++i) {
    records[i].scheduled_ns = records[i].sent_ns = sched_ms[i] * 1'000'000;
    records[i].ttfr_ns = records[i].ttft_ns = records[i].e2el_ns = records[i].last_choice_ns =
        10'000'000;
    records[i].output_tokens = 1;
    records[i].output_tokens_from_usage = true;
    records[i].input_tokens = 10;
  }
  const auto json = vb::save_result_json(s, vllm_bench_spec{}, vb::calculate(records, 2.5, s));
  if (old_tz)
    setenv("TZ", saved.c_str(), 1);
  else
    unsetenv("TZ");
  tzset();
  // Rates 1, 1.75, 2.5, 3.25, 4 (linear over i / (N − 1)): 2 first at request 2, and so on.
  CHECK(json.find("\"ramp_up_strategy\": \"linear\", \"ramp_up_start_rps\": 1, "
                  "\"ramp_up_end_rps\": 4, \"duration\": 2.5") != std::string::npos);
  CHECK(json.find("\"rtfx\": 0.0, \"rps_change_events\": [{\"rps\": 1, \"timestamp\": "
                  "\"2026-12-02T12:00:00\"}, {\"rps\": 2, \"timestamp\": "
                  "\"2026-12-02T12:00:01.250000\"}, {\"rps\": 3, \"timestamp\": "
                  "\"2026-12-02T12:00:01.500000\"}, {\"rps\": 4, \"timestamp\": "
                  "\"2026-12-02T12:00:02\"}], \"mean_ttft_ms\"") != std::string::npos);
}
