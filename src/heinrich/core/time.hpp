#pragma once
// The time model: every instant is UTC seconds; local wall times are a
// separate type so the two can never be mixed up silently.
#include <chrono>
#include <cstdint>
#include <string>

namespace heinrich {

using Seconds = std::chrono::seconds;
using Instant = std::chrono::sys_seconds;
using LocalTime = std::chrono::local_seconds;
using LocalDays = std::chrono::local_days;

constexpr Seconds minutes(std::int64_t n) {
  return Seconds{n * 60};
}
constexpr Seconds hours(std::int64_t n) {
  return Seconds{n * 3600};
}
constexpr Seconds days(std::int64_t n) {
  return Seconds{n * 86400};
}

// Half-open [start, end).
struct Interval {
  Instant start;
  Instant end;

  [[nodiscard]] bool overlaps(const Interval& other) const { return start < other.end && other.start < end; }
  [[nodiscard]] bool contains(const Interval& inner) const {
    return start <= inner.start && inner.end <= end;
  }
  [[nodiscard]] bool empty() const { return end <= start; }
  friend bool operator==(const Interval&, const Interval&) = default;
};

// "2026-12-24T09:00:00Z": RFC 3339, seconds always.
std::string format_utc(Instant instant);
// "2026-12-24T18:00:00" / "2026-12-24T18:00:30"
std::string format_local(LocalTime local);
// "+09:00"
std::string format_offset(Seconds offset);

using Date = std::chrono::year_month_day;
// The local calendar date of a local time, and the local midnight of a date.
inline Date to_date(LocalTime local) {
  return Date{std::chrono::sys_days{std::chrono::floor<std::chrono::days>(local).time_since_epoch()}};
}
inline LocalTime start_of(Date date) {
  return LocalTime{std::chrono::sys_days{date}.time_since_epoch()};
}

LocalTime make_local(int year, unsigned month, unsigned day, int hour = 0, int minute = 0, int second = 0);

}  // namespace heinrich
