// The shipped Arena scenarios end to end against the emulator (an independent server: it only
// sees HTTP): what each sends matches its stated parameters (sizes counted by the server with
// the model's tokenizer, counts, concurrency, the seed's schedule), and the peers' reports
// hold what their formulas give on the raw records.

#include <algorithm>
#include <cmath>
#include <map>

#include "catch.hpp"
#include "cli_support.hpp"
#include "fixtures.hpp"

using namespace lw_e2e;

namespace {

constexpr double kScale = 0.01;  // the emulator and the schedules run 100× faster

struct arena_run {
  fs::path dir;
  std::vector<json::object> records;  // measured and context records
  std::vector<json::object> bodies;   // every chat request the emulator received
};

arena_run run_arena(const std::string& scenario, const std::string& tag,
                    const std::string& extra = "") {
  arena_run a;
  a.dir = temp_dir("arena_" + tag);
  const auto log = a.dir / "requests.log";
  const auto r = sh("run " + scenario + " --quiet --out " + (a.dir / "out").string() +
                    " --emulator-profile spark --emulator-time-scale " + std::to_string(kScale) +
                    " --tokenizer " + lw_test::fixture_path("qwen3") + " --emulator-log " +
                    log.string() + " " + extra);
  INFO(r.out);
  REQUIRE(r.code == 0);
  for (const auto& e : fs::directory_iterator(a.dir / "out"))
    if (e.path().string().ends_with(".requests.jsonl"))
      for (auto& rec : json_lines(e.path()))
        if (rec.at("phase").as_string() != "warmup") a.records.push_back(std::move(rec));
  a.bodies = chat_bodies(log);
  return a;
}

double num(const json::object& o, const char* k) {
  return o.at(k).to_number<double>();
}

std::vector<std::string> csv_lines(const std::string& text) {
  std::vector<std::string> out;
  for (std::size_t at = 0; at < text.size();) {
    const auto end = text.find("\r\n", at);
    REQUIRE(end != std::string::npos);  // csv.writer ends every line with \r\n
    out.push_back(text.substr(at, end - at));
    at = end + 2;
  }
  return out;
}

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> cells;
  std::size_t at = 0;
  for (auto comma = line.find(','); comma != std::string::npos; comma = line.find(',', at)) {
    cells.push_back(line.substr(at, comma - at));
    at = comma + 1;
  }
  cells.push_back(line.substr(at));
  return cells;
}

double mean(const std::vector<double>& v) {
  double s = 0;
  for (const double x : v) s += x;
  return s / static_cast<double>(v.size());
}

// llama-benchy's total decode t/s of one batch, from the records alone: usage tokens are spread
// evenly from the first to the last content event, so each request decodes (N − 1) tokens.
double batch_decode_tps(const std::vector<const json::object*>& batch) {
  double decode = 0, first = INFINITY, last = -INFINITY;
  for (const auto* r : batch) {
    const double sent = num(*r, "sent_s");
    decode += num(*r, "output_tokens") - 1;
    first = std::min(first, sent + num(*r, "ttft_ms") / 1000);
    last = std::max(last, sent + num(*r, "e2el_ms") / 1000);
  }
  return decode / (last - first);
}

}  // namespace

