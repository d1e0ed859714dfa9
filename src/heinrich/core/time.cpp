#include "heinrich/core/time.hpp"

#include <fmt/format.h>

namespace heinrich {

namespace {
std::string format_civil(std::chrono::sys_seconds as_if_utc) {
  using namespace std::chrono;
  const auto day = floor<std::chrono::days>(as_if_utc);
  const year_month_day ymd{day};
  const hh_mm_ss hms{as_if_utc - day};
  // RFC 3339 always has seconds: "…T01:00Z" fails jq's fromdateiso8601 and
  // Go's time.RFC3339.
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", int(ymd.year()), unsigned(ymd.month()),
                     unsigned(ymd.day()), hms.hours().count(), hms.minutes().count(), hms.seconds().count());
}
}  // namespace

std::string format_utc(Instant instant) {
  return format_civil(instant) + "Z";
}

std::string format_local(LocalTime local) {
  return format_civil(std::chrono::sys_seconds{local.time_since_epoch()});
}

std::string format_offset(Seconds offset) {
  const auto total = offset.count();
  const char sign = total < 0 ? '-' : '+';
  const auto magnitude = total < 0 ? -total : total;
  return fmt::format("{}{:02}:{:02}", sign, magnitude / 3600, (magnitude % 3600) / 60);
}

LocalTime make_local(int year, unsigned month, unsigned day, int hour, int minute, int second) {
  using namespace std::chrono;
  const local_days date{std::chrono::year{year} / std::chrono::month{month} / std::chrono::day{day}};
  return date + Seconds{hour * 3600 + minute * 60 + second};
}

}  // namespace heinrich
