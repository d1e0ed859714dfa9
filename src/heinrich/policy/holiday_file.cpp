#include "heinrich/policy/holiday_file.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "heinrich/policy/data_dir.hpp"
#include "heinrich/policy/toml_reader.hpp"
#include "heinrich/util/file_io.hpp"
#include "heinrich/util/text.hpp"

namespace heinrich {

namespace fs = std::filesystem;

namespace {

const KeyList kFileKeys{"name",  "description", "timezone",         "weekend",
                        "adhoc", "holiday",     "verified_through", "cannot_compute"};
const KeyList kHolidayKeys{"name",        "date",       "lunar", "calendar", "month",      "weekday", "nth",
                           "days_before", "days_after", "from",  "until",    "substitute", "source"};
const KeyList kSubstituteKeys{"style", "on", "since", "source"};
const KeyList kAdhocFileKeys{"description", "day"};
const KeyList kAdhocKeys{"date", "name", "source", "status"};

std::string read_text(const std::string& path) {
  std::string why;
  auto text = read_whole_file(path, why);
  if (!text) throw InputError("cannot read '" + path + "': " + why);
  return std::move(*text);
}

class HolidayFileReader : private TomlReader {
 public:
  using TomlReader::TomlReader;

  HolidayRuleFile read() {
    const toml::table root = parse();
    check_keys(root, kFileKeys, "a holiday rule file");
    HolidayRuleFile file;
    file.path = m_path;
    file.rules.id = fs::path(m_path).stem().string();
    file.timezone = string_at(root, "timezone").value_or("");
    if (file.timezone.empty()) fail(root.source(), "a holiday rule file needs a 'timezone'");
    try {
      (void)Zone::get(file.timezone);
    } catch (const UnknownZoneError& error) {
      fail(root.get("timezone")->source(), error.what());
    }
    file.rules.weekend = days_at(root, "weekend");
    if (auto year = integer_at(root, "verified_through", 1900, 8999)) file.rules.verified_through = *year;
    file.rules.cannot_compute = strings_at(root, "cannot_compute");
    const toml::node* holidays = root.get("holiday");
    if (holidays == nullptr || !holidays->is_array_of_tables())
      fail(root.source(), "a holiday rule file needs [[holiday]] tables");
    for (const toml::node& element : *holidays->as_array())
      file.rules.rules.push_back(read_holiday(*element.as_table()));
    if (auto adhoc = string_at(root, "adhoc")) {
      const fs::path adhoc_path = fs::path(m_path).parent_path() / *adhoc;
      load_adhoc_days(adhoc_path.string(), file.rules);
    }
    return file;
  }

  void read_adhoc(HolidayRules& rules) {
    const toml::table root = parse();
    check_keys(root, kAdhocFileKeys, "an ad-hoc holidays file");
    const toml::node* days = root.get("day");
    if (days == nullptr) return;
    if (!days->is_array_of_tables()) fail(days->source(), "'day' must be written as [[day]] tables");
    for (const toml::node& element : *days->as_array()) {
      const toml::table& table = *element.as_table();
      check_keys(table, kAdhocKeys, "[[day]]");
      const toml::node* date = table.get("date");
      if (date == nullptr || !date->is_date())
        fail(table.source(), "[[day]] needs 'date' as a TOML date (2025-06-03)");
      const auto name = string_at(table, "name");
      if (!name || name->empty()) fail(table.source(), "[[day]] needs a 'name'");
      check_printable_name(table, *name, "[[day]]");
      const toml::date d = date->as_date()->get();
      rules.adhoc.push_back(
          {std::chrono::year{d.year} / std::chrono::month{d.month} / std::chrono::day{d.day}, *name});
    }
  }

 private:
  // "MM-DD"
  std::pair<unsigned, unsigned> month_day_at(const toml::table& table, std::string_view key) const {
    const auto text = string_at(table, key);
    const toml::node* node = table.get(key);
    unsigned month = 0, day = 0;
    if (text->size() != 5 || (*text)[2] != '-' || std::sscanf(text->c_str(), "%2u-%2u", &month, &day) != 2 ||
        month < 1 || month > 12 || day < 1 || day > 31)
      fail(node->source(), "'" + std::string(key) + "' must be \"MM-DD\", e.g. \"08-15\"");
    return {month, day};
  }

