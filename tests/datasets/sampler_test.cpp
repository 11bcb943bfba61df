#include "loadwright/datasets/sampler.hpp"

#include <filesystem>
#include <fstream>

#include "catch.hpp"

using namespace loadwright::datasets;

TEST_CASE("estimate token counter", "[datasets][tokens]") {
  CHECK(estimate_token_counter::estimate_tokens("") == 0);
  CHECK(estimate_token_counter::estimate_tokens("the cat sat") == 3);
  CHECK(estimate_token_counter::estimate_tokens("benchmarking, 12345!") == 3 + 1 + 2 + 1);
  CHECK(estimate_token_counter::estimate_tokens("caf\xC3\xA9 \xE2\x82\xAC") == 1 + 1 + 1);
}

TEST_CASE("random: exact lengths, ranges, shared prefix, determinism", "[datasets][random]") {
  estimate_token_counter counter;
  random_spec spec;
  spec.input_tokens = 100;
  spec.output_tokens = 20;
  spec.range_ratio = 0.5;
  spec.prefix_tokens = 10;
  const auto a = draw_samples(spec, 200, 42, counter);
  const auto b = draw_samples(spec, 200, 42, counter);
  REQUIRE(a.size() == 200);
  std::int64_t lo = 1 << 30, hi = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].messages[0].content == b[i].messages[0].content);
    CHECK(a[i].input_tokens == counter.count(a[i].prompt_text()));
    CHECK(a[i].input_tokens_estimated);
    lo = std::min(lo, a[i].input_tokens);
    hi = std::max(hi, a[i].input_tokens);
    CHECK(a[i].max_output_tokens >= 10);
    CHECK(a[i].max_output_tokens <= 30);
    CHECK(a[i].messages[0].content.substr(0, 20) ==
          a[0].messages[0].content.substr(0, 20));  // shared prefix
  }
  CHECK(lo >= 10 + 50);
  CHECK(hi <= 10 + 150);
  CHECK(hi - lo > 50);
  CHECK(draw_samples(spec, 5, 43, counter)[0].messages[0].content != a[0].messages[0].content);
}

TEST_CASE("random with range 0 gives exactly the asked length", "[datasets][random]") {
  estimate_token_counter counter;
  random_spec spec;
  spec.input_tokens = 4000;
  spec.output_tokens = 500;
  for (const auto& s : draw_samples(spec, 10, 1, counter)) {
    CHECK(s.input_tokens == 4000);
    CHECK(s.max_output_tokens == 500);
  }
}

TEST_CASE("prompts and jsonl datasets", "[datasets][files]") {
  estimate_token_counter counter;
  prompts_spec p;
  p.prompts = {"one", "two"};
  p.system = "sys";
  const auto ps = draw_samples(p, 5, 1, counter);
  CHECK(ps[2].messages[1].content == "one");
  CHECK(ps[3].messages[0].content == "sys");

  const auto dir = std::filesystem::temp_directory_path() / "lw_jsonl_test";
  std::filesystem::create_directories(dir);
  const auto file = dir / "d.jsonl";
  {
    std::ofstream f(file);
    f << R"({"prompt": "hello world", "output_tokens": 7})"
      << "\n\n"
      << R"({"prompt": [{"role": "user", "content": "hi"}]})"
      << "\n";
  }
  jsonl_spec j;
  j.path = file.string();
  const auto js = draw_samples(j, 3, 1, counter);
  CHECK(js[0].max_output_tokens == 7);
  CHECK(js[1].messages[0].content == "hi");
  CHECK(js[2].messages[0].content == "hello world");

  {
    std::ofstream f(file);
    f << R"({"prompt": "ok"})"
      << "\n"
      << R"({"prompt": oops})"
      << "\n";
  }
  REQUIRE_THROWS_WITH(draw_samples(j, 1, 1, counter), Catch::Contains("d.jsonl:2: invalid JSON"));
  {
    std::ofstream f(file);
    f << R"({"text": "ok"})"
      << "\n";
  }
  REQUIRE_THROWS_WITH(draw_samples(j, 1, 1, counter),
                      Catch::Contains("d.jsonl:1: no field \"prompt\""));
  j.path = (dir / "missing.jsonl").string();
  REQUIRE_THROWS_WITH(draw_samples(j, 1, 1, counter),
                      Catch::Contains("missing.jsonl: cannot open"));
}
