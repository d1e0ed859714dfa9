#include "heinrich/calendar/lunar.hpp"

#include <unicode/calendar.h>
#include <unicode/gregocal.h>
#include <unicode/locid.h>
#include <unicode/timezone.h>

#include <memory>
#include <string>

#include "heinrich/util/error.hpp"

namespace heinrich {

namespace {

// One calendar object per kind, reused: creating ICU calendars is the
// expensive part, setting fields is cheap.
struct LunarConverter {
  std::unique_ptr<icu::Calendar> lunar;
  std::unique_ptr<icu::GregorianCalendar> gregorian;
  // The lunar year that begins in Gregorian year Y is Y + this: the calendars
  // differ by a fixed epoch, so it is read once from ICU, not assumed.
  int32_t year_offset = 0;

  explicit LunarConverter(LunarCalendar kind) {
    UErrorCode status = U_ZERO_ERROR;
    // Korean dates are Korean civil dates: both calendars work in Seoul time.
    const char* zone_id = kind == LunarCalendar::korean_dangi ? "Asia/Seoul" : "Asia/Shanghai";
    const icu::Locale locale(kind == LunarCalendar::korean_dangi ? "ko_KR@calendar=dangi"
                                                                 : "zh_CN@calendar=chinese");
    lunar.reset(icu::Calendar::createInstance(icu::TimeZone::createTimeZone(zone_id), locale, status));
    gregorian = std::make_unique<icu::GregorianCalendar>(icu::TimeZone::createTimeZone(zone_id), status);
    if (U_FAILURE(status) || !lunar || !gregorian)
      throw InputError(std::string("ICU cannot create the lunar calendar: ") + u_errorName(status));
    // On 1 June the lunar year is the one that began in that Gregorian year
    // (the lunar new year falls between 21 January and 20 February).
    gregorian->clear();
    gregorian->set(2000, UCAL_JUNE, 1, 12, 0, 0);
    lunar->setTime(gregorian->getTime(status), status);
    year_offset = lunar->get(UCAL_EXTENDED_YEAR, status) - 2000;
    if (U_FAILURE(status)) throw InputError(std::string("ICU lunar calendar: ") + u_errorName(status));
  }
};

LunarConverter& converter(LunarCalendar kind) {
  // Each is built on first use only: a Korean policy never pays for the Chinese one.
  if (kind == LunarCalendar::korean_dangi) {
    static LunarConverter dangi(LunarCalendar::korean_dangi);
    return dangi;
  }
  static LunarConverter chinese(LunarCalendar::chinese);
  return chinese;
}

}  // namespace

std::chrono::year_month_day lunar_to_gregorian(LunarCalendar calendar, int gregorian_year,
                                               unsigned lunar_month, unsigned lunar_day) {
  LunarConverter& c = converter(calendar);
  UErrorCode status = U_ZERO_ERROR;
  const int32_t lunar_year = gregorian_year + c.year_offset;
  c.lunar->clear();
  c.lunar->set(UCAL_EXTENDED_YEAR, lunar_year);
  c.lunar->set(UCAL_MONTH, static_cast<int32_t>(lunar_month) - 1);
  c.lunar->set(UCAL_IS_LEAP_MONTH, 0);
  c.lunar->set(UCAL_DATE, static_cast<int32_t>(lunar_day));
  c.lunar->set(UCAL_HOUR_OF_DAY, 12);
  c.gregorian->setTime(c.lunar->getTime(status), status);
  const int32_t year = c.gregorian->get(UCAL_YEAR, status);
  const int32_t month = c.gregorian->get(UCAL_MONTH, status) + 1;
  const int32_t day = c.gregorian->get(UCAL_DATE, status);
  if (U_FAILURE(status))
    throw InputError("ICU cannot convert lunar " + std::to_string(lunar_month) + "/" +
                     std::to_string(lunar_day) + " of " + std::to_string(gregorian_year) + ": " +
                     u_errorName(status));
  return std::chrono::year{year} / std::chrono::month{static_cast<unsigned>(month)} /
         std::chrono::day{static_cast<unsigned>(day)};
}

LunarCalendar parse_lunar_calendar(std::string_view name) {
  if (name == "dangi" || name == "korean") return LunarCalendar::korean_dangi;
  if (name == "chinese") return LunarCalendar::chinese;
  throw InputError("unknown lunar calendar '" + std::string(name) + "' (use dangi or chinese)");
}

}  // namespace heinrich
