#include <doctest/doctest.h>

#include "heinrich/util/glob.hpp"

using namespace heinrich;

TEST_SUITE("util.glob") {
  TEST_CASE("single star stays in one segment") {
    CHECK(glob_match("refs/heads/release/*", "refs/heads/release/1.2"));
    CHECK_FALSE(glob_match("refs/heads/release/*", "refs/heads/release/1.2/hotfix"));
    CHECK_FALSE(glob_match("refs/heads/release/*", "refs/heads/release"));
    CHECK(glob_match("refs/tags/v*", "refs/tags/v1.0.0"));
    CHECK_FALSE(glob_match("refs/tags/v*", "refs/tags/nightly"));
  }
  TEST_CASE("double star spans segments, zero included") {
    CHECK(glob_match("db/migrations/**", "db/migrations/001.sql"));
    CHECK(glob_match("db/migrations/**", "db/migrations/2026/001.sql"));
    CHECK_FALSE(glob_match("db/migrations/**", "db/seeds/001.sql"));
    CHECK(glob_match("**/payment/**", "payment/api.py"));
    CHECK(glob_match("**/payment/**", "src/svc/payment/v2/api.py"));
    CHECK_FALSE(glob_match("**/payment/**", "src/payments/api.py"));
    CHECK(glob_match("src/**/*.sql", "src/a.sql"));
    CHECK(glob_match("src/**/*.sql", "src/x/y/a.sql"));
    CHECK(glob_match("**", "anything/at/all"));
  }
  TEST_CASE("question marks, classes, escapes, UTF-8") {
    CHECK(glob_match("v?.?", "v1.2"));
    CHECK_FALSE(glob_match("v?", "v12"));
    CHECK(glob_match("f[0-9].txt", "f7.txt"));
    CHECK_FALSE(glob_match("f[!0-9].txt", "f7.txt"));
    CHECK(glob_match("f[!0-9].txt", "fx.txt"));
    CHECK(glob_match("a\\*b", "a*b"));
    CHECK_FALSE(glob_match("a\\*b", "axb"));
    CHECK(glob_match("release/?nï*", "release/ünïcode"));
    CHECK(glob_match("[abc", "[abc"));  // an unclosed class is literal
    CHECK(glob_match("*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaab"));
    CHECK_FALSE(glob_match("*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaa"));
  }
}
