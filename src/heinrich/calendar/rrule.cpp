#include "heinrich/calendar/rrule.hpp"

#include <libical/ical.h>

#include <algorithm>
#include <optional>
#include <tuple>

#include "heinrich/core/duration.hpp"
#include "heinrich/util/error.hpp"
#include "heinrich/util/text.hpp"

namespace heinrich {

struct RecurrenceRule::Impl {
  icalrecurrencetype rule;
};

namespace {

// A defence against rules that match almost nothing: libical would search
// far ahead for each occurrence.
constexpr int kMaxStepsPerExpansion = 2'000'000;

icaltimetype to_ical(LocalTime local) {
  using namespace std::chrono;
  const auto day = floor<std::chrono::days>(local);
  const year_month_day ymd{day};
  const hh_mm_ss hms{local - day};
  icaltimetype t = icaltime_null_time();
  t.year = int(ymd.year());
  t.month = int(unsigned(ymd.month()));
  t.day = int(unsigned(ymd.day()));
  t.hour = static_cast<int>(hms.hours().count());
  t.minute = static_cast<int>(hms.minutes().count());
  t.second = static_cast<int>(hms.seconds().count());
  t.is_date = 0;
  return t;
}

LocalTime from_ical(const icaltimetype& t) {
  return make_local(t.year, static_cast<unsigned>(t.month), static_cast<unsigned>(t.day), t.hour, t.minute,
                    t.second);
}

struct IteratorDeleter {
  void operator()(icalrecur_iterator* it) const { icalrecur_iterator_free(it); }
};

// libical only says "malformed"; checking the shape first lets the error
// name the part and point at it.
void check_parts(std::string_view text) {
  static const std::vector<std::string> parts{"FREQ",     "UNTIL",   "COUNT",    "INTERVAL",   "BYSECOND",
                                              "BYMINUTE", "BYHOUR",  "BYDAY",    "BYMONTHDAY", "BYYEARDAY",
                                              "BYWEEKNO", "BYMONTH", "BYSETPOS", "WKST"};
  static const std::vector<std::string> frequencies{"SECONDLY", "MINUTELY", "HOURLY", "DAILY",
                                                    "WEEKLY",   "MONTHLY",  "YEARLY"};
  auto suggestion = [](std::string_view word, const std::vector<std::string>& known) {
    const std::string match = closest_match(word, known);
    return match.empty() ? std::string{} : "; did you mean '" + match + "'?";
  };
  std::optional<std::size_t> count_at;
  std::optional<std::size_t> until_at;
  bool has_freq = false;
  std::size_t offset = 0;
  while (offset <= text.size()) {
    std::size_t end = text.find(';', offset);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view part = text.substr(offset, end - offset);
    const std::size_t equals = part.find('=');
    if (part.empty() || equals == std::string_view::npos)
      throw RRuleError(
          "invalid RRULE '" + std::string(text) + "': expected NAME=VALUE, got '" + std::string(part) + "'",
          offset);
    const std::string name = to_upper(part.substr(0, equals));
    const std::string_view value = part.substr(equals + 1);
    if (std::find(parts.begin(), parts.end(), name) == parts.end())
      throw RRuleError(
          "invalid RRULE '" + std::string(text) + "': unknown part '" + name + "'" + suggestion(name, parts),
          offset);
    if (name == "FREQ") {
      has_freq = true;
      if (std::find(frequencies.begin(), frequencies.end(), to_upper(value)) == frequencies.end())
        throw RRuleError("invalid RRULE '" + std::string(text) + "': unknown FREQ '" + std::string(value) +
                             "'" + suggestion(to_upper(value), frequencies),
                         offset + equals + 1);
    }
    if (name == "COUNT") count_at = offset;
    if (name == "UNTIL") until_at = offset;
    offset = end + 1;
  }
  if (count_at && until_at)
    throw RRuleError("invalid RRULE '" + std::string(text) +
                         "': COUNT and UNTIL cannot be used together (RFC 5545 section 3.3.10)",
                     std::max(*count_at, *until_at));
  if (!has_freq) throw RRuleError("invalid RRULE '" + std::string(text) + "': FREQ is required", 0);
}

}  // namespace

RecurrenceRule::RecurrenceRule(std::unique_ptr<Impl> impl, std::string text)
    : m_impl(std::move(impl)), m_text(std::move(text)) {}
RecurrenceRule::~RecurrenceRule() = default;
RecurrenceRule::RecurrenceRule(RecurrenceRule&&) noexcept = default;
RecurrenceRule& RecurrenceRule::operator=(RecurrenceRule&&) noexcept = default;

RecurrenceRule RecurrenceRule::parse(std::string_view text) {
  std::string owned(text);
  if (owned.rfind("RRULE:", 0) == 0) owned.erase(0, 6);
  if (const auto rscale = owned.find("RSCALE"); rscale != std::string::npos)
    throw RRuleError("RRULE '" + owned + "': RSCALE (non-Gregorian recurrences) is not supported", rscale);
  check_parts(owned);
  icalerror_clear_errno();
  auto impl = std::make_unique<Impl>();
  impl->rule = icalrecurrencetype_from_string(owned.c_str());
  if (impl->rule.freq == ICAL_NO_RECURRENCE || icalerrno != ICAL_NO_ERROR) {
    icalerror_clear_errno();
    throw RRuleError("invalid RRULE '" + owned + "': not a valid RFC 5545 recurrence rule", 0);
  }
  // libical validates BY* combinations only when an iterator is made.
  std::unique_ptr<icalrecur_iterator, IteratorDeleter> probe(
      icalrecur_iterator_new(impl->rule, to_ical(make_local(2000, 1, 1))));
  if (!probe) {
    icalerror_clear_errno();
    throw RRuleError("invalid RRULE '" + owned + "': its parts contradict each other or never occur", 0);
  }
  return RecurrenceRule(std::move(impl), owned);
}

RecurrenceRule RecurrenceRule::restore(std::string_view text) {
  RecurrenceRule rule(nullptr, std::string(text));
  rule.m_restored = std::make_unique<std::once_flag>();
  return rule;
}

const RecurrenceRule::Impl& RecurrenceRule::impl() const {
  if (m_restored)
    std::call_once(*m_restored, [this] {
      icalerror_clear_errno();
      auto impl = std::make_unique<Impl>();
      impl->rule = icalrecurrencetype_from_string(m_text.c_str());
      if (impl->rule.freq == ICAL_NO_RECURRENCE || icalerrno != ICAL_NO_ERROR) {
        icalerror_clear_errno();
        throw InputError("invalid RRULE '" + m_text + "' read back from the calendar cache");
      }
      m_impl = std::move(impl);
    });
  return *m_impl;
}

bool RecurrenceRule::has_count() const {
  return impl().rule.count > 0;
}
int RecurrenceRule::interval() const {
  return impl().rule.interval;
}

RecurrenceRule::Cost RecurrenceRule::cost() const {
  const icalrecurrencetype& rule = impl().rule;
  auto count = [](const short* parts, std::size_t size) {
    std::int64_t n = 0;
    while (static_cast<std::size_t>(n) < size && parts[n] != ICAL_RECURRENCE_ARRAY_MAX) ++n;
    return n;
  };
  const std::int64_t hours = count(rule.by_hour, ICAL_BY_HOUR_SIZE);
  const std::int64_t minutes = count(rule.by_minute, ICAL_BY_MINUTE_SIZE);
  const std::int64_t by_seconds = count(rule.by_second, ICAL_BY_SECOND_SIZE);
  const std::int64_t seconds = std::max<std::int64_t>(1, by_seconds);
  const std::int64_t interval = std::max<std::int64_t>(1, rule.interval);
  const std::string upper = to_upper(m_text);  // libical takes the parts in any case
  auto at = [&](std::string_view part) {
    const auto found = upper.find(std::string(part) + "=");
    return found == std::string::npos ? std::size_t{0} : found;
  };
  Cost cost;
  // COUNT is counted from DTSTART, so every query expands from there.
  if (rule.count > kMaxCountedOccurrences) {
    cost.refusal = "COUNT=" + std::to_string(rule.count) +
                   " is expanded from the start on every check; at most " +
                   std::to_string(kMaxCountedOccurrences) + " occurrences can be counted (use UNTIL instead)";
    cost.column = at("COUNT");
    return cost;
  }
  const bool sub_daily = rule.freq == ICAL_HOURLY_RECURRENCE || rule.freq == ICAL_MINUTELY_RECURRENCE ||
                         rule.freq == ICAL_SECONDLY_RECURRENCE;
  if (rule.freq == ICAL_SECONDLY_RECURRENCE) {
    cost.refusal = "FREQ=SECONDLY fires too often to check: at most " + std::to_string(kMaxFiringsPerDay) +
                   " firings a day (once a minute) can be checked";
    cost.column = at("FREQ");
    return cost;
  }
  if (sub_daily) {
    for (const auto& [part, values, size] :
         {std::tuple{"BYMONTHDAY", rule.by_month_day, std::size_t{ICAL_BY_MONTHDAY_SIZE}},
          std::tuple{"BYYEARDAY", rule.by_year_day, std::size_t{ICAL_BY_YEARDAY_SIZE}},
          std::tuple{"BYWEEKNO", rule.by_week_no, std::size_t{ICAL_BY_WEEKNO_SIZE}},
          std::tuple{"BYMONTH", rule.by_month, std::size_t{ICAL_BY_MONTH_SIZE}},
          std::tuple{"BYSETPOS", rule.by_set_pos, std::size_t{ICAL_BY_SETPOS_SIZE}}}) {
      if (count(values, size) == 0) continue;
      cost.refusal = std::string(part) +
                     " in an HOURLY or MINUTELY rule is searched one period at a time by libical "
                     "(a rule that never matches runs for minutes); write it as FREQ=DAILY or longer with "
                     "BYHOUR/BYMINUTE";
      cost.column = at(part);
      return cost;
    }
    const bool filtered =
        hours != 0 || minutes != 0 || by_seconds != 0 || count(rule.by_day, ICAL_BY_DAY_SIZE) != 0;
    if (interval > 1 && filtered) {
      cost.refusal =
          "INTERVAL with BY parts in an HOURLY or MINUTELY rule is expanded wrongly by libical 3.0 (it "
          "ignores the INTERVAL); list the times with FREQ=DAILY and BYHOUR/BYMINUTE instead";
      cost.column = at("INTERVAL");
      return cost;
    }
  }
  if (rule.freq == ICAL_MINUTELY_RECURRENCE)
    cost.per_day = (hours != 0     ? hours * (minutes != 0 ? minutes : 60)
                    : minutes != 0 ? 24 * minutes
                                   : (1440 + interval - 1) / interval) *
                   seconds;
  else if (rule.freq == ICAL_HOURLY_RECURRENCE)
    cost.per_day =
        (hours != 0 ? hours : (24 + interval - 1) / interval) * std::max<std::int64_t>(1, minutes) * seconds;
  else
    cost.per_day = std::max<std::int64_t>(1, hours) * std::max<std::int64_t>(1, minutes) * seconds;
  if (cost.per_day > kMaxFiringsPerDay) {
    cost.refusal = "the rule fires up to " + std::to_string(cost.per_day) + " times a day; at most " +
                   std::to_string(kMaxFiringsPerDay) +
                   " (once a minute) can be checked: a window that recurs every few seconds is one longer "
                   "window";
    cost.column = at(by_seconds != 0 ? "BYSECOND" : "FREQ");
  }
  return cost;
}

void RecurrenceRule::expand(LocalTime dtstart, LocalTime from, LocalTime to,
                            const std::function<void(LocalTime)>& visit) const {
  // Where to start: COUNT is counted from DTSTART, so such a rule cannot skip
  // ahead. libical's set_start skips ahead for daily and longer rules, but
  // loses the phase of sub-daily ones (HOURLY;INTERVAL=7 comes out shifted),
  // so those restart from DTSTART moved forward by whole periods instead,
  // a week early when BY* parts filter the periods.
  const icalrecurrencetype& rule = impl().rule;
  const std::int64_t unit = rule.freq == ICAL_HOURLY_RECURRENCE     ? 3600
                            : rule.freq == ICAL_MINUTELY_RECURRENCE ? 60
                            : rule.freq == ICAL_SECONDLY_RECURRENCE ? 1
                                                                    : 0;
  LocalTime start = dtstart;
  if (!has_count() && from > dtstart && unit != 0) {
    const Seconds period{unit * std::max<std::int64_t>(1, rule.interval)};
    const bool filtered =
        rule.by_hour[0] != ICAL_RECURRENCE_ARRAY_MAX || rule.by_day[0] != ICAL_RECURRENCE_ARRAY_MAX ||
        rule.by_month_day[0] != ICAL_RECURRENCE_ARRAY_MAX || rule.by_month[0] != ICAL_RECURRENCE_ARRAY_MAX;
    const LocalTime target = from - (filtered ? days(7) : Seconds{0});
    if (target > dtstart) start = dtstart + ((target - dtstart) / period) * period;
  }
  std::unique_ptr<icalrecur_iterator, IteratorDeleter> it(icalrecur_iterator_new(rule, to_ical(start)));
  if (!it) return;
  if (!has_count() && from > dtstart && unit == 0) icalrecur_iterator_set_start(it.get(), to_ical(from));
  for (int step = 0; step < kMaxStepsPerExpansion; ++step) {
    const icaltimetype next = icalrecur_iterator_next(it.get());
    if (icaltime_is_null_time(next)) return;
    const LocalTime local = from_ical(next);
    if (local >= to) return;
    if (local >= from) visit(local);
  }
  // Stopping quietly would drop the occurrences not yet reached: an allow.
  throw InputError("RRULE '" + excerpt(m_text) + "' needs more than " +
                   std::to_string(kMaxStepsPerExpansion) + " steps to expand from " + format_local(start) +
                   " to " + format_local(to) + "; it fires too often to be checked over that span");
}

void RRuleSchedule::occurrences(const Interval& query, std::vector<Occurrence>& out) const {
  // Local bounds widened by a day each way absorb any UTC offset.
  const LocalTime from = m_zone.to_local(query.start) - m_length - days(1);
  const LocalTime to = m_zone.to_local(query.end) + days(1);
  m_rule.expand(m_dtstart, from, to, [&](LocalTime local) {
    const Instant start = m_zone.to_instant(local);
    const Interval span = m_kind == LengthKind::wall_clock ? m_zone.to_interval(local, local + m_length)
                                                           : Interval{start, start + m_length};
    if (span.overlaps(query)) out.push_back({span, {}, std::nullopt});
  });
}

std::string RRuleSchedule::describe() const {
  return "rrule \"" + m_rule.text() + "\" for " + format_duration(m_length) + " in " + m_zone.name();
}

}  // namespace heinrich
