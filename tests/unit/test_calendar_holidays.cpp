#include <doctest/doctest.h>

#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "heinrich/calendar/business_days.hpp"
#include "heinrich/calendar/holidays.hpp"
#include "heinrich/policy/holiday_file.hpp"

using namespace heinrich;

namespace {

std::string iso(Date date) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", int(date.year()), unsigned(date.month()),
                unsigned(date.day()));
  return buffer;
}

// "A / B" -> {"A", "B"}: the order of names on a shared day is not meaningful.
std::set<std::string> split_names(const std::string& joined) {
  std::set<std::string> out;
  std::size_t start = 0;
  while (true) {
    const auto slash = joined.find(" / ", start);
    out.insert(joined.substr(start, slash - start));
    if (slash == std::string::npos) return out;
    start = slash + 3;
  }
}

// date -> names, from an oracle CSV (date,name,kind) under tests/data/oracle.
std::map<std::string, std::set<std::string>> read_oracle(const std::string& file) {
  std::ifstream in(std::string(HEINRICH_TEST_DATA) + "/oracle/" + file);
  REQUIRE(in);
  std::map<std::string, std::set<std::string>> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line.rfind("date,", 0) == 0) continue;
    const auto first = line.find(',');
    const auto last = line.rfind(',');
    out[line.substr(0, first)] = split_names(line.substr(first + 1, last - first - 1));
  }
  return out;
}

const std::string kShippedPolicy = std::string(HEINRICH_SOURCE_DIR) + "/policies/default.toml";

}  // namespace

