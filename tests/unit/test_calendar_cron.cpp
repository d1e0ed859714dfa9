#include <doctest/doctest.h>

#include "time_helpers.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "heinrich/calendar/cron.hpp"

using namespace heinrich;
using heinrich::test::utc;

namespace {

struct Failure {
  std::string message;
  std::size_t column = 0;
  std::size_t length = 0;
};

std::optional<Failure> failure_of(std::string_view text) {
  try {
    (void)CronExpression::parse(text);
  } catch (const CronError& error) {
    return Failure{error.what(), error.column(), error.length()};
  }
  return std::nullopt;
}

std::chrono::year_month_day date(int year, unsigned month, unsigned day) {
  return std::chrono::year{year} / std::chrono::month{month} / std::chrono::day{day};
}

std::vector<int> minutes_of(std::string_view text) {
  return CronExpression::parse(text).minutes_of_day();
}

std::vector<Occurrence> occurrences(const Schedule& schedule, Instant from, Instant to) {
  std::vector<Occurrence> out;
  schedule.occurrences({from, to}, out);
  return out;
}

std::vector<std::string> starts(const std::vector<Occurrence>& found) {
  std::vector<std::string> out;
  for (const auto& occurrence : found) out.push_back(format_utc(occurrence.span.start));
  return out;
}

bool sorted_by_start(const std::vector<Occurrence>& found) {
  for (std::size_t i = 1; i < found.size(); ++i)
    if (!(found[i - 1].span.start < found[i].span.start)) return false;
  return true;
}

}  // namespace