  HolidayRule read_holiday(const toml::table& table) const {
    check_keys(table, kHolidayKeys, "[[holiday]]");
    HolidayRule rule;
    const auto name = string_at(table, "name");
    if (!name || name->empty()) fail(table.source(), "[[holiday]] needs a 'name'");
    check_printable_name(table, *name, "[[holiday]]");
    rule.name = *name;
    const int forms = (table.contains("date") ? 1 : 0) + (table.contains("lunar") ? 1 : 0) +
                      (table.contains("weekday") ? 1 : 0);
    if (forms != 1)
      fail(table.source(),
           "[[holiday]] '" + rule.name + "' needs exactly one of 'date', 'lunar' or 'weekday' + 'nth'");
    if (table.contains("date")) {
      rule.kind = HolidayDateKind::fixed;
      std::tie(rule.month, rule.day) = month_day_at(table, "date");
    } else if (table.contains("lunar")) {
      rule.kind = HolidayDateKind::lunar;
      std::tie(rule.month, rule.day) = month_day_at(table, "lunar");
      if (auto calendar = string_at(table, "calendar")) {
        try {
          rule.lunar_calendar = parse_lunar_calendar(*calendar);
        } catch (const InputError& error) {
          fail(table.get("calendar")->source(), error.what());
        }
      }
    } else {
      rule.kind = HolidayDateKind::nth_weekday;
      const auto month = integer_at(table, "month", 1, 12);
      if (!month) fail(table.source(), "[[holiday]] '" + rule.name + "' with 'weekday' needs a 'month'");
      rule.month = static_cast<unsigned>(*month);
      const auto weekday = string_at(table, "weekday");
      rule.weekday = parse_weekday(*weekday);
      if (rule.weekday < 0) fail(table.get("weekday")->source(), "'" + *weekday + "' is not a weekday");
      const auto nth = integer_at(table, "nth", -1, 5);
      if (!nth || *nth == 0)
        fail(table.source(), "[[holiday]] '" + rule.name + "' needs 'nth' (1 to 5, or -1 for the last)");
      rule.nth = static_cast<int>(*nth);
    }
    rule.days_before = static_cast<int>(integer_at(table, "days_before", 0, 10).value_or(0));
    rule.days_after = static_cast<int>(integer_at(table, "days_after", 0, 10).value_or(0));
    if (auto from = integer_at(table, "from", 1900, 2200)) rule.from_year = static_cast<int>(*from);
    if (auto until = integer_at(table, "until", 1900, 2200)) rule.until_year = static_cast<int>(*until);
    if (const auto* substitute = table_at(table, "substitute"))
      rule.substitute = read_substitute(*substitute);
    return rule;
  }

  SubstitutePolicy read_substitute(const toml::table& table) const {
    check_keys(table, kSubstituteKeys, "substitute");
    SubstitutePolicy policy;
    const auto style = string_at(table, "style");
    if (!style) fail(table.source(), "substitute needs a 'style': next-free-weekday or nearest-weekday");
    if (*style == "next-free-weekday")
      policy.style = SubstitutePolicy::Style::next_free_weekday;
    else if (*style == "nearest-weekday")
      policy.style = SubstitutePolicy::Style::nearest_weekday;
    else {
      const std::string match = closest_match(*style, {"next-free-weekday", "nearest-weekday"});
      fail(table.get("style")->source(), "unknown substitute style '" + *style + "'" +
                                             (match.empty() ? "" : "; did you mean '" + match + "'?"));
    }
    const auto on = strings_at(table, "on");
    if (on.empty()) fail(table.source(), "substitute needs 'on': any of sat, sun, holiday");
    for (std::size_t i = 0; i < on.size(); ++i) {
      if (on[i] == "sat")
        policy.on_saturday = true;
      else if (on[i] == "sun")
        policy.on_sunday = true;
      else if (on[i] == "holiday")
        policy.on_other_holiday = true;
      else
        fail((*table.get("on")->as_array())[i].source(), "'" + on[i] + "' is not one of sat, sun, holiday");
    }
    if (const toml::node* since = table.get("since")) {
      if (!since->is_date()) fail(since->source(), "'since' must be a TOML date, e.g. 2021-08-04");
      const toml::date d = since->as_date()->get();
      policy.since = std::chrono::year{d.year} / std::chrono::month{d.month} / std::chrono::day{d.day};
    }
    return policy;
  }
};

std::vector<fs::path> search_directories(const std::string& policy_path) {
  std::vector<fs::path> directories;
  if (!policy_path.empty()) directories.push_back(fs::path(policy_path).parent_path() / "holidays");
  for (const fs::path& directory : installed_policy_directories())
    directories.push_back(directory / "holidays");
  return directories;
}

}  // namespace

std::vector<std::string> holiday_search_path(const std::string& policy_path) {
  std::vector<std::string> out;
  for (const auto& directory : search_directories(policy_path)) out.push_back(directory.string());
  return out;
}

HolidayRuleFile load_holiday_rules(const std::string& name, const std::string& policy_path) {
  for (const auto& directory : search_directories(policy_path)) {
    const fs::path candidate = directory / (name + ".toml");
    std::error_code error;
    if (!fs::is_regular_file(candidate, error)) continue;
    const std::string text = read_text(candidate.string());
    return HolidayFileReader(text, candidate.string()).read();
  }
  throw InputError("no built-in calendar '" + name + "'");
}

void load_adhoc_days(const std::string& path, HolidayRules& rules) {
  const std::string text = read_text(path);
  HolidayFileReader(text, path).read_adhoc(rules);
}

std::vector<std::string> available_holiday_calendars(const std::string& policy_path) {
  std::vector<std::string> names;
  for (const auto& directory : search_directories(policy_path)) {
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(directory, error)) {
      const auto stem = entry.path().stem().string();
      if (entry.path().extension() == ".toml" && stem.find("adhoc") == std::string::npos &&
          std::find(names.begin(), names.end(), stem) == names.end())
        names.push_back(stem);
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace heinrich
