#include "loadwright/core/summary.hpp"

#include <algorithm>
#include <cmath>

#include "catch.hpp"
#include "loadwright/core/result_files.hpp"

using namespace loadwright::runtime;

namespace {
request_record rec(std::int64_t sent_ms, std::int64_t ttft_ms, std::int64_t e2el_ms,
                   std::int64_t out) {
  request_record r;
  r.scenario = "s";
  r.run = 1;
  r.sent_ns = sent_ms * 1'000'000;
  r.scheduled_ns = r.sent_ns;
  r.ttfr_ns = r.ttft_ns = ttft_ms * 1'000'000;
  r.e2el_ns = r.end_ns = e2el_ms * 1'000'000;
  r.input_tokens = 10;
  r.output_tokens = out;
  r.input_tokens_from_usage = r.output_tokens_from_usage = true;
  r.text_events = static_cast<std::uint32_t>(out);
  for (std::int64_t i = 1; i < out; ++i)
    r.itl_ms.push_back(static_cast<float>(e2el_ms - ttft_ms) / static_cast<float>(out - 1));
  return r;
}
}  // namespace

TEST_CASE("summary: vLLM formulas", "[runtime][summary]") {
  std::vector<request_record> rs{rec(0, 100, 1100, 11), rec(500, 200, 2200, 21)};
  request_record failed;
  failed.status = request_status::timeout;
  failed.sent_ns = 100'000'000;
  failed.end_ns = 50'000'000;
  rs.push_back(failed);
  summary_options o;
  o.slo.ttft = seconds_d(0.15);
  const auto s = summarize_run(rs, o);
  CHECK(s.get("completed") == 2);
  CHECK(s.get("failed") == 1);
  CHECK(s.get("duration") == Approx(2.7));
  CHECK(s.get("total_input_tokens") == 20);
  CHECK(s.get("total_output_tokens") == 32);
  CHECK(s.get("output_throughput") == Approx(32 / 2.7));
  CHECK(s.get("mean_ttft_ms") == Approx(150));
  CHECK(s.get("mean_tpot_ms") == Approx(100));  // (1000/10 + 2000/20) / 2
  CHECK(s.get("request_goodput") == Approx(1 / 2.7));
  CHECK(s.get("max_concurrent_requests") == 2);  // [0,1.1) [0.1,0.15) [0.5,2.7)
  CHECK(s.get("mean_user_tps") == Approx(10));
  REQUIRE(s.errors.size() == 1);
  CHECK(s.errors[0].first == "timeout");
}

TEST_CASE("records: JSONL round trip keeps every field report needs", "[runtime][summary]") {
  auto r = rec(250, 40, 400, 5);
  r.request_id = "s-1-3";
  r.error = "x\"y";
  std::string line;
  append_record_jsonl(line, r);
  request_record back;
  std::string why;
  REQUIRE(parse_record_jsonl(line, back, &why));
  CHECK(back.request_id == r.request_id);
  CHECK(back.sent_ns == r.sent_ns);
  CHECK(back.ttft_ns == r.ttft_ns);
  CHECK(back.itl_ms.size() == r.itl_ms.size());
  CHECK(back.error == r.error);
  summary_options o;
  CHECK(summarize_run(std::vector{r}, o).get("mean_e2el_ms") ==
        summarize_run(std::vector{back}, o).get("mean_e2el_ms"));
}

TEST_CASE("combining runs: mean and population std", "[runtime][summary]") {
  summary a, b;
  a.add("x", 1);
  b.add("x", 3);
  std::vector<summary> runs{a, b};
  auto [m, sd] = combine_runs(runs);
  CHECK(m.get("x") == 2);
  CHECK(sd.get("x") == 1);
}

