// vllm bench serve's metrics and formats (reference/vllm-bench-serve.md §4, §6), and its
// arrival schedule for a seed (§2, §7): offsets computed with numpy 1.24 (np.random.seed,
// one np.random.gamma per request, cumulative sum scaled to N / rate).

#include "loadwright/runtime/vllm_bench.hpp"

#include <boost/json.hpp>

#include "catch.hpp"
#include "loadwright/runtime/arrival.hpp"

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
  c.error = "HTTP 500";
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
  CHECK(m.requests[2].error == "HTTP 500");
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
