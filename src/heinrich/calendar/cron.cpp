#include "heinrich/calendar/cron.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <span>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

#include "heinrich/core/duration.hpp"
#include "heinrich/util/text.hpp"

namespace heinrich {

namespace {

constexpr std::array<std::string_view, 12> kMonthNames{"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                       "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
constexpr std::array<std::string_view, 12> kMonthFullNames{"January",   "February", "March",    "April",
                                                           "May",       "June",     "July",     "August",
                                                           "September", "October",  "November", "December"};
constexpr std::array<std::string_view, 7> kWeekdayNames{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};
// 29 February counts: an expression for it fires every leap year.
constexpr std::array<unsigned, 12> kMaxMonthDays{31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

struct FieldSpec {
  std::string_view name;
  int low;
  int high;
  std::span<const std::string_view> names;  // names[i] stands for low + i
};

constexpr std::array<FieldSpec, 5> kFields{{
    {"minute", 0, 59, {}},
    {"hour", 0, 23, {}},
    {"day-of-month", 1, 31, {}},
    {"month", 1, 12, kMonthNames},
    {"day-of-week", 0, 7, kWeekdayNames},  // 7 is Sunday again
}};

struct Field {
  std::string_view text;
  std::size_t column;
};

std::vector<Field> split_fields(std::string_view text) {
  std::vector<Field> fields;
  std::size_t i = 0;
  while (i < text.size()) {
    if (std::isspace(static_cast<unsigned char>(text[i]))) {
      ++i;
      continue;
    }
    const std::size_t start = i;
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    fields.push_back({text.substr(start, i - start), start});
  }
  return fields;
}

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
}

bool all_letters(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalpha(static_cast<unsigned char>(c)) != 0;
  });
}

// Parses one field into a bit set (bit n = value n) with the field's own
// error messages, all pointing at the field.
class FieldParser {
 public:
  FieldParser(const FieldSpec& spec, Field field) : m_spec(spec), m_field(field) {}

  std::uint64_t parse() const {
    // Quartz/Jenkins extensions look plausible but mean nothing to Vixie cron;
    // accepting them silently would schedule something other than intended.
    for (const char c : {'?', '#'})
      if (m_field.text.find(c) != std::string_view::npos) unsupported(c);
    std::uint64_t bits = 0;
    std::size_t begin = 0;
    while (true) {
      const std::size_t comma = m_field.text.find(',', begin);
      const std::string_view item = m_field.text.substr(
          begin, comma == std::string_view::npos ? std::string_view::npos : comma - begin);
      if (item.empty()) fail(fmt::format("has an empty list item in '{}'", m_field.text));
      bits |= parse_item(item);
      if (comma == std::string_view::npos) break;
      begin = comma + 1;
    }
    return bits;
  }

 private:
  [[noreturn]] void fail(const std::string& why) const {
    throw CronError(fmt::format("cron field '{}' {}", m_spec.name, why), m_field.column, m_field.text.size());
  }

  [[noreturn]] void unsupported(char what) const {
    fail(
        fmt::format("uses '{}', which is not supported (only standard cron: *, numbers, names, a-b ranges, "
                    "/n steps and comma lists)",
                    what));
  }

  std::uint64_t parse_item(std::string_view item) const {
    const std::size_t slash = item.find('/');
    const std::string_view base = item.substr(0, slash);
    int step = 1;
    if (slash != std::string_view::npos) step = parse_step(item.substr(slash + 1));

    int first = m_spec.low;
    int last = m_spec.high;
    if (base == "*") {
      // Sunday is both 0 and 7, so the whole week is 0-6 either way.
    } else if (const std::size_t dash = base.find('-'); dash != std::string_view::npos) {
      first = parse_value(base.substr(0, dash));
      last = parse_value(base.substr(dash + 1));
      if (first > last)
        fail(fmt::format("range {} runs backwards (write it as two ranges, e.g. '{}-{},{}-{}')", base, first,
                         m_spec.high, m_spec.low, last));
    } else {
      first = parse_value(base);
      // "a/n" runs from a to the field's end; a plain "a" is just a.
      if (slash == std::string_view::npos) last = first;
    }

    const bool sunday_twice = m_spec.high == 7;
    std::uint64_t bits = 0;
    for (int value = first; value <= last; value += step)
      bits |= std::uint64_t{1} << (sunday_twice ? value % 7 : value);
    return bits;
  }