// The methodology chapter's tail report: p99.9 once a series has 1000 values, the tail ratio.
TEST_CASE("summary: p99.9 from 1000 values on, and the tail ratio p99/p50", "[runtime][summary]") {
  summary_options o;  // percentiles 50, 90, 95, 99
  std::vector<request_record> rs;
  // 999 requests: TTFT 1..999 ms; each has 2 ITL gaps, so ITL has 1998 values.
  for (int i = 1; i <= 999; ++i) rs.push_back(rec(i, i, i + 10, 3));
  auto s = summarize_run(rs, o);
  CHECK(s.find("p99.9_ttft_ms") == nullptr);  // 999 values: not reportable
  REQUIRE(s.find("p99.9_itl_ms") != nullptr);
  CHECK(s.get("p99.9_itl_ms") == Approx(5.0));
  // p99 of 1..999 = 1 + 0.99 * 998 = 989.02; p50 = 500.
  CHECK(s.get("tail_ratio_ttft") == Approx(989.02 / 500));
  CHECK(s.get("tail_ratio_itl") == Approx(1.0));
  // The existing keys keep their names and order; p99.9 follows a series' own percentiles.
  std::vector<std::string> keys;
  for (const auto& f : s.fields) keys.push_back(f.key);
  auto pos = [&](const std::string& k) {
    return std::find(keys.begin(), keys.end(), k) - keys.begin();
  };
  CHECK(pos("p99_itl_ms") + 1 == pos("p99.9_itl_ms"));
  CHECK(pos("p99.9_itl_ms") + 1 == pos("mean_e2el_ms"));
  CHECK(pos("median_ttft_ms") < pos("p99_ttft_ms"));
  CHECK(keys[keys.size() - 2] == "tail_ratio_ttft");
  CHECK(keys.back() == "tail_ratio_itl");
  // One more request: 1000 TTFT values, numpy's linear percentile at 99.9.
  rs.push_back(rec(1000, 1000, 1010, 3));
  s = summarize_run(rs, o);
  REQUIRE(s.find("p99.9_ttft_ms") != nullptr);
  CHECK(s.get("p99.9_ttft_ms") == Approx(1 + 0.999 * 999));  // np.percentile(1..1000, 99.9)
  // The same from the streaming summary (exact below its limit).
  streaming_summary st(o);
  for (const auto& r : rs) st.add(r);
  const auto streamed = st.finish(1);
  CHECK(streamed.get("p99.9_ttft_ms") == Approx(s.get("p99.9_ttft_ms")));
  CHECK(streamed.get("tail_ratio_ttft") == Approx(s.get("tail_ratio_ttft")));
  // Asked for explicitly, p99.9 is always reported, in the asked order, and not twice.
  summary_options asked;
  asked.percentiles = {50, 99.9};
  const auto few = summarize_run(std::vector{rec(0, 10, 20, 3)}, asked);
  CHECK(few.find("p99.9_ttft_ms") != nullptr);
  std::size_t count = 0;
  for (const auto& f : few.fields) count += f.key == "p99.9_ttft_ms";
  CHECK(count == 1);
  // No values: the ratio is NaN (written null), the keys are still there.
  const auto empty = summarize_run({}, o);
  REQUIRE(empty.find("tail_ratio_ttft") != nullptr);
  CHECK(std::isnan(empty.get("tail_ratio_ttft")));
  CHECK(percentile_label(99.9) == "p99.9");
  CHECK(percentile_label(99) == "p99");
  const auto possible = possible_summary_keys(o);
  CHECK(std::find(possible.begin(), possible.end(), "p99.9_e2el_ms") != possible.end());
  CHECK(std::find(possible.begin(), possible.end(), "tail_ratio_itl") != possible.end());
}

TEST_CASE("combining runs: a key some run lacks is left out", "[runtime][summary]") {
  summary a, b;
  a.add("x", 1);
  a.add("p99.9_ttft_ms", 5);
  b.add("x", 3);
  std::vector<summary> runs{a, b};
  auto [m, sd] = combine_runs(runs);
  CHECK(m.find("p99.9_ttft_ms") == nullptr);
  CHECK(sd.find("p99.9_ttft_ms") == nullptr);
  CHECK(m.get("x") == 2);
}

TEST_CASE("summary JSON: the context, declared and discovered; the console's tail rows",
          "[runtime][summary]") {
  summary_setup setup;
  setup.scenario = "s";
  setup.model_id = "m";
  setup.context.gpu = "H100";
  setup.context.gpus = 8;
  setup.context.quantization = "fp8";
  setup.context.engine_version = "0.8.5";
  setup.server.owned_by = "vllm";
  setup.server.server = "uvicorn";
  setup.server.version = "0.8.5";
  setup.server.version_from = "GET /version";
  setup.server.max_model_len = 4096;
  std::vector<request_record> rs;
  for (int i = 1; i <= 10; ++i) rs.push_back(rec(i, 10 * i, 10 * i + 100, 200));
  const auto s = summarize_run(rs, {});
  const auto text = summary_json(setup, s, std::vector{s}, nullptr);
  CHECK(text.find(R"("interrupted": false, "context": {"gpu": "H100", "gpus": 8, )"
                  R"("quantization": "fp8", "engine_version": "0.8.5", "discovered": )"
                  R"({"model_id": "m", "owned_by": "vllm", "server": "uvicorn", "version": )"
                  R"("0.8.5", "version_from": "GET /version", "max_model_len": 4096}}, )"
                  R"("duration": )") != std::string::npos);
  CHECK(text.find(R"("tail_ratio_ttft": )") != std::string::npos);
  // Nothing declared or discovered: the context still says which model answered.
  summary_setup bare;
  bare.model_id = "m";
  CHECK(summary_json(bare, s, std::vector{s}, nullptr)
            .find(R"("context": {"discovered": {"model_id": "m"}})") != std::string::npos);
  // The console block: a P99.9 row for ITL (1990 gaps), none for TTFT (10 values), ratios.
  const auto console = console_summary("s", s, nullptr, {50, 90, 95, 99});
  CHECK(console.find("P99.9 ITL (ms):") != std::string::npos);
  CHECK(console.find("P99.9 TTFT (ms):") == std::string::npos);
  CHECK(console.find("Tail ratio TTFT (P99/P50):") != std::string::npos);
  CHECK(console.find("Tail ratio ITL (P99/P50):") != std::string::npos);
  CHECK(console.find("nan") == std::string::npos);
}
