#include <doctest/doctest.h>

#include <string>
#include <utility>

#include "time_helpers.hpp"

#include "heinrich/core/evaluator.hpp"
#include "heinrich/policy/policy.hpp"
#include "heinrich/util/diagnostic.hpp"

using namespace heinrich;
using heinrich::test::kst;

namespace {

const std::string kHeader = "version = 1\ntimezone = \"Asia/Seoul\"\n";

PolicyError error_of(const std::string& text) {
  try {
    (void)parse_policy(text, "p.toml");
  } catch (const PolicyError& error) {
    return error;
  }
  FAIL("expected a PolicyError");
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_SUITE("policy.loader") {
  TEST_CASE("the full schema loads") {
    const Policy policy = parse_policy(kHeader + R"(
[defaults]
duration = "45m"
watch = "1h"
environment = "prod"
[thresholds]
warn = 30
block = 60
[[window]]
name = "freeze"
start = 2026-12-24T00:00:00
end = 2027-01-04T09:00:00
overridable = false
[[window]]
name = "friday-night"
cron = "0 22 * * FRI"
duration = "60h"
action = "warn"
[[window]]
name = "weekend"
rrule = "FREQ=WEEKLY;BYDAY=SA,SU"
time = "00:00-24:00"
environments = ["prod"]
[[factor]]
name = "friday-afternoon"
days = ["fri"]
time = "15:00-24:00"
risk = 30
[[event]]
name = "final"
start = "2026-07-19T20:00"
end = "2026-07-19T23:00"
risk = 50
buffer_before = "3h"
timezone = "Europe/London"
[change]
large_lines = 800
large_risk = 20
sensitive_paths = ["db/migrations/**"]
sensitive_risk = 25
[push]
refs = { "refs/heads/main" = "prod", "refs/tags/v*" = "prod" }
[override]
allowed = true
ticket = "^(INC|CHG)-[0-9]+$"
never = ["freeze"]
)",
                                       "p.toml");
    CHECK(policy.zone->name() == "Asia/Seoul");
    CHECK(policy.defaults.duration == minutes(45));
    CHECK(policy.defaults.environment == "prod");
    CHECK(policy.rules.thresholds.block == 60);
    REQUIRE(policy.rules.rules.size() == 5);
    CHECK(policy.rules.rules[0].overridable == false);
    CHECK(policy.rules.rules[1].action == Action::warn);
    CHECK(policy.rules.rules[0].source.format() == "p.toml:11:1");
    CHECK(policy.rules.rules[4].buffer_before == hours(3));
    CHECK(policy.push.refs.size() == 2);
    CHECK(policy.override_policy.never == std::vector<std::string>{"freeze"});
    // The event is read in its own zone: 20:00 in London in July is 19:00Z.
    std::vector<Occurrence> found;
    policy.rules.rules[4].schedule->occurrences(Interval{kst(2026, 7, 1), kst(2026, 8, 1)}, found);
    REQUIRE(found.size() == 1);
    CHECK(format_utc(found[0].span.start) == "2026-07-19T19:00:00Z");
  }

  TEST_CASE("a bare date as `end` includes that whole day") {
    const Policy policy =
        parse_policy(kHeader + "[[window]]\nname = \"x\"\nstart = 2026-12-24\nend = 2026-12-26\n", "p.toml");
    std::vector<Occurrence> found;
    policy.rules.rules[0].schedule->occurrences(Interval{kst(2026, 1, 1), kst(2027, 1, 1)}, found);
    REQUIRE(found.size() == 1);
    CHECK(found[0].span.start == kst(2026, 12, 24));
    CHECK(found[0].span.end == kst(2026, 12, 27));
  }

  TEST_CASE("unknown keys are errors with a suggestion and a caret under the key") {
    const auto error =
        error_of(kHeader + "[[event]]\nname = \"x\"\nrisk = 10\ndays = [\"fri\"]\nbufer_before = \"3h\"\n");
    CHECK(error.where().line == 7);
    CHECK(error.where().column == 1);
    CHECK(error.message().find("unknown key 'bufer_before'") != std::string::npos);
    CHECK(error.message().find("did you mean 'buffer_before'?") != std::string::npos);
    CHECK(error.hint().empty());  // said once, in the message
    const std::string rendered = error.render();
    CHECK(rendered.find("p.toml:7:1: error: ") == 0);
    CHECK(rendered.find("    7 | bufer_before = \"3h\"\n") != std::string::npos);
    CHECK(rendered.find("      | ^~~~~~~~~~~~\n") != std::string::npos);
  }

  TEST_CASE("every schema error of a file is reported in one pass, each token underlined whole") {
    const std::string text = kHeader +
                             "[[window]]\nname = \"a\"\nstrat = 2026-12-24T00:00:00\nend = 2027-01-01\n"
                             "[[factor]]\nname = \"b\"\ndays = [\"fri\"]\nrisk = \"high\"\n"
                             "[[window]]\nname = \"c\"\ncron = \"0 22 * * *\"\nduration = \"8 hours\"\n"
                             "[[window]]\nname = \"d\"\ntimezone = \"Asia/Seol\"\ndays = [\"sat\"]\n";
    try {
      (void)parse_policy(text, "p.toml");
      FAIL("loaded");
    } catch (const SourceError& error) {
      const auto all = errors_of(error);
      REQUIRE(all.size() == 4);
      CHECK(error.where().format() == all[0].where().format());  // the first stands for all
      CHECK(all[0].where().format() == "p.toml:5:1");
      CHECK(all[0].underline() == 5);  // strat
      CHECK(all[1].where().format() == "p.toml:10:8");
      CHECK(all[1].underline() == 6);  // "high"
      CHECK(all[2].where().format() == "p.toml:14:12");
      CHECK(all[2].underline() == 9);  // "8 hours"
      CHECK(all[3].where().format() == "p.toml:17:12");
      CHECK(all[3].underline() == 11);  // "Asia/Seol"
      const std::string rendered = error.render();
      CHECK(rendered.find("p.toml:5:1: error: unknown key 'strat'") == 0);
      CHECK(rendered.find("      | ^~~~~\n") != std::string::npos);
      CHECK(rendered.find("      |            ^~~~~~~~~~~\n") != std::string::npos);  // "Asia/Seol"
      CHECK(rendered.find("p.toml:17:12: error: unknown time zone 'Asia/Seol'") != std::string::npos);
    }
  }

  TEST_CASE("a part that depends on a broken one adds no error of its own") {
    // The calendar does not load; the event that counts business days by it
    // and its own rule are not reported again.
    const std::string text = kHeader +
                             "[[calendar]]\nname = \"kr\"\nbuiltin = \"kr-public-holidays\"\nrisk = 1\n"
                             "bogus = 1\n"
                             "[[event]]\nname = \"payday\"\nmonthly = { business_day = -1 }\n"
                             "business_days = [\"kr\"]\nrisk = 70\n";
    const auto all = errors_of(error_of(text));
    REQUIRE(all.size() == 1);
    CHECK(all[0].message().find("unknown key 'bogus'") == 0);
    // Environments that do not load: names are not checked against them.
    const auto env = errors_of(error_of(kHeader + "[environments]\nprod = 1\n"
                                                  "[[window]]\nname = \"w\"\ndays = [\"sat\"]\n"
                                                  "environments = [\"prod\"]\n"));
    REQUIRE(env.size() == 1);
    CHECK(env[0].where().line == 4);
  }

  TEST_CASE("at most 50 errors are kept; the rest are counted") {
    std::string text = kHeader;
    for (int i = 0; i < 70; ++i) text += "[[window]]\nname = \"w" + std::to_string(i) + "\"\nbogus = 1\n";
    try {
      (void)parse_policy(text, "p.toml");
      FAIL("loaded");
    } catch (const SourceErrors& several) {
      CHECK(several.errors().size() == 50);
      CHECK(several.not_shown() == 20);
      CHECK(several.render().find("\n20 more errors not shown\n") != std::string::npos);
    }
    // Unknown keys of one table count too.
    std::string keys = kHeader + "[[window]]\nname = \"w\"\ndays = [\"sat\"]\n";
    for (int i = 0; i < 1000; ++i) keys += "k" + std::to_string(i) + " = 1\n";
    try {
      (void)parse_policy(keys, "p.toml");
      FAIL("loaded");
    } catch (const SourceErrors& several) {
      CHECK(several.errors().size() == 50);
      CHECK(several.not_shown() == 950);
      CHECK(several.errors().front().message().find("unknown key 'k0'") == 0);
    }
  }

  TEST_CASE("text that is not UTF-8 is refused at its first bad byte, overlong forms and surrogates too") {
    // "설 " before the bad byte: columns count characters, not bytes.
    for (const auto& [bad, byte] : {std::pair{std::string("\xff"), std::string("0xFF")},
                                    std::pair{std::string("\xc0\xaf"), std::string("0xC0")},
                                    std::pair{std::string("\xed\xa0\x80"), std::string("0xED")}}) {
      const PolicyError error = error_of(kHeader + "# 설 " + bad + "\n");
      CHECK(error.where().line == 3);
      CHECK(error.where().column == 5);
      CHECK(std::string(error.what()).find("invalid utf-8 sequence (byte " + byte + ")") !=
            std::string::npos);
    }
    const PolicyError at_start = error_of("\xEF\xBB\xBF\xff");  // after a byte-order mark
    CHECK(at_start.where().line == 1);
    CHECK(at_start.where().column == 1);
  }

  TEST_CASE("a TOML syntax error is reported alone") {
    const std::string text = kHeader + "[[window]]\nname = \"a\"\nbogus = 1\nx = \n";
    try {
      (void)parse_policy(text, "p.toml");
      FAIL("loaded");
    } catch (const SourceError& error) {
      CHECK(errors_of(error).size() == 1);
      CHECK(error.where().line == 6);
    }
  }

  TEST_CASE("values are checked where they stand") {
    struct Case {
      std::string body;
      int line;
      int column;
      std::string message;
    };
    const std::vector<Case> cases{
        {"[[factor]]\nname = \"x\"\ndays = [\"fri\"]\nrisk = \"high\"\n", 6, 8, "'risk' must be an integer"},
        {"[[factor]]\nname = \"x\"\ndays = [\"fri\"]\nrisk = 1000\n", 6, 8, "out of range 0-100"},
        {"[[factor]]\nname = \"x\"\ntime = \"25:00-26:00\"\nrisk = 1\n", 5, 8, "not a time of day"},
        {"[[factor]]\nname = \"x\"\ndays = [\"fri\", \"fryday\"]\nrisk = 1\n", 5, 16,
         "'fryday' is not a weekday"},
        {"[[window]]\nname = \"x\"\nstart = 2026-12-24T00:00:00\nend = 2026-12-23T00:00:00\n", 6, 7,
         "is not after"},
        {"[[window]]\nname = \"x\"\ncron = \"0 25 * * *\"\nduration = \"1h\"\n", 5, 11, "hour"},
        {"[[window]]\nname = \"x\"\ncron = \"0 22 * * FRI\"\n", 5, 8, "no 'duration'"},
        {"[[window]]\nname = \"x\"\nrrule = \"FREQ=WEKLY\"\ntime = \"00:00-24:00\"\n", 5, 15,
         "unknown FREQ 'WEKLY'; did you mean 'WEEKLY'?"},
        {"[[window]]\nname = \"x\"\nrrule = \"FREQ=DAILY;COUNT=3;UNTIL=20270101T000000\"\nstart = "
         "2026-01-01\ntime = \"00:00-01:00\"\n",
         5, 29, "COUNT and UNTIL"},
        {"[[window]]\nname = \"x\"\ndays = [\"sat\"]\naction = \"blok\"\n", 6, 10, "did you mean 'block'"},
        {"[[window]]\nname = \"x\"\n", 3, 1, "has no schedule"},
        {"[[window]]\nname = \"x\"\ndays = [\"sat\"]\n[[factor]]\nname = \"x\"\ndays = [\"sun\"]\nrisk = 1\n",
         7, 8, "already exists"},
        {"[defaults]\nduration = \"2x\"\n", 4, 12, "invalid duration '2x'"},
        {"[[calendar]]\nname = \"kr\"\nbuiltin = \"kr-public-holiday\"\nrisk = 1\n", 5, 11,
         "did you mean 'kr-public-holidays'?"},
        {"[[event]]\nname = \"payday\"\nmonthly = { day = 25, roll = \"back\" }\nrisk = 70\n", 5, 30,
         "unknown roll 'back'"},
        {"[[event]]\nname = \"payday\"\nmonthly = { weekday = \"fri\" }\nrisk = 70\n", 5, 11, "needs 'nth'"},
        {"[[event]]\nname = \"x\"\nmonthly = { day = 1 }\ndays = [\"fri\"]\nrisk = 1\n", 6, 8,
         "cannot be combined with 'monthly'"},
        {"[override]\nticket = \"(INC\"\n", 4, 10, "not a valid regular expression"},
    };
    for (const auto& c : cases) {
      CAPTURE(c.body);
      const auto error = error_of(kHeader + c.body);
      CHECK(error.where().line == c.line);
      CHECK(error.where().column == c.column);
      CHECK(error.message().find(c.message) != std::string::npos);
    }
  }

  TEST_CASE("calendars and business-day events load and evaluate") {
    const Policy policy = parse_policy(kHeader + R"(
[[calendar]]
name = "kr-holidays"
builtin = "kr-public-holidays"
risk = 60
holidays = [{ date = 2027-03-03, name = "Company foundation day" }]
[[event]]
name = "payday"
monthly = { day = 25, roll = "previous-business-day" }
time = "06:00-14:00"
risk = 70
[[event]]
name = "last-monday"
monthly = { weekday = "mon", nth = -1 }
risk = 10
)",
                                       std::string(HEINRICH_SOURCE_DIR) + "/policies/test.toml");
    REQUIRE(policy.rules.rules.size() == 3);
    CHECK(policy.rules.rules[0].kind == RuleKind::calendar);
    CHECK(policy.rules.rules[0].action == Action::score);
    // Chuseok 2026 (24-26 September) scores 60; the payday rolls back to the 23rd.
    const auto chuseok =
        evaluate(policy.rules, Request{kst(2026, 9, 25, 10), minutes(30), hours(2), std::nullopt});
    CHECK(chuseok.score == 60);
    REQUIRE(chuseok.matches.size() == 1);
    CHECK(chuseok.matches[0].occurrence.label == "Chuseok");
    const auto payday =
        evaluate(policy.rules, Request{kst(2026, 9, 23, 10), minutes(30), hours(2), std::nullopt});
    CHECK(payday.score == 70);
    // The extra holiday from the policy is a holiday like the built-in ones.
    const auto extra =
        evaluate(policy.rules, Request{kst(2027, 3, 3, 10), minutes(30), hours(2), std::nullopt});
    REQUIRE(extra.matches.size() == 1);
    CHECK(extra.matches[0].occurrence.label == "Company foundation day");
    const auto monday =
        evaluate(policy.rules, Request{kst(2026, 11, 30, 10), minutes(30), hours(2), std::nullopt});
    CHECK(monday.score == 10);
    const auto week_before =
        evaluate(policy.rules, Request{kst(2026, 11, 23, 10), minutes(30), hours(2), std::nullopt});
    CHECK(week_before.score == 0);
  }

