#include <doctest/doctest.h>

#include <set>
#include <string>

#include "heinrich/util/hash.hpp"

using heinrich::hash_bytes;

TEST_SUITE("util.hash") {
  TEST_CASE("the same bytes and seed give the same hash; the seed changes it") {
    const std::string text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n";
    CHECK(hash_bytes(text) == hash_bytes(std::string(text)));
    CHECK(hash_bytes(text, 1) != hash_bytes(text, 2));
    CHECK(hash_bytes({}) == hash_bytes(std::string_view{}));
  }

  TEST_CASE("every single-bit change of a 100-byte input changes the hash") {
    std::string text(100, '\0');
    for (std::size_t i = 0; i < text.size(); ++i) text[i] = static_cast<char>('a' + i % 26);
    const auto original = hash_bytes(text);
    std::set<std::uint64_t> seen{original};
    for (std::size_t byte = 0; byte < text.size(); ++byte)
      for (int bit = 0; bit < 8; ++bit) {
        std::string changed = text;
        changed[byte] = static_cast<char>(changed[byte] ^ (1 << bit));
        seen.insert(hash_bytes(changed));
      }
    CHECK(seen.size() == 1 + 8 * text.size());
  }

  TEST_CASE("inputs of zero bytes differ by length, across the 16-byte block edge") {
    std::set<std::uint64_t> seen;
    for (std::size_t size = 0; size <= 64; ++size) seen.insert(hash_bytes(std::string(size, '\0')));
    CHECK(seen.size() == 65);
  }
}
