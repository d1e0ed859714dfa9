#include <CLI/CLI.hpp>
#include <ostream>

#include "heinrich/cli/commands.hpp"
#include "heinrich/core/duration.hpp"
#include "heinrich/core/error.hpp"
#include "heinrich/core/time_parse.hpp"

namespace heinrich::cli {

namespace {

struct CheckOptions {
  PolicyOptions common;
  std::string at = "now";
  std::optional<std::string> duration;
  std::optional<std::string> watch;
  std::optional<std::string> environment;
  std::optional<std::string> service;
  std::string fail_on = "block";
};

int run_check(const CheckOptions& options, const Io& io) {
  Session session = open_session(options.common, io);
  const Policy& policy = session.policy;
  const ResolvedTime at = parse_time_argument(options.at, *session.zone, *session.clock);
  session.context.notes.insert(session.context.notes.end(), at.notes.begin(), at.notes.end());

  CheckReport report;
  report.duration = options.duration ? parse_duration(*options.duration) : policy.defaults.duration;
  report.watch = options.watch ? parse_duration(*options.watch) : policy.defaults.watch;
  session.context.environment = options.environment ? options.environment : policy.defaults.environment;
  if (options.service) session.context.notes.push_back("service " + *options.service);
  report.rules = &policy.rules;
  report.assessment =
      evaluate(policy.rules, Request{at.instant, report.duration, report.watch, session.context.environment});
  if (report.assessment.decision != Decision::allow) {
    NextRequest next{at.instant, report.duration, report.watch, session.context.environment, days(90), 1};
    const auto windows = find_safe_windows(policy.rules, next);
    if (!windows.empty()) report.next_safe = windows.front();
  }
  report.context = session.context;

  if (options.common.format == "json")
    io.out << render_check_json(report);
  else
    io.out << render_check_text(report, text_style(io));

  switch (report.assessment.decision) {
    case Decision::block:
      return kBlocked;
    case Decision::warn:
      return options.fail_on == "warn" ? kBlocked : kAllowed;
    case Decision::allow:
      return kAllowed;
  }
  return kInternal;
}

}  // namespace

Command make_check_command() {
  return Command{
      "check", "is it safe to deploy at a time, for a duration, to an environment?",
      [](CLI::App& app) -> std::function<int(const Io&)> {
        auto options = std::make_shared<CheckOptions>();
        add_policy_options(app, options->common, "text|json");
        app.add_option("--at", options->at, "deploy start: ISO-8601, local time, now, +2h (default: now)");
        app.add_option("--duration", options->duration, "deploy duration, e.g. 45m (default: the policy's)");
        app.add_option("--watch", options->watch,
                       "time after the deploy it can still hurt (default: the policy's)");
        app.add_option("--env", options->environment, "target environment (default: every rule applies)");
        app.add_option("--service", options->service, "service being deployed (reported)");
        app.add_option("--fail-on", options->fail_on, "exit 1 on: block (default) or warn")
            ->check(CLI::IsMember({"block", "warn"}));
        app.get_option("--format")->check(CLI::IsMember({"text", "json"}));
        return [options](const Io& io) { return run_check(*options, io); };
      }};
}

}  // namespace heinrich::cli
