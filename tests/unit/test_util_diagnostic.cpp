#include <doctest/doctest.h>

#include <string>

#include "heinrich/util/diagnostic.hpp"

using namespace heinrich;

TEST_SUITE("util.diagnostic") {
  TEST_CASE("the caret underlines the whole token") {
    const SourceError error(SourceLocation{"p.toml", 3, 5}, "unknown key 'bufer'", "x = bufer", "", 5);
    CHECK(error.render() ==
          "p.toml:3:5: error: unknown key 'bufer'\n"
          "    3 | x = bufer\n"
          "      |     ^~~~~\n");
  }
  TEST_CASE("a long line is shown as a window around the column") {
    const std::string line = std::string(100'000, 'a') + "BAD" + std::string(100'000, 'b');
    const SourceError error(SourceLocation{"c.ics", 7, 100'001}, "bad", line, "", 3);
    const std::string shown = error.render();
    CHECK(shown.size() < 600);
    const std::string expected_line =
        "    7 | …" + std::string(60, 'a') + "BAD" + std::string(97, 'b') + "…\n";
    CHECK(shown.find(expected_line) != std::string::npos);
    // The caret stays under BAD: one column for "…", then the 60 characters before it.
    CHECK(shown.find("      | " + std::string(61, ' ') + "^~~\n") != std::string::npos);
  }
  TEST_CASE("control characters in the message and the line cannot reach the terminal") {
    const SourceError error(SourceLocation{"p.toml", 1, 3}, "bad '\x1b[2J'", "a\x1b[2J", "");
    const std::string shown = error.render();
    CHECK(shown.find('\x1b') == std::string::npos);
    CHECK(shown.find("bad '\\x1b[2J'") != std::string::npos);
    CHECK(shown.find("    1 | a?[2J\n") != std::string::npos);
  }
}
