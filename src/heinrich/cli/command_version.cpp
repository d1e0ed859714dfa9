// `heinrich version`: what this binary is and what it computes with, so a
// bug report or a fleet inventory says which law and which zone data decided.
#include <libical/ical.h>
#include <unicode/timezone.h>
#include <unicode/uvernum.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <ostream>

#include "heinrich/cli/commands.hpp"
#include "heinrich/policy/holiday_file.hpp"
#include "heinrich/util/error.hpp"

#ifndef HEINRICH_VERSION
#define HEINRICH_VERSION "0.0.0"
#endif

namespace heinrich::cli {

namespace {

struct HolidayData {
  std::string name;
  std::string path;
  std::optional<int> verified_through;
};

// The shipped holiday calendars and the last year each was checked for.
std::vector<HolidayData> shipped_holiday_data() {
  std::vector<HolidayData> out;
  for (const std::string& name : available_holiday_calendars("")) {
    try {
      const HolidayRuleFile file = load_holiday_rules(name, "");
      out.push_back({name, file.path, file.rules.verified_through});
    } catch (const std::exception&) {
      out.push_back({name, "", std::nullopt});  // unreadable: listed, with no horizon
    }
  }
  return out;
}

std::string tz_data_version() {
  UErrorCode status = U_ZERO_ERROR;
  const char* version = icu::TimeZone::getTZDataVersion(status);
  return U_SUCCESS(status) && version != nullptr ? version : "unknown";
}

int run_version(const std::string& format, const Io& io) {
  const auto holidays = shipped_holiday_data();
  if (format == "json") {
    nlohmann::ordered_json data = nlohmann::ordered_json::array();
    for (const auto& entry : holidays)
      data.push_back(
          {{"name", entry.name},
           {"file", entry.path},
           {"verified_through", entry.verified_through ? nlohmann::ordered_json(*entry.verified_through)
                                                       : nlohmann::ordered_json(nullptr)}});
    const nlohmann::ordered_json document{{"version", HEINRICH_VERSION},
                                          {"icu", U_ICU_VERSION},
                                          {"tzdata", tz_data_version()},
                                          {"libical", ICAL_VERSION},
                                          {"holidays", data}};
    io.out << document.dump(2) << "\n";
    return kAllowed;
  }
  io.out << "heinrich " << HEINRICH_VERSION << "\n"
         << "ICU " << U_ICU_VERSION << ", tz data " << tz_data_version() << ", libical " << ICAL_VERSION
         << "\n";
  for (const auto& entry : holidays)
    io.out << "holidays " << entry.name << ": "
           << (entry.verified_through ? "verified through " + std::to_string(*entry.verified_through)
                                      : std::string("no verified horizon"))
           << "\n";
  return kAllowed;
}

}  // namespace

Command make_version_command() {
  return Command{"version",
                 "print the version, the ICU, tz data and libical versions, and the holiday data's horizon",
                 [](CLI::App& app) -> std::function<int(const Io&)> {
                   auto format = std::make_shared<std::string>("text");
                   app.add_option("--format", *format, "text (default) or json")
                       ->type_name("FORMAT")
                       ->check(choices({"text", "json"}));
                   return [format](const Io& io) { return run_version(*format, io); };
                 }};
}

}  // namespace heinrich::cli
