// Unit tests of the git layer's pure parts: git's hook input, override
// trailers and records.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <limits>

#include "heinrich/git/change.hpp"
#include "heinrich/git/git.hpp"
#include "heinrich/git/override.hpp"
#include "heinrich/git/push.hpp"
#include "heinrich/util/error.hpp"

using namespace heinrich;
using namespace heinrich::git;

namespace {
const std::string kA(40, 'a');
const std::string kB(40, 'b');
const std::string kZero(40, '0');
}  // namespace

TEST_SUITE("git.push") {
  TEST_CASE("pre-push lines split from the right") {
    const auto updates = parse_pre_push("refs/heads/main " + kA + " refs/heads/main " + kB + "\n" +
                                        "HEAD@{1 day ago} " + kA + " refs/heads/x " + kZero + "\r\n\n" +
                                        "(delete) " + kZero + " refs/heads/old " + kB + "\n");
    REQUIRE(updates.size() == 3);
    CHECK(updates[0].ref == "refs/heads/main");
    CHECK(to_hex(updates[0].new_oid) == kA);
    CHECK(to_hex(updates[0].old_oid) == kB);
    CHECK(updates[1].local_ref == "HEAD@{1 day ago}");
    CHECK(updates[1].is_creation());
    CHECK(updates[2].is_deletion());
  }
  TEST_CASE("malformed lines are input errors") {
    CHECK_THROWS_AS(parse_pre_push("garbage\n"), InputError);
    CHECK_THROWS_AS(parse_pre_push("a b c d\n"), InputError);
    CHECK_THROWS_AS(parse_pre_push("refs/heads/main " + std::string(64, 'a') + " refs/heads/main " + kB),
                    InputError);
    CHECK_THROWS_AS(parse_pre_receive(kA + " " + kB + "\n"), InputError);
  }
  TEST_CASE("pre-receive lines") {
    const auto updates =
        parse_pre_receive(kZero + " " + kA + " refs/tags/v1\n" + kA + " " + kZero + " refs/heads/x\n");
    REQUIRE(updates.size() == 2);
    CHECK(updates[0].is_creation());
    CHECK(updates[0].ref == "refs/tags/v1");
    CHECK(updates[1].is_deletion());
  }
}

TEST_SUITE("git.override") {
  TEST_CASE("ticket and reason") {
    const auto request = parse_override("  INC-1234   payments are down \n", "trailer");
    CHECK(request.ticket == "INC-1234");
    CHECK(request.reason == "payments are down");
    CHECK(parse_override("", "x").ticket.empty());
    CHECK(parse_override("INC-1", "x").reason.empty());
  }
  TEST_CASE("a folded trailer: the ticket ends at the newline, the reason is one line") {
    const Library library;
    const auto value =
        override_trailer("Fix\n\nHeinrich-Override: INC-7\n  payments are down\n   since 09:00\n");
    REQUIRE(value.has_value());
    const auto request = parse_override(*value, "trailer");
    CHECK(request.ticket == "INC-7");
    CHECK(request.reason == "payments are down since 09:00");
    CHECK(parse_override("INC-8\nwhy\tnow", "x").ticket == "INC-8");
    CHECK(parse_override("INC-8\nwhy\tnow", "x").reason == "why now");
  }
  TEST_CASE("control characters in an override are escaped or refused") {
    const auto request = parse_override("INC-9 \x1b]0;owned\x07 why", "env");
    CHECK(request.reason == "\\x1b]0;owned\\x07 why");
    OverridePolicy policy;
    policy.allowed = true;
    const RuleSet rules;
    const Assessment assessment;
    const auto problems =
        override_problems(policy, rules, assessment, parse_override("INC\x1b[2J-1 why", "env"));
    REQUIRE(problems.size() == 1);
    CHECK(problems[0] == "the ticket 'INC\\x1b[2J-1' contains a control character");
  }
  TEST_CASE("the trailer is found in the trailer block only, case-insensitively") {
    const Library library;  // libgit2 parses the trailers, with its allocator
    CHECK(override_trailer("Fix\n\nBody text.\n\nheinrich-override: INC-1 why\nSigned-off-by: A <a@b>\n") ==
          "INC-1 why");
    CHECK_FALSE(override_trailer("Fix\n\nHeinrich-Override: INC-1 why\n\nMore body.\n").has_value());
    CHECK_FALSE(override_trailer("Just a subject").has_value());
    CHECK_FALSE(override_trailer(nullptr).has_value());
  }
  TEST_CASE("records survive a round trip; other note text is skipped") {
    OverrideRecord record;
    record.time = "2026-11-25T01:00:00Z";
    record.ticket = "INC-1";
    record.reason = "why \"quoted\" ünï";
    record.reasons = {"payday", "sensitive-paths"};
    record.score = 82;
    const auto back = OverrideRecord::from_json(record.to_json());
    REQUIRE(back.has_value());
    CHECK(back->reason == record.reason);
    CHECK(back->reasons == record.reasons);
    CHECK(back->score == 82);
    CHECK_FALSE(OverrideRecord::from_json("a note someone wrote").has_value());
    CHECK_FALSE(OverrideRecord::from_json("{not json").has_value());
    // A note written by hand into a clone is printed escaped.
    const auto forged = OverrideRecord::from_json(R"({"time":"t","ticket":"X\u001b[2J","reason":"a\nb"})");
    REQUIRE(forged.has_value());
    CHECK(forged->ticket == "X\\x1b[2J");
    CHECK(forged->reason == "a\\nb");
  }
  TEST_CASE("thousands") {
    CHECK(group_thousands(0) == "0");
    CHECK(group_thousands(999) == "999");
    CHECK(group_thousands(1234567) == "1,234,567");
    CHECK(group_thousands(1000) == "1,000");
    CHECK(group_thousands(-1234) == "-1,234");
    CHECK(group_thousands(-999) == "-999");
    CHECK(group_thousands(std::numeric_limits<long long>::min()) == "-9,223,372,036,854,775,808");
  }
}
