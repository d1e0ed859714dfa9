#pragma once
// Standard 5-field cron expressions with Vixie cron's semantics, and a Schedule
// that fires one at local wall-clock times in a zone.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "heinrich/core/schedule.hpp"
#include "heinrich/core/zone.hpp"
#include "heinrich/util/error.hpp"

namespace heinrich {

// A malformed or never-firing expression. column() and length() locate the
// field at fault in the text given to CronExpression::parse (0-based), so a
// policy diagnostic can underline it.
class CronError : public InputError {
 public:
  CronError(const std::string& message, std::size_t column, std::size_t length = 1)
      : InputError(message), m_column(column), m_length(length) {}
  [[nodiscard]] std::size_t column() const { return m_column; }
  [[nodiscard]] std::size_t length() const { return m_length; }

 private:
  std::size_t m_column;
  std::size_t m_length;
};

class CronExpression {
 public:
  // "minute hour day-of-month month day-of-week": *, n, a-b, */n, a-b/n, a/n,
  // lists, JAN-DEC and SUN-SAT (any case), 0 and 7 for Sunday; or one of
  // @yearly @annually @monthly @weekly @daily @midnight @hourly.
  // Throws CronError, also for an expression that can never fire.
  static CronExpression parse(std::string_view text);

  // As written, without surrounding whitespace.
  [[nodiscard]] const std::string& text() const { return m_text; }

  [[nodiscard]] bool matches_month(std::chrono::month month) const;
  // Vixie rule: when both day fields are restricted (neither starts with '*'),
  // a day matches if either does; otherwise both must.
  [[nodiscard]] bool matches_day(std::chrono::year_month_day date) const;
  [[nodiscard]] bool matches(LocalTime local) const;
  // Minutes after local midnight at which it fires on a matching day, ascending.
  [[nodiscard]] const std::vector<int>& minutes_of_day() const { return m_minutes_of_day; }
  // The first firing wall time strictly after `after`.
  [[nodiscard]] LocalTime next_after(LocalTime after) const;

 private:
  CronExpression() = default;

  std::string m_text;
  std::uint64_t m_minutes = 0;      // bit n: minute n
  std::uint32_t m_hours = 0;        // bit n: hour n
  std::uint32_t m_days = 0;         // bit n: day-of-month n (1..31)
  std::uint16_t m_months = 0;       // bit n: month n (1..12)
  std::uint8_t m_weekdays = 0;      // bit n: weekday n, 0 = Sunday
  bool m_either_day_field = false;  // Vixie OR of the two day fields
  std::vector<int> m_minutes_of_day;
};

// Each firing at local wall time T in `zone` opens [to_instant(T), to_instant(T) + duration).
class CronSchedule final : public Schedule {
 public:
  // One query may yield at most this many occurrences; more throws InputError
  // rather than exhausting memory ("* * * * *" over a decade).
  static constexpr std::size_t kMaxOccurrences = 1'000'000;

  // Throws InputError if duration is not positive.
  CronSchedule(CronExpression expr, Seconds duration, const Zone& zone);
  void occurrences(const Interval& query, std::vector<Occurrence>& out) const override;
  // cron "0 22 * * FRI" for 60h in Asia/Seoul
  [[nodiscard]] std::string describe() const override;

  [[nodiscard]] const CronExpression& expression() const { return m_expr; }
  [[nodiscard]] Seconds duration() const { return m_duration; }

 private:
  CronExpression m_expr;
  Seconds m_duration;
  const Zone& m_zone;
};

}  // namespace heinrich
