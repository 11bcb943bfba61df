// gutenberg { path | url, prompt_tokens, depth_tokens, no_cache }: llama-benchy's prompts from a
// book. The text is cut at the start marker (kept, as llama-benchy keeps it), tokenized once
// without special tokens, and each sample is a random slice: depth tokens of context (a system
// message) followed by prompt tokens (the user message). Slices are adjusted until their
// decoded text re-encodes to exactly the asked count.

#include "book_corpus.hpp"
#include "samplers.hpp"

namespace loadwright::datasets::detail {

std::vector<sample> draw_gutenberg(const gutenberg_spec& spec, std::size_t count,
                                   std::uint64_t seed, const token_counter& counter) {
  if (spec.path.empty())
    throw dataset_error("gutenberg: no book (give path = \"book.txt\" or url = \"https://…\")");
  const book_corpus book(clean_book(read_book(spec.path), spec.strip_license), counter);
  if (book.size() == 0) throw dataset_error(spec.path + ": the book holds no text");
  seeded_rng rng(seed);
  std::vector<sample> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const std::string suffix = spec.no_cache ? unique_suffix(rng) : std::string();
    const auto need = static_cast<std::size_t>(spec.prompt_tokens + spec.depth_tokens);
    // A short book is read round and round (llama-benchy repeats the token list).
    const std::size_t span = book.size() > need ? book.size() - need : book.size();
    const auto start =
        static_cast<std::size_t>(rng.uniform_int(0, static_cast<std::int64_t>(span) - 1));
    std::int64_t depth_actual = 0, prompt_actual = 0;
    std::string context = book.fitted(start, spec.depth_tokens, "", depth_actual);
    std::string prompt = book.fitted(start + static_cast<std::size_t>(spec.depth_tokens),
                                     spec.prompt_tokens, suffix, prompt_actual);
    sample s;
    if (!context.empty()) s.messages.push_back({"system", std::move(context)});
    s.messages.push_back({"user", prompt.empty() ? std::string(".") : std::move(prompt)});
    s.input_tokens = depth_actual + prompt_actual;
    if (spec.depth_tokens > 0) s.context_tokens = depth_actual;
    s.input_tokens_estimated = !book.exact();
    s.max_output_tokens = spec.output_tokens;
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace loadwright::datasets::detail

namespace loadwright::datasets {

std::string default_gutenberg_book() {
  const char* path = "/usr/share/gocode/src/github.com/bkaradzic/go-lz4/testdata/pg1661.txt";
  std::ifstream probe(path);
  return probe ? path : "";
}

}  // namespace loadwright::datasets
