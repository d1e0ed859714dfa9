#pragma once
// Instants for test expectations, written as civil times.
#include "heinrich/core/time.hpp"
#include "heinrich/core/zone.hpp"

namespace heinrich::test {

// The instant whose UTC wall time is the given one.
inline Instant utc(int year, unsigned month, unsigned day, int hour = 0, int minute = 0) {
  return Instant{make_local(year, month, day, hour, minute).time_since_epoch()};
}

// The instant of a wall time in Seoul (KST has no DST, so it is unique).
inline Instant kst(int year, unsigned month, unsigned day, int hour = 0, int minute = 0) {
  return Zone::get("Asia/Seoul").to_instant(make_local(year, month, day, hour, minute));
}

}  // namespace heinrich::test