TEST_SUITE("calendar.cron") {
  TEST_CASE("numbers, stars, ranges, steps and lists") {
    CHECK(minutes_of("5 4 * * *") == std::vector<int>{4 * 60 + 5});
    CHECK(minutes_of("* * * * *").size() == 1440);
    CHECK(minutes_of("0 9-11 * * *") == std::vector<int>{540, 600, 660});
    CHECK(minutes_of("*/15 0 * * *") == std::vector<int>{0, 15, 30, 45});
    CHECK(minutes_of("0-30/10 0 * * *") == std::vector<int>{0, 10, 20, 30});
    CHECK(minutes_of("50/5 0 * * *") == std::vector<int>{50, 55});
    CHECK(minutes_of("1,2,3 0 * * *") == std::vector<int>{1, 2, 3});
    CHECK(minutes_of("0,30-40/5 0 * * *") == std::vector<int>{0, 30, 35, 40});
    CHECK(minutes_of("0 */8 * * *") == std::vector<int>{0, 480, 960});
    CHECK(minutes_of("59 23 * * *") == std::vector<int>{1439});
    // Lists come out sorted whatever order they are written in.
    CHECK(minutes_of("30,0 12,6 * * *") == std::vector<int>{360, 390, 720, 750});
    CHECK(minutes_of("*/30 * * * *").size() == 48);

    const auto days = CronExpression::parse("0 0 1-5/2,20 * *");
    CHECK(days.matches_day(date(2026, 6, 1)));
    CHECK_FALSE(days.matches_day(date(2026, 6, 2)));
    CHECK(days.matches_day(date(2026, 6, 3)));
    CHECK(days.matches_day(date(2026, 6, 5)));
    CHECK_FALSE(days.matches_day(date(2026, 6, 7)));
    CHECK(days.matches_day(date(2026, 6, 20)));

    const auto quarterly = CronExpression::parse("0 0 1 */3 *");
    CHECK(quarterly.matches_day(date(2026, 1, 1)));
    CHECK(quarterly.matches_day(date(2026, 4, 1)));
    CHECK(quarterly.matches_day(date(2026, 10, 1)));
    CHECK_FALSE(quarterly.matches_day(date(2026, 2, 1)));
  }

  TEST_CASE("text is kept as written, without surrounding whitespace") {
    CHECK(CronExpression::parse("  0 22 * * FRI \t").text() == "0 22 * * FRI");
    CHECK(CronExpression::parse("0  22\t* * fri").text() == "0  22\t* * fri");
    CHECK(CronExpression::parse(" @daily ").text() == "@daily");
  }

  TEST_CASE("month and weekday names, any case; Sunday is 0 and 7") {
    const auto months = CronExpression::parse("0 0 1 jan,Jul,DEC *");
    CHECK(months.matches_day(date(2026, 1, 1)));
    CHECK(months.matches_day(date(2026, 7, 1)));
    CHECK(months.matches_day(date(2026, 12, 1)));
    CHECK_FALSE(months.matches_day(date(2026, 2, 1)));
    CHECK(CronExpression::parse("0 0 1 FEB-apr *").matches_day(date(2026, 3, 1)));
    CHECK_FALSE(CronExpression::parse("0 0 1 FEB-apr *").matches_day(date(2026, 5, 1)));

    // 2026-03-06 is a Friday.
    const auto weekdays = CronExpression::parse("0 9 * * mon-FRI");
    CHECK(weekdays.matches_day(date(2026, 3, 2)));
    CHECK(weekdays.matches_day(date(2026, 3, 6)));
    CHECK_FALSE(weekdays.matches_day(date(2026, 3, 7)));
    CHECK_FALSE(weekdays.matches_day(date(2026, 3, 8)));
    CHECK(CronExpression::parse("0 0 * * Sun").matches_day(date(2026, 3, 8)));

    for (const char* sunday : {"0 0 * * 0", "0 0 * * 7", "0 0 * * SUN"}) {
      CAPTURE(sunday);
      const auto expr = CronExpression::parse(sunday);
      CHECK(expr.matches_day(date(2026, 3, 8)));
      CHECK_FALSE(expr.matches_day(date(2026, 3, 9)));
    }
    const auto weekend = CronExpression::parse("0 0 * * 5-7");
    CHECK(weekend.matches_day(date(2026, 3, 6)));
    CHECK(weekend.matches_day(date(2026, 3, 7)));
    CHECK(weekend.matches_day(date(2026, 3, 8)));
    CHECK_FALSE(weekend.matches_day(date(2026, 3, 9)));
    CHECK(CronExpression::parse("0 0 * * 0-7").matches_day(date(2026, 3, 4)));
    CHECK(CronExpression::parse("0 0 * * */7").matches_day(date(2026, 3, 8)));
    CHECK_FALSE(CronExpression::parse("0 0 * * */7").matches_day(date(2026, 3, 7)));
  }

  TEST_CASE("macros") {
    const auto yearly = CronExpression::parse("@yearly");
    CHECK(yearly.minutes_of_day() == std::vector<int>{0});
    CHECK(yearly.matches_day(date(2027, 1, 1)));
    CHECK_FALSE(yearly.matches_day(date(2027, 2, 1)));
    CHECK(CronExpression::parse("@annually").matches_day(date(2027, 1, 1)));
    CHECK_FALSE(CronExpression::parse("@annually").matches_day(date(2027, 1, 2)));

    const auto monthly = CronExpression::parse("@monthly");
    CHECK(monthly.matches_day(date(2026, 5, 1)));
    CHECK_FALSE(monthly.matches_day(date(2026, 5, 2)));

    const auto weekly = CronExpression::parse("@weekly");
    CHECK(weekly.matches_day(date(2026, 3, 8)));  // Sunday
    CHECK_FALSE(weekly.matches_day(date(2026, 3, 9)));
    CHECK(weekly.minutes_of_day() == std::vector<int>{0});

    for (const char* daily : {"@daily", "@midnight", "@DAILY"}) {
      CAPTURE(daily);
      const auto expr = CronExpression::parse(daily);
      CHECK(expr.minutes_of_day() == std::vector<int>{0});
      CHECK(expr.matches_day(date(2026, 3, 9)));
    }

    const auto hourly = CronExpression::parse("@hourly");
    CHECK(hourly.minutes_of_day().size() == 24);
    CHECK(hourly.matches(make_local(2026, 3, 9, 13, 0)));
    CHECK_FALSE(hourly.matches(make_local(2026, 3, 9, 13, 1)));
  }

  TEST_CASE("Vixie rule: both day fields restricted means either may match") {
    // 2026-03-13 is a Friday the 13th; 2026-04-13 a Monday; 2026-04-17 a Friday.
    const auto either = CronExpression::parse("0 0 13 * FRI");
    CHECK(either.matches_day(date(2026, 3, 13)));
    CHECK(either.matches_day(date(2026, 4, 13)));
    CHECK(either.matches_day(date(2026, 4, 17)));
    CHECK_FALSE(either.matches_day(date(2026, 4, 14)));

    // A star in either field makes it AND, even a stepped star ("*/2" counts as '*').
    const auto fridays = CronExpression::parse("0 0 * * FRI");
    CHECK(fridays.matches_day(date(2026, 4, 17)));
    CHECK_FALSE(fridays.matches_day(date(2026, 4, 13)));
    const auto odd_fridays = CronExpression::parse("0 0 */2 * FRI");
    CHECK(odd_fridays.matches_day(date(2026, 3, 13)));
    CHECK(odd_fridays.matches_day(date(2026, 3, 27)));
    CHECK_FALSE(odd_fridays.matches_day(date(2026, 3, 6)));
    CHECK_FALSE(odd_fridays.matches_day(date(2026, 3, 15)));
    const auto thirteenth = CronExpression::parse("0 0 13 * *");
    CHECK(thirteenth.matches_day(date(2026, 4, 13)));
    CHECK_FALSE(thirteenth.matches_day(date(2026, 4, 17)));
    // A restricted range covering every day is still "restricted".
    CHECK(CronExpression::parse("0 0 1-31 * MON").matches_day(date(2026, 4, 14)));
    // The month field always has to match.
    CHECK_FALSE(CronExpression::parse("0 0 13 JAN FRI").matches_day(date(2026, 3, 13)));
  }

  TEST_CASE("matches a local time to the minute") {
    const auto expr = CronExpression::parse("30 9 * * MON-FRI");
    CHECK(expr.matches(make_local(2026, 3, 9, 9, 30)));
    CHECK_FALSE(expr.matches(make_local(2026, 3, 9, 9, 31)));
    CHECK_FALSE(expr.matches(make_local(2026, 3, 9, 9, 30, 15)));
    CHECK_FALSE(expr.matches(make_local(2026, 3, 8, 9, 30)));
  }

  TEST_CASE("next firing") {
    const auto leap = CronExpression::parse("0 12 29 2 *");
    CHECK(leap.next_after(make_local(2026, 3, 1)) == make_local(2028, 2, 29, 12, 0));
    CHECK(leap.next_after(make_local(2096, 3, 1)) == make_local(2104, 2, 29, 12, 0));

    const auto nightly = CronExpression::parse("30 2 * * *");
    CHECK(nightly.next_after(make_local(2026, 3, 7, 2, 29)) == make_local(2026, 3, 7, 2, 30));
    CHECK(nightly.next_after(make_local(2026, 3, 7, 2, 30)) == make_local(2026, 3, 8, 2, 30));
    CHECK(CronExpression::parse("0 0 1 1 *").next_after(make_local(2026, 12, 31, 23, 59)) ==
          make_local(2027, 1, 1));
  }

  TEST_CASE("error messages name the field; columns point at it") {
    auto check_error = [](std::string_view text, std::string_view message, std::size_t column) {
      CAPTURE(text);
      const auto failure = failure_of(text);
      REQUIRE(failure.has_value());
      CHECK(failure->message == message);
      CHECK(failure->column == column);
    };
    check_error("0 25 * * *", "cron field 'hour' value 25 is out of range 0-23", 2);
    check_error("0 0 * * * *", "cron needs 5 fields (minute hour day-of-month month day-of-week), got 6", 10);
    check_error("0 0 * *", "cron needs 5 fields (minute hour day-of-month month day-of-week), got 4", 7);
    check_error("60 * * * *", "cron field 'minute' value 60 is out of range 0-59", 0);
    check_error("0 0 0 * *", "cron field 'day-of-month' value 0 is out of range 1-31", 4);
    check_error("0 0 32 * *", "cron field 'day-of-month' value 32 is out of range 1-31", 4);
    check_error("0 0 * 13 *", "cron field 'month' value 13 is out of range 1-12", 6);
    check_error("0 0 * * 8", "cron field 'day-of-week' value 8 is out of range 0-7", 8);
    check_error("0 0 * * 1,99999999", "cron field 'day-of-week' value 99999999 is out of range 0-7", 8);
    check_error("  0 0 * * * x", "cron needs 5 fields (minute hour day-of-month month day-of-week), got 6",
                12);
    check_error("*/0 * * * *", "cron field 'minute' step 0 is out of range 1-59", 0);
    check_error("*/90 * * * *", "cron field 'minute' step 90 is out of range 1-59", 0);
    check_error("0 noon * * *", "cron field 'hour' value 'noon' is not a number", 2);

    const auto field_length = failure_of("0 1,25,3 * * *");
    REQUIRE(field_length);
    CHECK(field_length->column == 2);
    CHECK(field_length->length == 6);
  }

  TEST_CASE("other malformed expressions") {
    auto check_error = [](std::string_view text, std::string_view fragment, std::size_t column) {
      CAPTURE(text);
      const auto failure = failure_of(text);
      REQUIRE(failure.has_value());
      CHECK(failure->message.find(fragment) != std::string::npos);
      CHECK(failure->column == column);
    };
    check_error("", "empty", 0);
    check_error("   ", "empty", 0);
    check_error("0 17-9 * * *", "range 17-9 runs backwards", 2);
    check_error("0 0 * * FRI-MON", "range FRI-MON runs backwards", 8);
    check_error("1,,2 * * * *", "empty list item", 0);
    check_error("1, * * * *", "empty list item", 0);
    check_error("0 1- * * *", "missing end", 2);
    check_error("*/ * * * *", "without a step", 0);
    check_error("*/x * * * *", "step 'x' is not a number", 0);
    check_error("0 0 * JNU *", "did you mean JUN?", 6);
    check_error("0 0 * * FRU", "did you mean FRI?", 8);
    check_error("0 0 * * Friday", "unknown name 'Friday'", 8);
    check_error("0 0 MON * *", "value 'MON' is not a number", 4);
    check_error("0 0 * * 1-2-3", "not a number", 8);
    check_error("@dayly", "did you mean @daily?", 0);
    check_error("@sometimes", "unknown cron macro '@sometimes'", 0);
    check_error("  @reboot", "not supported", 2);
    check_error("@daily 5", "stands alone", 7);
  }

  TEST_CASE("Quartz-style ?, L, W and # are rejected as not supported") {
    for (const auto& [text, column] : std::vector<std::pair<std::string_view, std::size_t>>{
             {"0 0 ? * MON", 4},
             {"0 0 L * *", 4},
             {"0 0 LW * *", 4},
             {"0 0 15W * *", 4},
             {"0 0 * * 5L", 8},
             {"0 0 * * 5#3", 8},
             {"0 0 * * FRI#2", 8},
             {"0 0 1,L * *", 4},
             {"0 0 L-3 * *", 4},
         }) {
      CAPTURE(text);
      const auto failure = failure_of(text);
      REQUIRE(failure.has_value());
      CHECK(failure->message.find("not supported") != std::string::npos);
      CHECK(failure->column == column);
    }
    // Names that merely contain those letters are fine.
    CHECK_NOTHROW(CronExpression::parse("0 0 * JUL WED"));
    CHECK_NOTHROW(CronExpression::parse("0 0 * APR-JUL *"));
  }

  TEST_CASE("expressions that can never fire are rejected") {
    for (const char* text :
         {"0 0 30 2 *", "0 0 31 4,6,9,11 *", "0 0 30,31 feb *", "0 0 31 2-2 *", "0 0 31 4 */1"}) {
      CAPTURE(text);
      const auto failure = failure_of(text);
      REQUIRE(failure.has_value());
      CHECK(failure->message.find("never fires") != std::string::npos);
      CHECK(failure->column == 4);
    }
    const auto failure = failure_of("0 0 31 4,6,9,11 *");
    REQUIRE(failure);
    CHECK(failure->message ==
          "cron '0 0 31 4,6,9,11 *' never fires: day-of-month '31' does not occur in April, "
          "June, September or November");

    // 29 February happens in leap years.
    CHECK_NOTHROW(CronExpression::parse("0 0 29 2 *"));
    // With a restricted weekday the Vixie OR rule lets it fire on Mondays.
    CHECK_NOTHROW(CronExpression::parse("0 0 31 2 MON"));
    CHECK_NOTHROW(CronExpression::parse("0 0 31 2 SUN-SAT"));
    // Under AND a restricted weekday can still meet any existing date.
    CHECK_NOTHROW(CronExpression::parse("0 0 */30 2 *"));
    CHECK_NOTHROW(CronExpression::parse("0 0 31 1-4 *"));
  }

  TEST_CASE("DST gap: a firing in the spring-forward gap takes the pre-gap offset") {
    const CronSchedule schedule(CronExpression::parse("30 2 * * *"), minutes(1),
                                Zone::get("America/New_York"));
    const auto& zone = Zone::get("America/New_York");
    const auto found = occurrences(schedule, zone.to_instant(make_local(2026, 3, 7)),
                                   zone.to_instant(make_local(2026, 3, 10)));
    CHECK(starts(found) ==
          std::vector<std::string>{"2026-03-07T07:30:00Z", "2026-03-08T07:30:00Z", "2026-03-09T06:30:00Z"});
    CHECK(zone.format(found[1].span.start) == "2026-03-08T03:30:00-04:00");
    CHECK(found[1].span.end == found[1].span.start + minutes(1));
  }

  TEST_CASE("DST gap: wall times that collide after the jump are reported once") {
    const CronSchedule schedule(CronExpression::parse("*/15 * * * *"), minutes(5),
                                Zone::get("America/New_York"));
    const auto found = occurrences(schedule, utc(2026, 3, 8, 6, 0), utc(2026, 3, 8, 8, 0));
    CHECK(starts(found) == std::vector<std::string>{"2026-03-08T06:00:00Z", "2026-03-08T06:15:00Z",
                                                    "2026-03-08T06:30:00Z", "2026-03-08T06:45:00Z",
                                                    "2026-03-08T07:00:00Z", "2026-03-08T07:15:00Z",
                                                    "2026-03-08T07:30:00Z", "2026-03-08T07:45:00Z"});
  }

  TEST_CASE("DST overlap: a repeated wall time fires once, at the earlier instant") {
    const CronSchedule schedule(CronExpression::parse("30 2 * * *"), minutes(10), Zone::get("Europe/Berlin"));
    const auto found = occurrences(schedule, utc(2026, 10, 24), utc(2026, 10, 26));
    // 2026-10-24 02:30 CEST, then 2026-10-25 02:30 CEST (not again at 02:30 CET = 01:30Z);
    // 2026-10-26 02:30 CET is 01:30Z, after the query.
    CHECK(starts(found) == std::vector<std::string>{"2026-10-24T00:30:00Z", "2026-10-25T00:30:00Z"});
  }

  TEST_CASE("long firings: overlapping the query start and containing the query") {
    const auto& seoul = Zone::get("Asia/Seoul");
    const CronSchedule schedule(CronExpression::parse("0 22 * * FRI"), hours(60), seoul);
    CHECK(schedule.describe() == "cron \"0 22 * * FRI\" for 60h in Asia/Seoul");

    // Friday 2026-03-06 22:00 KST (13:00Z) until Monday 2026-03-09 10:00 KST (01:00Z).
    const Interval weekend{utc(2026, 3, 6, 13, 0), utc(2026, 3, 9, 1, 0)};

    SUBCASE("a query in the middle of a firing") {
      const auto found = occurrences(schedule, utc(2026, 3, 8, 0, 0), utc(2026, 3, 8, 1, 0));
      REQUIRE(found.size() == 1);
      CHECK(found[0].span == weekend);
      CHECK(found[0].label.empty());
      CHECK_FALSE(found[0].risk.has_value());
    }
    SUBCASE("a firing that started before the query is returned, then the next one") {
      const auto found = occurrences(schedule, seoul.to_instant(make_local(2026, 3, 7, 12, 0)),
                                     seoul.to_instant(make_local(2026, 3, 14)));
      REQUIRE(found.size() == 2);
      CHECK(found[0].span == weekend);
      CHECK(format_utc(found[1].span.start) == "2026-03-13T13:00:00Z");
      CHECK(format_utc(found[1].span.end) == "2026-03-16T01:00:00Z");
    }
    SUBCASE("half-open edges") {
      CHECK(occurrences(schedule, weekend.end, weekend.end + hours(1)).empty());
      CHECK(occurrences(schedule, weekend.start - hours(1), weekend.start).empty());
      CHECK(occurrences(schedule, weekend.end - Seconds{1}, weekend.end).size() == 1);
      CHECK(occurrences(schedule, weekend.start, weekend.start + Seconds{1}).size() == 1);
    }
    SUBCASE("an empty query yields nothing") {
      CHECK(occurrences(schedule, utc(2026, 3, 8), utc(2026, 3, 8)).empty());
    }
  }

  TEST_CASE("occurrences are appended, sorted, and overlap the query") {
    const CronSchedule schedule(CronExpression::parse("0 9,17 * * MON-FRI"), hours(1),
                                Zone::get("Asia/Seoul"));
    std::vector<Occurrence> out{{{utc(2000, 1, 1), utc(2000, 1, 2)}, "earlier", 5}};
    const Interval query{utc(2026, 1, 1), utc(2026, 2, 1)};
    schedule.occurrences(query, out);
    REQUIRE(out.size() == 1 + 2 * 22);  // January 2026 has 22 weekdays
    CHECK(out[0].label == "earlier");
    const std::vector<Occurrence> mine(out.begin() + 1, out.end());
    CHECK(sorted_by_start(mine));
    for (const auto& occurrence : mine) CHECK(occurrence.span.overlaps(query));
    CHECK(format_utc(mine.front().span.start) == "2026-01-01T00:00:00Z");  // Thu 09:00 KST
  }

  TEST_CASE("a dense expression over a long query stays fast and exact") {
    const CronSchedule every_minute(CronExpression::parse("* * * * *"), minutes(1), Zone::utc());
    const auto found = occurrences(every_minute, utc(2026, 1, 1), utc(2026, 4, 1));
    CHECK(found.size() == 90 * 1440);
    CHECK(sorted_by_start(found));

    // In a DST zone the spring-forward day has 23 hours of distinct minutes.
    const CronSchedule new_york(CronExpression::parse("* * * * *"), minutes(1),
                                Zone::get("America/New_York"));
    const auto& zone = Zone::get("America/New_York");
    const auto gap_day = occurrences(new_york, zone.to_instant(make_local(2026, 3, 8)),
                                     zone.to_instant(make_local(2026, 3, 9)));
    CHECK(gap_day.size() == 23 * 60);
    CHECK(sorted_by_start(gap_day));

    // Every firing of the last 60 hours is still open.
    const CronSchedule long_windows(CronExpression::parse("* * * * *"), hours(60), Zone::utc());
    CHECK(occurrences(long_windows, utc(2026, 3, 8), utc(2026, 3, 8, 0, 1)).size() == 60 * 60);
  }

  TEST_CASE("a query that would yield too many occurrences fails instead of exhausting memory") {
    const CronSchedule every_minute(CronExpression::parse("* * * * *"), minutes(1), Zone::utc());
    std::vector<Occurrence> out;
    CHECK_THROWS_AS(every_minute.occurrences({utc(2026, 1, 1), utc(2028, 1, 1)}, out), InputError);
  }

  TEST_CASE("describe and duration checks") {
    CHECK(CronSchedule(CronExpression::parse("@daily"), minutes(90), Zone::utc()).describe() ==
          "cron \"@daily\" for 1h30m in UTC");
    CHECK(CronSchedule(CronExpression::parse("0 0 * * *"), days(2), Zone::utc()).describe() ==
          "cron \"0 0 * * *\" for 2d in UTC");
    CHECK_THROWS_AS(CronSchedule(CronExpression::parse("0 0 * * *"), Seconds{0}, Zone::utc()), InputError);
  }
}
