#include <CLI/CLI.hpp>
#include <ostream>

#include "heinrich/cli/ci_output.hpp"
#include "heinrich/cli/commands.hpp"
#include "heinrich/core/duration.hpp"
#include "heinrich/core/error.hpp"
#include "heinrich/core/time_parse.hpp"
#include "heinrich/policy/horizon.hpp"

namespace heinrich::cli {

namespace {

struct CheckOptions {
  PolicyOptions common;
  std::string at = "now";
  std::optional<std::string> duration;
  std::optional<std::string> watch;
  std::optional<std::string> environment;
  std::optional<std::string> service;
  std::optional<std::string> hours;
  std::string fail_on = "block";
  bool ci = false;                    // pick format and environment from the CI's variables
  std::optional<std::string> output;  // -o FILE: the report goes there, text to stdout
  const CLI::Option* format_option = nullptr;
};

int run_check(const CheckOptions& options, const Io& io) {
  Session session = open_session(options.common, io);
  const Policy& policy = session.policy;
  std::string format = options.common.format;
  std::optional<std::string> environment = options.environment;
  std::optional<CiSettings::UnmappedRef> not_a_deploy;
  std::string ci_name;
  if (options.ci) {
    if (auto ci = detect_ci(io.getenv, policy.push)) {
      if (options.format_option->count() == 0) format = ci->format;
      if (!environment) {
        environment = ci->environment;
        not_a_deploy = ci->not_a_deploy;
      }
      ci_name = ci->name;
      session.context.notes.insert(session.context.notes.end(), ci->notes.begin(), ci->notes.end());
    } else {
      session.context.notes.push_back(
          "--ci: no CI detected (GITHUB_ACTIONS, GITLAB_CI, JENKINS_URL, CI unset)");
    }
  }
  const ResolvedTime at = parse_time_argument(options.at, *session.zone, *session.clock);
  session.context.notes.insert(session.context.notes.end(), at.notes.begin(), at.notes.end());
  if (not_a_deploy) {
    // A pull-request or feature-branch build: judging every rule would
    // block builds that deploy nothing, so say what was seen and pass.
    const NotADeployReport skip{session.context, at.instant, ci_name, not_a_deploy->variable, not_a_deploy->ref};
    deliver_report(io, options.output, format,
                   {[&](TextStyle style) { return render_not_a_deploy_text(skip, style); },
                    [&] { return render_not_a_deploy_json(skip); }, [&] { return ci_from_not_a_deploy(skip); }});
    return kAllowed;
  }

  CheckReport report;
  report.duration = options.duration ? parse_duration(*options.duration) : policy.defaults.duration;
  report.watch = options.watch ? parse_duration(*options.watch) : policy.defaults.watch;
  session.context.environment = chosen_environment(policy, environment);
  // Services are not in the policy schema yet: a name that scopes nothing
  // must not look as if it did (fail closed).
  if (options.service)
    throw InputError("unknown service '" + *options.service +
                     "': this policy defines no services, so --service cannot scope the check");
  const auto staffed = staffed_hours(options.hours, policy);  // a bad --hours is an error at any time
  report.rules = &policy.rules;
  report.assessment =
      evaluate(policy.rules, Request{at.instant, report.duration, report.watch, session.context.environment});
  if (report.assessment.decision != Decision::allow) {
    NextRequest next{at.instant, report.duration, report.watch, session.context.environment, days(90), 1};
    next.staffed = staffed.get();
    const auto windows = find_safe_windows(policy.rules, next);
    if (!windows.empty()) report.next_safe = windows.front();
  }
  // The deploy's own stretch, and the start proposed instead of it.
  Instant asked_end = report.assessment.exposure.end;
  if (report.next_safe)
    asked_end = std::max(asked_end, report.next_safe->start + report.duration + report.watch);
  session.context.warnings = data_warnings(policy, Interval{at.instant, asked_end});
  report.context = session.context;

  const bool fail_on_warn = options.fail_on == "warn";
  deliver_report(
      io, options.output, format,
      {[&](TextStyle style) { return render_check_text(report, style); },
       [&] { return render_check_json(report); }, [&] { return ci_from_check(report, fail_on_warn); }});

  switch (report.assessment.decision) {
    case Decision::block:
      return kBlocked;
    case Decision::warn:
      return fail_on_warn ? kBlocked : kAllowed;
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
        add_policy_options(app, options->common, {"text", "json", "github", "junit", "sarif"});
        app.add_option("--at", options->at, "deploy start: ISO-8601, local time, now, +2h (default: now)")
            ->type_name("TIME");
        app.add_option("--duration", options->duration, "deploy duration, e.g. 45m (default: the policy's)")
            ->type_name("DUR");
        app.add_option("--watch", options->watch,
                       "time after the deploy it can still hurt (default: the policy's)")
            ->type_name("DUR");
        app.add_option("--env", options->environment, "target environment (default: every rule applies)")
            ->type_name("ENV");
        app.add_option("--service", options->service,
                       "service being deployed (an error until the policy defines services)")
            ->type_name("NAME");
        app.add_option("--hours", options->hours,
                       "suggest a next safe start only within these local hours, e.g. 09:00-18:00 "
                       "(default: the policy's [defaults] hours, else any time)")
            ->type_name("HH:MM-HH:MM");
        app.add_option("--fail-on", options->fail_on, "exit 1 on: block (default) or warn")
            ->type_name("LEVEL")
            ->check(choices({"block", "warn"}));
        app.add_flag(
            "--ci", options->ci,
            "in CI: pick the format and environment from GITHUB_ACTIONS, GITLAB_CI (CI_ENVIRONMENT_NAME, "
            "CI_COMMIT_TAG), JENKINS_URL; --format and --env win");
        app.add_option("-o,--output", options->output,
                       "write the report to FILE (atomically) and the text summary to stdout")
            ->type_name("FILE");
        options->format_option = app.get_option("--format");
        app.footer(
            "Exit status 0: the deploy may start (ALLOW, or WARN without --fail-on warn); 1: it is\n"
            "blocked; 2: the input or policy is wrong. The deploy occupies [at, at + duration +\n"
            "watch); every rule that touches that span contributes to the score, and the report\n"
            "names each contribution and, when blocked, the next safe start.");
        return [options](const Io& io) { return run_check(*options, io); };
      }};
}

}  // namespace heinrich::cli
