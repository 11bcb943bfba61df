#include "prompt_adaptation.hpp"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <iostream>

#include "loadwright/datasets/tokenizer.hpp"

namespace loadwright::app {

namespace json = boost::json;
namespace ds = loadwright::datasets;

namespace {

// Tokens of `text` as message content: without the BOS/EOS a tokenizer adds to a whole prompt
// (the template's own tokens, BOS included, are what is being measured).
std::int64_t content_tokens(const ds::token_counter& counter, const std::string& text) {
  return counter.count_text(text);
}

// usage.prompt_tokens of a one-token, non-streaming chat request with `messages`: nullopt with
// `why` when the request fails, 0 when the answer has no usage (llama-benchy 0.4.0 then adapts
// nothing rather than failing).
std::optional<std::int64_t> prompt_tokens_of(const runtime::engine_target& target,
                                             json::array messages, std::string& why) {
  json::object body{{"model", target.model},
                    {"messages", std::move(messages)},
                    {"max_tokens", 1},
                    {"stream", false}};
  const auto r = runtime::send_small_request(
      target, "POST", target.url.endpoint_path("chat/completions"), json::serialize(body));
  if (why = r.problem(); !why.empty()) return std::nullopt;
  boost::system::error_code ec;
  const auto doc = json::parse(r.body, ec);
  const auto* o = !ec ? doc.if_object() : nullptr;
  const auto* usage = o ? o->if_contains("usage") : nullptr;
  const auto* n =
      usage && usage->is_object() ? usage->as_object().if_contains("prompt_tokens") : nullptr;
  if (!n || !n->is_int64()) return 0;
  return n->get_int64();
}

}  // namespace

bool adapt_prompts(const runtime::scenario_plan& plan, datasets::dataset_spec& dataset,
                   const runtime::engine_target& target, const ds::token_counter& counter,
                   bool quiet) {
  auto* spec = std::get_if<ds::gutenberg_spec>(&dataset);
  if (!spec || !spec->adapt_prompt) return true;
  if (plan.request.api != runtime::api_kind::chat) return true;  // no template on /completions
  std::string w;
  for (int i = 0; i < 10; ++i) w += "Warmup ";  // llama-benchy's probe text
  std::string why;
  const auto user =
      prompt_tokens_of(target, json::array{json::object{{"role", "user"}, {"content", w}}}, why);
  const auto context =
      user ? prompt_tokens_of(target,
                              json::array{json::object{{"role", "system"}, {"content", w}},
                                          json::object{{"role", "user"}, {"content", "."}}},
                              why)
           : std::nullopt;
  if (!user || !context) {
    std::cerr << fmt::format(
        "loadwright: {}: scenario.dataset.adapt_prompt: cannot measure the chat template's "
        "overhead: {}\n",
        plan.source, why);
    return false;
  }
  // No usage in an answer: no overhead known, none taken off (llama-benchy 0.4.0's rule).
  const std::int64_t delta_user = *user > 0 ? *user - content_tokens(counter, w) : 0;
  const std::int64_t delta_context =
      *context > 0 ? *context - content_tokens(counter, w) - content_tokens(counter, ".")
                   : delta_user;
  // As llama-benchy: without depth the prompt absorbs the overhead, with depth the context does.
  if (spec->depth_tokens == 0)
    spec->prompt_tokens = std::max<std::int64_t>(1, spec->prompt_tokens - delta_user);
  else
    spec->depth_tokens = std::max<std::int64_t>(1, spec->depth_tokens - delta_context);
  if (!quiet)
    std::cout << fmt::format(
        "loadwright: the chat template adds {} tokens to a user prompt, {} with a system context; "
        "{} shortened to {} tokens (adapt_prompt)\n",
        delta_user, delta_context, spec->depth_tokens == 0 ? "prompts" : "contexts",
        spec->depth_tokens == 0 ? spec->prompt_tokens : spec->depth_tokens);
  return true;
}

}  // namespace loadwright::app