TEST_CASE("arena 01: llama-benchy's batches, sizes and report", "[e2e][arena]") {
  const auto a = run_arena("arena/01-chat", "01");
  // 3 runs of 10 at once, every prompt new; the server counted 1024 prompt tokens each (the
  // chat template's overhead was measured and taken off, as llama-benchy's --adapt-prompt).
  // The overhead is measured on a probe text, so where the template meets book text the
  // tokenizer may merge differently: within a token, as in llama-benchy.
  REQUIRE(a.records.size() == 30);
  std::map<std::int64_t, std::vector<const json::object*>> by_run;
  for (const auto& r : a.records) {
    CHECK(r.at("status").as_string() == "ok");
    CHECK(std::abs(r.at("input_tokens").as_int64() - 1024) <= 1);
    CHECK(r.at("input_tokens_source").as_string() == "usage");
    CHECK(r.at("output_tokens").as_int64() == 1024);
    by_run[r.at("run").as_int64()].push_back(&r);
  }
  REQUIRE(by_run.size() == 3);
  for (const auto& [run, batch] : by_run) {
    REQUIRE(batch.size() == 10);
    double first_sent = INFINITY, last_sent = 0;
    for (const auto* r : batch) {
      first_sent = std::min(first_sent, num(*r, "sent_s"));
      last_sent = std::max(last_sent, num(*r, "sent_s"));
    }
    CHECK(last_sent - first_sent < 0.05);  // fired together
  }
  // Requests: 1 coherence + 2 adapt-prompt probes + 10 warm-up + 30 measured chat requests.
  std::vector<std::string> prompts;
  for (const auto& b : a.bodies)
    if (b.at("max_tokens").as_int64() == 1024) {
      CHECK(b.at("stream").as_bool());
      CHECK(b.at("stream_options").at("include_usage").as_bool());
      CHECK(b.at("return_token_ids").as_bool());
      CHECK_FALSE(b.contains("ignore_eos"));
      prompts.push_back(content_of(b.at("messages").as_array().back()));
    }
  CHECK(prompts.size() == 40);
  std::sort(prompts.begin(), prompts.end());
  CHECK(std::unique(prompts.begin(), prompts.end()) == prompts.end());  // fresh each run

  // The CSV, field by field: llama-benchy's header, its row names, and values that are its
  // formulas applied to the records.
  const auto lines = csv_lines(read(a.dir / "out" / "arena-01-chat.csv"));
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] ==
        "model,test_name,t_s_mean,t_s_std,t_s_req_mean,t_s_req_std,peak_ts_mean,peak_ts_std,"
        "peak_ts_req_mean,peak_ts_req_std,ttfr_mean,ttfr_std,est_ppt_mean,est_ppt_std,"
        "e2e_ttft_mean,e2e_ttft_std");
  const auto pp = split(lines[1]), tg = split(lines[2]);
  REQUIRE(pp.size() == 16);
  REQUIRE(tg.size() == 16);
  CHECK(pp[0] == "emulated/gpt-oss-120b");
  CHECK(pp[1] == "pp1024 (c10)");
  CHECK(tg[1] == "tg1024 (c10)");
  std::vector<double> ttfr, ttft, tg_runs;
  for (const auto& r : a.records) {
    ttfr.push_back(num(r, "ttfr_ms"));
    ttft.push_back(num(r, "ttft_ms"));
  }
  for (const auto& [run, batch] : by_run) tg_runs.push_back(batch_decode_tps(batch));
  CHECK(std::stod(pp[10]) == Approx(mean(ttfr)).epsilon(1e-6));
  CHECK(std::stod(pp[14]) == Approx(mean(ttft)).epsilon(1e-6));
  CHECK(std::stod(tg[2]) == Approx(mean(tg_runs)).epsilon(1e-6));
  CHECK(pp[6].empty());   // no peak on a pp row
  CHECK(tg[10].empty());  // no ttfr on a tg row

  const auto report = json::parse(read(a.dir / "out" / "arena-01-chat.json")).as_object();
  CHECK(report.at("max_concurrency").as_int64() == 10);
  CHECK(report.at("prefix_caching_enabled").as_bool() == false);
  CHECK(report.at("latency_mode").as_string() == "api");
  const auto& bench = report.at("benchmarks").as_array().at(0).as_object();
  CHECK(bench.at("prompt_size").as_int64() == 1024);
  CHECK(bench.at("tg_throughput").at("values").as_array().size() == 3);  // one per run
  CHECK(bench.at("ttfr").at("values").as_array().size() == 30);          // one per request
  const auto md = read(a.dir / "out" / "arena-01-chat.md");
  CHECK(md.rfind("| model  ", 0) == 0);
  CHECK(md.find("| tg1024 (c10) |") != std::string::npos);
}

