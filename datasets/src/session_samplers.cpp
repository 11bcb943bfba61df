// shared_prefix { … } and conversations { … }: prompts that exercise a server's prefix cache
// and multi-turn sessions, cut from book text to exact token counts.

#include <fmt/format.h>

#include "book_corpus.hpp"
#include "oasst_trees.hpp"
#include "samplers.hpp"
#include "sharegpt_file.hpp"

namespace loadwright::datasets::detail {

namespace {

book_corpus open_book(const std::string& path, const token_counter& counter) {
  const std::string book = path.empty() ? default_gutenberg_book() : path;
  if (book.empty())
    throw dataset_error(
        "no book to cut prompts from: give path = \"book.txt\" (the default, pg1661.txt, "
        "comes with golang-github-bkaradzic-go-lz4-dev)");
  book_corpus c(clean_book(read_book(book), false), counter);
  if (c.size() == 0) throw dataset_error(book + ": the book holds no text");
  return c;
}

std::size_t random_start(const book_corpus& book, seeded_rng& rng) {
  return static_cast<std::size_t>(rng.uniform_int(0, static_cast<std::int64_t>(book.size()) - 1));
}

}  // namespace

std::vector<sample> draw_shared_prefix(const shared_prefix_spec& spec, std::size_t count,
                                       std::uint64_t seed, const token_counter& counter) {
  const book_corpus book = open_book(spec.path, counter);
  seeded_rng rng(seed);
  std::vector<std::string> prefixes;
  std::vector<std::int64_t> prefix_tokens;
  for (std::int64_t k = 0; k < std::max<std::int64_t>(1, spec.prefixes); ++k) {
    std::int64_t n = 0;
    prefixes.push_back(book.fitted(random_start(book, rng), spec.system_tokens, "", n));
    prefix_tokens.push_back(n);
  }
  std::vector<sample> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    std::int64_t n = 0;
    sample s;
    const std::size_t group = i % prefixes.size();
    s.messages.push_back({"system", prefixes[group]});
    s.messages.push_back(
        {"user", book.fitted(random_start(book, rng), spec.question_tokens, "", n)});
    s.input_tokens = prefix_tokens[group] + n;
    s.input_tokens_estimated = !book.exact();
    s.max_output_tokens = spec.output_tokens;
    out.push_back(std::move(s));
  }
  return out;
}

namespace {

// Conversations whose user turns come from real dialogs: entry e of `entries` (in the seed's
// order) gives its user turns through `users_of(e, users)` (false: an invalid entry, skipped).
template <class UsersOf>
std::vector<sample> draw_dialogs(const conversations_spec& spec, std::size_t entries,
                                 std::size_t count, std::uint64_t seed,
                                 const token_counter& counter, UsersOf users_of,
                                 const std::string& none_found) {
  std::string system;
  std::int64_t system_tokens = 0;
  if (spec.system_tokens > 0) {
    const book_corpus book = open_book(spec.path, counter);
    seeded_rng rng(seed ^ 0x5359535445ULL);
    system = book.fitted(random_start(book, rng), spec.system_tokens, "", system_tokens);
  }
  std::vector<sample> pool;
  for (std::size_t e : seeded_permutation(entries, seed)) {
    if (pool.size() >= count) break;
    std::vector<std::string> users;
    if (!users_of(e, users) || users.empty()) continue;
    sample s;
    if (!system.empty()) s.messages.push_back({"system", system});
    s.messages.push_back({"user", users[0]});
    s.input_tokens = system_tokens + counter.count(users[0]);
    s.input_tokens_estimated = !counter.exact();
    s.max_output_tokens = spec.output_tokens;
    for (std::size_t k = 1; k < users.size(); ++k) {
      s.followup_tokens.push_back(counter.count(users[k]));
      s.followups.push_back(std::move(users[k]));
    }
    s.think_time_s = spec.think_time_s;
    s.conversation = true;
    pool.push_back(std::move(s));
  }
  if (pool.empty()) throw dataset_error(none_found);
  return cycle(pool, count);
}

// Conversations whose user turns are the human turns of a ShareGPT file.
std::vector<sample> draw_sharegpt_conversations(const conversations_spec& spec, std::size_t count,
                                                std::uint64_t seed, const token_counter& counter) {
  // Turns alternate, so 2 × turns of them hold `turns` human ones.
  const sharegpt_file file(spec.sharegpt, static_cast<std::size_t>(2 * spec.turns + 1));
  auto users_of = [&](std::size_t e, std::vector<std::string>& users) {
    for (const auto& turn : file.turns(e)) {
      if (!turn.human || static_cast<std::int64_t>(users.size()) >= spec.turns) continue;
      auto text = sharegpt_file::text(turn);
      if (!text) return false;
      users.push_back(std::move(*text));
    }
    return true;
  };
  return draw_dialogs(
      spec, file.entries(), count, seed, counter, users_of,
      fmt::format("{}: none of its {} entries has a human turn", spec.sharegpt, file.records()));
}

// Conversations whose user turns are the prompter's messages of OpenAssistant trees.
std::vector<sample> draw_oasst_conversations(const conversations_spec& spec, std::size_t count,
                                             std::uint64_t seed, const token_counter& counter) {
  auto dialogs = read_oasst_dialogs(spec.oasst, static_cast<std::size_t>(spec.turns));
  auto users_of = [&](std::size_t e, std::vector<std::string>& users) {
    users = dialogs[e];
    return true;
  };
  return draw_dialogs(spec, dialogs.size(), count, seed, counter, users_of,
                      spec.oasst + ": no dialog in it");
}

}  // namespace

std::vector<sample> draw_conversations(const conversations_spec& spec, std::size_t count,
                                       std::uint64_t seed, const token_counter& counter) {
  if (!spec.sharegpt.empty()) return draw_sharegpt_conversations(spec, count, seed, counter);
  if (!spec.oasst.empty()) return draw_oasst_conversations(spec, count, seed, counter);
  const book_corpus book = open_book(spec.path, counter);
  seeded_rng rng(seed);
  std::string system;
  std::int64_t system_tokens = 0;
  if (spec.system_tokens > 0)
    system = book.fitted(random_start(book, rng), spec.system_tokens, "", system_tokens);
  std::vector<sample> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    sample s;
    std::int64_t n = 0;
    if (!system.empty()) s.messages.push_back({"system", system});
    s.messages.push_back({"user", book.fitted(random_start(book, rng), spec.prompt_tokens, "", n)});
    s.input_tokens = system_tokens + n;
    s.input_tokens_estimated = !book.exact();
    s.max_output_tokens = spec.output_tokens;
    for (std::int64_t t = 1; t < spec.turns; ++t) {
      s.followups.push_back(book.fitted(random_start(book, rng), spec.followup_tokens, "", n));
      s.followup_tokens.push_back(n);
    }
    s.think_time_s = spec.think_time_s;
    s.conversation = true;
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace loadwright::datasets::detail
