#include <doctest/doctest.h>

#include <thread>

#include "time_helpers.hpp"

#include "heinrich/core/clock.hpp"

using namespace heinrich;

TEST_SUITE("core.clock") {
  TEST_CASE("an advancing clock starts at the injected instant and moves in real time") {
    const Instant start = test::utc(2026, 12, 14, 1);
    const AdvancingClock clock(start);
    CHECK(clock.overridden());
    CHECK(clock.now() == start);  // whole seconds: the first second has not passed yet
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    const Instant later = clock.now();
    CHECK(later >= start + Seconds{1});
    CHECK(later <= start + Seconds{3});  // a loaded machine may lag, never by much
  }

  TEST_CASE("a fixed clock never moves") {
    const FixedClock clock(test::utc(2026, 12, 14, 1));
    CHECK(clock.now() == test::utc(2026, 12, 14, 1));
    CHECK(clock.overridden());
  }
}
