#pragma once
// How a run counts prompt tokens, chosen once and said out loud: the tokenizer named by
// --tokenizer or the scenario, else the served model's tokenizer in the Hugging Face cache,
// else the server's /tokenize, else the documented estimate (every count marked as such).

#include <memory>
#include <optional>
#include <string>

#include "loadwright/datasets/token_counter.hpp"
#include "loadwright/datasets/tokenizer.hpp"
#include "loadwright/engine/engine.hpp"

namespace loadwright::app {

struct token_counting {
  std::shared_ptr<const datasets::token_counter> counter;
  std::string origin;  // "--tokenizer", "the scenario's tokenizer", …
  /// What vLLM would write as `tokenizer_id`: the path or model name the counts come from,
  /// none for the estimate.
  std::optional<std::string> name;
};

/// Loads a tokenizer once per process and path: a suite's scenarios and the built-in emulator
/// share it instead of each reading and parsing it (up to half a second for a large one).
/// Throws datasets::tokenizer_error.
std::shared_ptr<const datasets::tokenizer> load_tokenizer(const std::string& path);

/// `server` may be null (validate, --dry-run): /tokenize is then not asked. The Hugging Face
/// cache is searched for `model`, then for `model_root` (vLLM's `root` of a served name).
/// Returns nullopt after printing the error when a named tokenizer cannot be loaded.
std::optional<token_counting> choose_token_counting(const std::string& flag,
                                                    const std::string& scenario_tokenizer,
                                                    const std::string& model,
                                                    const runtime::engine_target* server,
                                                    const std::string& model_root = "");

/// When counting with a local tokenizer and the server has a real `/tokenize`, compares their
/// counts for the first prompt and warns on stderr if they differ (a different tokenizer than
/// the served model's would skew every number). Sends one small request; quiet otherwise.
void check_against_server(const token_counting& c, const runtime::prepared_scenario& p,
                          const runtime::engine_target& server);

/// "prompt tokens: counted with …" for the console.
std::string describe_counting(const token_counting& c);

}  // namespace loadwright::app
