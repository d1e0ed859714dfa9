#include <doctest/doctest.h>

#include "time_helpers.hpp"

#include "heinrich/core/day_span.hpp"
#include "heinrich/core/evaluator.hpp"

using namespace heinrich;
using heinrich::test::kst;

namespace {

const Zone& seoul() {
  return Zone::get("Asia/Seoul");
}

Rule one_off(std::string name, Action action, Instant from, Instant to, int risk = 0) {
  Rule rule;
  rule.name = std::move(name);
  rule.kind = action == Action::score ? RuleKind::event : RuleKind::window;
  rule.action = action;
  rule.risk = risk;
  rule.schedule = std::make_shared<OneOffSchedule>(Interval{from, to}, seoul());
  return rule;
}

Rule daily(std::string name, Action action, std::vector<int> weekdays, const char* span, int risk = 0) {
  WeekdaySet set{};
  for (int day : weekdays) set[static_cast<std::size_t>(day)] = true;
  Rule rule;
  rule.name = std::move(name);
  rule.kind = action == Action::score ? RuleKind::factor : RuleKind::window;
  rule.action = action;
  rule.risk = risk;
  rule.schedule = std::make_shared<DailySpanSchedule>(set, parse_day_span(span), seoul());
  return rule;
}

Assessment at(const RuleSet& rules, Instant when, Seconds duration = minutes(30), Seconds watch = hours(2),
              std::optional<std::string> env = std::nullopt) {
  return evaluate(rules, Request{when, duration, watch, std::move(env)});
}

}  // namespace

