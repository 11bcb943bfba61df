#pragma once
// Markdown "pipe" tables laid out as Python's tabulate(tablefmt="pipe") lays them out: each
// column as wide as its widest cell (in code points), one space of padding, the first column
// left-aligned and the rest right-aligned, ':' marking the alignment in the rule line. As in
// tabulate, a header is given two columns more than it needs (MIN_PADDING).

#include <string>
#include <vector>

namespace loadwright::runtime {

/// The table without a trailing newline.
std::string pipe_table(const std::vector<std::string>& headers,
                       const std::vector<std::vector<std::string>>& rows);

}  // namespace loadwright::runtime
