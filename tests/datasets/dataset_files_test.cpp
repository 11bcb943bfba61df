// ShareGPT and Gutenberg samplers: what they send is what they promise (exact token counts
// under a real tokenizer), the same seed gives the same bytes, and bad files are named.

#include <fstream>
#include <map>
#include <set>

#include "catch.hpp"
#include "fixtures.hpp"
#include "loadwright/datasets/sampler.hpp"
#include "loadwright/datasets/tokenizer.hpp"

using namespace loadwright::datasets;

namespace {

// A small file of ShareGPT's shape, with the awkward cases the real one has.
std::string write_sharegpt(const std::string& dir) {
  const std::string path = dir + "/sharegpt.json";
  std::ofstream out(path);
  out << "[\n";
  const auto turn = [](const char* from, const std::string& value) {
    return std::string("{\"from\": \"") + from + "\", \"value\": \"" + value + "\"}";
  };
  for (int i = 0; i < 30; ++i) {
    out << "  {\"id\": \"x" << i << "_0\", \"conversations\": ["
        << turn("human", "Question number " + std::to_string(i) +
                             ": how fast is the server under load, and why?")
        << ", "
        << turn("gpt", "It depends on the batch size; here is a long answer with details number " +
                           std::to_string(i) + ".")
        << "]},\n";
  }
  out << "  {\"id\": \"one-turn\", \"conversations\": ["
      << turn("human", "nobody answered this one") << "]},\n";
  out << "  {\"id\": \"gpt-first\", \"conversation\": ["
      << turn("gpt", "I speak first, caf\\u00e9 \\\"quoted\\\" \\\\ back\\nslash") << ", "
      << turn("human", "and I reply with enough words to pass the filter") << "]},\n";
  out << "  {\"id\": \"special\", \"conversations\": ["
      << turn("human", "text with </s> and <|endoftext|> inside it, yes") << ", "
      << turn("gpt", "a reply long enough to count") << "]},\n";
  out << "  {\"id\": \"tiny\", \"conversations\": [" << turn("human", "hi") << ", "
      << turn("gpt", "yo") << "]},\n";
  out << "  {\"id\": \"surrogate\", \"conversations\": ["
      << turn("human", "bad \\ud800 surrogate here ok") << ", "
      << turn("gpt", "a reply long enough to count") << "]}\n";
  out << "]\n";
  return path;
}

}  // namespace

TEST_CASE("sharegpt: vLLM's sampling with exact counts", "[sharegpt]") {
  const std::string dir = lw_test::temp_dir("sharegpt");
  const tokenizer_token_counter counter(tokenizer::load(lw_test::fixture_path("mistral")));
  const auto& tok = *counter.model_tokenizer();
  sharegpt_spec spec;
  spec.path = write_sharegpt(dir);
  const auto samples = draw_samples(spec, 40, 1, counter);
  REQUIRE(samples.size() == 40);
  std::set<std::string> distinct;
  bool saw_unescaped = false, saw_special = false;
  for (const auto& s : samples) {
    REQUIRE(s.messages.size() == 1);
    const auto& prompt = s.messages[0].content;
    distinct.insert(prompt);
    CHECK(prompt != "nobody answered this one");           // one turn: skipped
    CHECK(prompt != "hi");                                 // under 4 tokens: filtered
    CHECK(prompt.find("surrogate") == std::string::npos);  // invalid escape: skipped
    CHECK(static_cast<std::int64_t>(tok.encode(prompt, true).size()) == s.input_tokens);
    CHECK_FALSE(s.input_tokens_estimated);
    CHECK(s.max_output_tokens >= 4);
    saw_unescaped =
        saw_unescaped || prompt == "I speak first, caf\xC3\xA9 \"quoted\" \\ back\nslash";
    saw_special = saw_special || prompt.find("</s>") != std::string::npos;
  }
  CHECK(distinct.size() == 32);  // 30 + gpt-first + special; 40 drawn: cycled
  CHECK(saw_unescaped);
  CHECK(saw_special);
  // The output length is the reply's token count (BOS included, as vLLM counts).
  const std::string reply0 =
      "It depends on the batch size; here is a long answer with details number ";
  for (const auto& s : samples) {
    const auto at = s.messages[0].content.find("Question number ");
    if (at != 0) continue;
    const std::string n = s.messages[0].content.substr(16, s.messages[0].content.find(':') - 16);
    CHECK(s.max_output_tokens ==
          static_cast<std::int64_t>(tok.encode(reply0 + n + ".", true).size()));
  }
  // Same seed, same order; another seed, another order; fixed output length.
  CHECK(draw_samples(spec, 40, 1, counter)[0].messages[0].content ==
        samples[0].messages[0].content);
  bool differs = false;
  const auto other = draw_samples(spec, 40, 2, counter);
  for (std::size_t i = 0; i < 40; ++i)
    differs = differs || other[i].messages[0].content != samples[i].messages[0].content;
  CHECK(differs);
  spec.output_tokens = 77;
  for (const auto& s : draw_samples(spec, 5, 1, counter)) CHECK(s.max_output_tokens == 77);
  // Without the filter the tiny entry comes back.
  spec.filter = false;
  std::set<std::string> all;
  for (const auto& s : draw_samples(spec, 40, 1, counter)) all.insert(s.messages[0].content);
  CHECK(all.count("hi") == 1);
}

