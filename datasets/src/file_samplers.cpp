// prompts { … } and jsonl { path, field }: user-provided prompts, cycled to the count asked;
// jsonl's texts cut to their first prompt_tokens when asked (LongBench-v2's documents).

#include <boost/json.hpp>
#include <fstream>

#include "book_corpus.hpp"
#include "loadwright/datasets/rng.hpp"
#include "samplers.hpp"

namespace loadwright::datasets::detail {

namespace json = boost::json;

namespace {

sample make_sample(std::vector<chat_message> messages, std::int64_t max_out,
                   const token_counter& counter) {
  sample s;
  s.messages = std::move(messages);
  s.input_tokens = counter.count(s.prompt_text());
  s.input_tokens_estimated = !counter.exact();
  s.max_output_tokens = max_out;
  return s;
}

std::vector<chat_message> messages_from_json(const json::value& v, const std::string& where) {
  std::vector<chat_message> messages;
  if (v.is_string()) {
    messages.push_back({"user", std::string(v.get_string())});
    return messages;
  }
  if (!v.is_array()) throw dataset_error(where + ": expected a string or a list of messages");
  for (const auto& m : v.get_array()) {
    const auto* obj = m.if_object();
    const auto* role = obj ? obj->if_contains("role") : nullptr;
    const auto* content = obj ? obj->if_contains("content") : nullptr;
    if (!role || !role->is_string() || !content || !content->is_string())
      throw dataset_error(where + ": each message needs string \"role\" and \"content\"");
    messages.push_back({std::string(role->get_string()), std::string(content->get_string())});
  }
  if (messages.empty()) throw dataset_error(where + ": empty message list");
  return messages;
}

}  // namespace

std::vector<sample> draw_prompts(const prompts_spec& spec, std::size_t count,
                                 const token_counter& counter) {
  std::vector<sample> pool;
  for (const auto& p : spec.prompts) {
    std::vector<chat_message> messages;
    if (!spec.system.empty()) messages.push_back({"system", spec.system});
    messages.push_back({"user", p});
    pool.push_back(make_sample(std::move(messages), spec.output_tokens, counter));
  }
  if (pool.empty()) throw dataset_error("prompts: the list is empty");
  return cycle(pool, count);
}

std::vector<sample> draw_jsonl(const jsonl_spec& spec, std::size_t count, std::uint64_t seed,
                               const token_counter& counter) {
  std::ifstream in(spec.path, std::ios::binary);
  if (!in) throw dataset_error(spec.path + ": cannot open the jsonl dataset");
  std::vector<sample> pool;
  std::string line;
  for (std::size_t line_no = 1; std::getline(in, line); ++line_no) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    const std::string where = spec.path + ":" + std::to_string(line_no);
    boost::system::error_code ec;
    json::value v = json::parse(line, ec);
    if (ec) throw dataset_error(where + ": invalid JSON (" + ec.message() + ")");
    const auto* obj = v.if_object();
    if (!obj) throw dataset_error(where + ": expected a JSON object per line");
    const auto* field = obj->if_contains(spec.field);
    if (!field) throw dataset_error(where + ": no field \"" + spec.field + "\"");
    std::int64_t max_out = spec.output_tokens;
    if (max_out < 0) {
      if (const auto* o = obj->if_contains(spec.output_field)) {
        if (!o->is_int64() && !o->is_uint64())
          throw dataset_error(where + ": \"" + spec.output_field + "\" must be an integer");
        max_out = o->to_number<std::int64_t>();
      }
    }
    const std::string what = where + ": field \"" + spec.field + "\"";
    if (spec.prompt_tokens > 0) {
      if (!field->is_string())
        throw dataset_error(what + ": prompt_tokens cuts a text, and this is not a string");
      const std::string text(field->get_string());
      pool.push_back(make_sample({{"user", leading_tokens(text, spec.prompt_tokens, counter)}},
                                 max_out, counter));
    } else {
      pool.push_back(make_sample(messages_from_json(*field, what), max_out, counter));
    }
  }
  if (pool.empty()) throw dataset_error(spec.path + ": the jsonl dataset holds no prompts");
  if (spec.shuffle) {
    std::vector<sample> shuffled;
    shuffled.reserve(pool.size());
    for (std::size_t i : seeded_permutation(pool.size(), seed))
      shuffled.push_back(std::move(pool[i]));
    pool = std::move(shuffled);
  }
  return cycle(pool, count);
}

std::vector<sample> cycle(const std::vector<sample>& pool, std::size_t count) {
  std::vector<sample> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) out.push_back(pool[i % pool.size()]);
  return out;
}

std::vector<std::size_t> seeded_permutation(std::size_t n, std::uint64_t seed) {
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  seeded_rng rng(seed);
  for (std::size_t i = n; i > 1; --i)
    std::swap(
        order[i - 1],
        order[static_cast<std::size_t>(rng.uniform_int(0, static_cast<std::int64_t>(i - 1)))]);
  return order;
}

}  // namespace loadwright::datasets::detail
