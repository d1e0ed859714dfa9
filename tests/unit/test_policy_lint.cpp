#include <doctest/doctest.h>

#include "time_helpers.hpp"

#include "heinrich/policy/lint.hpp"
#include "heinrich/policy/plan.hpp"
#include "heinrich/util/diagnostic.hpp"

using namespace heinrich;
using heinrich::test::kst;

namespace {

const std::string kHeader = "version = 1\ntimezone = \"Asia/Seoul\"\n";

std::vector<Finding> lint(const std::string& text) {
  const Policy policy = parse_policy(text, "p.toml", {LoadMode::lenient});
  return lint_policy(policy, text, LintOptions{kst(2026, 12, 14, 10)});
}

std::vector<std::string> codes(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const auto& finding : findings) out.push_back(finding.code);
  return out;
}

}  // namespace

TEST_SUITE("policy.lint") {
  TEST_CASE("lenient loading records what strict loading refuses, at the same position") {
    const std::string text = kHeader + "[[window]]\nname = \"w\"\ncron = \"0 0 31 4 *\"\nduration = \"1h\"\n";
    try {
      (void)parse_policy(text, "p.toml");
      FAIL("strict loading accepted a cron that never fires");
    } catch (const PolicyError& error) {
      const Policy lenient = parse_policy(text, "p.toml", {LoadMode::lenient});
      REQUIRE(lenient.problems.size() == 1);
      CHECK(lenient.problems[0].code == "H101");
      CHECK(lenient.problems[0].where.format() == error.where().format());
      CHECK(lenient.problems[0].message == error.message());
      REQUIRE(lenient.rules.rules.size() == 1);
      CHECK(lenient.rules.rules[0].schedule == nullptr);  // kept, so `never` can still name it
    }
  }

  TEST_CASE("strict loading never records problems") {
    const Policy policy =
        parse_policy(kHeader + "[[factor]]\nname = \"f\"\ndays = [\"sat\"]\nrisk = 10\n", "p.toml");
    CHECK(policy.problems.empty());
  }

  TEST_CASE("risks out of range are clamped and reported") {
    const Policy policy = parse_policy(kHeader + "[thresholds]\nwarn = -5\n[change]\nlarge_risk = 300\n",
                                       "p.toml", {LoadMode::lenient});
    CHECK(policy.rules.thresholds.warn == 0);
    CHECK(policy.change.large_risk == 100);
    REQUIRE(policy.problems.size() == 2);
    CHECK(policy.problems[0].code == "H111");
    CHECK(policy.problems[1].where.format() == "p.toml:6:14");
  }

  TEST_CASE("zero-length spans in every schedule form") {
    CHECK(codes(lint(kHeader + "[[factor]]\nname = \"a\"\ntime = \"10:00-10:00\"\nrisk = 5\n")) ==
          std::vector<std::string>{"H103"});
    CHECK(codes(lint(kHeader + "[[window]]\nname = \"b\"\nrrule = \"FREQ=DAILY\"\nduration = \"0s\"\n")) ==
          std::vector<std::string>{"H103"});
    CHECK(
        codes(lint(kHeader + "[[window]]\nname = \"c\"\nstart = 2027-01-01T00:00:00\nduration = \"0m\"\n")) ==
        std::vector<std::string>{"H103"});
    CHECK(
        codes(lint(kHeader +
                   "[[event]]\nname = \"d\"\nmonthly = { day = 25 }\ntime = \"06:00-06:00\"\nrisk = 5\n")) ==
        std::vector<std::string>{"H103"});
  }

  TEST_CASE("a malformed span is still a hard error") {
    CHECK_THROWS_AS(parse_policy(kHeader + "[[factor]]\nname = \"a\"\ntime = \"10:00-25:00\"\nrisk = 5\n",
                                 "p.toml", {LoadMode::lenient}),
                    PolicyError);
  }

  TEST_CASE("thresholds equal: a warning, not an error") {
    const auto findings = lint(kHeader + "[thresholds]\nwarn = 50\nblock = 50\n");
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].code == "H109");
    CHECK(findings[0].severity == Severity::warning);
  }

  TEST_CASE("environments are compared with [push] only when it has refs") {
    const std::string rule =
        "[[factor]]\nname = \"f\"\ndays = [\"sat\"]\nrisk = 10\nenvironments = [\"qa\"]\n";
    CHECK(lint(kHeader + rule).empty());
    const auto findings = lint(kHeader + "[defaults]\nenvironment = \"prd\"\n" + rule +
                               "[push]\nrefs = { \"refs/heads/main\" = \"prod\" }\n");
    CHECK(codes(findings) == std::vector<std::string>{"H107", "H107"});
    CHECK(findings[0].message.find("'prd'") != std::string::npos);
    CHECK(findings[0].message.find("did you mean 'prod'?") != std::string::npos);
  }

  TEST_CASE("allow and block in different environments do not contradict") {
    const auto findings =
        lint(kHeader +
             "[[window]]\nname = \"a\"\ndays = [\"mon-fri\"]\ntime = \"09:00-18:00\"\naction = "
             "\"allow\"\nenvironments = [\"prod\"]\n"
             "[[window]]\nname = \"b\"\ndays = [\"mon-fri\"]\ntime = \"12:00-13:00\"\n"
             "environments = [\"staging\"]\n");
    CHECK(findings.empty());
  }

  TEST_CASE("a policy that does not load is one H100 with its position") {
    const std::string text = kHeader + "[[window]]\nname = \"x\"\nbogus = 1\n";
    try {
      (void)parse_policy(text, "p.toml", {LoadMode::lenient});
      FAIL("loaded");
    } catch (const SourceError& error) {
      const auto findings = unloadable_policy(error, text);
      REQUIRE(findings.size() == 1);
      CHECK(findings[0].code == "H100");
      CHECK(findings[0].where.format() == "p.toml:5:1");
      CHECK(findings[0].source_line == "bogus = 1");
      CHECK(findings[0].underline == 5);
    }
  }

  TEST_CASE("every load error is an H100, beside the problems lenient loading recorded") {
    const std::string text = kHeader +
                             "[[window]]\nname = \"a\"\ncron = \"0 0 30 2 *\"\nduration = \"1h\"\n"
                             "[[factor]]\nname = \"b\"\ndays = [\"fri\"]\nrisk = \"high\"\n"
                             "[[window]]\nname = \"c\"\ndays = [\"sat\"]\nbogus = 1\n";
    try {
      (void)parse_policy(text, "p.toml", {LoadMode::lenient});
      FAIL("loaded");
    } catch (const SourceError& error) {
      const auto findings = unloadable_policy(error, text);
      REQUIRE(findings.size() == 3);
      CHECK(findings[0].code == "H101");
      CHECK(findings[0].where.line == 5);
      CHECK(findings[1].code == "H100");
      CHECK(findings[1].where.format() == "p.toml:10:8");
      CHECK(findings[1].underline == 6);  // "high" with its quotes
      CHECK(findings[2].code == "H100");
      CHECK(findings[2].where.format() == "p.toml:14:1");
    }
  }

  TEST_CASE("a block window wholly inside another is H115") {
    const std::string outer =
        "[[window]]\nname = \"year-end\"\nstart = 2026-12-20T00:00:00\nend = 2027-01-05T00:00:00\n";
    // A one-off inside a one-off.
    auto found =
        lint(kHeader + outer +
             "[[window]]\nname = \"xmas\"\nstart = 2026-12-24T00:00:00\nend = 2026-12-26T00:00:00\n");
    REQUIRE(codes(found) == std::vector<std::string>{"H115"});
    CHECK(found[0].rule == "xmas");
    CHECK(found[0].where.line == 7);
    CHECK(found[0].message.find("'xmas' lies wholly inside block window 'year-end'") != std::string::npos);
    // Recurring: every Saturday night inside every weekend.
    found = lint(kHeader +
                 "[[window]]\nname = \"weekend\"\ndays = [\"sat-sun\"]\ntime = \"00:00-24:00\"\n"
                 "[[window]]\nname = \"sat-night\"\ncron = \"0 20 * * SAT\"\nduration = \"3h\"\n");
    REQUIRE(codes(found) == std::vector<std::string>{"H115"});
    CHECK(found[0].rule == "sat-night");
    // The same window twice: only the later one is reported.
    found = lint(kHeader + outer + outer.substr(0, 11) + "name = \"again\"\n" + outer.substr(29));
    REQUIRE(codes(found) == std::vector<std::string>{"H115"});
    CHECK(found[0].rule == "again");
  }

  TEST_CASE("a block window that reaches out, or decides something the outer does not, is not H115") {
    const std::string outer =
        "[[window]]\nname = \"year-end\"\nstart = 2026-12-20T00:00:00\nend = 2027-01-05T00:00:00\n"
        "environments = [\"prod\"]\n";
    const std::string inner_text =
        "[[window]]\nname = \"xmas\"\nstart = 2026-12-24T00:00:00\nend = 2026-12-26T00:00:00\n";
    // Reaches past the outer window.
    CHECK(lint(kHeader + outer +
               "[[window]]\nname = \"late\"\nstart = 2027-01-04T00:00:00\nend = 2027-01-06T00:00:00\n"
               "environments = [\"prod\"]\n")
              .empty());
    // Applies to every environment; the outer only to prod.
    CHECK(lint(kHeader + outer + inner_text).empty());
    // Its buffer reaches past the outer window.
    CHECK(lint(kHeader + outer + inner_text + "environments = [\"prod\"]\nbuffer_after = \"11d\"\n").empty());
    // Not overridable inside an overridable window: it refuses overrides.
    CHECK(lint(kHeader + outer + inner_text + "environments = [\"prod\"]\noverridable = false\n").empty());
    // A warn window inside a block one is H105's business, not this one's.
    CHECK(lint(kHeader + outer + inner_text + "environments = [\"prod\"]\naction = \"warn\"\n").empty());
    // Recurring windows that only sometimes fall inside.
    CHECK(lint(kHeader + "[[window]]\nname = \"weekend\"\ndays = [\"sat-sun\"]\ntime = \"00:00-24:00\"\n"
                         "[[window]]\nname = \"fri-night\"\ncron = \"0 20 * * FRI\"\nduration = \"30h\"\n")
              .empty());
  }

  TEST_CASE("every check has a unique code") {
    const auto& checks = lint_checks();
    for (std::size_t i = 0; i < checks.size(); ++i) {
      CHECK(find_lint_check(checks[i].code) == &checks[i]);
      if (i > 0) CHECK(checks[i - 1].code < checks[i].code);
    }
  }
}

