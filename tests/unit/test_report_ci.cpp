#include <doctest/doctest.h>
#include <libical/ical.h>

#include <algorithm>

#include "heinrich/calendar/ics.hpp"
#include "heinrich/policy/policy.hpp"
#include "heinrich/report/ci_report.hpp"
#include "heinrich/report/ics_writer.hpp"
#include "heinrich/report/risk_calendar.hpp"

using namespace heinrich;

namespace {

const char* kPolicy = R"(version = 1
timezone = "Asia/Seoul"
[defaults]
duration = "30m"
watch = "1h"
[[window]]
name = "freeze, year-end"
start = 2026-12-24T00:00:00
end = 2026-12-28T09:00:00
[[window]]
name = "weekend"
days = ["sat", "sun"]
action = "warn"
[[factor]]
name = "payday"
days = ["fri"]
time = "06:00-14:00"
risk = 75
)";

RiskCalendar calendar_of(const Policy& policy) {
  RiskCalendarRequest request;
  request.first_month = Date{std::chrono::year{2026}, std::chrono::month{12}, std::chrono::day{1}};
  request.months = 2;
  request.duration = policy.defaults.duration;
  request.watch = policy.defaults.watch;
  request.now = Zone::get("Asia/Seoul").to_instant(make_local(2026, 12, 14, 10));
  RiskCalendar calendar = build_risk_calendar(policy.rules, *policy.zone, request);
  calendar.context.zone = policy.zone;
  calendar.context.policy_path = "p.toml";
  return calendar;
}

}  // namespace

TEST_SUITE("report.ci") {
  TEST_CASE("GitHub workflow-command escapes") {
    CHECK(github_escape_data("100% a:b,c\r\nd") == "100%25 a:b,c%0D%0Ad");
    CHECK(github_escape_property("100% a:b,c\r\nd") == "100%25 a%3Ab%2Cc%0D%0Ad");
  }

  TEST_CASE("GitHub step outputs are one name=value line each") {
    CiReport report;
    CHECK(render_github_outputs(report).empty());
    report.outputs = {{"decision", "block"}, {"next-safe", "2026-12-28T00:00:00Z"}, {"empty", ""}};
    CHECK(render_github_outputs(report) == "decision=block\nnext-safe=2026-12-28T00:00:00Z\nempty=\n");
    // A line break in a value cannot start a second output, nor a stray
    // character in a name make the line mean something else.
    report.outputs = {{"score", "1\ndecision=allow\r"}, {"a=b\nc d", "x"}};
    CHECK(render_github_outputs(report) == "score=1 decision=allow \nabcd=x\n");
  }

  TEST_CASE("dotenv outputs are HEINRICH_ variables, one line each") {
    CiReport report;
    CHECK(render_dotenv(report).empty());
    report.outputs = {{"decision", "block"}, {"next-safe", "2026-12-28T00:00:00Z"}, {"score", "85"}};
    CHECK(render_dotenv(report) ==
          "HEINRICH_DECISION=block\nHEINRICH_NEXT_SAFE=2026-12-28T00:00:00Z\nHEINRICH_SCORE=85\n");
    report.outputs = {{"score", "1\nHEINRICH_DECISION=allow\r"}, {"a=b\nc d", "x"}};
    CHECK(render_dotenv(report) == "HEINRICH_SCORE=1 HEINRICH_DECISION=allow \nHEINRICH_ABCD=x\n");
  }

  TEST_CASE("ICS TEXT escapes and folding at 75 octets, never inside a character") {
    CHECK(ics_text("a,b;c\\d\ne\r") == "a\\,b\\;c\\\\d\\ne");
    IcsWriter writer("-//t//t//EN", "");
    writer.text("SUMMARY", std::string(40, 'x') + "창립기념일창립기념일창립기념일");
    const std::string out = writer.finish();
    std::size_t start = 0;
    while (start < out.size()) {
      const std::size_t end = out.find("\r\n", start);
      CHECK(end - start <= 75);
      start = end + 2;
    }
    CHECK(out.find("\r\n \xEA") == std::string::npos);  // a continuation starts with a whole character
  }

  TEST_CASE("the calendar's ICS is valid for libical and reads back through heinrich's reader") {
    const Policy policy = parse_policy(kPolicy, "p.toml");
    const RiskCalendar calendar = calendar_of(policy);
    const std::string text = render_calendar_ics(calendar);

    icalcomponent* root = icalparser_parse_string(text.c_str());
    REQUIRE(root != nullptr);
    CHECK(icalcomponent_isa(root) == ICAL_VCALENDAR_COMPONENT);
    CHECK(icalcomponent_count_errors(root) == 0);
    int events = 0;
    for (icalcomponent* event = icalcomponent_get_first_component(root, ICAL_VEVENT_COMPONENT);
         event != nullptr; event = icalcomponent_get_next_component(root, ICAL_VEVENT_COMPONENT)) {
      ++events;
      CHECK(icalcomponent_get_first_property(event, ICAL_UID_PROPERTY) != nullptr);
      CHECK(icalcomponent_get_first_property(event, ICAL_DTSTAMP_PROPERTY) != nullptr);
    }
    icalcomponent_free(root);

    const auto windows = risk_windows(calendar);
    CHECK(events == static_cast<int>(windows.size()));
    const auto reread = IcsCalendar::parse(text, "risk.ics", Zone::utc());
    std::vector<Occurrence> found;
    reread->occurrences(calendar.range, found);
    REQUIRE(found.size() == windows.size());
    for (std::size_t i = 0; i < windows.size(); ++i) {
      CHECK(found[i].span == windows[i].starts);
      CHECK(found[i].risk == windows[i].max_score);
    }
    const bool named = std::any_of(found.begin(), found.end(), [](const Occurrence& o) {
      return o.label.find("deploy BLOCK: freeze, year-end") !=
             std::string::npos;  // the escaped comma read back
    });
    CHECK(named);
  }

  TEST_CASE("segments cover the range without gaps and match evaluate()") {
    const Policy policy = parse_policy(kPolicy, "p.toml");
    const RiskCalendar calendar = calendar_of(policy);
    REQUIRE(!calendar.segments.empty());
    CHECK(calendar.segments.front().starts.start == calendar.range.start);
    CHECK(calendar.segments.back().starts.end == calendar.range.end);
    for (std::size_t i = 1; i < calendar.segments.size(); ++i)
      CHECK(calendar.segments[i - 1].starts.end == calendar.segments[i].starts.start);
    // Every seventh minute of one week, boundaries included, agrees with a
    // direct evaluation.
    const Instant from = Zone::get("Asia/Seoul").to_instant(make_local(2026, 12, 21));
    std::size_t segment = 0;
    for (Instant at = from; at < from + days(7); at += minutes(7)) {
      while (calendar.segments[segment].starts.end <= at) ++segment;
      const auto direct = evaluate(policy.rules, Request{at, minutes(30), hours(1), std::nullopt});
      CHECK(direct.decision == calendar.segments[segment].decision);
      CHECK(direct.score == calendar.segments[segment].score);
    }
    REQUIRE(calendar.days.size() == 62);
    CHECK(calendar.days[23].decision == Decision::block);  // 24 December
    CHECK(calendar.days[18].decision == Decision::warn);   // Saturday 19 December
    CHECK(calendar.days[21].decision == Decision::allow);  // Tuesday 22 December
  }
}
