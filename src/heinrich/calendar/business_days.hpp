#pragma once
// Business-day rules: "payday = the 25th, rolled back to the previous
// business day", "month-end close = the last business day".
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "heinrich/calendar/holidays.hpp"

namespace heinrich {

// A business day is neither a weekend day nor a holiday of the named calendars.
class BusinessCalendar {
 public:
  BusinessCalendar(WeekdaySet weekend, std::vector<std::shared_ptr<const HolidayCalendar>> holidays)
      : m_weekend(weekend), m_holidays(std::move(holidays)) {}
  [[nodiscard]] bool is_business_day(Date date) const;
  [[nodiscard]] Date previous_business_day(Date date) const;  // `date` itself if it is one
  [[nodiscard]] Date next_business_day(Date date) const;

 private:
  WeekdaySet m_weekend;
  std::vector<std::shared_ptr<const HolidayCalendar>> m_holidays;
};

enum class Roll { none, previous_business_day, next_business_day };

struct DateRule {
  enum class Kind { day_of_month, business_day, nth_weekday };
  Kind kind = Kind::day_of_month;
  std::optional<unsigned> month;  // set: yearly, in that month; unset: every month
  int day = 1;                    // day_of_month: 1..31 (clamped to the month's end), -1 = last day
  int business_day = 1;           // business_day: 1.. = nth, -1 = last
  int weekday = 5;                // nth_weekday: 0 = Sunday
  int nth = 1;                    // nth_weekday: 1..5, -1 = last
  Roll roll = Roll::none;

  [[nodiscard]] std::string describe() const;
};

// The date a rule gives in one month; nullopt if it has none there.
std::optional<Date> resolve_date_rule(const DateRule& rule, std::chrono::year_month month,
                                      const BusinessCalendar& calendar);

// Each date the rule gives opens `span` (or the whole day) in `zone`.
class BusinessDaySchedule final : public Schedule {
 public:
  BusinessDaySchedule(DateRule rule, std::optional<DaySpan> span,
                      std::shared_ptr<const BusinessCalendar> calendar, const Zone& zone)
      : m_rule(rule), m_span(span), m_calendar(std::move(calendar)), m_zone(zone) {}
  void occurrences(const Interval& query, std::vector<Occurrence>& out) const override;
  [[nodiscard]] std::string describe() const override;

 private:
  DateRule m_rule;
  std::optional<DaySpan> m_span;
  std::shared_ptr<const BusinessCalendar> m_calendar;
  const Zone& m_zone;
};

}  // namespace heinrich
