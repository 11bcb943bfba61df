#include "token_counting.hpp"

#include <iostream>
#include <map>

#include "loadwright/datasets/tokenizer.hpp"
#include "loadwright/datasets/tokenizer_locator.hpp"

namespace loadwright::app {

namespace ds = loadwright::datasets;

std::shared_ptr<const ds::tokenizer> load_tokenizer(const std::string& path) {
  static std::map<std::string, std::shared_ptr<const ds::tokenizer>> loaded;  // CLI thread only
  auto& t = loaded[path];
  if (!t) t = ds::tokenizer::load(path);
  return t;
}

std::optional<token_counting> choose_token_counting(const std::string& flag,
                                                    const std::string& scenario_tokenizer,
                                                    const std::string& model,
                                                    const runtime::engine_target* server,
                                                    const std::string& model_root) {
  auto where = ds::locate_tokenizer(flag, scenario_tokenizer, model);
  std::string name = !flag.empty()                 ? flag
                     : !scenario_tokenizer.empty() ? scenario_tokenizer
                                                   : model;
  if (!where && !model_root.empty() && model_root != model) {
    where = ds::locate_tokenizer("", "", model_root);
    name = model_root;
  }
  if (where) {
    try {
      return token_counting{
          std::make_shared<ds::tokenizer_token_counter>(load_tokenizer(where->path.string())),
          where->origin, name};
    } catch (const ds::tokenizer_error& e) {
      std::cerr << "loadwright: tokenizer (" << where->origin << "): " << e.what() << '\n';
      return std::nullopt;
    }
  }
  std::string origin = "no tokenizer found";
  if (server) {
    std::string why;
    if (auto c = runtime::make_server_token_counter(*server, &why))
      return token_counting{std::shared_ptr<const ds::token_counter>(std::move(c)), "the server",
                            model};
    // A /tokenize that exists but answers counts that cannot be right is worth saying.
    if (!why.empty() && why.find("HTTP 404") == std::string::npos)
      origin += "; the server's /tokenize was not used: " + why;
  }
  return token_counting{std::make_shared<ds::estimate_token_counter>(), origin, std::nullopt};
}

void check_against_server(const token_counting& c, const runtime::prepared_scenario& p,
                          const runtime::engine_target& server) {
  if (!c.counter->model_tokenizer() || p.samples.empty()) return;
  std::string why;
  const auto remote = runtime::make_server_token_counter(server, &why);
  if (!remote) return;
  const std::string text = p.samples.front().prompt_text();
  try {
    const auto here = c.counter->count(text), there = remote->count(text);
    if (here != there)
      std::cerr << "loadwright: warning: the server's /tokenize counts " << there
                << " tokens for the first prompt, the tokenizer " << here
                << ": is it the served model's tokenizer? (" << c.counter->describe() << ")\n";
  } catch (const std::exception&) {
    // The check is advisory: a server that fails it is not a reason to stop the run.
  }
}

std::string describe_counting(const token_counting& c) {
  if (!c.counter->exact())
    return "prompt tokens: estimated (" + c.origin +
           "; give --tokenizer for exact counts; records mark these counts as estimates)";
  return "prompt tokens: counted with " + c.counter->describe() + " (from " + c.origin + ")";
}

}  // namespace loadwright::app