TEST_CASE("sharegpt: bad files are named with their place", "[sharegpt]") {
  const std::string dir = lw_test::temp_dir("sharegpt-bad");
  estimate_token_counter counter;
  sharegpt_spec spec;
  spec.path = dir + "/missing.json";
  CHECK_THROWS_WITH(draw_samples(spec, 1, 1, counter),
                    Catch::Contains("missing.json: cannot open"));
  spec.path = dir + "/broken.json";
  std::ofstream(spec.path) << "[\n {\"conversations\": [{\"value\": \"a\"}, {\"value\": "
                              "\"b\"}]},\n {\"conversations\": [{\"value\": tru\n";
  CHECK_THROWS_WITH(
      draw_samples(spec, 1, 1, counter),
      Catch::Contains("broken.json: invalid JSON") && Catch::Contains("line 3, column"));
  spec.path = dir + "/object.json";
  std::ofstream(spec.path) << "{\"conversations\": []}";
  CHECK_THROWS_WITH(draw_samples(spec, 1, 1, counter), Catch::Contains("expected a JSON list"));
  spec.path = dir + "/empty.json";
  std::ofstream(spec.path) << "[]";
  CHECK_THROWS_WITH(draw_samples(spec, 1, 1, counter), Catch::Contains("none of its 0 entries"));
}

TEST_CASE("gutenberg: llama-benchy's slices, exact under the tokenizer", "[gutenberg]") {
  const std::string name = GENERATE("qwen3", "mistral");
  const tokenizer_token_counter counter(tokenizer::load(lw_test::fixture_path(name)));
  const auto& tok = *counter.model_tokenizer();
  gutenberg_spec spec;
  spec.path = lw_test::gutenberg_book();
  spec.prompt_tokens = 300;
  spec.depth_tokens = 1000;
  spec.output_tokens = 64;
  spec.no_cache = true;
  const auto samples = draw_samples(spec, 12, 5, counter);
  std::set<std::string> prompts;
  for (const auto& s : samples) {
    INFO(name);
    REQUIRE(s.messages.size() == 2);
    CHECK(s.messages[0].role == "system");
    CHECK(s.messages[1].role == "user");
    CHECK(tok.encode(s.messages[0].content).size() == 1000);
    CHECK(tok.encode(s.messages[1].content).size() == 300);
    CHECK(s.input_tokens == 1300);
    CHECK(s.max_output_tokens == 64);
    prompts.insert(s.messages[1].content);
  }
  CHECK(prompts.size() == samples.size());  // random offsets and unique no_cache suffixes
  const auto again = draw_samples(spec, 12, 5, counter);
  for (std::size_t i = 0; i < samples.size(); ++i) CHECK(again[i].messages == samples[i].messages);
  // Without depth there is no system message.
  spec.depth_tokens = 0;
  spec.no_cache = false;
  const auto plain = draw_samples(spec, 3, 5, counter);
  CHECK(plain[0].messages.size() == 1);
  CHECK(tok.encode(plain[0].messages[0].content).size() == 300);
}