TEST_SUITE("core.evaluator") {
  TEST_CASE("risks combine as 100*(1 - prod(1 - r/100))") {
    CHECK(combine_risks({}) == 0);
    CHECK(combine_risks({50, 50}) == 75);
    CHECK(combine_risks({30}) == 30);
    CHECK(combine_risks({100, 10}) == 100);
    CHECK(combine_risks({90, 90, 90}) == 100);  // 99.9 rounds to 100, never beyond
    CHECK(combine_risks({30, 35}) == 55);       // 54.5 rounds half away from zero
    CHECK(combine_risks({70, 25}) == 78);       // 77.5, which doubles compute as 77.4999…
  }

  TEST_CASE("scores add up into warn and block by the thresholds") {
    RuleSet rules;
    rules.rules.push_back(daily("weekend", Action::score, {6, 0}, "00:00-24:00", 45));
    rules.rules.push_back(daily("friday-afternoon", Action::score, {5}, "15:00-24:00", 30));
    rules.rules.push_back(daily("night", Action::score, {}, "22:00-07:00", 50));
    const auto wednesday = at(rules, kst(2026, 12, 16, 11));
    CHECK(wednesday.decision == Decision::allow);
    CHECK(wednesday.score == 0);
    CHECK(wednesday.matches.empty());
    const auto friday = at(rules, kst(2026, 12, 18, 16));
    CHECK(friday.decision == Decision::allow);
    CHECK(friday.score == 30);
    const auto saturday = at(rules, kst(2026, 12, 19, 12));
    CHECK(saturday.decision == Decision::warn);
    CHECK(saturday.score == 45);
    // Friday 22:00 + 30m + 2h watch reaches into the night and into Saturday.
    const auto late = at(rules, kst(2026, 12, 18, 22, 0));
    CHECK(late.decision == Decision::block);
    CHECK(late.score == combine_risks({45, 30, 50}));
    REQUIRE(late.matches.size() == 3);
    CHECK(rules.rules[late.matches[0].rule].name == "night");  // largest contribution first
  }

  TEST_CASE("overlap counts the watch period and the buffers, half-open") {
    RuleSet rules;
    Rule event = one_off("final", Action::score, kst(2026, 7, 19, 20), kst(2026, 7, 19, 23), 80);
    event.buffer_before = hours(3);
    event.buffer_after = hours(1);
    rules.rules.push_back(event);
    // Exposure [14:30, 17:00) ends exactly where the buffered event starts (17:00): no match.
    CHECK(at(rules, kst(2026, 7, 19, 14, 30)).score == 0);
    CHECK(at(rules, kst(2026, 7, 19, 14, 31)).score == 80);
    // Without the watch period the same deploy would not touch it.
    CHECK(at(rules, kst(2026, 7, 19, 16, 0), minutes(30), Seconds{0}).score == 0);
    CHECK(at(rules, kst(2026, 7, 19, 16, 0), minutes(30), hours(2)).score == 80);
    // The buffer after: until 24:00 it still matches, from 24:00 on it does not.
    CHECK(at(rules, kst(2026, 7, 19, 23, 59)).score == 80);
    CHECK(at(rules, kst(2026, 7, 20, 0, 0)).score == 0);
  }

  TEST_CASE("of a rule's equally risky occurrences, the one touched directly is reported") {
    RuleSet rules;
    Rule holidays = daily("holidays", Action::score, {4, 5}, "00:00-24:00", 60);  // Thursday and Friday
    holidays.buffer_after = hours(12);
    rules.rules.push_back(holidays);
    // Friday 10:00 is inside Thursday's buffer and inside Friday itself.
    const auto friday = at(rules, kst(2026, 9, 25, 10));
    CHECK(friday.score == 60);  // one rule counts once
    REQUIRE(friday.matches.size() == 1);
    CHECK(friday.matches[0].occurrence.span.start == kst(2026, 9, 25));
  }

  TEST_CASE("change risk counts in check and in next, wherever the deploy goes") {
    RuleSet rules;
    rules.rules.push_back(daily("friday-afternoon", Action::score, {5}, "15:00-24:00", 30));
    const ExtraRisk large{"large-change", "change", "1200 lines changed (> 800)", "p.toml:40:1", 20};
    Request request{kst(2026, 12, 18, 16), minutes(30), hours(2), std::nullopt, {large}};
    const auto friday = evaluate(rules, request);
    CHECK(friday.score == combine_risks({30, 20}));
    REQUIRE(friday.extra.size() == 1);
    CHECK(friday.extra[0].name == "large-change");
    // With 30 + 20 = 44 on Friday afternoons the stretch ends earlier than without it.
    NextRequest next{kst(2026, 12, 18, 9), minutes(30), hours(2), std::nullopt, days(3), 1};
    const auto without = find_safe_windows(rules, next);
    next.extra = {large};
    const auto with = find_safe_windows(rules, next);
    REQUIRE(without.size() == 1);
    REQUIRE(with.size() == 1);
    CHECK(without[0].end > with[0].end);
    CHECK(with[0].end == kst(2026, 12, 18, 12, 30));
    CHECK(with[0].score == 20);
  }

  TEST_CASE("a block window blocks whatever the score; warn windows warn") {
    RuleSet rules;
    rules.rules.push_back(one_off("freeze", Action::block, kst(2026, 12, 24), kst(2027, 1, 4, 9)));
    rules.rules.push_back(one_off("audit", Action::warn, kst(2026, 12, 1), kst(2026, 12, 3)));
    CHECK(at(rules, kst(2026, 12, 25, 10)).decision == Decision::block);
    CHECK(at(rules, kst(2026, 12, 23, 22)).decision == Decision::block);  // watch reaches the freeze
    CHECK(at(rules, kst(2026, 12, 2, 10)).decision == Decision::warn);
    CHECK(at(rules, kst(2027, 1, 4, 9)).decision == Decision::allow);
  }

  TEST_CASE("allow windows: outside all of them is blocked, and deny beats allow") {
    RuleSet rules;
    rules.rules.push_back(daily("office-hours", Action::allow, {1, 2, 3, 4, 5}, "09:00-17:00"));
    rules.rules.push_back(one_off("freeze", Action::block, kst(2026, 12, 16, 12), kst(2026, 12, 16, 13)));
    const auto inside = at(rules, kst(2026, 12, 15, 10));
    CHECK(inside.decision == Decision::allow);
    CHECK(inside.has_allow_windows);
    const auto outside = at(rules, kst(2026, 12, 15, 20));
    CHECK(outside.decision == Decision::block);
    CHECK_FALSE(outside.inside_allowed);
    // The deploy itself (not its watch) must fit: 16:30 + 30m ends at 17:00 exactly.
    CHECK(at(rules, kst(2026, 12, 15, 16, 30)).decision == Decision::allow);
    CHECK(at(rules, kst(2026, 12, 15, 16, 31)).decision == Decision::block);
    // Inside an allow window but touching a deny window: deny wins.
    const auto both = at(rules, kst(2026, 12, 16, 10));
    CHECK(both.inside_allowed);
    CHECK(both.decision == Decision::block);
  }

  TEST_CASE("environments scope rules; without an environment every rule applies") {
    RuleSet rules;
    Rule freeze = one_off("prod-freeze", Action::block, kst(2026, 12, 1), kst(2026, 12, 2));
    freeze.environments = {"prod"};
    rules.rules.push_back(freeze);
    CHECK(at(rules, kst(2026, 12, 1, 10), minutes(30), hours(2), "prod").decision == Decision::block);
    CHECK(at(rules, kst(2026, 12, 1, 10), minutes(30), hours(2), "staging").decision == Decision::allow);
    CHECK(at(rules, kst(2026, 12, 1, 10)).decision == Decision::block);
  }

  TEST_CASE("next: across a weekend, the first safe start is Monday morning") {
    RuleSet rules;
    rules.rules.push_back(daily("weekend", Action::block, {6, 0}, "00:00-24:00"));
    rules.rules.push_back(daily("friday-afternoon", Action::block, {5}, "15:00-24:00"));
    const auto windows = find_safe_windows(
        rules, NextRequest{kst(2026, 12, 18, 14), hours(1), hours(2), std::nullopt, days(30), 2});
    REQUIRE(windows.size() == 2);
    CHECK(windows[0].start == kst(2026, 12, 21, 0));
    // The stretch closes when the exposure (1h + 2h) would touch Friday 15:00.
    CHECK(windows[0].end == kst(2026, 12, 25, 12));
    CHECK(windows[1].start == kst(2026, 12, 28, 0));
    // Every start inside the stretch really is allowed, and just after its end is not.
    for (Instant t = windows[0].start; t <= windows[0].end; t += hours(7))
      CHECK(at(rules, t, hours(1), hours(2)).decision == Decision::allow);
    CHECK(at(rules, windows[0].end + Seconds{60}, hours(1), hours(2)).decision == Decision::block);
  }

  TEST_CASE("next: a long freeze is skipped in one jump, and --within bounds the search") {
    RuleSet rules;
    rules.rules.push_back(one_off("year-end", Action::block, kst(2026, 12, 24), kst(2027, 1, 4, 9)));
    const auto windows = find_safe_windows(
        rules, NextRequest{kst(2026, 12, 24, 10), minutes(30), hours(2), std::nullopt, days(90), 1});
    REQUIRE(windows.size() == 1);
    CHECK(windows[0].start == kst(2027, 1, 4, 9));
    CHECK(windows[0].end == kst(2026, 12, 24, 10) + days(90));  // safe up to the search horizon
    const auto none = find_safe_windows(
        rules, NextRequest{kst(2026, 12, 24, 10), minutes(30), hours(2), std::nullopt, days(5), 1});
    CHECK(none.empty());
  }

  TEST_CASE("next: score-only rules end a stretch only when the score crosses warn") {
    RuleSet rules;
    rules.rules.push_back(daily("peak", Action::score, {}, "08:00-10:00", 25));
    rules.rules.push_back(daily("night", Action::score, {}, "22:00-07:00", 35));
    const auto windows = find_safe_windows(
        rules, NextRequest{kst(2026, 12, 15, 12), hours(1), hours(2), std::nullopt, days(10), 1});
    REQUIRE(windows.size() == 1);
    CHECK(windows[0].start == kst(2026, 12, 15, 12));
    // Night alone (35) is below warn; night + peak (51) is not: a start at 05:00
    // reaches 08:00 while it is still night.
    CHECK(windows[0].end == kst(2026, 12, 16, 5));
  }

  TEST_CASE("next: allow windows open and close stretches") {
    RuleSet rules;
    rules.rules.push_back(daily("office-hours", Action::allow, {1, 2, 3, 4, 5}, "09:00-17:00"));
    const auto windows = find_safe_windows(
        rules, NextRequest{kst(2026, 12, 18, 18), hours(1), hours(2), std::nullopt, days(10), 2});
    REQUIRE(windows.size() == 2);
    CHECK(windows[0].start == kst(2026, 12, 21, 9));
    CHECK(windows[0].end == kst(2026, 12, 21, 16));
    CHECK(windows[1].start == kst(2026, 12, 22, 9));
  }

  TEST_CASE("next: accept = warn lists the starts check lets through, warned ones too") {
    RuleSet rules;
    rules.rules.push_back(one_off("freeze", Action::block, kst(2026, 12, 14, 10), kst(2026, 12, 14, 12)));
    rules.rules.push_back(one_off("payday", Action::warn, kst(2026, 12, 14, 12), kst(2026, 12, 14, 18)));
    NextRequest request{kst(2026, 12, 14, 10), hours(0), hours(0), std::nullopt, days(2), 1};
    const auto safe = find_safe_windows(rules, request);
    REQUIRE(safe.size() == 1);
    CHECK(safe[0].start == kst(2026, 12, 14, 18));  // a safe start: past the warn window too
    request.accept = Decision::warn;
    const auto passing = find_safe_windows(rules, request);
    REQUIRE(passing.size() == 1);
    CHECK(passing[0].start == kst(2026, 12, 14, 12));  // as soon as the block ends
    CHECK(at(rules, passing[0].start, hours(0), hours(0)).decision == Decision::warn);
    CHECK(at(rules, passing[0].start - Seconds{1}, hours(0), hours(0)).decision == Decision::block);
    // The warned and the allowed stretch after it are one.
    CHECK(passing[0].end == kst(2026, 12, 14, 10) + days(2));
  }
}
