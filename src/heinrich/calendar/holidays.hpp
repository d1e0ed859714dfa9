#pragma once
// Public holidays computed from rules (a rule file per country, see
// policies/holidays/), never from a table of dates to maintain each year.
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "heinrich/calendar/lunar.hpp"
#include "heinrich/core/day_span.hpp"
#include "heinrich/core/schedule.hpp"
#include "heinrich/core/zone.hpp"

namespace heinrich {

enum class HolidayDateKind { fixed, lunar, nth_weekday };

// When a holiday (or a block of days) falls on a weekend or on another
// holiday, which day is taken off instead.
struct SubstitutePolicy {
  enum class Style {
    none,
    next_free_weekday,  // KR: the first following day that is neither a weekend day nor a holiday
    nearest_weekday,    // US "observed": Saturday -> the Friday before, Sunday -> the Monday after
  };
  Style style = Style::none;
  bool on_saturday = false;
  bool on_sunday = false;
  bool on_other_holiday = false;
  std::optional<Date> since;  // the law's effective date; earlier holidays get no substitute
};

struct HolidayRule {
  std::string name;
  HolidayDateKind kind = HolidayDateKind::fixed;
  unsigned month = 1;
  unsigned day = 1;  // fixed and lunar
  LunarCalendar lunar_calendar = LunarCalendar::korean_dangi;
  int weekday = 0;      // nth_weekday: 0 = Sunday
  int nth = 1;          // nth_weekday: 1..5, -1 = last
  int days_before = 0;  // a block: Seollal is the day before, the day, the day after
  int days_after = 0;
  std::optional<int> from_year;
  std::optional<int> until_year;
  SubstitutePolicy substitute;
};

struct AdhocHoliday {
  Date date;
  std::string name;
};

struct HolidayRules {
  std::string id;  // "kr-public-holidays"
  WeekdaySet weekend{};
  std::vector<HolidayRule> rules;
  std::vector<AdhocHoliday> adhoc;
  // The last year whose days were checked against the law and the official
  // almanac, and the kinds of days no rule can give (election days not yet
  // designated, temporary holidays): past that year they may be missing.
  std::optional<int> verified_through;
  std::vector<std::string> cannot_compute;
};

enum class HolidayKind { regular, substitute, adhoc };

struct Holiday {
  Date date;
  std::string name;  // several holidays on one day are joined with " / "
  HolidayKind kind = HolidayKind::regular;
};

// The holidays of Gregorian years first..last, sorted by date. Each year's
// rules run once; substitute and observed days may cross into a neighbour.
std::vector<Holiday> compute_holidays(const HolidayRules& rules, int first_year, int last_year);
inline std::vector<Holiday> compute_holidays(const HolidayRules& rules, int year) {
  return compute_holidays(rules, year, year);
}

// A holiday calendar as an event source: each holiday is a whole local day
// in `zone`. Years are computed on first use and kept.
class HolidayCalendar final : public Schedule {
 public:
  HolidayCalendar(HolidayRules rules, const Zone& zone) : m_rules(std::move(rules)), m_zone(zone) {}
  void occurrences(const Interval& query, std::vector<Occurrence>& out) const override;
  [[nodiscard]] std::string describe() const override;

  [[nodiscard]] bool is_holiday(Date date) const;
  [[nodiscard]] const WeekdaySet& weekend() const { return m_rules.weekend; }
  [[nodiscard]] const HolidayRules& rules() const { return m_rules; }
  [[nodiscard]] const Zone& zone() const { return m_zone; }
  [[nodiscard]] const std::vector<Holiday>& year(int year) const;

 private:
  HolidayRules m_rules;
  const Zone& m_zone;
  mutable std::mutex m_mutex;
  mutable std::map<int, std::vector<Holiday>> m_years;
};

}  // namespace heinrich