TEST_SUITE("calendar.holidays") {
  TEST_CASE("KR public holidays 2016-2030 match the corrected date-holidays oracle exactly") {
    const HolidayRuleFile file = load_holiday_rules("kr-public-holidays", kShippedPolicy);
    const auto expected = read_oracle("kr-holidays-2016-2030.csv");
    std::map<std::string, std::set<std::string>> computed;
    for (int year = 2016; year <= 2030; ++year)
      for (const Holiday& holiday : compute_holidays(file.rules, year))
        computed[iso(holiday.date)] = split_names(holiday.name);
    for (const auto& [date, names] : expected) {
      CAPTURE(date);
      REQUIRE(computed.count(date) == 1);
      CHECK(computed[date] == names);
    }
    for (const auto& [date, names] : computed) {
      CAPTURE(date);
      CHECK(expected.count(date) == 1);  // nothing invented
    }
    CHECK(expected.size() == computed.size());
  }

  TEST_CASE("the 2025 substitute days and the election day") {
    const HolidayRuleFile file = load_holiday_rules("kr-public-holidays", kShippedPolicy);
    std::map<std::string, HolidayKind> kinds;
    for (const Holiday& holiday : compute_holidays(file.rules, 2025)) kinds[iso(holiday.date)] = holiday.kind;
    CHECK(kinds.at("2025-03-03") == HolidayKind::substitute);
    CHECK(kinds.at("2025-05-06") == HolidayKind::substitute);
    CHECK(kinds.at("2025-10-08") == HolidayKind::substitute);
    CHECK(kinds.at("2025-06-03") == HolidayKind::adhoc);
    CHECK(kinds.count("2025-05-05") == 1);  // Children's Day and Buddha's Birthday on one day: one entry
  }

  TEST_CASE("Labour Day is a public holiday from 2026, with its substitute, and business-day rules see it") {
    // Public Holidays Act amendment of 2026-03-31 (Cabinet 2026-04-07): the
    // library oracles still lacked it months later.
    const HolidayRuleFile file = load_holiday_rules("kr-public-holidays", kShippedPolicy);
    std::map<std::string, HolidayKind> kinds;
    for (int year : {2025, 2026, 2027})
      for (const Holiday& holiday : compute_holidays(file.rules, year)) kinds[iso(holiday.date)] = holiday.kind;
    CHECK(kinds.count("2025-05-01") == 0);  // before the amendment: a paid day off, not a public holiday
    CHECK(kinds.at("2026-05-01") == HolidayKind::regular);
    CHECK(kinds.at("2027-05-01") == HolidayKind::regular);
    CHECK(kinds.at("2027-05-03") == HolidayKind::substitute);  // 2027-05-01 is a Saturday
    auto calendar = std::make_shared<HolidayCalendar>(file.rules, Zone::get("Asia/Seoul"));
    const BusinessCalendar business(calendar->weekend(), {calendar});
    using namespace std::chrono;
    CHECK_FALSE(business.is_business_day(2026y / May / 1));
    CHECK_FALSE(business.is_business_day(2027y / May / 3));
    DateRule first_business_day;
    first_business_day.kind = DateRule::Kind::business_day;
    first_business_day.business_day = 1;
    CHECK(iso(*resolve_date_rule(first_business_day, 2026y / May, business)) == "2026-05-04");
    CHECK(iso(*resolve_date_rule(first_business_day, 2027y / May, business)) == "2027-05-04");
    DateRule month_end;
    month_end.kind = DateRule::Kind::business_day;
    month_end.business_day = -1;
    CHECK(iso(*resolve_date_rule(month_end, 2026y / April, business)) == "2026-04-30");
  }

  TEST_CASE("US federal holidays 2016-2030 match date-holidays (with observed Veterans Day added)") {
    const HolidayRuleFile file = load_holiday_rules("us-federal-holidays", kShippedPolicy);
    std::ifstream in(std::string(HEINRICH_TEST_DATA) + "/oracle/us-federal-holidays-2016-2030.csv");
    REQUIRE(in);
    std::map<std::string, std::string> expected;
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#' || line.rfind("date,", 0) == 0) continue;
      expected[line.substr(0, 10)] = line.substr(11);
    }
    std::map<std::string, std::string> computed;
    for (int year = 2016; year <= 2030; ++year)
      for (const Holiday& holiday : compute_holidays(file.rules, year))
        computed[iso(holiday.date)] = holiday.kind == HolidayKind::substitute ? "observed" : "holiday";
    CHECK(computed == expected);
    CHECK(expected.size() > 150);
  }

  TEST_CASE("US federal holidays: observed days, including New Year's Day observed the year before") {
    const HolidayRuleFile file = load_holiday_rules("us-federal-holidays", kShippedPolicy);
    std::set<std::string> dates;
    for (int year = 2021; year <= 2022; ++year)
      for (const Holiday& holiday : compute_holidays(file.rules, year)) dates.insert(iso(holiday.date));
    CHECK(dates.count("2021-12-31"));  // 2022-01-01 is a Saturday
    CHECK(dates.count("2021-06-18"));  // Juneteenth 2021 on a Saturday
    CHECK(dates.count("2021-11-25"));  // Thanksgiving: fourth Thursday
    CHECK(dates.count("2022-05-30"));  // Memorial Day: last Monday of May
    CHECK(dates.count("2022-12-26"));  // Christmas on a Sunday
  }

  TEST_CASE("paydays: the 25th rolled back over weekends and holidays") {
    const HolidayRuleFile file = load_holiday_rules("kr-public-holidays", kShippedPolicy);
    auto calendar = std::make_shared<HolidayCalendar>(file.rules, Zone::get("Asia/Seoul"));
    const BusinessCalendar business(calendar->weekend(), {calendar});
    DateRule payday;
    payday.day = 25;
    payday.roll = Roll::previous_business_day;
    using namespace std::chrono;
    CHECK(iso(*resolve_date_rule(payday, 2025y / May, business)) == "2025-05-23");       // Sunday 25th
    CHECK(iso(*resolve_date_rule(payday, 2026y / December, business)) == "2026-12-24");  // Christmas
    CHECK(iso(*resolve_date_rule(payday, 2028y / January, business)) == "2028-01-25");
    // Chuseok 2026 is 24-26 September: the 25th rolls back past the 24th to the 23rd.
    CHECK_FALSE(business.is_business_day(2026y / September / 25));
    CHECK_FALSE(business.is_business_day(2026y / September / 24));
    CHECK(iso(*resolve_date_rule(payday, 2026y / September, business)) == "2026-09-23");
  }
}
