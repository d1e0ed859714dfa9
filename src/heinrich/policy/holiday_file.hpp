#pragma once
// Built-in holiday calendars are rule files (policies/holidays/<name>.toml),
// so another country is one more file, not new code.
#include <string>
#include <vector>

#include "heinrich/calendar/holidays.hpp"

namespace heinrich {

struct HolidayRuleFile {
  HolidayRules rules;
  std::string timezone;  // the zone the holiday dates are civil dates in
  std::string path;
};

// Where rule files are looked for: beside the policy (holidays/), then the
// installed data directory. A user's file shadows the shipped one.
std::vector<std::string> holiday_search_path(const std::string& policy_path);

// Loads `<name>.toml` from the search path, with its ad-hoc days file.
// Throws SourceError (a positioned problem in a file) or InputError.
HolidayRuleFile load_holiday_rules(const std::string& name, const std::string& policy_path);

// Reads ad-hoc days ([[day]] date/name/source) from a file into `rules`.
void load_adhoc_days(const std::string& path, HolidayRules& rules);

// The names of the built-in calendars found on the search path.
std::vector<std::string> available_holiday_calendars(const std::string& policy_path);

}  // namespace heinrich
