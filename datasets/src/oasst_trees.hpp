#pragma once
// OpenAssistant oasst2 message trees (its `*.trees.jsonl`, one tree a line: {"message_tree_id",
// "prompt": {"role": "prompter", "text", "replies": [{"role": "assistant", "rank", "replies":
// […]}, …]}}), read as dialogs: from the root, the best-ranked reply at each level (rank 0, or
// the first when unranked), and the prompter's messages along that path are the user turns.

#include <cstddef>
#include <string>
#include <vector>

namespace loadwright::datasets::detail {

/// Each tree's user turns (at most `max_turns`; trees without a prompter text are left out).
/// Throws dataset_error naming the file and line of bad JSON or a line that is not a tree.
std::vector<std::vector<std::string>> read_oasst_dialogs(const std::string& path,
                                                         std::size_t max_turns);

}  // namespace loadwright::datasets::detail
