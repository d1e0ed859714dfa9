#include <doctest/doctest.h>

#include <string>

#include "time_helpers.hpp"

#include "heinrich/core/time_parse.hpp"
#include "heinrich/core/zone.hpp"
#include "heinrich/util/error.hpp"

using namespace heinrich;
using heinrich::test::utc;

TEST_SUITE("core.zone") {
  TEST_CASE("unknown zones are refused and a close name is suggested") {
    CHECK_THROWS_AS(Zone::get("Asia/Seol"), UnknownZoneError);
    CHECK_THROWS_AS(Zone::get("GMT+09:00"), UnknownZoneError);  // custom IDs are not IANA zones
    CHECK(Zone::suggest("Asia/Seol") == "Asia/Seoul");
    CHECK(Zone::suggest("asia/seoul") == "Asia/Seoul");
    CHECK(Zone::suggest("Xyzzy/Nowhere") == "");
  }

  TEST_CASE("the unknown-zone error is an input error that carries the suggestion") {
    try {
      (void)Zone::get("Asia/Seol");
      FAIL("Asia/Seol is not a zone");
    } catch (const InputError& error) {  // exit 2 wherever nothing more precise catches it
      CHECK(std::string(error.what()) == "unknown time zone 'Asia/Seol'; did you mean 'Asia/Seoul'?");
      CHECK(dynamic_cast<const UnknownZoneError&>(error).suggestion() == "Asia/Seoul");
    }
    const std::string long_name(5000, 'x');
    try {
      (void)Zone::get(long_name);
      FAIL("not a zone");
    } catch (const UnknownZoneError& error) {
      CHECK(std::string(error.what()).size() < 200);  // quoted short
      CHECK(error.suggestion().empty());
    }
    CHECK(Zone::find("Asia/Seol") == nullptr);
    CHECK(Zone::find("Asia/Seoul") == &Zone::get("Asia/Seoul"));
  }

  TEST_CASE("Asia/Seoul has no DST: every local time is unique, +09:00 all year") {
    const Zone& seoul = Zone::get("Asia/Seoul");
    for (unsigned month = 1; month <= 12; ++month) {
      const auto r = seoul.resolve(make_local(2026, month, 15, 2, 30));
      CHECK(r.kind == LocalKind::unique);
      CHECK(seoul.offset_at(r.earlier) == hours(9));
    }
    CHECK(seoul.format(utc(2026, 12, 24, 9)) == "2026-12-24T18:00:00+09:00");
  }

  TEST_CASE("America/New_York 2026-03-08 02:30 is in the spring-forward gap") {
    const Zone& ny = Zone::get("America/New_York");
    const auto r = ny.resolve(make_local(2026, 3, 8, 2, 30));
    CHECK(r.kind == LocalKind::gap);
    // RFC 5545: the offset in force before the gap (EST), i.e. 03:30 EDT.
    CHECK(r.earlier == utc(2026, 3, 8, 7, 30));
    CHECK(format_local(r.transition_local_from) == "2026-03-08T02:00:00");
    CHECK(format_local(r.transition_local_to) == "2026-03-08T03:00:00");
    CHECK(ny.to_instant(make_local(2026, 3, 8, 2, 30)) == utc(2026, 3, 8, 7, 30));
  }

  TEST_CASE("a local span inside a spring-forward gap is empty at its start, never inverted") {
    const Zone& berlin = Zone::get("Europe/Berlin");
    // 2026-03-29 02:00 CET -> 03:00 CEST: 02:30 reads as 01:30Z, 03:00 as 01:00Z.
    const Interval inside = berlin.to_interval(make_local(2026, 3, 29, 2, 30), make_local(2026, 3, 29, 3, 0));
    CHECK(inside.start == utc(2026, 3, 29, 1, 30));
    CHECK(inside.end == inside.start);
    const Interval across =
        berlin.to_interval(make_local(2026, 3, 29, 1, 30), make_local(2026, 3, 29, 3, 30));
    CHECK(across == Interval{utc(2026, 3, 29, 0, 30), utc(2026, 3, 29, 1, 30)});
  }

  TEST_CASE("a local time in a gap is an error naming the gap") {
    const Zone& ny = Zone::get("America/New_York");
    try {
      (void)resolve_strict(make_local(2026, 3, 8, 2, 30), ny);
      FAIL("expected an error");
    } catch (const InputError& error) {
      const std::string message = error.what();
      CHECK(message.find("does not exist in America/New_York") != std::string::npos);
      CHECK(message.find("02:00") != std::string::npos);
      CHECK(message.find("03:00") != std::string::npos);
    }
  }

  TEST_CASE("Europe/Berlin 2026-10-25 02:30 is ambiguous: the earlier instant, with a note") {
    const Zone& berlin = Zone::get("Europe/Berlin");
    const auto r = berlin.resolve(make_local(2026, 10, 25, 2, 30));
    CHECK(r.kind == LocalKind::ambiguous);
    CHECK(r.earlier == utc(2026, 10, 25, 0, 30));  // 02:30 CEST
    CHECK(r.later == utc(2026, 10, 25, 1, 30));    // 02:30 CET
    const auto strict = resolve_strict(make_local(2026, 10, 25, 2, 30), berlin);
    CHECK(strict.instant == utc(2026, 10, 25, 0, 30));
    REQUIRE(strict.notes.size() == 1);
    CHECK(strict.notes[0].find("happens twice") != std::string::npos);
  }

  TEST_CASE("ordinary times round-trip through local time") {
    const Zone& berlin = Zone::get("Europe/Berlin");
    const Instant summer = utc(2026, 7, 1, 10);
    CHECK(berlin.offset_at(summer) == hours(2));
    CHECK(berlin.to_instant(berlin.to_local(summer)) == summer);
    CHECK(berlin.offset_at(utc(2026, 1, 1, 10)) == hours(1));
  }
}
