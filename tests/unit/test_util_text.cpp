#include <doctest/doctest.h>

#include <string>

#include "heinrich/util/text.hpp"

using namespace heinrich;

TEST_SUITE("util.text") {
  TEST_CASE("escape_control makes every control visible") {
    CHECK(escape_control("payday") == "payday");
    CHECK(escape_control("a\nb") == "a\\nb");
    CHECK(escape_control("x\r\ty") == "x\\r\\ty");
    CHECK(escape_control(std::string("nul\0end", 7)) == "nul\\x00end");
    CHECK(escape_control("\x1b]0;title\x07") == "\\x1b]0;title\\x07");
    CHECK(escape_control("del\x7f") == "del\\x7f");
    // C1 controls and the bidirectional overrides are characters, not bytes.
    CHECK(escape_control("\xc2\x9b"
                         "31m") == "\\u{009b}31m");
    CHECK(escape_control("abc\xe2\x80\xae"
                         "cba") == "abc\\u{202e}cba");
    CHECK(escape_control("line\xe2\x80\xa8next") == "line\\u{2028}next");
  }
  TEST_CASE("escape_control keeps text people write") {
    CHECK(escape_control("설날 연휴") == "설날 연휴");
    CHECK(escape_control("Ünïcødé – ok €") == "Ünïcødé – ok €");
    CHECK(escape_control("C:\\path") == "C:\\path");  // a backslash stays
    CHECK(escape_control("🎉") == "🎉");
  }
  TEST_CASE("bytes that are not UTF-8 become escapes and the result is UTF-8") {
    CHECK(escape_control("a\xff"
                         "b") == "a\\xffb");
    CHECK(escape_control("\xc0\xaf") == "\\xc0\\xaf");                    // overlong '/'
    CHECK(escape_control("\xed\xa0\x80") == "\\xed\\xa0\\x80");           // a surrogate
    CHECK(escape_control("\xf4\x90\x80\x80") == "\\xf4\\x90\\x80\\x80");  // past U+10FFFF
    CHECK(escape_control("cut\xe2\x80") == "cut\\xe2\\x80");              // truncated
    for (const char* text : {"a\xff", "\xc0\xaf", "\xed\xa0\x80", "x\xe2\x80"})
      CHECK(invalid_utf8_offset(escape_control(text)) == std::string::npos);
  }
  TEST_CASE("has_unprintable agrees with escape_control") {
    for (const char* text :
         {"plain", "설날", "a\nb", "\x1b", "\xc2\x85", "\xe2\x81\xa6", "\xff", "tab\there"})
      CHECK(has_unprintable(text) == (escape_control(text) != text));
  }
  TEST_CASE("invalid_utf8_offset points at the first bad byte") {
    CHECK(invalid_utf8_offset("all good 설날") == std::string::npos);
    CHECK(invalid_utf8_offset("ab\xffz") == 2);
    CHECK(invalid_utf8_offset("설\xe2\x80") == 3);
  }
  TEST_CASE("excerpt bounds what a message quotes") {
    CHECK(excerpt("Asia/Seoul") == "Asia/Seoul");
    const std::string huge(1 << 20, 'x');
    const std::string shown = excerpt(huge);
    CHECK(shown == std::string(80, 'x') + "…");
    CHECK(excerpt("설날설날설날", 2) == "설날…");  // cut at characters, not bytes
    CHECK(excerpt("a\x1b"
                  "b",
                  2) == "a\\x1b…");
  }
  TEST_CASE("replace_unprintable keeps one character per character") {
    CHECK(replace_unprintable("a\x1b[31mb") == "a?[31mb");
    CHECK(replace_unprintable("tab\tkept") == "tab\tkept");
    CHECK(replace_unprintable("설\xff날") == "설?날");
  }

  TEST_CASE("character_count is the column offset_of_characters counts to") {
    CHECK(character_count("") == 0);
    CHECK(character_count("설날 x") == 4);
    CHECK(character_count("a\xff"
                          "b") == 3);  // a byte that is not UTF-8 is one character
    for (std::string_view text : {"설날 x",
                                  "a\xff"
                                  "b",
                                  "\xe2\x80", "tab\there"})
      CHECK(offset_of_characters(text, character_count(text)) == text.size());
  }

  TEST_CASE("case helpers change ASCII letters only, whatever the locale") {
    CHECK(to_upper("freq=weekly;byday=mo") == "FREQ=WEEKLY;BYDAY=MO");
    CHECK(to_lower("VEVENT") == "vevent");
    CHECK(to_upper("설날 \xc3\xa9") == "설날 \xc3\xa9");  // UTF-8 bytes are kept
    CHECK(iequals("X-LIC-LOCATION", "x-lic-location"));
    CHECK_FALSE(iequals("VEVENT", "VEVENTS"));
    CHECK(istarts_with("(UTC+09:00) Seoul", "(utc"));
    CHECK_FALSE(istarts_with("UT", "UTC"));
  }
}
