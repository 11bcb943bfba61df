#include "pipe_table.hpp"

#include <algorithm>

namespace loadwright::runtime {

namespace {

// Width as tabulate measures it without wcwidth: code points, not bytes.
std::size_t text_width(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace

std::string pipe_table(const std::vector<std::string>& headers,
                       const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width(headers.size());
  for (std::size_t c = 0; c < headers.size(); ++c) {
    width[c] = text_width(headers[c]) + 2;  // tabulate's MIN_PADDING for header rows
    for (const auto& row : rows) width[c] = std::max(width[c], text_width(row[c]));
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out = "|";
    for (std::size_t c = 0; c < cells.size(); ++c) {
      const std::size_t fill = width[c] - text_width(cells[c]);
      out += ' ';
      if (c > 0) out.append(fill, ' ');
      out += cells[c];
      if (c == 0) out.append(fill, ' ');
      out += " |";
    }
    return out;
  };
  std::string out = line(headers) + "\n|";
  for (std::size_t c = 0; c < headers.size(); ++c) {
    out += c == 0 ? ":" + std::string(width[c] + 1, '-') : std::string(width[c] + 1, '-') + ":";
    out += '|';
  }
  for (const auto& row : rows) out += "\n" + line(row);
  return out;
}

}  // namespace loadwright::runtime
