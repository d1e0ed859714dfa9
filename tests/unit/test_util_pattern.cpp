// Override tickets are matched by RE2: linear in the text, bounded in
// compilation, and text a pusher controls cannot recurse or backtrack.
#include <doctest/doctest.h>

#include <string>

#include "heinrich/util/error.hpp"
#include "heinrich/util/pattern.hpp"

using namespace heinrich;

TEST_SUITE("util.pattern") {
  TEST_CASE("the shipped ticket pattern") {
    const Pattern ticket = Pattern::compile("^(INC|CHG)-[0-9]+$");
    CHECK(ticket.search("INC-1234"));
    CHECK(ticket.search("CHG-7"));
    CHECK_FALSE(ticket.search("INC-"));
    CHECK_FALSE(ticket.search("xINC-1"));
    CHECK(Pattern::compile("[0-9]").search("ab7"));  // unanchored: any part
  }

  TEST_CASE("patterns that made std::regex backtrack or recurse are answered at once") {
    // std::regex took 11 s for 41 characters here, and overflowed the stack
    // on a 100,000-character ticket.
    CHECK_FALSE(Pattern::compile("^(a|aa)+$").search(std::string(41, 'a') + "b"));
    CHECK(Pattern::compile("^(a|aa)+$").search(std::string(41, 'a')));
    CHECK_FALSE(Pattern::compile("^(INC|CHG)-[0-9]+$").search("INC-" + std::string(100'000, '1')));
    CHECK_FALSE(Pattern::compile("(a*)*b").search(std::string(Pattern::kMaxTextLength, 'a')));
  }

  TEST_CASE("what RE2 cannot do, or too much, is refused with a reason") {
    CHECK_THROWS_AS(Pattern::compile("(a)\\1"), InputError);  // backreference
    CHECK_THROWS_AS(Pattern::compile("(?=a)"), InputError);   // lookahead
    CHECK_THROWS_AS(Pattern::compile("\\9999999999999999999"), InputError);
    CHECK_THROWS_AS(Pattern::compile("[a-"), InputError);
    CHECK_THROWS_WITH_AS(Pattern::compile(std::string(Pattern::kMaxPatternLength + 1, 'a')),
                         doctest::Contains("at most 1000"), InputError);
    CHECK_THROWS_AS(Pattern::compile("((((a{100}){100}){100}){100})"), InputError);  // over the memory budget
  }
}
