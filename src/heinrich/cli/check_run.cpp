#include "heinrich/cli/check_run.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>

#include "heinrich/cli/ci_output.hpp"
#include "heinrich/cli/output_file.hpp"
#include "heinrich/core/time_parse.hpp"
#include "heinrich/policy/horizon.hpp"
#include "heinrich/util/error.hpp"

namespace heinrich::cli {

void add_check_options(CLI::App& app, CheckOptions& options, bool with_at) {
  add_policy_options(app, options.common, {"text", "json", "github", "junit", "sarif"});
  if (with_at)
    app.add_option("--at", options.at, "deploy start: ISO-8601, local time, now, +2h (default: now)")
        ->type_name("TIME");
  add_request_options(app, options.request);
  app.add_option("--service", options.service,
                 "service being deployed (an error until the policy defines services)")
      ->type_name("NAME");
  app.add_option("--hours", options.hours,
                 "suggest a next safe start only within these local hours, e.g. 09:00-18:00 "
                 "(default: the policy's [defaults] hours, else any time)")
      ->type_name("HH:MM-HH:MM");
  app.add_option("--fail-on", options.fail_on, "exit 1 on: block (default) or warn")
      ->type_name("LEVEL")
      ->check(choices({"block", "warn"}));
  app.add_flag("--ci", options.ci,
               "in CI: pick the format and environment from GITHUB_ACTIONS, GITLAB_CI (CI_ENVIRONMENT_NAME, "
               "CI_COMMIT_TAG), JENKINS_URL; --format and --env win");
  app.add_option("-o,--output", options.output,
                 "write the report to FILE (atomically) and the text summary to stdout")
      ->type_name("FILE");
  app.add_option(
         "--dotenv", options.dotenv,
         "also write the decision, score and next safe start to FILE as HEINRICH_DECISION=, "
         "HEINRICH_SCORE=, HEINRICH_NEXT_SAFE= lines (GitLab's artifacts:reports:dotenv), in any format")
      ->type_name("FILE");
  options.format_option = app.get_option("--format");
}

CheckRun run_check_evaluation(const CheckOptions& options, const Io& io, const Clock* clock) {
  CheckRun run;
  run.session = std::make_unique<Session>(open_session(options.common, io));
  Session& session = *run.session;
  const Policy& policy = session.policy;
  run.format = options.common.format;
  std::optional<std::string> environment = options.request.environment;
  std::optional<CiSettings::UnmappedRef> unmapped;
  std::string ci_name;
  if (options.ci) {
    if (auto ci = detect_ci(io.getenv, policy.push)) {
      if (options.format_option->count() == 0) run.format = ci->format;
      if (!environment) {
        environment = ci->environment;
        // Only a [push] map says which refs deploy; without one, or with a
        // [defaults] environment, every build is judged (the safe reading).
        if (!policy.push.refs.empty() && !policy.defaults.environment)
          unmapped = ci->not_a_deploy;
        else if (ci->not_a_deploy)
          session.context.notes.push_back(ci->name + ": " + ci->not_a_deploy->variable + " " +
                                          ci->not_a_deploy->ref + " maps to no [push] ref, and " +
                                          (policy.push.refs.empty() ? "the policy has no [push] map"
                                                                    : "[defaults] names the environment") +
                                          ": the build is judged as a deploy");
      }
      ci_name = ci->name;
      session.context.notes.insert(session.context.notes.end(), ci->notes.begin(), ci->notes.end());
    } else {
      session.context.notes.push_back(
          "--ci: no CI detected (GITHUB_ACTIONS, GITLAB_CI, JENKINS_URL, CI unset)");
    }
  }
  const ResolvedTime at = parse_time_argument(options.at, *session.zone, clock ? *clock : *session.clock);
  session.context.notes.insert(session.context.notes.end(), at.notes.begin(), at.notes.end());

  // Every option is checked before anything is skipped: a bad option is
  // exit 2 in any build.
  CheckReport& report = run.report;
  const DeployLength length = deploy_length(options.request, policy);
  report.duration = length.duration;
  report.watch = length.watch;
  // Services are not in the policy schema yet: a name that scopes nothing
  // must not look as if it did (fail closed).
  if (options.service)
    throw InputError("unknown service '" + *options.service +
                     "': this policy defines no services, so --service cannot scope the check");
  run.staffed = staffed_hours(options.hours, policy);  // a bad --hours is an error at any time
  if (unmapped) {
    // A pull-request or feature-branch build: judging every rule would
    // block builds that deploy nothing, so say what was seen and pass.
    run.not_a_deploy =
        NotADeployReport{session.context, at.instant, ci_name, unmapped->variable, unmapped->ref};
    run.exit_code = kAllowed;
    return run;
  }
  session.context.environment = chosen_environment(policy, environment);
  report.rules = &policy.rules;
  report.assessment =
      evaluate(policy.rules, Request{at.instant, report.duration, report.watch, session.context.environment});
  if (report.assessment.decision != Decision::allow) {
    NextRequest next{at.instant, report.duration, report.watch, session.context.environment, days(90), 1};
    next.staffed = run.staffed.get();
    const auto windows = find_safe_windows(policy.rules, next);
    if (!windows.empty()) report.next_safe = windows.front();
  }
  // The deploy's own stretch, and the start proposed instead of it.
  Instant asked_end = report.assessment.exposure.end;
  if (report.next_safe)
    asked_end = std::max(asked_end, report.next_safe->start + report.duration + report.watch);
  session.context.warnings = data_warnings(policy, Interval{at.instant, asked_end});
  report.context = session.context;

  run.fail_on_warn = options.fail_on == "warn";
  switch (report.assessment.decision) {
    case Decision::block:
      run.exit_code = kBlocked;
      break;
    case Decision::warn:
      run.exit_code = run.fail_on_warn ? kBlocked : kAllowed;
      break;
    case Decision::allow:
      run.exit_code = kAllowed;
      break;
  }
  return run;
}

void deliver_check_report(const CheckRun& run, const CheckOptions& options, const Io& io) {
  if (run.not_a_deploy) {
    const NotADeployReport& skip = *run.not_a_deploy;
    if (options.dotenv) write_file_atomically(*options.dotenv, render_dotenv(ci_from_not_a_deploy(skip)));
    deliver_report(
        io, options.output, run.format,
        {[&](TextStyle style) { return render_not_a_deploy_text(skip, style); },
         [&] { return render_not_a_deploy_json(skip); }, [&] { return ci_from_not_a_deploy(skip); }});
    return;
  }
  const CheckReport& report = run.report;
  // The same outputs GitHub's step outputs carry, from the one CI report.
  if (options.dotenv)
    write_file_atomically(*options.dotenv, render_dotenv(ci_from_check(report, run.fail_on_warn)));
  deliver_report(
      io, options.output, run.format,
      {[&](TextStyle style) { return render_check_text(report, style); },
       [&] { return render_check_json(report); }, [&] { return ci_from_check(report, run.fail_on_warn); }});
}

}  // namespace heinrich::cli
