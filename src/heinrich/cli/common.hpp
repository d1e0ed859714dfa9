#pragma once
// What every policy-reading subcommand shares: options, policy, clock, zone.
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "heinrich/calendar/ics_cache.hpp"
#include "heinrich/core/clock.hpp"
#include "heinrich/policy/discovery.hpp"
#include "heinrich/policy/policy.hpp"
#include "heinrich/report/reports.hpp"

namespace CLI {
class App;
class Option;
class Validator;
}  // namespace CLI

namespace heinrich::cli {

// Exit statuses of the CLI contract (DESIGN.md section 2).
enum ExitCode : int { kAllowed = 0, kBlocked = 1, kUsage = 2, kInternal = 3 };

struct Io {
  std::ostream& out;
  std::ostream& err;
  bool out_is_tty = false;
  GetEnv getenv;
  std::string working_directory;
  bool err_is_tty = false;  // a live progress line (`wait`) may redraw itself
  // This process's argv exactly as given, argv[0] first (run() fills it):
  // CLI11 consumes and reorders what it parses, and the commands that hand
  // the command line on to heinrich-git must pass the very same one.
  std::vector<std::string> args;
};

struct PolicyOptions {
  std::optional<std::string> policy;
  std::optional<std::string> tz;
  std::string format = "text";
  LoadMode mode = LoadMode::strict;  // lenient only for the policy lint (`audit`)
};

// --policy, --tz and --format (one of `formats`).
void add_policy_options(CLI::App& command, PolicyOptions& options, const std::vector<std::string>& formats);

// What is deployed where: --duration, --watch and --env, as every command
// that evaluates a deploy (check, next, calendar, wait) takes them.
struct RequestOptions {
  std::optional<std::string> duration;
  std::optional<std::string> watch;
  std::optional<std::string> environment;
};
void add_request_options(CLI::App& command, RequestOptions& options);

// The deploy's duration and watch: the options, else the policy's defaults.
struct DeployLength {
  Seconds duration{0};
  Seconds watch{0};
};
DeployLength deploy_length(const RequestOptions& options, const Policy& policy);

// A validator that takes one of `values` ("did you mean" otherwise). The
// help, the man pages and the shell completions read the values back from
// it with choice_values(), so the list is written once.
CLI::Validator choices(const std::vector<std::string>& values);
std::vector<std::string> choice_values(CLI::Option& option);

// A policy with the clock and display zone resolved for one run.
struct Session {
  Policy policy;
  std::unique_ptr<Clock> clock;
  const Zone* zone = nullptr;  // --tz, else the policy's zone
  RunContext context;
};

Session open_session(const PolicyOptions& options, const Io& io);
// The clock: fixed by HEINRICH_NOW (a date-time, read in `zone` when it has
// no offset; `overridden` says so), else the system clock.
std::unique_ptr<Clock> clock_from_environment(const Io& io, const Zone& zone, bool& overridden);
// The parsed-calendar cache the environment names, if any.
std::optional<IcsCache> calendar_cache(const Io& io);
TextStyle text_style(const Io& io);
// The environment a command evaluates for: `given` (--env, or CI's) as the
// policy's closed set resolves it (an unknown name is an InputError), else
// `[defaults] environment`, else none (every rule applies).
std::optional<std::string> chosen_environment(const Policy& policy, const std::optional<std::string>& given);
// The staffed hours a suggested start must fall in: `--hours` when given,
// else the policy's `[defaults] hours`; null when neither (any time).
std::unique_ptr<Schedule> staffed_hours(const std::optional<std::string>& hours_option, const Policy& policy);

}  // namespace heinrich::cli
