// `loadwright tokenize`: a tokenizer.json's ids for a text, or the text for ids, for users
// checking a count (and for tests).

#include <unistd.h>
#include <boost/json.hpp>
#include <iostream>
#include <iterator>

#include "loadwright/app/commands.hpp"
#include "loadwright/datasets/tokenizer.hpp"

namespace loadwright::app {

namespace ds = loadwright::datasets;

int tokenize_command(const tokenize_args& args) {
  std::shared_ptr<const ds::tokenizer> tok;
  try {
    tok = ds::tokenizer::load(args.tokenizer);
  } catch (const ds::tokenizer_error& e) {
    std::cerr << "loadwright: " << e.what() << '\n';
    return exit_bad_input;
  }
  std::string input = args.text;
  if (input == "-") input.assign(std::istreambuf_iterator<char>(std::cin), {});

  if (!args.decode) {
    const auto ids = tok->encode(input, args.add_special_tokens);
    if (args.count) {
      std::cout << ids.size() << '\n';
      return exit_ok;
    }
    boost::json::array out;
    for (auto id : ids) out.push_back(id);
    std::cout << boost::json::serialize(out) << '\n';
    return exit_ok;
  }
  boost::system::error_code ec;
  const auto doc = boost::json::parse(input, ec);
  std::vector<ds::token_id> ids;
  if (!ec && doc.is_array()) {
    for (const auto& v : doc.as_array()) {
      if (!v.is_int64() || v.as_int64() < 0 || v.as_int64() > INT32_MAX) {
        ec = boost::json::error::not_number;
        break;
      }
      ids.push_back(static_cast<ds::token_id>(v.as_int64()));
    }
  }
  if (ec || !doc.is_array()) {
    std::cerr
        << "loadwright: tokenize --decode: expected a JSON array of token ids, e.g. [9906, 1917]\n";
    return exit_bad_input;
  }
  std::cout << tok->decode(ids, args.skip_special_tokens);
  if (isatty(STDOUT_FILENO)) std::cout << '\n';
  return exit_ok;
}

}  // namespace loadwright::app