TEST_SUITE("policy.plan") {
  const Zone& seoul = Zone::get("Asia/Seoul");

  TEST_CASE("CSV: columns in any order, quotes, CRLF, a byte-order mark, comments") {
    const Plan plan = parse_plan_csv(
        "\xEF\xBB\xBF# a comment\r\nstart,service,duration\r\n2027-01-05T10:00,\"ledger, core "
        "\"\"v2\"\"\",1h\r\n"
        "\r\n2027-01-05T10:00:00Z,api,\r\n",
        "p.csv", seoul);
    REQUIRE(plan.releases.size() == 2);
    CHECK(plan.releases[0].service == "ledger, core \"v2\"");
    CHECK(plan.releases[0].start == kst(2027, 1, 5, 10));
    CHECK(plan.releases[0].duration == hours(1));
    CHECK(!plan.releases[0].environment);
    CHECK(plan.releases[0].where.format() == "p.csv:3:1");
    CHECK(format_utc(plan.releases[1].start) == "2027-01-05T10:00:00Z");
    CHECK(!plan.releases[1].duration);
  }

  TEST_CASE("CSV: positions of mistakes count characters, not bytes") {
    try {
      (void)parse_plan_csv("service,start\n결제,2027-13-01T10:00\n", "p.csv", seoul);
      FAIL("accepted");
    } catch (const SourceError& error) {
      CHECK(error.where().format() == "p.csv:2:4");
    }
  }

  TEST_CASE("CSV: an ambiguous local time takes the earlier instant, with a note") {
    const Plan plan =
        parse_plan_csv("service,start\napi,2026-11-01T01:30\n", "p.csv", Zone::get("America/New_York"));
    REQUIRE(plan.releases.size() == 1);
    CHECK(format_utc(plan.releases[0].start) == "2026-11-01T05:30:00Z");
    CHECK(plan.releases[0].notes.size() == 1);
  }

  TEST_CASE("TOML: local and offset date-times, its own zone") {
    const Plan plan = parse_plan_toml(
        "timezone = \"Europe/Berlin\"\n[[release]]\nservice = \"a\"\nstart = 2027-01-05T10:00:00\n"
        "[[release]]\nservice = \"b\"\nenvironment = \"prod\"\nstart = "
        "\"2027-01-05T10:00:00+09:00\"\nduration "
        "= \"2h\"\n",
        "p.toml", seoul);
    REQUIRE(plan.releases.size() == 2);
    CHECK(format_utc(plan.releases[0].start) == "2027-01-05T09:00:00Z");
    CHECK(format_utc(plan.releases[1].start) == "2027-01-05T01:00:00Z");
    CHECK(plan.releases[1].environment == "prod");
    CHECK(plan.releases[1].where.format() == "p.toml:5:1");
  }

  TEST_CASE("ICS events: '[env] service', length from the event, only those starting in range") {
    const Interval range{kst(2027, 1, 1), kst(2027, 2, 1)};
    const std::vector<Occurrence> events{
        {Interval{kst(2027, 1, 6), kst(2027, 1, 6, 1)}, "[staging]  ledger 1.2", std::nullopt},
        {Interval{kst(2027, 1, 5), kst(2027, 1, 5, 0, 30)}, "api", std::nullopt},
        {Interval{kst(2026, 12, 31, 23), kst(2027, 1, 1, 1)}, "before", std::nullopt}};
    const Plan plan = plan_from_events(events, "p.ics", range);
    REQUIRE(plan.releases.size() == 2);
    CHECK(plan.releases[0].service == "api");
    CHECK(plan.releases[0].duration == minutes(30));
    CHECK(plan.releases[1].service == "ledger 1.2");
    CHECK(plan.releases[1].environment == "staging");
  }
}