  TEST_CASE("zones, versions and TOML syntax") {
    auto zone = error_of("version = 1\ntimezone = \"Asia/Seol\"\n");
    CHECK(zone.where().line == 2);
    CHECK(zone.message().find("did you mean 'Asia/Seoul'") != std::string::npos);
    CHECK(error_of("timezone = \"UTC\"\n").message().find("no 'version'") != std::string::npos);
    CHECK(error_of("version = 2\ntimezone = \"UTC\"\n").message().find("unsupported policy version 2") !=
          std::string::npos);
    CHECK(error_of("version = 1\n").message().find("no 'timezone'") != std::string::npos);
    const auto syntax = error_of(kHeader + "[thresholds\nwarn = 1\n");
    CHECK(syntax.where().line == 3);
  }

  TEST_CASE("a policy evaluates: cron windows across DST stay at local wall time") {
    const Policy policy = parse_policy(R"(version = 1
timezone = "America/New_York"
[[window]]
name = "nightly"
cron = "30 2 * * *"
duration = "1h"
)",
                                       "p.toml");
    const Zone& ny = Zone::get("America/New_York");
    // 2026-03-08 02:30 does not exist: the firing happens at 03:30 EDT (07:30Z).
    const auto on_gap_day = evaluate(policy.rules, Request{ny.to_instant(make_local(2026, 3, 8, 4, 0)),
                                                           minutes(10), Seconds{0}, std::nullopt});
    CHECK(on_gap_day.decision == Decision::block);
    REQUIRE(on_gap_day.matches.size() == 1);
    CHECK(format_utc(on_gap_day.matches[0].occurrence.span.start) == "2026-03-08T07:30:00Z");
  }
}
