#pragma once
// Time-of-day spans ("15:00-24:00", "22:00-06:00") and weekday sets.
#include <array>
#include <memory>
#include <string>
#include <string_view>

#include "heinrich/core/schedule.hpp"
#include "heinrich/core/zone.hpp"

namespace heinrich {

struct DaySpan {
  int start_minute = 0;   // 0 .. 1439
  int end_minute = 1440;  // 1 .. 1440; <= start_minute means it ends the next day
  [[nodiscard]] bool crosses_midnight() const { return end_minute <= start_minute; }
  [[nodiscard]] Seconds length() const {
    return minutes(crosses_midnight() ? end_minute + 1440 - start_minute : end_minute - start_minute);
  }
  [[nodiscard]] std::string format() const;
};

// Throws InputError for anything but "HH:MM-HH:MM" with 00:00 <= HH:MM <= 24:00.
DaySpan parse_day_span(std::string_view text);

// Index 0 = Sunday, as std::chrono::weekday::c_encoding().
using WeekdaySet = std::array<bool, 7>;
// "mon", "monday", "Mon" -> 1; -1 if unknown.
int parse_weekday(std::string_view name);
std::string format_weekdays(const WeekdaySet& days);

// Every local day in `days` (all days if none set), from span.start for span.length().
class DailySpanSchedule final : public Schedule {
 public:
  DailySpanSchedule(WeekdaySet days, DaySpan span, const Zone& zone)
      : m_days(days), m_span(span), m_zone(zone) {}
  void occurrences(const Interval& query, std::vector<Occurrence>& out) const override;
  [[nodiscard]] std::string describe() const override;

 private:
  WeekdaySet m_days;
  DaySpan m_span;
  const Zone& m_zone;
};

// One fixed interval.
class OneOffSchedule final : public Schedule {
 public:
  explicit OneOffSchedule(Interval span, const Zone& zone) : m_span(span), m_zone(zone) {}
  void occurrences(const Interval& query, std::vector<Occurrence>& out) const override;
  [[nodiscard]] std::string describe() const override;

 private:
  Interval m_span;
  const Zone& m_zone;
};

}  // namespace heinrich