TEST_CASE("gutenberg: the default book and its errors", "[gutenberg]") {
  CHECK(default_gutenberg_book() == lw_test::gutenberg_book());
  estimate_token_counter counter;
  gutenberg_spec spec;
  spec.path = "/nonexistent/book.txt";
  CHECK_THROWS_WITH(draw_samples(spec, 1, 1, counter),
                    Catch::Contains("/nonexistent/book.txt: cannot open"));
  spec.path = lw_test::gutenberg_book();
  spec.prompt_tokens = 100;
  const auto s = draw_samples(spec, 2, 1, counter);
  CHECK(s[0].input_tokens_estimated);
  CHECK(s[0].input_tokens == 100);
}

TEST_CASE("prompts and jsonl count with the model's tokenizer", "[datasets]") {
  const tokenizer_token_counter counter(tokenizer::load(lw_test::fixture_path("mistral")));
  prompts_spec p;
  p.prompts = {"Hello world", "Explain prefix caching in one paragraph."};
  for (const auto& s : draw_samples(p, 2, 1, counter)) {
    CHECK_FALSE(s.input_tokens_estimated);
    CHECK(s.input_tokens == static_cast<std::int64_t>(
                                counter.model_tokenizer()->encode(s.prompt_text(), true).size()));
  }
  CHECK(draw_samples(p, 1, 1, counter)[0].input_tokens == 3);  // <s> ▁Hello ▁world
}

TEST_CASE("conversations from a ShareGPT file: its human turns, in order",
          "[sharegpt][conversations]") {
  const std::string dir = lw_test::temp_dir("sharegpt-conversations");
  const std::string path = dir + "/multi.json";
  std::ofstream(path) << R"([
    {"id": "a", "conversations": [{"from": "human", "value": "first question"}, {"from": "gpt", "value": "answer"},
                                  {"from": "human", "value": "second question"}, {"from": "gpt", "value": "answer 2"},
                                  {"from": "human", "value": "third question"}]},
    {"id": "b", "conversations": [{"from": "gpt", "value": "hello, I start"}, {"from": "human", "value": "only one"}]},
    {"id": "c", "conversations": [{"from": "gpt", "value": "nobody asks"}]}
  ])";
  const tokenizer_token_counter counter(tokenizer::load(lw_test::fixture_path("qwen3")));
  conversations_spec spec;
  spec.sharegpt = path;
  spec.turns = 2;
  spec.output_tokens = 20;
  spec.think_time_s = 1.5;
  const auto samples = draw_samples(spec, 4, 3, counter);
  REQUIRE(samples.size() == 4);  // two usable entries, cycled
  std::set<std::string> firsts;
  for (const auto& s : samples) {
    REQUIRE(s.messages.size() == 1);
    firsts.insert(s.messages[0].content);
    CHECK(s.input_tokens == counter.count(s.messages[0].content));
    CHECK(s.max_output_tokens == 20);
    CHECK(s.think_time_s == 1.5);
    if (s.messages[0].content == "first question") {
      CHECK(s.followups == std::vector<std::string>{"second question"});  // at most 2 turns
      CHECK(s.followup_tokens == std::vector<std::int64_t>{counter.count("second question")});
    } else {
      CHECK(s.messages[0].content == "only one");
      CHECK(s.followups.empty());
    }
  }
  CHECK(firsts.size() == 2);
}

