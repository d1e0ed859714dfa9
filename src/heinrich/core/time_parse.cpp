#include "heinrich/core/time_parse.hpp"

#include <cctype>

#include "heinrich/core/duration.hpp"
#include "heinrich/util/error.hpp"
#include "heinrich/util/text.hpp"

namespace heinrich {

namespace {

bool read_digits(std::string_view text, std::size_t& pos, std::size_t count, int& value) {
  if (pos + count > text.size()) return false;
  value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const char c = text[pos + i];
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    value = value * 10 + (c - '0');
  }
  pos += count;
  return true;
}

bool expect(std::string_view text, std::size_t& pos, char c) {
  if (pos < text.size() && text[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

}  // namespace

void check_supported_year(int year, std::string_view what) {
  if (year < kFirstSupportedYear || year > kLastSupportedYear)
    throw InputError(std::string(what) + " is in the year " + std::to_string(year) +
                     "; heinrich answers for the years " + std::to_string(kFirstSupportedYear) + " to " +
                     std::to_string(kLastSupportedYear));
}

std::optional<CivilTime> parse_civil(std::string_view text) {
  std::size_t pos = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!read_digits(text, pos, 4, year) || !expect(text, pos, '-') || !read_digits(text, pos, 2, month) ||
      !expect(text, pos, '-') || !read_digits(text, pos, 2, day))
    return std::nullopt;
  CivilTime result;
  if (pos == text.size()) {
    result.date_only = true;
  } else {
    if (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ') return std::nullopt;
    ++pos;
    if (!read_digits(text, pos, 2, hour) || !expect(text, pos, ':') || !read_digits(text, pos, 2, minute))
      return std::nullopt;
    if (expect(text, pos, ':') && !read_digits(text, pos, 2, second)) return std::nullopt;
    if (pos < text.size()) {
      const char c = text[pos];
      if ((c == 'Z' || c == 'z') && pos + 1 == text.size()) {
        result.offset = Seconds{0};
        ++pos;
      } else if (c == '+' || c == '-') {
        ++pos;
        int oh = 0, om = 0;
        if (!read_digits(text, pos, 2, oh)) return std::nullopt;
        expect(text, pos, ':');
        if (!read_digits(text, pos, 2, om)) return std::nullopt;
        if (oh > 18 || om > 59) throw InputError("invalid UTC offset in '" + std::string(text) + "'");
        const int sign = c == '-' ? -1 : 1;
        result.offset = Seconds{sign * (oh * 3600 + om * 60)};
      }
      if (pos != text.size()) return std::nullopt;
    }
  }
  using namespace std::chrono;
  const year_month_day ymd{std::chrono::year{year}, std::chrono::month{unsigned(month)},
                           std::chrono::day{unsigned(day)}};
  if (!ymd.ok()) throw InputError("invalid date '" + std::string(text.substr(0, 10)) + "': no such day");
  check_supported_year(year, "'" + excerpt(text) + "'");
  if (hour > 24 || minute > 59 || second > 59 || (hour == 24 && (minute != 0 || second != 0)))
    throw InputError("invalid time of day in '" + std::string(text) + "'");
  result.local = local_days{ymd} + Seconds{hour * 3600 + minute * 60 + second};
  return result;
}

ResolvedTime resolve_strict(LocalTime local, const Zone& zone) {
  const LocalResolution resolution = zone.resolve(local);
  ResolvedTime out{resolution.earlier, {}};
  if (resolution.kind == LocalKind::gap) {
    throw InputError(format_local(local) + " does not exist in " + zone.name() + ": clocks jump from " +
                     format_local(resolution.transition_local_from) + " to " +
                     format_local(resolution.transition_local_to) +
                     " (daylight saving time); give a time outside the gap or an explicit offset");
  }
  if (resolution.kind == LocalKind::ambiguous) {
    out.notes.push_back(format_local(local) + " happens twice in " + zone.name() +
                        " (clocks go back); took the earlier instant " + zone.format(resolution.earlier) +
                        ", the later one is " + zone.format(resolution.later));
  }
  return out;
}

ResolvedTime parse_time_argument(std::string_view text, const Zone& zone, const Clock& clock) {
  auto supported = [&](Instant instant) {
    const std::chrono::year_month_day ymd{std::chrono::floor<std::chrono::days>(instant)};
    check_supported_year(int(ymd.year()), "'" + excerpt(text) + "' (" + format_utc(instant) + ")");
    return ResolvedTime{instant, {}};
  };
  if (text == "now") return supported(clock.now());
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
    const Seconds amount = parse_duration(text.substr(1));
    return supported(text[0] == '+' ? clock.now() + amount : clock.now() - amount);
  }
  const auto civil = parse_civil(text);
  if (!civil)
    throw InputError("invalid time '" + std::string(text) +
                     "' (use e.g. 2026-12-24T18:00, 2026-12-24T18:00+09:00, now or +2h)");
  if (civil->offset) return {Instant{civil->local.time_since_epoch() - *civil->offset}, {}};
  return resolve_strict(civil->local, zone);
}

}  // namespace heinrich
