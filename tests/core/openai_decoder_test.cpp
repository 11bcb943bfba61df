#include "loadwright/core/openai_decoder.hpp"

#include "catch.hpp"

using namespace loadwright::runtime;

TEST_CASE("decoder: chat chunks", "[runtime][codec]") {
  openai_decoder d;
  openai_chunk c;
  std::string text;
  d.decode(
      R"({"id":"x","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]})",
      c, &text);
  CHECK(c.has_choices);
  CHECK_FALSE(c.has_text);  // role-only: TTFR, not TTFT
  d.decode(R"({"choices":[{"delta":{"content":"Hel\"lo \u00e9"}}]})", c, &text);
  CHECK(c.has_text);
  CHECK(text == "Hel\"lo \xC3\xA9");
  d.decode(R"({"choices":[{"delta":{"reasoning_content":"think"},"finish_reason":"length"}]})", c,
           &text);
  CHECK(c.has_text);
  CHECK(c.finish_reason == "length");
  d.decode(R"({"choices":[{"delta":{"reasoning":"more"}}]})", c, &text);
  CHECK(c.has_text);
  CHECK(text.ends_with("thinkmore"));
}

TEST_CASE("decoder: usage chunk with empty choices", "[runtime][codec]") {
  openai_decoder d;
  openai_chunk c;
  d.decode(
      R"({"id":"x","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":34,"total_tokens":46}})",
      c);
  CHECK_FALSE(c.has_choices);
  CHECK(c.prompt_tokens == 12);
  CHECK(c.completion_tokens == 34);
  d.decode(R"({"choices":[{"text":"x"}],"usage":null})", c);
  CHECK(c.prompt_tokens == -1);
  CHECK(c.has_text);
}

TEST_CASE("decoder: fields with the right names at the wrong place are ignored",
          "[runtime][codec]") {
  openai_decoder d;
  openai_chunk c;
  d.decode(
      R"({"content":"no","meta":{"choices":[{"text":"no"}]},"choices":[{"logprobs":{"content":[{"token":"x"}]}}]})",
      c);
  CHECK(c.has_choices);
  CHECK_FALSE(c.has_text);
}

TEST_CASE("decoder: completions text, whole responses, errors, done, garbage", "[runtime][codec]") {
  openai_decoder d;
  openai_chunk c;
  std::string text;
  d.decode(
      R"({"object":"chat.completion","choices":[{"message":{"role":"assistant","content":"hi there"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":2}})",
      c, &text);
  CHECK(c.has_text);
  CHECK(text == "hi there");
  CHECK(c.completion_tokens == 2);
  d.decode(" [DONE] ", c);
  CHECK(c.done);
  d.decode(R"({"error":{"message":"overloaded","type":"x","code":503}})", c);
  CHECK(c.has_error);
  CHECK(c.error_message == "overloaded");
  d.decode(R"({"error":"plain"})", c);
  CHECK(c.error_message == "plain");
  d.decode(R"({"choices":[{"delta":{"content":"x"})", c);
  CHECK(c.malformed);
  d.decode(R"({"a":1} trailing)", c);
  CHECK(c.malformed);
  for (const char* scalar : {"42", "\"text\"", "[1,2]", "null", "\n[{}]"}) {
    d.decode(scalar, c);
    INFO(scalar);
    CHECK(c.malformed);
    CHECK(c.parse_error == "JSON that is not an object");
  }
  d.decode("{\"choices\":[{\"delta\":{\"content\":\"\xFF\xFE\"}}]}", c);
  CHECK(c.malformed);
  CHECK(c.parse_error == "text that is not UTF-8");
  d.decode(" ", c);  // `data:` with nothing: ignored, not an error
  CHECK_FALSE(c.malformed);
  CHECK_FALSE(c.has_choices);
  CHECK_FALSE(c.done);
}

TEST_CASE("decoder: token counts out of int64's range count as absent (found by fuzzing)",
          "[runtime][codec]") {
  openai_decoder d;
  openai_chunk c;
  d.decode(R"({"choices":[],"usage":{"prompt_tokens":2.2e54,"completion_tokens":12.0}})", c);
  CHECK(c.prompt_tokens == -1);
  CHECK(c.completion_tokens == 12);
  d.decode(
      R"({"choices":[],"usage":{"prompt_tokens":18446744073709551615,"completion_tokens":-3e30}})",
      c);
  CHECK(c.prompt_tokens == -1);
  CHECK(c.completion_tokens == -1);
}
