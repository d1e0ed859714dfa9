#pragma once
// RFC 5545 recurrence rules through libical's iterator (never our own
// expansion). Occurrences are computed in local wall time and resolved
// through the rule's zone, so they stay put across DST changes.
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "heinrich/core/schedule.hpp"
#include "heinrich/core/zone.hpp"
#include "heinrich/util/error.hpp"

namespace heinrich {

// A rule libical would refuse, with the offset of the offending part so a
// caret can point into the string.
class RRuleError : public InputError {
 public:
  RRuleError(const std::string& message, std::size_t column) : InputError(message), m_column(column) {}
  [[nodiscard]] std::size_t column() const { return m_column; }

 private:
  std::size_t m_column;
};

// The most often a rule may fire and still be checked: once a minute. A
// window that recurs every few seconds is one longer window.
constexpr std::int64_t kMaxFiringsPerDay = 1440;
// The largest COUNT: a COUNT is counted from the rule's start on every query.
constexpr std::int64_t kMaxCountedOccurrences = 100'000;

class RecurrenceRule {
 public:
  // Throws RRuleError for text libical rejects (unknown parts, COUNT with
  // UNTIL, impossible BY* combinations).
  static RecurrenceRule parse(std::string_view text);
  // A rule text that parse() accepted before, read back from a cache. It is
  // parsed on first use, without the checks parse() made: most rules of a
  // large calendar are never used by one run, and libical's parsed form
  // takes 2.9 KB. First use throws InputError if libical rejects it.
  static RecurrenceRule restore(std::string_view text);
  ~RecurrenceRule();
  RecurrenceRule(RecurrenceRule&&) noexcept;
  RecurrenceRule& operator=(RecurrenceRule&&) noexcept;

  [[nodiscard]] const std::string& text() const { return m_text; }
  [[nodiscard]] bool has_count() const;
  [[nodiscard]] int interval() const;

  // What checking the rule costs, known from its text alone: the most
  // occurrences it can have in one day, or why it cannot be expanded in
  // bounded time or correctly: more than kMaxFiringsPerDay firings a day
  // (FREQ=SECONDLY among them), a sub-daily rule filtered by month or day
  // (libical searches one period at a time, so a rule that never matches
  // runs for minutes), INTERVAL with BY parts below daily (libical 3.0
  // ignores the INTERVAL), COUNT above 100,000 (counted from the start on
  // every query). Policy windows and ICS events both refuse what this
  // refuses. `column` is where the part at fault starts.
  struct Cost {
    std::int64_t per_day = 0;
    std::string refusal;  // empty: expandable
    std::size_t column = 0;
  };
  [[nodiscard]] Cost cost() const;
  // Calls visit(local start) for each occurrence with from <= start < to, in
  // order, starting the iterator near `from` rather than at dtstart.
  void expand(LocalTime dtstart, LocalTime from, LocalTime to,
              const std::function<void(LocalTime)>& visit) const;

 private:
  struct Impl;
  explicit RecurrenceRule(std::unique_ptr<Impl> impl, std::string text);
  [[nodiscard]] const Impl& impl() const;
  mutable std::unique_ptr<Impl> m_impl;        // null until first use after restore()
  std::unique_ptr<std::once_flag> m_restored;  // restore() only
  std::string m_text;
};

// How an occurrence's length is measured: a `time` span is wall-clock (a
// whole day is 23h on a spring-forward day), a `duration` is elapsed time.
enum class LengthKind { wall_clock, elapsed };

// Each occurrence of `rule` opens [start, start + length) in `zone`.
class RRuleSchedule final : public Schedule {
 public:
  RRuleSchedule(RecurrenceRule rule, LocalTime dtstart, Seconds length, LengthKind kind, const Zone& zone)
      : m_rule(std::move(rule)), m_dtstart(dtstart), m_length(length), m_kind(kind), m_zone(zone) {}
  void occurrences(const Interval& query, std::vector<Occurrence>& out) const override;
  [[nodiscard]] std::string describe() const override;

 private:
  RecurrenceRule m_rule;
  LocalTime m_dtstart;
  Seconds m_length;
  LengthKind m_kind;
  const Zone& m_zone;
};

}  // namespace heinrich
