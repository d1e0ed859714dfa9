#include "heinrich/calendar/holidays.hpp"

#include <algorithm>
#include <set>

namespace heinrich {

namespace {

using std::chrono::sys_days;

Date add_days(Date date, int n) {
  return Date{sys_days{date} + std::chrono::days{n}};
}
int weekday_of(Date date) {
  return static_cast<int>(std::chrono::weekday{sys_days{date}}.c_encoding());
}

std::optional<Date> anchor_of(const HolidayRule& rule, int year) {
  using std::chrono::last;
  switch (rule.kind) {
    case HolidayDateKind::fixed: {
      const Date date{std::chrono::year{year}, std::chrono::month{rule.month}, std::chrono::day{rule.day}};
      return date.ok() ? std::optional<Date>(date) : std::nullopt;  // 29 February in a common year
    }
    case HolidayDateKind::lunar:
      return lunar_to_gregorian(rule.lunar_calendar, year, rule.month, rule.day);
    case HolidayDateKind::nth_weekday: {
      const std::chrono::weekday wd{static_cast<unsigned>(rule.weekday)};
      const auto ym = std::chrono::year{year} / std::chrono::month{rule.month};
      if (rule.nth < 0) return Date{sys_days{ym / wd[last]}};
      const Date date{sys_days{ym / wd[static_cast<unsigned>(rule.nth)]}};
      return date.month() == std::chrono::month{rule.month} ? std::optional<Date>(date) : std::nullopt;
    }
  }
  return std::nullopt;
}

std::string block_day_name(const std::string& name, int offset) {
  if (offset == 0) return name;
  if (offset == -1) return name + " (day before)";
  if (offset == 1) return name + " (day after)";
  return name + " (day " + std::to_string(offset > 0 ? offset + 1 : offset) + ")";
}

struct Block {
  const HolidayRule* rule;
  std::vector<Date> days;
};

// All holidays whose rules fire in `year`, before substitutes: the names of
// each date, in rule order.
// Which rules of a year to run: all of them, or, for the years either side
// of a range, only those whose days or substitutes can cross the boundary.
enum class Scope { whole_year, december_only, january_only };

bool in_scope(const HolidayRule& rule, Scope scope) {
  switch (scope) {
    case Scope::whole_year:
      return true;
    // A lunar 11th or 12th month can fall in December; lunar 1/1 is never
    // before 21 January, so its days and substitutes stay in their year.
    case Scope::december_only:
      return rule.kind == HolidayDateKind::lunar ? rule.month >= 11 : rule.month == 12;
    case Scope::january_only:
      return rule.kind != HolidayDateKind::lunar && rule.month == 1;
  }
  return true;
}

void collect_regular(const HolidayRules& rules, int year, Scope scope,
                     std::map<Date, std::vector<std::string>>& names, std::vector<Block>& blocks) {
  for (const HolidayRule& rule : rules.rules) {
    if (!in_scope(rule, scope)) continue;
    if ((rule.from_year && year < *rule.from_year) || (rule.until_year && year > *rule.until_year)) continue;
    const auto anchor = anchor_of(rule, year);
    if (!anchor) continue;
    Block block{&rule, {}};
    for (int offset = -rule.days_before; offset <= rule.days_after; ++offset) {
      const Date date = add_days(*anchor, offset);
      names[date].push_back(block_day_name(rule.name, offset));
      block.days.push_back(date);
    }
    blocks.push_back(std::move(block));
  }
}

// Holidays of `year` plus their substitutes, before they are cut to the year:
// a substitute or observed day can cross into a neighbouring year.
std::vector<Holiday> compute_unclipped(const HolidayRules& rules, int year, Scope scope) {
  std::map<Date, std::vector<std::string>> names;
  std::vector<Block> blocks;
  collect_regular(rules, year, scope, names, blocks);
  std::set<Date> adhoc_dates;
  for (const AdhocHoliday& adhoc : rules.adhoc) {
    if (int(adhoc.date.year()) != year) continue;
    names[adhoc.date].push_back(adhoc.name);
    adhoc_dates.insert(adhoc.date);
  }

  // Substitutes are granted in date order; a later one skips days already taken.
  std::sort(blocks.begin(), blocks.end(),
            [](const Block& a, const Block& b) { return a.days.front() < b.days.front(); });
  std::map<Date, std::string> substitutes;
  auto is_weekend = [&](Date date) { return rules.weekend[static_cast<std::size_t>(weekday_of(date))]; };
  auto is_taken = [&](Date date) { return names.count(date) != 0 || substitutes.count(date) != 0; };
  for (const Block& block : blocks) {
    const SubstitutePolicy& policy = block.rule->substitute;
    if (policy.style == SubstitutePolicy::Style::none) continue;
    if (policy.since && block.days.front() < *policy.since) continue;
    bool triggered = false;
    for (const Date& date : block.days) {
      const int wd = weekday_of(date);
      const bool shared = names[date].size() > 1;  // another holiday on the same day
      if ((wd == 6 && policy.on_saturday) || (wd == 0 && policy.on_sunday) ||
          (shared && policy.on_other_holiday))
        triggered = true;
    }
    if (!triggered) continue;
    const std::string name = "Substitute holiday (" + block.rule->name + ")";
    if (policy.style == SubstitutePolicy::Style::nearest_weekday) {
      const Date date = block.days.front();
      const Date observed = weekday_of(date) == 6   ? add_days(date, -1)
                            : weekday_of(date) == 0 ? add_days(date, 1)
                                                    : date;
      if (observed != date) substitutes.emplace(observed, block.rule->name + " (observed)");
      continue;
    }
    // One day per block, the first day after it that is free.
    Date candidate = add_days(block.days.back(), 1);
    while (is_weekend(candidate) || is_taken(candidate)) candidate = add_days(candidate, 1);
    substitutes.emplace(candidate, name);
  }

  std::vector<Holiday> out;
  for (const auto& [date, list] : names) {
    std::string joined;
    for (const auto& n : list) joined += (joined.empty() ? "" : " / ") + n;
    const bool only_adhoc = adhoc_dates.count(date) && list.size() == 1;
    out.push_back({date, joined, only_adhoc ? HolidayKind::adhoc : HolidayKind::regular});
  }
  for (const auto& substitute : substitutes) {
    const Date& date = substitute.first;
    const std::string& name = substitute.second;
    auto same = std::find_if(out.begin(), out.end(), [&](const Holiday& h) { return h.date == date; });
    if (same != out.end())
      same->name += " / " + name;  // an observed day on a holiday (rare)
    else
      out.push_back({date, name, HolidayKind::substitute});
  }
  std::sort(out.begin(), out.end(), [](const Holiday& a, const Holiday& b) { return a.date < b.date; });
  return out;
}

}  // namespace

std::vector<Holiday> compute_holidays(const HolidayRules& rules, int first_year, int last_year) {
  std::vector<Holiday> out;
  for (int y = first_year - 1; y <= last_year + 1; ++y)
    for (Holiday& holiday : compute_unclipped(rules, y,
                                              y < first_year  ? Scope::december_only
                                              : y > last_year ? Scope::january_only
                                                              : Scope::whole_year))
      if (int(holiday.date.year()) >= first_year && int(holiday.date.year()) <= last_year)
        out.push_back(std::move(holiday));
  std::stable_sort(out.begin(), out.end(),
                   [](const Holiday& a, const Holiday& b) { return a.date < b.date; });
  return out;
}

const std::vector<Holiday>& HolidayCalendar::year(int year) const {
  std::lock_guard lock(m_mutex);
  auto found = m_years.find(year);
  if (found == m_years.end()) found = m_years.emplace(year, compute_holidays(m_rules, year)).first;
  return found->second;
}

bool HolidayCalendar::is_holiday(Date date) const {
  const auto& holidays = year(int(date.year()));
  return std::binary_search(holidays.begin(), holidays.end(), Holiday{date, {}, HolidayKind::regular},
                            [](const Holiday& a, const Holiday& b) { return a.date < b.date; });
}

void HolidayCalendar::occurrences(const Interval& query, std::vector<Occurrence>& out) const {
  const Date first = to_date(m_zone.to_local(query.start) - hours(24));
  const Date last = to_date(m_zone.to_local(query.end) + hours(24));
  for (int y = int(first.year()); y <= int(last.year()); ++y) {
    for (const Holiday& holiday : year(y)) {
      const Interval span{m_zone.to_instant(start_of(holiday.date)),
                          m_zone.to_instant(start_of(add_days(holiday.date, 1)))};
      if (span.overlaps(query)) out.push_back({span, holiday.name, std::nullopt});
    }
  }
}

std::string HolidayCalendar::describe() const {
  return "built-in " + m_rules.id + " in " + m_zone.name();
}

}  // namespace heinrich
