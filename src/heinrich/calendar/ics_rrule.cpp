#include "heinrich/calendar/ics_rrule.hpp"

#include <charconv>
#include <string>
#include <vector>

#include "heinrich/util/error.hpp"
#include "heinrich/util/text.hpp"

namespace heinrich::ics {

namespace {

// libical keeps INTERVAL in a short.
constexpr std::int64_t kMaxInterval = 32767;

std::optional<std::int64_t> to_integer(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

Seconds unit_of(std::string_view freq) {
  if (freq == "SECONDLY") return Seconds{1};
  if (freq == "MINUTELY") return minutes(1);
  if (freq == "HOURLY") return hours(1);
  return Seconds{0};
}

// How far past DTSTART the last start of a COUNT rule can be, for rules
// that cannot go a period without an instance:
// - no BY part: exactly one instance per period;
// - WEEKLY with BYDAY: every week has every weekday, but DTSTART's own week
//   may have none left after it;
// - DAILY with BYDAY: any 7 consecutive periods land on every weekday the
//   period's steps can reach, so they hit a listed one (or none ever is).
// Anything else (BYMONTHDAY=31 skips months, BYSETPOS, ...) is unknown.
std::optional<Seconds> count_reach_of(std::string_view freq, std::int64_t interval, std::int64_t count,
                                      bool by_day, bool other_by) {
  if (count == 0 || other_by) return std::nullopt;
  Seconds period = unit_of(freq);
  if (freq == "DAILY") period = days(1);
  if (freq == "WEEKLY") period = days(7);
  if (period == Seconds{0}) return std::nullopt;  // MONTHLY, YEARLY
  period *= interval;
  Seconds reach{0};
  if (!by_day)
    reach = count * period;
  else if (freq == "WEEKLY")
    reach = (count + 1) * period;
  else if (freq == "DAILY")
    reach = (count + 1) * 7 * period;
  else
    return std::nullopt;
  if (reach > kMaxCountReach) return std::nullopt;
  return reach;
}

}  // namespace

std::optional<LocalTime> checked_local(const icaltimetype& time) {
  using namespace std::chrono;
  if (time.year < 1 || time.year > 9999) return std::nullopt;
  const year_month_day date{year{time.year}, month{static_cast<unsigned>(time.month)},
                            day{static_cast<unsigned>(time.day)}};
  if (time.month < 1 || time.day < 1 || !date.ok()) return std::nullopt;
  // Second 60 is a leap second (RFC 5545 3.3.12); it reads as the next minute.
  if (time.hour < 0 || time.hour > 23 || time.minute < 0 || time.minute > 59 || time.second < 0 ||
      time.second > 60)
    return std::nullopt;
  return make_local(time.year, static_cast<unsigned>(time.month), static_cast<unsigned>(time.day), time.hour,
                    time.minute, time.second);
}

IcsRule parse_rule(std::string_view value) {
  std::vector<std::string_view> kept;
  std::string until_text;
  std::string freq;
  std::int64_t count = 0;
  std::int64_t interval = 1;
  bool has_count = false;
  bool has_until = false;
  bool numeric_byday = false;
  bool time_filter = false;  // BYHOUR, BYMINUTE, BYSECOND or BYDAY
  bool by_day = false;
  bool other_by = false;  // a BY part other than BYDAY
  std::size_t start = 0;
  while (start <= value.size()) {
    std::size_t stop = value.find(';', start);
    if (stop == std::string_view::npos) stop = value.size();
    const std::string_view part = value.substr(start, stop - start);
    start = stop + 1;
    const std::size_t equals = part.find('=');
    const std::string key = to_upper(part.substr(0, equals));
    const std::string_view text =
        equals == std::string_view::npos ? std::string_view{} : part.substr(equals + 1);
    if (key == "UNTIL") {
      has_until = true;
      until_text = text;
      continue;
    }
    if (!part.empty()) kept.push_back(part);
    if (key == "FREQ") freq = to_upper(text);
    if (key == "COUNT") {
      has_count = true;
      const auto parsed = to_integer(text);
      if (!parsed || *parsed < 1 || *parsed > kMaxCountedOccurrences)
        throw InputError("RRULE COUNT must be a whole number from 1 to " +
                         std::to_string(kMaxCountedOccurrences) +
                         " (a COUNT is expanded from DTSTART on every check)");
      count = *parsed;
    }
    if (key == "INTERVAL") {
      const auto parsed = to_integer(text);
      if (!parsed || *parsed < 1 || *parsed > kMaxInterval)
        throw InputError("RRULE INTERVAL must be a whole number from 1 to " + std::to_string(kMaxInterval));
      interval = *parsed;
    }
    if (key == "BYDAY" && text.find_first_of("0123456789+-") != std::string_view::npos) numeric_byday = true;
    if (key == "BYHOUR" || key == "BYMINUTE" || key == "BYSECOND" || key == "BYDAY") time_filter = true;
    if (key == "BYDAY")
      by_day = true;
    else if (key.starts_with("BY"))
      other_by = true;
  }

  if (has_count && has_until)
    throw InputError("RRULE has both COUNT and UNTIL (RFC 5545 3.3.10 allows only one of them)");
  if (numeric_byday && freq != "MONTHLY" && freq != "YEARLY")
    throw InputError(
        "RRULE BYDAY with a number (like 1SU) needs FREQ=MONTHLY or FREQ=YEARLY (RFC 5545 3.3.10)");
  const Seconds unit = unit_of(freq);

  Until until;
  if (has_until) {
    icalerror_clear_errno();
    const std::string owned(until_text);
    const icaltimetype parsed = icaltime_from_string(owned.c_str());
    icalerror_clear_errno();
    const auto local = icaltime_is_null_time(parsed) ? std::nullopt : checked_local(parsed);
    if (!local) throw InputError("RRULE UNTIL '" + excerpt(owned) + "' is not a valid DATE or DATE-TIME");
    if (parsed.is_date)
      until = {UntilKind::date, Instant{}, *local};
    else if (icaltime_is_utc(parsed))
      until = {UntilKind::instant, Instant{local->time_since_epoch()}, LocalTime{}};
    else
      until = {UntilKind::floating, Instant{}, *local};
  }

  std::string rest;
  for (const auto part : kept) {
    if (!rest.empty()) rest += ';';
    rest += part;
  }
  RecurrenceRule rule = RecurrenceRule::parse(rest);
  // One refusal list for policy windows and calendars (issue 11, item 11:
  // FREQ=SECONDLY;BYHOUR=1,2,3 took 40 s per check inside libical).
  if (const RecurrenceRule::Cost cost = rule.cost(); !cost.refusal.empty())
    throw InputError("RRULE " + cost.refusal);
  IcsRule result{std::move(rule), until,      count,
                 Seconds{0},      Seconds{0}, count_reach_of(freq, interval, count, by_day, other_by)};
  if (unit > Seconds{0}) {
    result.align_period = unit * interval;
    if (time_filter) result.restart_margin = days(7);
  }
  return result;
}

}  // namespace heinrich::ics