  int parse_step(std::string_view text) const {
    if (text.empty()) fail(fmt::format("has a '/' without a step in '{}'", m_field.text));
    if (!all_digits(text)) fail(fmt::format("step '{}' is not a number", text));
    const int step = text.size() > 4 ? 10000 : std::stoi(std::string(text));
    // A step past the field's end cannot repeat ("*/90" in minutes fires once an
    // hour, not every 90 minutes), so it is a mistake worth reporting.
    if (step < 1 || step > m_spec.high) fail(fmt::format("step {} is out of range 1-{}", text, m_spec.high));
    return step;
  }

  int parse_value(std::string_view token) const {
    if (token.empty()) fail(fmt::format("has a range with a missing end in '{}'", m_field.text));
    const std::string upper = to_upper(token);
    if (upper == "L" || upper == "LW" || upper == "W") unsupported(upper[0]);
    if (upper.size() > 1 && all_digits(std::string_view(upper).substr(0, upper.size() - 1)) &&
        (upper.back() == 'L' || upper.back() == 'W'))
      unsupported(upper.back());

    if (all_digits(token)) {
      const int value = token.size() > 4 ? 10000 : std::stoi(std::string(token));
      if (value < m_spec.low || value > m_spec.high)
        fail(fmt::format("value {} is out of range {}-{}", token, m_spec.low, m_spec.high));
      return value;
    }
    if (m_spec.names.empty() || !all_letters(token)) fail(fmt::format("value '{}' is not a number", token));

    std::vector<std::string> candidates;
    for (std::size_t i = 0; i < m_spec.names.size(); ++i) {
      if (upper == m_spec.names[i]) return m_spec.low + static_cast<int>(i);
      candidates.emplace_back(m_spec.names[i]);
    }
    std::string why = fmt::format("has unknown name '{}' (use {}-{} or numbers {}-{}", token,
                                  m_spec.names.front(), m_spec.names.back(), m_spec.low, m_spec.high);
    if (const std::string guess = closest_match(upper, candidates); !guess.empty())
      why += "; did you mean " + guess + "?";
    fail(why + ")");
  }

  const FieldSpec& m_spec;
  Field m_field;
};

std::string_view expand_macro(Field macro) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kMacros{{
      {"@yearly", "0 0 1 1 *"},
      {"@annually", "0 0 1 1 *"},
      {"@monthly", "0 0 1 * *"},
      {"@weekly", "0 0 * * 0"},
      {"@daily", "0 0 * * *"},
      {"@midnight", "0 0 * * *"},
      {"@hourly", "0 * * * *"},
  }};
  const std::string lower = to_lower(macro.text);
  std::vector<std::string> names;
  for (const auto& [name, expansion] : kMacros) {
    if (lower == name) return expansion;
    names.emplace_back(name);
  }
  if (lower == "@reboot")
    throw CronError("cron macro '@reboot' is not supported: it names no time of day", macro.column,
                    macro.text.size());
  std::string message = fmt::format("unknown cron macro '{}'", macro.text);
  if (const std::string guess = closest_match(lower, names); !guess.empty())
    message += fmt::format(" (did you mean {}?)", guess);
  else
    message += " (use @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly)";
  throw CronError(message, macro.column, macro.text.size());
}

template <typename Bits>
bool has_bit(Bits bits, unsigned n) {
  return ((static_cast<std::uint64_t>(bits) >> n) & 1U) != 0;
}

std::string join_or(const std::vector<std::string>& words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? " or " : ", ";
    out += words[i];
  }
  return out;
}

// The shape a person writes a window length in: "60h" rather than "2d12h".
std::string format_length(Seconds length) {
  const auto count = length.count();
  if (count % 86400 != 0 && count % 3600 == 0) return fmt::format("{}h", count / 3600);
  return format_duration(length);
}

std::chrono::local_days first_of_next_month(std::chrono::year_month_day date) {
  return std::chrono::local_days{(date.year() / date.month() + std::chrono::months{1}) / std::chrono::day{1}};
}

}  // namespace

