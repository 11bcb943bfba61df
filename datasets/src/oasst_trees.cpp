#include "oasst_trees.hpp"

#include <boost/json.hpp>
#include <fstream>

#include "loadwright/datasets/sampler.hpp"

namespace loadwright::datasets::detail {

namespace json = boost::json;

namespace {

// The reply to follow: the lowest "rank" (0 is the best), else the first.
const json::object* best_reply(const json::object& message) {
  const auto* replies = message.if_contains("replies");
  if (!replies || !replies->is_array()) return nullptr;
  const json::object* best = nullptr;
  double best_rank = 0;
  for (const auto& r : replies->get_array()) {
    const auto* o = r.if_object();
    if (!o) continue;
    const auto* rank = o->if_contains("rank");
    const double value = rank && rank->is_number() ? rank->to_number<double>() : 1e300;
    if (!best || value < best_rank) {
      best = o;
      best_rank = value;
    }
  }
  return best;
}

}  // namespace

std::vector<std::vector<std::string>> read_oasst_dialogs(const std::string& path,
                                                         std::size_t max_turns) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw dataset_error(path + ": cannot open the OpenAssistant trees file");
  std::vector<std::vector<std::string>> out;
  std::string line;
  for (std::size_t line_no = 1; std::getline(in, line); ++line_no) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    const std::string where = path + ":" + std::to_string(line_no);
    boost::system::error_code ec;
    const json::value v = json::parse(line, ec);
    if (ec) throw dataset_error(where + ": invalid JSON (" + ec.message() + ")");
    const auto* tree = v.if_object();
    const auto* root = tree ? tree->if_contains("prompt") : nullptr;
    if (!root || !root->is_object())
      throw dataset_error(where +
                          ": expected an oasst2 message tree ({\"prompt\": {\"role\", \"text\", "
                          "\"replies\"}}, as in its *.trees.jsonl)");
    std::vector<std::string> users;
    for (const json::object* m = &root->get_object(); m && users.size() < max_turns;
         m = best_reply(*m)) {
      const auto* role = m->if_contains("role");
      const auto* text = m->if_contains("text");
      if (role && role->is_string() && role->get_string() == "prompter" && text &&
          text->is_string() && !text->get_string().empty())
        users.emplace_back(text->get_string());
    }
    if (!users.empty()) out.push_back(std::move(users));
  }
  if (out.empty()) throw dataset_error(path + ": no OpenAssistant tree with a prompter message");
  return out;
}

}  // namespace loadwright::datasets::detail
