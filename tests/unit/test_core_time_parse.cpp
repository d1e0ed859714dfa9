#include <doctest/doctest.h>

#include "time_helpers.hpp"

#include "heinrich/core/duration.hpp"
#include "heinrich/core/time_parse.hpp"
#include "heinrich/util/error.hpp"

using namespace heinrich;
using heinrich::test::utc;

TEST_SUITE("core.time_parse") {
  TEST_CASE("durations in both notations") {
    CHECK(parse_duration("90m") == minutes(90));
    CHECK(parse_duration("2h") == hours(2));
    CHECK(parse_duration("1h30m") == minutes(90));
    CHECK(parse_duration("1d") == days(1));
    CHECK(parse_duration("11d9h") == hours(273));
    CHECK(parse_duration("PT1H30M") == minutes(90));
    CHECK(parse_duration("P1DT2H") == hours(26));
    CHECK(format_duration(minutes(90)) == "1h30m");
    CHECK(format_duration(days(1) + minutes(5)) == "1d5m");
    for (const char* bad : {"", "90", "m", "1x", "30m1h", "1h1h", "P1Y", "PT", "-5m", "99999999999d", "PT5",
                            "P99999999999D", "PT1H2"})
      CHECK_THROWS_AS(parse_duration(bad), InputError);
  }

  TEST_CASE("TIME arguments: offsets, local, now, relative") {
    const Zone& seoul = Zone::get("Asia/Seoul");
    const FixedClock clock(utc(2026, 11, 26, 0));
    CHECK(parse_time_argument("2026-12-24T18:00+09:00", seoul, clock).instant == utc(2026, 12, 24, 9));
    CHECK(parse_time_argument("2026-12-24T09:00Z", seoul, clock).instant == utc(2026, 12, 24, 9));
    CHECK(parse_time_argument("2026-12-24T18:00", seoul, clock).instant == utc(2026, 12, 24, 9));
    CHECK(parse_time_argument("2026-12-24 18:00", seoul, clock).instant == utc(2026, 12, 24, 9));
    CHECK(parse_time_argument("2026-12-24T18:00:30", seoul, clock).instant ==
          utc(2026, 12, 24, 9) + Seconds{30});
    CHECK(parse_time_argument("2026-12-24", seoul, clock).instant == utc(2026, 12, 23, 15));
    CHECK(parse_time_argument("now", seoul, clock).instant == utc(2026, 11, 26, 0));
    CHECK(parse_time_argument("+2h", seoul, clock).instant == utc(2026, 11, 26, 2));
    CHECK(parse_time_argument("+1d30m", seoul, clock).instant == utc(2026, 11, 27, 0, 30));
  }

  TEST_CASE("impossible dates and times are errors, not shifted") {
    const Zone& seoul = Zone::get("Asia/Seoul");
    const FixedClock clock(utc(2026, 11, 26, 0));
    for (const char* bad : {"2026-02-30T10:00", "2026-13-01T00:00", "2026-12-24T25:00", "2026-12-24T10:60",
                            "tomorrow", "2026-12-24T18:00+25:00", "24/12/2026"})
      CHECK_THROWS_AS(parse_time_argument(bad, seoul, clock), InputError);
  }

  TEST_CASE("a local --at in a DST gap is refused; an explicit offset is not") {
    const Zone& ny = Zone::get("America/New_York");
    const FixedClock clock(utc(2026, 1, 1));
    CHECK_THROWS_AS(parse_time_argument("2026-03-08T02:30", ny, clock), InputError);
    CHECK(parse_time_argument("2026-03-08T02:30-05:00", ny, clock).instant == utc(2026, 3, 8, 7, 30));
  }
}