TEST_CASE("arena 02-05: sizes the server counted, depth as a system message", "[e2e][arena]") {
  struct row {
    const char *file, *csv;
    std::int64_t pp, tg, depth;
  };
  for (const row& r :
       {row{"arena/02-rag-8k", "arena-02-rag-8k", 8192, 512, 0},
        row{"arena/03-long-output", "arena-03-long-output", 256, 4096, 0},
        row{"arena/04-large-context-25k", "arena-04-large-context-25k", 25000, 256, 0},
        row{"arena/05-multi-turn-depth4", "arena-05-multi-turn-depth4", 2048, 512, 4}}) {
    INFO(r.file);
    const auto a = run_arena(r.file, r.csv, "--set runs=1");
    REQUIRE(a.records.size() == 10);
    for (const auto& rec : a.records) {
      // Within a token per message boundary (see arena 01).
      CHECK(std::abs(rec.at("input_tokens").as_int64() - (r.pp + r.depth)) <= (r.depth ? 2 : 1));
      CHECK(rec.at("output_tokens").as_int64() == r.tg);
    }
    std::size_t with_context = 0;
    for (const auto& b : a.bodies)
      if (b.at("max_tokens").as_int64() == r.tg)
        with_context += b.at("messages").as_array().size() == 2 ? 1 : 0;
    CHECK(with_context == (r.depth > 0 ? 20u : 0u));  // warm-up and measured
    const auto lines = csv_lines(read(a.dir / "out" / (std::string(r.csv) + ".csv")));
    REQUIRE(lines.size() == 3);
    const std::string depth = r.depth > 0 ? " @ d" + std::to_string(r.depth) : "";
    CHECK(split(lines[1])[1] == "pp" + std::to_string(r.pp) + depth + " (c10)");
    CHECK(split(lines[2])[1] == "tg" + std::to_string(r.tg) + depth + " (c10)");
  }
}

TEST_CASE("llama_benchy: prefix-caching mode sends each context alone first", "[e2e][arena]") {
  const auto dir = temp_dir("arena_prefix_script");
  const auto script = write(dir / "pc.lua", R"(
local llama_benchy = require "llama_benchy"
return llama_benchy.sweep { name = "pc", pp = 64, tg = 8, depth = { 256, 512 }, concurrency = { 1, 3 },
                            runs = 2, prefix_caching = true, latency_mode = "none" })");
  // (latency_mode "none": with "generation", a loaded machine can measure a latency above a
  // cached request's TTFR, and llama-benchy then drops that pp row: true, but not this test's.)
  const auto a = run_arena(script.string(), "prefix", "--emulator-prefix-cache");
  // 2 depths × (1 + 3 concurrency) × 2 runs, each request twice (context, then full).
  REQUIRE(a.records.size() == 2 * 4 * 2 * 2);
  // Every full request's context (its system message) was sent alone, with ".", before it.
  std::vector<std::string> contexts_sent;
  std::size_t contexts = 0, full_after_context = 0;
  for (const auto& b : a.bodies) {
    const auto& m = b.at("messages").as_array();
    if (m.size() != 2 || b.at("max_tokens").as_int64() != 8) continue;
    if (content_of(m[1]) == ".") {
      contexts_sent.push_back(content_of(m[0]));
      ++contexts;
    } else if (std::find(contexts_sent.begin(), contexts_sent.end(), content_of(m[0])) !=
               contexts_sent.end()) {
      ++full_after_context;
    }
  }
  CHECK(contexts == 2 * 4 * 3);  // depths × requests per run summed over c × (warm-up + 2 runs)
  CHECK(full_after_context == 2 * 4 * 3);
  for (const auto& r : a.records)
    if (r.at("phase").as_string() == "context")
      CHECK(r.at("expected_input_tokens").as_int64() >= 255);
  const auto lines = csv_lines(read(a.dir / "out" / "pc.csv"));
  std::vector<std::string> names;
  for (std::size_t i = 1; i < lines.size(); ++i) names.push_back(split(lines[i])[1]);
  CHECK(names ==
        std::vector<std::string>{
            "ctx_pp @ d256 (c1)", "ctx_tg @ d256 (c1)", "pp64 @ d256 (c1)", "tg8 @ d256 (c1)",
            "ctx_pp @ d256 (c3)", "ctx_tg @ d256 (c3)", "pp64 @ d256 (c3)", "tg8 @ d256 (c3)",
            "ctx_pp @ d512 (c1)", "ctx_tg @ d512 (c1)", "pp64 @ d512 (c1)", "tg8 @ d512 (c1)",
            "ctx_pp @ d512 (c3)", "ctx_tg @ d512 (c3)", "pp64 @ d512 (c3)", "tg8 @ d512 (c3)"});
  const auto report = json::parse(read(a.dir / "out" / "pc.json")).as_object();
  CHECK(report.at("prefix_caching_enabled").as_bool());
  CHECK(report.at("latency_mode").as_string() == "none");
  CHECK(report.at("latency_ms").as_double() == 0);
}

