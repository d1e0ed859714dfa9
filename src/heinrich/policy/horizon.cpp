#include "heinrich/policy/horizon.hpp"

#include <fmt/format.h>

#include <chrono>

namespace heinrich {

std::vector<Finding> horizon_warnings(const Policy& policy, const Interval& asked) {
  std::vector<Finding> out;
  for (const DataHorizon& horizon : policy.horizons) {
    // The last moment asked about, as a civil date where the holidays are.
    const Instant last = asked.end > asked.start ? asked.end - Seconds{1} : asked.start;
    const LocalTime local = horizon.zone->to_local(last);
    const std::chrono::year_month_day date{std::chrono::floor<std::chrono::days>(local)};
    if (static_cast<int>(date.year()) <= horizon.verified_through) continue;
    std::string missing;
    for (const std::string& kind : horizon.cannot_compute) missing += (missing.empty() ? "" : "; ") + kind;
    Finding finding;
    finding.code = "H113";
    finding.severity = Severity::warning;
    finding.where = horizon.where;
    finding.rule = horizon.calendar;
    finding.message = fmt::format(
        "'{}' ({}) is verified only through {}, and this asks about {:04}-{:02}-{:02}: later days follow the "
        "law as it stood when the data was checked{}",
        horizon.calendar, horizon.data, horizon.verified_through, static_cast<int>(date.year()),
        static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
        missing.empty() ? std::string() : ", and these may be missing: " + missing);
    finding.hint =
        "check the year against the official almanac and add missing days to the calendar "
        "(holidays = [{ date = …, name = … }]), or upgrade heinrich's holiday data";
    out.push_back(std::move(finding));
  }
  return out;
}

std::vector<Finding> data_warnings(const Policy& policy, const Interval& asked) {
  std::vector<Finding> out = policy.warnings;
  for (Finding& warning : horizon_warnings(policy, asked)) out.push_back(std::move(warning));
  return out;
}

}  // namespace heinrich
