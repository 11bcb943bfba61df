// Issue 17's methodology pieces through the built CLI: realistic lengths against the
// emulator, the tail report and the context in the summary, a capacity plan run on its own
// (the chapter's worked example to the unit), and the checklist as notes.

#include <boost/json.hpp>
#include <set>

#include "catch.hpp"
#include "cli_support.hpp"

using namespace lw_e2e;

namespace {

std::int64_t int_at(const json::object& o, const char* key) {
  return o.at(key).to_number<std::int64_t>();
}

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("capacity: the chapter's worked example, exactly, and nothing sent", "[e2e][capacity]") {
  const auto dir = temp_dir("capacity");
  const auto script = write(dir / "cap.lua", R"(
return capacity { target_rate = 100, headroom = 0.2, gpus_per_instance = 8, max_rate = 22 }
)");
  const auto log = dir / "emulator.log";
  const auto r = sh("run " + script.string() + " --out " + (dir / "out").string() +
                    " --emulator-log " + log.string());
  INFO(r.out);
  CHECK(r.code == 0);
  CHECK(r.out.find("plan:          5 instances, 40 GPUs, 48 GPUs with 20 % headroom\n") !=
        std::string::npos);
  CHECK(r.out.find("instances:     ceil(100 / 22) = ceil(4.545) = 5\n") != std::string::npos);
  CHECK(r.out.find("GPUs:          5 \u00d7 8 = 40\n") != std::string::npos);
  CHECK(r.out.find("headroom:      40 \u00d7 1.2 = 48 GPUs, 6 instances of 8\n") !=
        std::string::npos);
  CHECK(r.out.find("emulat") == std::string::npos);  // no server, not even the emulator
  CHECK_FALSE(fs::exists(log));
  const auto plan = json::parse(read(dir / "out" / "capacity.json")).as_object();
  CHECK(plan.at("target_rate").to_number<double>() == 100);
  CHECK(plan.at("max_rate").to_number<double>() == 22);
  CHECK(int_at(plan, "gpus_per_instance") == 8);
  CHECK(int_at(plan, "instances") == 5);
  CHECK(int_at(plan, "gpus") == 40);
  CHECK(int_at(plan, "gpus_with_headroom") == 48);
  CHECK(int_at(plan, "instances_with_headroom") == 6);
  // The chapter's own formulas, int(x + 0.99) and int(gpus × 1.2), agree here.
  CHECK(int_at(plan.at("chapter_formulas").as_object(), "instances") == 5);
  CHECK(int_at(plan.at("chapter_formulas").as_object(), "gpus_with_headroom") == 48);
  CHECK(plan.at("band").is_null());
  const auto md = read(dir / "out" / "capacity.md");
  CHECK(md.find("**5 instances, 40 GPUs, 48 GPUs with 20 % headroom**") != std::string::npos);
  CHECK(md.find("| 22 req/s | 5 | 40 | 48 |") != std::string::npos);

  // validate prints the same plan and writes nothing; --dry-run too.
  const auto v = sh("validate " + script.string());
  CHECK(v.code == 0);
  CHECK(v.out.find("5 instances, 40 GPUs, 48 GPUs with 20 % headroom") != std::string::npos);
  CHECK(v.out.find("ok: capacity plan valid; nothing sent") != std::string::npos);
  const auto dry = sh("run " + script.string() + " --dry-run --out " + (dir / "dry").string());
  CHECK(dry.code == 0);
  CHECK_FALSE(fs::exists(dir / "dry"));
}

TEST_CASE("capacity: a band gives the plan at both ends", "[e2e][capacity]") {
  const auto dir = temp_dir("capacity_band");
  const auto script = write(dir / "band.lua", R"(
return capacity { name = "fleet", target_rate = 100, gpus_per_instance = 8, max_rate = 22,
                  max_rate_low = 19, max_rate_high = 24 }
)");
  const auto r = sh("run " + script.string() + " --out " + dir.string());
  INFO(r.out);
  CHECK(r.code == 0);
  CHECK(r.out.find("5 instances (5\u20136), 40 GPUs (40\u201348), 48 GPUs with 20 % headroom "
                   "(48\u201358)") != std::string::npos);
  const auto plan = json::parse(read(dir / "fleet.json")).as_object();
  const auto& band = plan.at("band").as_object();
  CHECK(int_at(band.at("at_max_rate_low").as_object(), "instances") == 6);  // 100 / 19
  CHECK(int_at(band.at("at_max_rate_high").as_object(), "instances") == 5);
  CHECK(int_at(band.at("at_max_rate_low").as_object(), "gpus_with_headroom") == 58);
  CHECK(fs::exists(dir / "fleet.md"));
  // --set changes it like any field; bad numbers are bad input.
  CHECK(sh("run " + script.string() + " --out " + dir.string() + " --set target_rate=200")
            .out.find("10 instances") != std::string::npos);
  const auto bad = write(dir / "bad.lua", "return capacity { target_rate = 100 }");
  const auto b = sh("run " + bad.string() + " --out " + dir.string());
  CHECK(b.code == 2);
  CHECK(b.out.find("capacity.max_rate: required") != std::string::npos);
}

TEST_CASE("checklist: validate and run list the chapter's checks a scenario fails, as notes",
          "[e2e][checklist]") {
  const auto dir = temp_dir("checklist");
  const auto naive = write(dir / "naive.lua", R"(
return scenario { name = "naive", requests = 40, arrival = closed { concurrency = 4 },
                  dataset = random { input_tokens = 64, output_tokens = 8 } }
)");
  auto r = sh("validate " + naive.string());
  INFO(r.out);
  CHECK(r.code == 0);  // notes, never errors
  for (const char* note :
       {"note: warm-up: no warm-up requests;", "note: closed loop only:",
        "note: p99.9: 40 requests per run;", "note: fixed lengths: every prompt 64 tokens",
        "note: one rate: every run at concurrency 4;", "note: no hardware context: no context"})
    CHECK(r.out.find(note) != std::string::npos);
  CHECK(r.out.find("under 60 s") == std::string::npos);  // a closed loop by count: unknown

  // What the chapter asks: warmed, open loop, enough requests, realistic lengths, several
  // rates, a minute each, the hardware named. No notes.
  const auto good = write(dir / "good.lua", R"(
local function at(rate)
  return scenario { name = "chat-" .. rate, warmup = 50, requests = 60 * rate,
    arrival = poisson { rate = rate }, dataset = random { workload = "chat" },
    context = { gpu = "H100", gpus = 1, quantization = "bf16", engine = "vllm" } }
end
return { at(20), at(40) }
)");
  r = sh("validate " + good.string());
  INFO(r.out);
  CHECK(r.code == 0);
  CHECK(r.out.find("note:") == std::string::npos);
  CHECK(r.out.find("random (workload chat, input lognormal median 500, sigma 0.8, clipped to "
                   "50..4000; output lognormal median 200, sigma 0.8, clipped to 10..2000)") !=
        std::string::npos);

  // A short open-loop run at one rate, in a suite: the notes name the scenarios.
  const auto short_runs = write(dir / "short.lua", R"(
return {
  scenario { name = "s1", warmup = 50, duration = "20s", arrival = poisson { rate = 60 },
             dataset = random { workload = "code" }, context = { gpu = "L4", quantization = "fp8" } },
  scenario { name = "s2", warmup = 50, duration = "20s", arrival = poisson { rate = 60 },
             dataset = random { workload = "code" }, context = { gpu = "L4", quantization = "fp8" } },
}
)");
  r = sh("validate " + short_runs.string());
  INFO(r.out);
  CHECK(r.out.find("note: under 60 s per rate in 2 of 2 scenarios (s1, s2);") != std::string::npos);
  CHECK(r.out.find("note: one rate: every run at rate 60;") != std::string::npos);
  CHECK(count_of(r.out, "note:") == 2);

  // run prints them in its first lines (after the one that names the target), then runs as
  // before (exit code unchanged).
  r = sh("run " + naive.string() + " --out " + (dir / "out").string());
  CHECK(r.code == 0);
  CHECK(r.out.rfind("loadwright: no --base-url given", 0) == 0);
  CHECK(r.out.find("\nnote: warm-up: no warm-up requests;") < r.out.find("scenario naive"));
  CHECK(
      sh("run " + naive.string() + " --quiet --out " + (dir / "out").string()).out.find("note:") ==
      std::string::npos);
}

TEST_CASE("lengths, tails and context: a run against the emulator", "[e2e][lengths]") {
  const auto dir = temp_dir("lengths");
  const auto script = write(dir / "real.lua", R"(
return scenario {
  name = "real", seed = 5, requests = 48, warmup = 2,
  arrival = closed { concurrency = 8 },
  dataset = random { input_tokens = lognormal { median = 40, sigma = 0.8, min = 8, max = 200 },
                     output_tokens = lognormal { median = 40, sigma = 0.5, min = 4, max = 120 } },
  context = { gpu = "emulated", gpus = 1, model = "none", quantization = "none", tp = 1,
              engine = "loadwright", engine_version = "0.1.0" },
}
)");
  const auto r = sh("run " + script.string() + " --out " + dir.string());
  INFO(r.out);
  REQUIRE(r.code == 0);
  CHECK(r.out.find("loadwright: server loadwright 0.1.0 (GET /version)") != std::string::npos);
  CHECK(r.out.find("context:   gpu emulated, gpus 1, model none, quantization none, tp 1, engine "
                   "loadwright, engine_version 0.1.0") != std::string::npos);
  CHECK(r.out.find("Tail ratio TTFT (P99/P50):") != std::string::npos);
  CHECK(r.out.find("P99.9 ITL (ms):") != std::string::npos);
  CHECK(r.out.find("P99.9 TTFT (ms):") == std::string::npos);

  // Per-request lengths: prompts and max_tokens vary, inside their clip bounds.
  std::set<std::int64_t> ins, outs;
  for (const auto& rec : json_lines(dir / "real.requests.jsonl")) {
    if (rec.at("phase").as_string() != "measure") continue;
    const auto in = int_at(rec, "expected_input_tokens"), out = int_at(rec, "max_tokens");
    CHECK(in >= 8);
    CHECK(in <= 200);
    CHECK(out >= 4);
    CHECK(out <= 120);
    CHECK(int_at(rec, "output_tokens") == out);  // ignore_eos: replies run to max_tokens
    ins.insert(in);
    outs.insert(out);
  }
  CHECK(ins.size() > 10);
  CHECK(outs.size() > 10);

  const auto summary = json::parse(read(dir / "real.json")).as_object();
  const auto& context = summary.at("context").as_object();
  CHECK(context.at("gpu").as_string() == "emulated");
  CHECK(int_at(context, "gpus") == 1);
  CHECK(int_at(context, "tp") == 1);
  CHECK(context.at("engine_version").as_string() == "0.1.0");
  const auto& found = context.at("discovered").as_object();
  CHECK(found.at("model_id").as_string() == summary.at("model_id").as_string());
  CHECK(found.at("owned_by").as_string() == "loadwright");
  CHECK(found.at("server").as_string() == "loadwright-emulator");
  CHECK(found.at("version").as_string() == "0.1.0");
  CHECK(found.at("version_from").as_string() == "GET /version");
  CHECK(int_at(found, "max_model_len") == 131072);
  // Tails: ITL has ~1900 gaps (p99.9 reported), TTFT 48 values (not); ratios p99/p50.
  CHECK(summary.contains("p99.9_itl_ms"));
  CHECK_FALSE(summary.contains("p99.9_ttft_ms"));
  CHECK(summary.at("tail_ratio_ttft").to_number<double>() >= 1);
  CHECK(summary.at("tail_ratio_itl").to_number<double>() >= 1);
  CHECK(summary.at("tail_ratio_ttft").to_number<double>() ==
        Approx(summary.at("p99_ttft_ms").to_number<double>() /
               summary.at("median_ttft_ms").to_number<double>()));
  // The existing vLLM-named keys are all still there.
  for (const char* key : {"completed", "request_throughput", "mean_ttft_ms", "median_ttft_ms",
                          "p99_ttft_ms", "p99_itl_ms", "mean_e2el_ms"})
    CHECK(summary.contains(key));
  CHECK(summary.at("dataset").as_string().starts_with(
      "random (input lognormal median 40, sigma 0.8, clipped to 8..200; output lognormal median "
      "40, sigma 0.5, clipped to 4..120): 48 samples"));
}
