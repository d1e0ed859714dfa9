#include "heinrich/calendar/business_days.hpp"

#include <fmt/format.h>

namespace heinrich {

namespace {

using std::chrono::sys_days;

Date shift(Date date, int n) {
  return Date{sys_days{date} + std::chrono::days{n}};
}

// A month has at least 20 business days in any real calendar; a search that
// runs further than this has a calendar where every day is off.
constexpr int kMaxSearchDays = 62;

std::string_view weekday_name(int weekday) {
  static constexpr std::string_view names[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                               "Thursday", "Friday", "Saturday"};
  return names[weekday];
}

std::string ordinal(int n) {
  if (n == -1) return "last";
  const char* suffix = n == 1 ? "st" : n == 2 ? "nd" : n == 3 ? "rd" : "th";
  return std::to_string(n) + suffix;
}

}  // namespace

bool BusinessCalendar::is_business_day(Date date) const {
  const auto wd = std::chrono::weekday{sys_days{date}}.c_encoding();
  if (m_weekend[wd]) return false;
  for (const auto& holidays : m_holidays)
    if (holidays->is_holiday(date)) return false;
  return true;
}

Date BusinessCalendar::previous_business_day(Date date) const {
  for (int i = 0; i < kMaxSearchDays && !is_business_day(date); ++i) date = shift(date, -1);
  return date;
}

Date BusinessCalendar::next_business_day(Date date) const {
  for (int i = 0; i < kMaxSearchDays && !is_business_day(date); ++i) date = shift(date, 1);
  return date;
}

std::optional<Date> resolve_date_rule(const DateRule& rule, std::chrono::year_month month,
                                      const BusinessCalendar& calendar) {
  using std::chrono::last;
  if (rule.month && unsigned(month.month()) != *rule.month) return std::nullopt;
  const Date first{month / 1};
  const Date final_day{month / last};
  Date date = first;
  switch (rule.kind) {
    case DateRule::Kind::day_of_month: {
      // "the 31st" in a 30-day month means its last day: paydays do not skip months.
      const unsigned wanted = rule.day < 0 ? unsigned(final_day.day()) : static_cast<unsigned>(rule.day);
      date = Date{month / std::chrono::day{std::min(wanted, unsigned(final_day.day()))}};
      break;
    }
    case DateRule::Kind::business_day: {
      int remaining = rule.business_day < 0 ? -rule.business_day : rule.business_day;
      date = rule.business_day < 0 ? final_day : first;
      const int step = rule.business_day < 0 ? -1 : 1;
      while (true) {
        if (date.month() != month.month()) return std::nullopt;  // fewer business days than asked
        if (calendar.is_business_day(date) && --remaining == 0) break;
        date = shift(date, step);
      }
      break;
    }
    case DateRule::Kind::nth_weekday: {
      const std::chrono::weekday wd{static_cast<unsigned>(rule.weekday)};
      date = rule.nth < 0 ? Date{sys_days{month / wd[last]}}
                          : Date{sys_days{month / wd[static_cast<unsigned>(rule.nth)]}};
      if (date.month() != month.month()) return std::nullopt;  // no 5th Friday this month
      break;
    }
  }
  switch (rule.roll) {
    case Roll::none:
      return date;
    case Roll::previous_business_day:
      return calendar.previous_business_day(date);
    case Roll::next_business_day:
      return calendar.next_business_day(date);
  }
  return date;
}

std::string DateRule::describe() const {
  std::string what;
  switch (kind) {
    case Kind::day_of_month:
      what = day < 0 ? "the last day" : "day " + std::to_string(day);
      break;
    case Kind::business_day:
      what = "the " + ordinal(business_day) + " business day";
      break;
    case Kind::nth_weekday:
      what = "the " + ordinal(nth) + " " + std::string(weekday_name(weekday));
      break;
  }
  std::string out =
      what + (month ? " of month " + std::to_string(*month) + " every year" : " of every month");
  if (roll == Roll::previous_business_day) out += ", rolled back to a business day";
  if (roll == Roll::next_business_day) out += ", rolled forward to a business day";
  return out;
}

void BusinessDaySchedule::occurrences(const Interval& query, std::vector<Occurrence>& out) const {
  using namespace std::chrono;
  // Rolling moves a date by a few days at most: widen by a month each way.
  const Date first = to_date(m_zone.to_local(query.start));
  const Date last_date = to_date(m_zone.to_local(query.end));
  year_month month = first.year() / first.month() - months{1};
  const year_month end = last_date.year() / last_date.month() + months{1};
  for (; month <= end; month += months{1}) {
    const auto date = resolve_date_rule(m_rule, month, *m_calendar);
    if (!date) continue;
    const LocalTime midnight = start_of(*date);
    const LocalTime from = m_span ? midnight + minutes(m_span->start_minute) : midnight;
    const LocalTime to = m_span ? from + m_span->length() : start_of(shift(*date, 1));
    const Interval span = m_zone.to_interval(from, to);
    if (span.overlaps(query)) out.push_back({span, {}, std::nullopt});
  }
}

std::string BusinessDaySchedule::describe() const {
  return m_rule.describe() + (m_span ? " " + m_span->format() : std::string{}) + " " + m_zone.name();
}

}  // namespace heinrich