CronExpression CronExpression::parse(std::string_view text) {
  std::vector<Field> fields = split_fields(text);
  if (fields.empty())
    throw CronError(
        "cron expression is empty (expected minute hour day-of-month month day-of-week, e.g. "
        "'0 22 * * FRI')",
        0, 1);

  CronExpression expr;
  const std::size_t text_begin = fields.front().column;
  expr.m_text =
      std::string(text.substr(text_begin, fields.back().column + fields.back().text.size() - text_begin));

  if (fields.front().text.front() == '@') {
    if (fields.size() > 1)
      throw CronError(
          fmt::format("cron macro '{}' stands alone; remove '{}'", fields.front().text, fields[1].text),
          fields[1].column, fields[1].text.size());
    const Field macro = fields.front();
    fields = split_fields(expand_macro(macro));
    // The expansion is well-formed; any position still points at the macro.
    for (auto& field : fields) field.column = macro.column;
  }

  if (fields.size() != kFields.size()) {
    const bool too_many = fields.size() > kFields.size();
    throw CronError(fmt::format("cron needs 5 fields (minute hour day-of-month month day-of-week), got {}",
                                fields.size()),
                    too_many ? fields[kFields.size()].column : text.size(),
                    too_many ? fields[kFields.size()].text.size() : 1);
  }

  std::array<std::uint64_t, 5> bits{};
  for (std::size_t i = 0; i < kFields.size(); ++i) bits[i] = FieldParser(kFields[i], fields[i]).parse();
  expr.m_minutes = bits[0];
  expr.m_hours = static_cast<std::uint32_t>(bits[1]);
  expr.m_days = static_cast<std::uint32_t>(bits[2]);
  expr.m_months = static_cast<std::uint16_t>(bits[3]);
  expr.m_weekdays = static_cast<std::uint8_t>(bits[4]);
  // Vixie decides this on the text, not the values: "*/2" still counts as '*'.
  expr.m_either_day_field = fields[2].text.front() != '*' && fields[4].text.front() != '*';

  if (!expr.m_either_day_field) {
    // Every (month, day) pair falls on every weekday somewhere in the 400-year
    // Gregorian cycle, so only the month and day-of-month fields can conflict.
    bool fires = false;
    std::vector<std::string> months;
    for (unsigned month = 1; month <= 12; ++month) {
      if (!has_bit(expr.m_months, month)) continue;
      months.emplace_back(kMonthFullNames[month - 1]);
      for (unsigned day = 1; day <= kMaxMonthDays[month - 1]; ++day)
        fires = fires || has_bit(expr.m_days, day);
    }
    if (!fires)
      throw CronError(fmt::format("cron '{}' never fires: day-of-month '{}' does not occur in {}",
                                  expr.m_text, fields[2].text, join_or(months)),
                      fields[2].column, fields[2].text.size());
  }

  for (unsigned hour = 0; hour < 24; ++hour) {
    if (!has_bit(expr.m_hours, hour)) continue;
    for (unsigned minute = 0; minute < 60; ++minute)
      if (has_bit(expr.m_minutes, minute))
        expr.m_minutes_of_day.push_back(static_cast<int>(hour * 60 + minute));
  }
  return expr;
}

bool CronExpression::matches_month(std::chrono::month month) const {
  return month.ok() && has_bit(m_months, static_cast<unsigned>(month));
}

bool CronExpression::matches_day(std::chrono::year_month_day date) const {
  if (!date.ok() || !matches_month(date.month())) return false;
  const bool day_of_month = has_bit(m_days, static_cast<unsigned>(date.day()));
  const bool day_of_week =
      has_bit(m_weekdays, std::chrono::weekday{std::chrono::sys_days{date}}.c_encoding());
  return m_either_day_field ? day_of_month || day_of_week : day_of_month && day_of_week;
}

bool CronExpression::matches(LocalTime local) const {
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const auto into_day = local - day;
  if (into_day.count() % 60 != 0) return false;
  const auto minute_of_day = static_cast<int>(into_day.count() / 60);
  return matches_day(std::chrono::year_month_day{day}) &&
         std::binary_search(m_minutes_of_day.begin(), m_minutes_of_day.end(), minute_of_day);
}

LocalTime CronExpression::next_after(LocalTime after) const {
  auto day = std::chrono::floor<std::chrono::days>(after);
  // The Gregorian calendar repeats every 400 years (146097 days) and parse()
  // rejects expressions that never fire, so this bound is never reached.
  const auto limit = day + std::chrono::days{146097};
  while (day < limit) {
    const std::chrono::year_month_day date{day};
    if (!matches_month(date.month())) {
      day = first_of_next_month(date);
      continue;
    }
    if (matches_day(date)) {
      for (const int minute_of_day : m_minutes_of_day) {
        const LocalTime fire = day + minutes(minute_of_day);
        if (fire > after) return fire;
      }
    }
    day += std::chrono::days{1};
  }
  throw std::logic_error("cron '" + m_text + "' never fires");
}

