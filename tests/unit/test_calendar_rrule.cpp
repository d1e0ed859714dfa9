#include <doctest/doctest.h>

#include "time_helpers.hpp"

#include <algorithm>

#include "heinrich/calendar/rrule.hpp"
#include "heinrich/util/error.hpp"

using namespace heinrich;
using heinrich::test::utc;

namespace {

std::vector<std::string> expand_utc(const std::string& rule, LocalTime dtstart, Seconds length,
                                    LengthKind kind, const char* zone, Instant from, Instant to) {
  const RRuleSchedule schedule(RecurrenceRule::parse(rule), dtstart, length, kind, Zone::get(zone));
  std::vector<Occurrence> found;
  schedule.occurrences(Interval{from, to}, found);
  std::vector<std::string> out;
  for (const auto& o : found) out.push_back(format_utc(o.span.start) + "/" + format_utc(o.span.end));
  return out;
}

}  // namespace

TEST_SUITE("calendar.rrule") {
  TEST_CASE("weekly weekend spans in Seoul") {
    const auto got = expand_utc("FREQ=WEEKLY;BYDAY=SA,SU", make_local(2000, 1, 1), days(1),
                                LengthKind::wall_clock, "Asia/Seoul", utc(2026, 12, 18), utc(2026, 12, 21));
    CHECK(got == std::vector<std::string>{"2026-12-18T15:00:00Z/2026-12-19T15:00:00Z",
                                          "2026-12-19T15:00:00Z/2026-12-20T15:00:00Z"});
  }

  TEST_CASE("an occurrence that began before the query is still returned") {
    const auto got = expand_utc("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=24", make_local(2000, 1, 1), hours(273),
                                LengthKind::elapsed, "Asia/Seoul", utc(2027, 1, 2), utc(2027, 1, 3));
    CHECK(got == std::vector<std::string>{"2026-12-23T15:00:00Z/2027-01-04T00:00:00Z"});
  }

  TEST_CASE("wall-clock days shrink and grow across DST, elapsed durations do not") {
    const auto wall = expand_utc("FREQ=DAILY", make_local(2026, 1, 1), days(1), LengthKind::wall_clock,
                                 "Europe/Berlin", utc(2026, 3, 29, 1), utc(2026, 3, 29, 2));
    CHECK(wall == std::vector<std::string>{"2026-03-28T23:00:00Z/2026-03-29T22:00:00Z"});  // a 23-hour day
    const auto elapsed = expand_utc("FREQ=DAILY", make_local(2026, 1, 1), hours(24), LengthKind::elapsed,
                                    "Europe/Berlin", utc(2026, 3, 29, 1), utc(2026, 3, 29, 2));
    CHECK(elapsed == std::vector<std::string>{"2026-03-28T23:00:00Z/2026-03-29T23:00:00Z"});
  }

  TEST_CASE("a weekly 02:30 in New York across the spring gap takes the pre-gap offset") {
    const auto got = expand_utc("FREQ=WEEKLY;BYDAY=SU", make_local(2026, 3, 1, 2, 30), hours(1),
                                LengthKind::elapsed, "America/New_York", utc(2026, 3, 1), utc(2026, 3, 16));
    CHECK(got == std::vector<std::string>{"2026-03-01T07:30:00Z/2026-03-01T08:30:00Z",
                                          "2026-03-08T07:30:00Z/2026-03-08T08:30:00Z",
                                          "2026-03-15T06:30:00Z/2026-03-15T07:30:00Z"});
  }

  TEST_CASE("COUNT counts from DTSTART even when the query starts later") {
    const auto got = expand_utc("FREQ=DAILY;COUNT=3", make_local(2026, 5, 1), hours(1), LengthKind::elapsed,
                                "UTC", utc(2026, 5, 2), utc(2026, 6, 1));
    CHECK(got == std::vector<std::string>{"2026-05-02T00:00:00Z/2026-05-02T01:00:00Z",
                                          "2026-05-03T00:00:00Z/2026-05-03T01:00:00Z"});
  }

  TEST_CASE("sub-daily rules keep their phase whatever interval is asked") {
    // libical's set_start shifts HOURLY;INTERVAL=7; the expansion must not.
    const auto dtstart = make_local(2025, 1, 1, 0, 13);
    const auto whole = expand_utc("FREQ=HOURLY;INTERVAL=7", dtstart, minutes(1), LengthKind::elapsed, "UTC",
                                  utc(2025, 1, 1), utc(2025, 3, 1));
    const auto part = expand_utc("FREQ=HOURLY;INTERVAL=7", dtstart, minutes(1), LengthKind::elapsed, "UTC",
                                 utc(2025, 2, 13), utc(2025, 2, 15));
    REQUIRE_FALSE(part.empty());
    for (const auto& occurrence : part)
      CHECK(std::find(whole.begin(), whole.end(), occurrence) != whole.end());
    // 2025-02-13T00:00:00Z is 1,031h47m after DTSTART: the next multiple of 7 h is 1,036 h.
    CHECK(part.front() == "2025-02-13T04:13:00Z/2025-02-13T04:14:00Z");
  }

  TEST_CASE("invalid rules are refused") {
    for (const char* bad :
         {"FREQ=WEKLY", "BYDAY=MO", "FREQ=DAILY;COUNT=2;UNTIL=20270101T000000Z",
          "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "FREQ=DAILY;FOO=1", "RSCALE=CHINESE;FREQ=YEARLY"})
      CHECK_THROWS_AS(RecurrenceRule::parse(bad), InputError);
  }
}

TEST_SUITE("calendar.rrule.cost") {
  TEST_CASE("occurrences a day, from the rule's text") {
    CHECK(RecurrenceRule::parse("FREQ=WEEKLY;BYDAY=FR").cost().per_day == 1);
    CHECK(RecurrenceRule::parse("FREQ=DAILY;BYHOUR=9,18").cost().per_day == 2);
    CHECK(RecurrenceRule::parse("FREQ=DAILY;BYHOUR=9,18;BYMINUTE=0,30").cost().per_day == 4);
    CHECK(RecurrenceRule::parse("FREQ=HOURLY").cost().per_day == 24);
    CHECK(RecurrenceRule::parse("FREQ=HOURLY;INTERVAL=5").cost().per_day == 5);
    CHECK(RecurrenceRule::parse("FREQ=HOURLY;BYHOUR=9,10,11").cost().per_day == 3);
    CHECK(RecurrenceRule::parse("FREQ=MINUTELY").cost().per_day == 1440);
    CHECK(RecurrenceRule::parse("FREQ=MINUTELY;INTERVAL=15").cost().per_day == 96);
    CHECK(RecurrenceRule::parse("FREQ=MINUTELY;BYHOUR=9").cost().per_day == 60);
    // Every second of every day, written as a daily rule.
    CHECK(RecurrenceRule::parse("FREQ=DAILY;BYHOUR=0,1,2;BYMINUTE=0,1;BYSECOND=0,1,2,3").cost().per_day ==
          24);
    for (const char* fine : {"FREQ=DAILY", "FREQ=MONTHLY;BYMONTHDAY=25", "FREQ=HOURLY;BYDAY=MO"})
      CHECK(RecurrenceRule::parse(fine).cost().refusal.empty());
  }
  TEST_CASE("rules libical cannot expand in bounded time or correctly are refused with their position") {
    const auto secondly = RecurrenceRule::parse("FREQ=SECONDLY").cost();
    CHECK(secondly.refusal.find("SECONDLY") != std::string::npos);
    const auto never = RecurrenceRule::parse("FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=30").cost();
    CHECK(never.refusal.find("BYMONTHDAY") == 0);
    CHECK(never.column == 24);
    const auto month = RecurrenceRule::parse("FREQ=HOURLY;BYMONTH=2").cost();
    CHECK(month.refusal.find("BYMONTH ") == 0);
    CHECK(month.column == 12);
    const auto interval = RecurrenceRule::parse("FREQ=HOURLY;INTERVAL=7;BYHOUR=1,9,17").cost();
    CHECK(interval.refusal.find("INTERVAL with BY parts") == 0);
    CHECK(interval.column == 12);
    CHECK_FALSE(RecurrenceRule::parse("FREQ=MINUTELY;INTERVAL=11;BYHOUR=9").cost().refusal.empty());
    // More than once a minute, however it is written.
    const auto twice = RecurrenceRule::parse("FREQ=MINUTELY;BYSECOND=0,30").cost();
    CHECK(twice.per_day == 2880);
    CHECK(twice.refusal.find("fires up to 2880 times a day") != std::string::npos);
    CHECK(twice.column == 14);
    CHECK(RecurrenceRule::parse("FREQ=MINUTELY;BYSECOND=30").cost().refusal.empty());
  }
}

TEST_SUITE("calendar.rrule.cost") {
  TEST_CASE("parts are found in any case, and COUNT is bounded") {
    const auto lower = RecurrenceRule::parse("freq=hourly;bymonth=2").cost();
    CHECK_FALSE(lower.refusal.empty());
    CHECK(lower.column == 12);
    const auto counted = RecurrenceRule::parse("FREQ=MINUTELY;COUNT=5000000").cost();
    CHECK(counted.refusal.find("COUNT=5000000") == 0);
    CHECK(counted.column == 14);
    CHECK(RecurrenceRule::parse("FREQ=DAILY;COUNT=100000").cost().refusal.empty());
  }
}
