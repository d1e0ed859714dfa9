#include "heinrich/core/day_span.hpp"

#include <cctype>

#include <fmt/format.h>

#include "heinrich/util/error.hpp"
#include "heinrich/util/text.hpp"

namespace heinrich {

namespace {

int parse_clock(std::string_view text, std::string_view whole) {
  auto bad = [&](const std::string& why) -> InputError {
    return InputError("invalid time span '" + std::string(whole) + "': " + why +
                      " (use HH:MM-HH:MM, e.g. 15:00-24:00 or 22:00-06:00)");
  };
  if (text.size() != 5 || text[2] != ':') throw bad("'" + std::string(text) + "' is not HH:MM");
  for (std::size_t i : {0u, 1u, 3u, 4u})
    if (!std::isdigit(static_cast<unsigned char>(text[i])))
      throw bad("'" + std::string(text) + "' is not HH:MM");
  const int hour = (text[0] - '0') * 10 + (text[1] - '0');
  const int minute = (text[3] - '0') * 10 + (text[4] - '0');
  if (minute > 59 || hour > 24 || (hour == 24 && minute != 0))
    throw bad("'" + std::string(text) + "' is not a time of day (00:00 to 24:00)");
  return hour * 60 + minute;
}

}  // namespace

std::string DaySpan::format() const {
  return fmt::format("{:02}:{:02}-{:02}:{:02}", start_minute / 60, start_minute % 60, end_minute / 60,
                     end_minute % 60);
}

DaySpan parse_day_span(std::string_view text) {
  const auto dash = text.find('-');
  if (dash == std::string_view::npos)
    throw InputError("invalid time span '" + std::string(text) +
                     "': expected HH:MM-HH:MM, e.g. 15:00-24:00 or 22:00-06:00");
  DaySpan span;
  span.start_minute = parse_clock(text.substr(0, dash), text);
  span.end_minute = parse_clock(text.substr(dash + 1), text);
  if (span.start_minute == 1440)
    throw InputError("invalid time span '" + std::string(text) + "': a span cannot start at 24:00");
  if (span.end_minute == 0) span.end_minute = 1440;  // "22:00-00:00" ends at midnight
  if (span.start_minute == span.end_minute)
    throw InputError("invalid time span '" + std::string(text) +
                     "': start and end are equal; use 00:00-24:00 for a whole day");
  return span;
}

int parse_weekday(std::string_view name) {
  static constexpr std::array<std::string_view, 7> names{"sunday",   "monday", "tuesday", "wednesday",
                                                         "thursday", "friday", "saturday"};
  const std::string lower = to_lower(name);
  if (lower.size() < 3) return -1;
  for (int i = 0; i < 7; ++i) {
    const auto full = names[static_cast<std::size_t>(i)];
    if (lower == full || lower == full.substr(0, 3)) return i;
  }
  return -1;
}

std::string format_weekdays(const WeekdaySet& days) {
  static constexpr std::array<std::string_view, 7> names{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  std::string out;
  for (std::size_t i = 1; i <= 7; ++i) {  // Monday first, as people read a week
    const std::size_t day = i % 7;
    if (!days[day]) continue;
    if (!out.empty()) out += ", ";
    out += names[day];
  }
  return out.empty() ? "every day" : out;
}

void DailySpanSchedule::occurrences(const Interval& query, std::vector<Occurrence>& out) const {
  using namespace std::chrono;
  const bool every_day = m_days == WeekdaySet{};
  // A span that started the local day before can still overlap the query.
  const local_days first = floor<std::chrono::days>(m_zone.to_local(query.start)) - std::chrono::days{1};
  const local_days last = floor<std::chrono::days>(m_zone.to_local(query.end));
  for (local_days day = first; day <= last; day += std::chrono::days{1}) {
    if (!every_day && !m_days[weekday{day}.c_encoding()]) continue;
    const LocalTime local_start = day + minutes(m_span.start_minute);
    const LocalTime local_end = local_start + m_span.length();
    const Interval span = m_zone.to_interval(local_start, local_end);
    if (span.overlaps(query)) out.push_back({span, {}, std::nullopt});
  }
}

std::string DailySpanSchedule::describe() const {
  return format_weekdays(m_days) + " " + m_span.format() + " " + m_zone.name();
}

void OneOffSchedule::occurrences(const Interval& query, std::vector<Occurrence>& out) const {
  if (m_span.overlaps(query)) out.push_back({m_span, {}, std::nullopt});
}

std::string OneOffSchedule::describe() const {
  return m_zone.format(m_span.start) + " to " + m_zone.format(m_span.end);
}

}  // namespace heinrich
