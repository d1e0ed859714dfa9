// The floor for a whole-process `heinrich check`: start, resolve one zone
// with ICU, parse one recurrence rule with libical, print, exit.
#include <libical/ical.h>
#include <unicode/timezone.h>

#include <cstdio>
#include <memory>

int main() {
  std::unique_ptr<icu::TimeZone> zone(icu::TimeZone::createTimeZone("Asia/Seoul"));
  int32_t raw = 0, dst = 0;
  UErrorCode status = U_ZERO_ERROR;
  zone->getOffset(1.7e12, false, raw, dst, status);
  const icalrecurrencetype rule = icalrecurrencetype_from_string("FREQ=WEEKLY;BYDAY=SA,SU");
  std::printf("%d %d\n", raw + dst, static_cast<int>(rule.freq));
  return U_FAILURE(status) ? 1 : 0;
}
