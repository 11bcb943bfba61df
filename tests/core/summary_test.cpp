#include "loadwright/core/summary.hpp"

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