TEST_CASE("llama_benchy: latency_mode generation measures a one-token generation first",
          "[e2e][arena]") {
  const auto dir = temp_dir("arena_generation_latency");
  const auto script = write(dir / "g.lua", R"(
local llama_benchy = require "llama_benchy"
return llama_benchy.sweep { name = "g", pp = 64, tg = 8, runs = 1, latency_mode = "generation" })");
  const auto a = run_arena(script.string(), "generation");
  const auto report = json::parse(read(a.dir / "out" / "g.json")).as_object();
  CHECK(report.at("latency_mode").as_string() == "generation");
  CHECK(report.at("latency_ms").as_double() > 0);
}

TEST_CASE("arena 06: vLLM's schedule for seed 42, sizes and --save-result JSON", "[e2e][arena]") {
  const auto a = run_arena("arena/06-office-baseline", "06", "--set runs=1");
  REQUIRE(a.records.size() == 200);
  std::vector<double> scheduled;
  for (const auto& r : a.records) {
    // vLLM's random prompts are exact on the client; the server adds its template (the
    // emulator's: a newline after each message, which may or may not merge into a token).
    CHECK(r.at("expected_input_tokens").as_int64() == 4000);
    CHECK(r.at("input_tokens").as_int64() - 4000 <= 1);
    CHECK(r.at("output_tokens").as_int64() == 500);
    scheduled.push_back(num(r, "scheduled_s"));
  }
  std::sort(scheduled.begin(), scheduled.end());
  // numpy: np.random.seed(42); gamma(0.7, 1/(0.3·0.7)) per request; cumsum scaled to 200/0.3.
  CHECK(scheduled[0] == Approx(1.1505532458124448 * kScale).margin(2e-9));
  CHECK(scheduled[1] == Approx(5.572008998856158 * kScale).margin(2e-9));
  CHECK(scheduled[2] == Approx(5.8960114373187755 * kScale).margin(2e-9));
  CHECK(scheduled[100] == Approx(318.4511347738065 * kScale).margin(2e-9));
  CHECK(scheduled[199] == Approx(666.6666666666667 * kScale).margin(2e-9));
  // vllm bench serve's chat body: text parts, max_completion_tokens, ignore_eos for random.
  std::size_t measured_bodies = 0;
  for (const auto& b : a.bodies) {
    if (!b.contains("max_completion_tokens")) continue;
    ++measured_bodies;
    CHECK(b.at("max_completion_tokens").as_int64() == 500);
    CHECK(b.at("ignore_eos").as_bool());
    const auto& content = b.at("messages").as_array().at(0).at("content");
    CHECK(content.as_array().at(0).at("type").as_string() == "text");
  }
  CHECK(measured_bodies == 201);  // the warm-up request and the 200 measured

  fs::path vllm_file;
  for (const auto& e : fs::directory_iterator(a.dir / "out"))
    if (e.path().filename().string().starts_with("openai-chat-0.3qps-")) vllm_file = e.path();
  REQUIRE(!vllm_file.empty());
  const auto results = json_lines(vllm_file);
  REQUIRE(results.size() == 1);  // one object per run
  const auto& v = results[0];
  CHECK(v.at("completed").as_int64() == 200);
  CHECK(v.at("failed").as_int64() == 0);
  CHECK(v.at("num_prompts").as_int64() == 200);
  CHECK(v.at("request_rate").as_double() == 0.3);
  CHECK(v.at("burstiness").as_double() == 0.7);
  CHECK(v.at("max_concurrency").is_null());
  CHECK(v.at("total_input_tokens").as_int64() >= 800000);  // the server's counts (usage)
  std::vector<double> ttfr;
  for (const auto& r : a.records) ttfr.push_back(num(r, "ttfr_ms"));
  CHECK(v.at("mean_ttft_ms").as_double() == Approx(mean(ttfr)).epsilon(1e-6));  // vLLM's TTFT
  CHECK(v.at("latencies").as_array().size() == 200);
  CHECK(v.contains("p99_itl_ms"));
  CHECK_FALSE(v.contains("ttfts"));  // only with save_detailed
  // vLLM's keys in vLLM's order (serve.py @009e6d4a: main_async's set-up keys, then
  // benchmark()'s result); no --metadata here, so nothing sits between num_prompts and
  // request_rate, and loadwright's note of the emulated run comes after all of vLLM's keys.
  std::vector<std::string> keys;
  for (const auto& kv : v) keys.emplace_back(kv.key());
  const std::vector<std::string> head{
      "date",        "endpoint_type", "backend",    "label",           "model_id", "tokenizer_id",
      "num_prompts", "request_rate",  "burstiness", "max_concurrency", "duration"};
  REQUIRE(keys.size() > head.size());
  CHECK(std::vector<std::string>(keys.begin(), keys.begin() + head.size()) == head);
  CHECK(keys.back() == "emulated");
  const auto text = read(vllm_file);
  CHECK(std::all_of(text.begin(), text.end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x80; }));  // ASCII
}

