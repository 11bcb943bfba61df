// The emulator's prefix cache: whole leading blocks of a prompt seen before are cached.

#include "prefix_cache.hpp"

#include <string>

#include "catch.hpp"

using loadwright::runtime::emulation::prefix_cache;

TEST_CASE("prefix cache: a shared prefix is found block by block", "[runtime][emulator]") {
  constexpr auto B = prefix_cache::block_bytes;
  prefix_cache cache(1000);
  const std::string system(3 * B + 10, 's');
  CHECK(cache.lookup_and_insert(system + "first question") == 0);  // nothing seen yet
  // The same system prompt: its 3 whole blocks are cached; the rest differs.
  CHECK(cache.lookup_and_insert(system + "second question, a little longer") == 3 * B);
  // A prompt that differs in the first byte shares nothing, even with equal later blocks.
  CHECK(cache.lookup_and_insert("x" + system.substr(1)) == 0);
  // A conversation's next turn: the whole previous prompt is its prefix.
  const std::string turn1 = system + std::string(2 * B, 'a');
  cache.lookup_and_insert(turn1);
  CHECK(cache.lookup_and_insert(turn1 + std::string(B, 'b')) == turn1.size() / B * B);
}

TEST_CASE("prefix cache: least recently used blocks go first; 0 = off", "[runtime][emulator]") {
  constexpr auto B = prefix_cache::block_bytes;
  prefix_cache cache(4);
  const std::string a(4 * B, 'a'), b(4 * B, 'b');
  cache.lookup_and_insert(a);
  cache.lookup_and_insert(b);  // evicts all of a
  CHECK(cache.size() == 4);
  CHECK(cache.lookup_and_insert(a) == 0);
  prefix_cache off(0);
  off.lookup_and_insert(a);
  CHECK(off.lookup_and_insert(a) == 0);
}
