// libFuzzer: the OpenAI chunk decoder on arbitrary bytes (as one SSE event's data or one
// whole response body). It must not crash, and a reused decoder must give the same answer
// as the first time (its kept buffers leak nothing from one chunk into the next). The same
// bytes, as a server's error text, must come out of our JSON writer as a valid JSON string.

#include <boost/json/parse.hpp>
#include <cstdint>
#include <string>

#include "loadwright/core/json_writer.hpp"
#include "loadwright/core/openai_decoder.hpp"

namespace {

bool same(const loadwright::runtime::openai_chunk& a, const loadwright::runtime::openai_chunk& b) {
  return a.done == b.done && a.has_choices == b.has_choices && a.has_text == b.has_text &&
         a.finish_reason == b.finish_reason && a.prompt_tokens == b.prompt_tokens &&
         a.completion_tokens == b.completion_tokens && a.has_error == b.has_error &&
         a.error_message == b.error_message && a.malformed == b.malformed;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  static loadwright::runtime::openai_decoder reused;  // has seen every earlier input
  loadwright::runtime::openai_decoder fresh;
  loadwright::runtime::openai_chunk first, again;
  std::string first_text, again_text;
  fresh.decode(in, first, &first_text);
  reused.decode(in, again, &again_text);
  if (!same(first, again) || first_text != again_text) __builtin_trap();
  if (first.has_text && first_text.empty()) __builtin_trap();
  std::string quoted = "\"";
  loadwright::runtime::json_writer::escape(quoted, in);
  quoted += '"';
  boost::system::error_code ec;
  (void)boost::json::parse(quoted, ec);
  if (ec) __builtin_trap();
  return 0;
}
