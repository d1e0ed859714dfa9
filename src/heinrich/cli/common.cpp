#include "heinrich/cli/common.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>

#include "heinrich/calendar/ics_cache.hpp"
#include "heinrich/core/day_span.hpp"
#include "heinrich/core/duration.hpp"
#include "heinrich/core/time_parse.hpp"
#include "heinrich/core/zone.hpp"
#include "heinrich/policy/environments.hpp"
#include "heinrich/util/error.hpp"
#include "heinrich/util/text.hpp"

namespace heinrich::cli {

namespace {
constexpr const char* kChoicesValidator = "choices";
}

CLI::Validator choices(const std::vector<std::string>& values) {
  std::string listed;
  for (const auto& value : values) listed += (listed.empty() ? "" : ",") + value;
  return CLI::Validator(
      [values, listed](std::string& input) -> std::string {
        if (std::find(values.begin(), values.end(), input) != values.end()) return {};
        const std::string match = closest_match(input, values);
        return "'" + excerpt(input) + "' is not one of " + listed +
               (match.empty() ? "" : "; did you mean '" + match + "'?");
      },
      "{" + listed + "}", kChoicesValidator);
}

std::vector<std::string> choice_values(CLI::Option& option) {
  std::string description;
  try {
    description = option.get_validator(kChoicesValidator)->get_description();
  } catch (const CLI::OptionNotFound&) {
    return {};
  }
  if (description.size() < 2) return {};
  std::vector<std::string> values;
  std::string current;
  for (const char c : description.substr(1, description.size() - 2)) {
    if (c == ',') {
      values.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  values.push_back(current);
  return values;
}

void add_policy_options(CLI::App& command, PolicyOptions& options, const std::vector<std::string>& formats) {
  command
      .add_option("--policy", options.policy,
                  "policy file (default: $HEINRICH_POLICY, heinrich.toml, built-in)")
      ->type_name("FILE");
  command
      .add_option("--tz", options.tz, "IANA zone for reading and showing local times (default: the policy's)")
      ->type_name("ZONE");
  std::string listed;
  for (const auto& format : formats) listed += (listed.empty() ? "" : ", ") + format;
  command
      .add_option("--format", options.format,
                  "output format: " + listed + " (default: " + formats.front() + ")")
      ->type_name("FORMAT")
      ->check(choices(formats));
}

void add_request_options(CLI::App& command, RequestOptions& options) {
  command.add_option("--duration", options.duration, "deploy duration, e.g. 45m (default: the policy's)")
      ->type_name("DUR");
  command
      .add_option("--watch", options.watch, "time after the deploy it can still hurt (default: the policy's)")
      ->type_name("DUR");
  command.add_option("--env", options.environment, "target environment (default: every rule applies)")
      ->type_name("ENV");
}

DeployLength deploy_length(const RequestOptions& options, const Policy& policy) {
  return {options.duration ? parse_duration(*options.duration) : policy.defaults.duration,
          options.watch ? parse_duration(*options.watch) : policy.defaults.watch};
}

std::optional<IcsCache> calendar_cache(const Io& io) {
  if (auto directory = calendar_cache_directory(io.getenv)) return IcsCache(std::move(*directory));
  return std::nullopt;
}

Session open_session(const PolicyOptions& options, const Io& io) {
  Session session;
  const std::string path = discover_policy(options.policy, io.getenv, io.working_directory);
  const std::optional<IcsCache> cache = calendar_cache(io);
  session.policy = load_policy_file(path, LoadOptions{options.mode, cache ? &*cache : nullptr});
  session.zone = options.tz ? &Zone::get(*options.tz) : session.policy.zone;
  session.context.policy_path = path;
  session.context.zone = session.zone;

  session.clock = clock_from_environment(io, *session.zone, session.context.clock_overridden);
  return session;
}

std::unique_ptr<Clock> clock_from_environment(const Io& io, const Zone& zone, bool& overridden) {
  overridden = false;
  const auto now = io.getenv("HEINRICH_NOW");
  if (!now || now->empty()) return std::make_unique<SystemClock>();
  if (*now == "now" || (*now)[0] == '+' || (*now)[0] == '-')
    throw InputError("HEINRICH_NOW must be a date-time such as 2026-12-24T18:00+09:00, not '" + *now + "'");
  const SystemClock unused;
  try {
    auto fixed = std::make_unique<FixedClock>(parse_time_argument(*now, zone, unused).instant);
    overridden = true;
    return fixed;
  } catch (const InputError& error) {
    throw InputError(std::string("HEINRICH_NOW: ") + error.what());
  }
}

TextStyle text_style(const Io& io) {
  const auto no_colour = io.getenv("NO_COLOR");
  return TextStyle{io.out_is_tty && !(no_colour && !no_colour->empty())};
}

std::optional<std::string> chosen_environment(const Policy& policy, const std::optional<std::string>& given) {
  if (given) return resolve_environment(policy.environments, *given);
  return policy.defaults.environment;
}

std::unique_ptr<Schedule> staffed_hours(const std::optional<std::string>& hours_option,
                                        const Policy& policy) {
  std::optional<DaySpan> span = policy.defaults.staffed;
  if (hours_option) {
    try {
      span = parse_day_span(*hours_option);
    } catch (const InputError& error) {
      throw InputError(std::string("--hours: ") + error.what());
    }
  }
  if (!span) return nullptr;
  return std::make_unique<DailySpanSchedule>(WeekdaySet{}, *span, *policy.zone);
}

}  // namespace heinrich::cli