CronSchedule::CronSchedule(CronExpression expr, Seconds duration, const Zone& zone)
    : m_expr(std::move(expr)), m_duration(duration), m_zone(zone) {
  if (m_duration <= Seconds{0})
    throw InputError(fmt::format("cron \"{}\" needs a positive duration, got {}", m_expr.text(),
                                 format_duration(m_duration)));
}

// DST, decided once for every cron window:
// - A wall time in a spring-forward gap fires at zone.to_instant(T), the instant
//   it names with the offset in force before the gap (02:30 in New York's gap is
//   07:30Z, i.e. 03:30 EDT). Vixie cron runs such jobs right after the jump, so
//   this is where a real cron job lands, give or take the gap's start.
// - A wall time in an autumn overlap fires once, at the earlier instant. Vixie
//   does not rerun fixed-time jobs when the clock goes back, and one window per
//   firing is what a policy author means by "every day at 02:30".
// A gap firing can land on the same instant as a later wall time ("*/15" at
// 02:15 and 03:15 are both 07:15Z); such duplicates are reported once.
void CronSchedule::occurrences(const Interval& query, std::vector<Occurrence>& out) const {
  if (query.empty()) return;
  // Occurrences that start after query.start - duration can reach into the
  // query. Local and UTC order differ by up to the size of a DST jump, so one
  // spare day on each side covers every wall time that can map into range.
  const auto first_day =
      std::chrono::floor<std::chrono::days>(m_zone.to_local(query.start - m_duration)) - std::chrono::days{1};
  const auto last_day =
      std::chrono::floor<std::chrono::days>(m_zone.to_local(query.end)) + std::chrono::days{1};

  std::vector<Occurrence> found;
  for (auto day = first_day; day <= last_day;) {
    const std::chrono::year_month_day date{day};
    if (!m_expr.matches_month(date.month())) {
      day = first_of_next_month(date);
      continue;
    }
    if (m_expr.matches_day(date)) {
      // Resolving through ICU costs two offset look-ups per firing. A day that
      // lasts exactly 24h with unambiguous midnights has one offset throughout
      // (the tz database has no pair of transitions that cancel within a day),
      // so dense expressions resolve once per day instead of once per firing.
      std::optional<Seconds> day_offset;
      if (m_expr.minutes_of_day().size() > 2) {
        const LocalResolution midnight = m_zone.resolve(day);
        const LocalResolution next_midnight = m_zone.resolve(day + std::chrono::days{1});
        if (midnight.kind == LocalKind::unique && next_midnight.kind == LocalKind::unique &&
            next_midnight.earlier - midnight.earlier == days(1))
          day_offset = day.time_since_epoch() - midnight.earlier.time_since_epoch();
      }
      for (const int minute_of_day : m_expr.minutes_of_day()) {
        const LocalTime local = day + minutes(minute_of_day);
        const Instant start =
            day_offset ? Instant{local.time_since_epoch() - *day_offset} : m_zone.to_instant(local);
        if (start >= query.end) continue;  // not break: a gap firing can precede later ones
        const Interval span{start, start + m_duration};
        if (!span.overlaps(query)) continue;
        if (found.size() == kMaxOccurrences)
          throw InputError(
              fmt::format("cron \"{}\" fires more than {} times between {} and {}; ask for a shorter range "
                          "or use a coarser expression",
                          m_expr.text(), kMaxOccurrences, format_utc(query.start), format_utc(query.end)));
        found.push_back({span, {}, std::nullopt});
      }
    }
    day += std::chrono::days{1};
  }

  std::stable_sort(found.begin(), found.end(),
                   [](const Occurrence& a, const Occurrence& b) { return a.span.start < b.span.start; });
  const auto unique_end =
      std::unique(found.begin(), found.end(),
                  [](const Occurrence& a, const Occurrence& b) { return a.span.start == b.span.start; });
  out.insert(out.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(unique_end));
}

std::string CronSchedule::describe() const {
  return fmt::format("cron \"{}\" for {} in {}", m_expr.text(), format_length(m_duration), m_zone.name());
}

}  // namespace heinrich