TEST_CASE("conversations from OpenAssistant trees: the prompter's turns on the best path",
          "[conversations]") {
  const std::string dir = lw_test::temp_dir("oasst-conversations");
  const std::string path = dir + "/trees.jsonl";
  // Written here: two trees of oasst2's shape (its *.trees.jsonl), the second unranked.
  const std::string tree1 =
      R"({"message_tree_id": "t1", "prompt": {"role": "prompter", "text": "How do tides work?", )"
      R"("replies": [{"role": "assistant", "rank": 1, "text": "worse", "replies": [{"role": )"
      R"("prompter", "text": "not this one"}]}, {"role": "assistant", "rank": 0, "text": "The )"
      R"(moon.", "replies": [{"role": "prompter", "text": "And the sun?", "replies": [{"role": )"
      R"("assistant", "text": "It helps.", "replies": [{"role": "prompter", "text": "a third )"
      R"(turn"}]}]}]}]}})";
  const std::string tree2 =
      R"({"message_tree_id": "t2", "prompt": {"role": "prompter", "text": "Hello", "replies": )"
      R"([{"role": "assistant", "text": "Hi", "replies": [{"role": "prompter", "text": "Bye"}]}]}})";
  std::ofstream(path) << tree1 << "\n" << tree2 << "\n";
  const estimate_token_counter counter;
  conversations_spec spec;
  spec.oasst = path;
  spec.turns = 2;
  const auto samples = draw_samples(spec, 2, 5, counter);
  REQUIRE(samples.size() == 2);
  std::map<std::string, std::vector<std::string>> followups;
  for (const auto& s : samples) {
    REQUIRE(s.messages.size() == 1);
    CHECK(s.conversation);
    followups[s.messages[0].content] = s.followups;
  }
  CHECK(followups["How do tides work?"] == std::vector<std::string>{"And the sun?"});
  CHECK(followups["Hello"] == std::vector<std::string>{"Bye"});

  std::ofstream(dir + "/bad.jsonl") << "{\"message_tree_id\": \"t\"}\n";
  spec.oasst = dir + "/bad.jsonl";
  CHECK_THROWS_WITH(draw_samples(spec, 1, 5, counter),
                    Catch::Contains("bad.jsonl:1: expected an oasst2 message tree"));
}

TEST_CASE("jsonl prompt_tokens: each document cut to its first N tokens (LongBench-v2's B2)",
          "[files]") {
  const std::string dir = lw_test::temp_dir("jsonl-prompt-tokens");
  const std::string path = dir + "/longbench.jsonl";
  // Documents far longer than the cut, one of long words (more than 6 bytes a token, so the
  // prefix tokenized first is too short and must grow), one short, one a list of messages.
  std::string prose, long_words;
  for (int i = 0; i < 4000; ++i) prose += "Sentence " + std::to_string(i) + " of the river. ";
  for (int i = 0; i < 3000; ++i) long_words += "internationalization counterrevolutionaries ";
  std::ofstream(path) << R"({"context": ")" << prose << "\"}\n"
                      << R"({"context": ")" << long_words << "\"}\n"
                      << R"({"context": "a short document"})"
                      << "\n";
  const tokenizer_token_counter counter(tokenizer::load(lw_test::fixture_path("qwen3")));
  jsonl_spec spec;
  spec.path = path;
  spec.field = "context";
  spec.prompt_tokens = 300;
  const auto samples = draw_samples(spec, 3, 1, counter);
  REQUIRE(samples.size() == 3);
  const std::string docs[] = {prose, long_words, "a short document"};
  for (std::size_t i = 0; i < 3; ++i) {
    const std::string& text = samples[i].messages.at(0).content;
    INFO("document " << i);
    CHECK(docs[i].rfind(text, 0) == 0);  // a prefix of the document
    CHECK(samples[i].input_tokens == counter.count(text));
    if (i < 2) CHECK(counter.count_text(text) == 300);
  }
  CHECK(samples[2].messages[0].content == "a short document");

  // Without a model tokenizer: cut in words under the estimate, still a prefix near N.
  const auto estimated = draw_samples(spec, 1, 1, estimate_token_counter());
  CHECK(prose.rfind(estimated[0].messages[0].content, 0) == 0);
  CHECK(std::abs(estimated[0].input_tokens - 300) <= 3);

  std::ofstream(dir + "/messages.jsonl") << R"({"context": [{"role": "user", "content": "x"}]})"
                                         << "\n";
  spec.path = dir + "/messages.jsonl";
  CHECK_THROWS_WITH(draw_samples(spec, 1, 1, counter),
                    Catch::Contains("messages.jsonl:1: field \"context\": prompt_tokens cuts a "
                                    "text, and this is not a string"));
}