TEST_CASE("arena 07-09: ShareGPT lengths, the concurrency cap, long outputs", "[e2e][arena]") {
  SECTION("07 with a ShareGPT-shaped file") {
    const auto dir = temp_dir("arena_07_data");  // not run_arena's folder, which it empties
    std::string file = "[";
    for (int i = 0; i < 40; ++i) {
      if (i) file += ",\n";
      file += R"({"id": "c)" + std::to_string(i) +
              R"(", "conversations": [{"from": "human", "value": "Question )" + std::to_string(i) +
              R"(: how do queues behave under load?"}, {"from": "gpt", "value": ")" +
              std::string(static_cast<std::size_t>(10 + i), 'y') + R"( a reply."}]})";
    }
    write(dir / "sg.json", file + "]");
    const auto a = run_arena("arena/07-sharegpt", "07",
                             "--set runs=1 --set dataset.path=" + (dir / "sg.json").string());
    REQUIRE(a.records.size() == 250);  // 40 valid entries, oversampled to num_prompts
  }
  SECTION("08 keeps at most 25 in flight and records the wait") {
    const auto a = run_arena("arena/08-monday-morning-peak", "08", "--set runs=1");
    REQUIRE(a.records.size() == 300);
    std::vector<std::pair<double, int>> events;
    double waited = 0;
    for (const auto& r : a.records) {
      const double sent = num(r, "sent_s");
      events.emplace_back(sent, +1);
      events.emplace_back(sent + num(r, "end_ms") / 1000, -1);
      waited = std::max(waited, sent - num(r, "scheduled_s"));
    }
    std::sort(events.begin(), events.end());
    int cur = 0, peak = 0;
    for (const auto& e : events) peak = std::max(peak, cur += e.second);
    CHECK(peak <= 25);
    CHECK(waited > 0);  // the queue grew: the wait is in the records, not hidden
  }
  SECTION("09 decodes 4000 tokens per request") {
    const auto a = run_arena("arena/09-reasoning", "09", "--set runs=1");
    REQUIRE(a.records.size() == 50);
    for (const auto& r : a.records) CHECK(r.at("output_tokens").as_int64() == 4000);
  }
}

TEST_CASE("arena: the whole suite runs against the emulator and prints its table", "[e2e][arena]") {
  const auto dir = temp_dir("arena_suite");
  const auto r =
      sh("run arena --set runs=1 --emulator-profile spark --emulator-time-scale 0.005 "
         "--out " +
         (dir / "out").string());
  INFO(r.out);
  REQUIRE(r.code == 0);
  const auto table = read(dir / "out" / "arena-table.md");
  CHECK(table.find("emulated: profile spark, time scale 0.005") != std::string::npos);
  for (const char* row :
       {"01 Chat", "02 RAG 8k", "03 Long output", "04 Large context 25k", "05 Multi-turn (depth 4)",
        "05 Multi-turn (5 turns)", "06 Office baseline", "08 Monday-morning peak", "09 Reasoning"})
    CHECK(table.find(std::string(row) + " |") != std::string::npos);
  CHECK(table.find("skipped: 07 ShareGPT") != std::string::npos);
  CHECK(r.out.find("# Arena") != std::string::npos);  // printed at the end too
}
