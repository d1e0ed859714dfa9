// `heinrich audit`: lint a policy, audit a release plan, or (with
// --overrides) hand over to heinrich-git's override audit.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <ostream>

#include "heinrich/cli/audit.hpp"
#include "heinrich/cli/ci_output.hpp"
#include "heinrich/cli/commands.hpp"
#include "heinrich/cli/git_commands.hpp"
#include "heinrich/core/time_parse.hpp"
#include "heinrich/policy/data_dir.hpp"
#include "heinrich/policy/discovery.hpp"
#include "heinrich/policy/environments.hpp"
#include "heinrich/policy/horizon.hpp"
#include "heinrich/policy/lint.hpp"
#include "heinrich/report/ci_report.hpp"
#include "heinrich/util/diagnostic.hpp"
#include "heinrich/util/error.hpp"
#include "heinrich/util/text.hpp"

namespace heinrich::cli {

PlanReport audit_plan(const Policy& policy, const Plan& plan, const std::optional<std::string>& environment,
                      Seconds search) {
  PlanReport report;
  report.rules = &policy.rules;
  report.plan_path = plan.path;
  report.plan_format = plan.format;
  report.search = search;
  for (const PlannedRelease& release : plan.releases) {
    ReleaseRow row;
    row.service = release.service;
    try {
      row.environment =
          release.environment ? resolve_environment(policy.environments, *release.environment) : environment;
    } catch (const InputError& error) {
      throw SourceError(release.where, error.what());
    }
    row.where = release.where;
    row.duration = release.duration.value_or(policy.defaults.duration);
    row.watch = policy.defaults.watch;
    row.notes = release.notes;
    row.assessment = evaluate(policy.rules, Request{release.start, row.duration, row.watch, row.environment});
    if (row.assessment.decision == Decision::block) {
      const auto windows = find_safe_windows(
          policy.rules, NextRequest{release.start, row.duration, row.watch, row.environment, search, 1});
      if (!windows.empty()) row.alternative = windows.front();
    }
    report.rows.push_back(std::move(row));
  }
  return report;
}

namespace {

struct AuditOptions {
  PolicyOptions common;
  std::optional<std::string> plan;
  bool overrides = false;
  bool strict = false;
  bool ci = false;
  std::optional<std::string> environment;
  std::string fail_on = "block";
  std::optional<std::string> from;
  std::optional<std::string> to;
  std::optional<std::string> output;
  const CLI::App* app = nullptr;
};

// `audit --overrides …` is `heinrich-git audit-overrides …`: the override
// records live in git notes, and only heinrich-git links libgit2.
int exec_override_audit(const Io& io) {
  const auto helper = heinrich_git_path();
  if (helper.empty()) {
    std::error_code error;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", error);
    io.err << "heinrich audit: error: --overrides needs heinrich-git, which is not installed beside "
           << (error ? std::string("heinrich") : self.string()) << " nor in its lib/heinrich/\n";
    return kUsage;
  }
  std::vector<std::string> args{helper.string(), "audit-overrides"};
  const auto& given = io.args;
  for (std::size_t i = 2; i < given.size(); ++i)
    if (given[i] != "--overrides") args.push_back(given[i]);
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  io.out.flush();
  io.err.flush();
  std::cout.flush();
  ::execv(helper.c_str(), argv.data());
  io.err << "heinrich audit: error: cannot run " << helper.string() << ": " << std::strerror(errno) << "\n";
  return kUsage;
}

// The options CLI11 did not know: extras are allowed only so that
// --overrides can pass them on.
int refuse_extras(const AuditOptions& options, const Io& io) {
  std::vector<std::string> names;
  for (const CLI::Option* option : options.app->get_options())
    for (const auto& name : option->get_lnames()) names.push_back("--" + name);
  for (const std::string& word : options.app->remaining()) {
    const std::string flag = word.substr(0, word.find('='));
    const std::string match = flag.rfind("--", 0) == 0 ? closest_match(flag, names) : std::string();
    io.err << "heinrich audit: error: unexpected argument '" << word << "'"
           << (match.empty() ? "" : "; did you mean '" + match + "'?") << "\n";
  }
  io.err << "run 'heinrich help audit' for its options\n";
  return kUsage;
}

std::string chosen_format(const AuditOptions& options, const std::optional<CiSettings>& ci) {
  if (options.app->get_option("--format")->count() == 0 && ci) return ci->format;
  return options.common.format;
}

int run_lint(const AuditOptions& options, const Io& io, const std::optional<CiSettings>& ci) {
  const std::string path = discover_policy(options.common.policy, io.getenv, io.working_directory);
  const std::string text = read_policy_text(path);  // unreadable: exit 2, there is nothing to lint
  LintReport report;
  report.strict = options.strict;
  for (const LintCheck& check : lint_checks())
    report.kinds.push_back(
        {std::string(check.code), std::string(check.name), std::string(check.summary), check.severity});
  report.context.policy_path = path;
  PolicyOptions lenient = options.common;
  lenient.mode = LoadMode::lenient;
  try {
    Session session = open_session(lenient, io);
    report.context = session.context;
    report.findings = lint_policy(session.policy, text, LintOptions{session.clock->now()});
  } catch (const SourceError& error) {
    if (error.where().line <= 0) throw;
    report.findings = unloadable_policy(error, text);
  }
  if (ci) report.context.notes.insert(report.context.notes.end(), ci->notes.begin(), ci->notes.end());

  deliver_report(io, options.output, chosen_format(options, ci),
                 {[&](TextStyle style) { return render_lint_text(report, style); },
                  [&] { return render_lint_json(report); }, [&] { return ci_from_lint(report); }});
  return lint_fails(report) ? kBlocked : kAllowed;
}

// --from/--to bound the releases audited; a date given to --to includes
// that whole day.
Instant bound(const std::string& text, bool is_end, const Session& session) {
  const auto civil = parse_civil(text);
  if (civil && civil->date_only && is_end) return session.zone->to_instant(civil->local + days(1));
  return parse_time_argument(text, *session.zone, *session.clock).instant;
}

int run_plan(const AuditOptions& options, const Io& io, const std::optional<CiSettings>& ci) {
  Session session = open_session(options.common, io);
  const Policy& policy = session.policy;
  std::optional<std::string> environment = options.environment;
  if (!environment && ci) environment = ci->environment;
  environment = chosen_environment(policy, environment);
  if (ci) session.context.notes.insert(session.context.notes.end(), ci->notes.begin(), ci->notes.end());

  const Instant now = session.clock->now();
  Interval range{options.from ? bound(*options.from, false, session) : now,
                 options.to ? bound(*options.to, true, session) : Instant::max()};
  if (range.end <= range.start) throw InputError("--to must be after --from");
  // Recurring events in an ICS plan are endless: without --to, a year.
  const Interval ics_range{range.start, options.to ? range.end : range.start + days(366)};
  Plan plan = load_plan_file(*options.plan, *session.zone, ics_range);
  if (options.from || options.to)
    std::erase_if(plan.releases,
                  [&](const PlannedRelease& r) { return r.start < range.start || r.start >= range.end; });

  PlanReport report = audit_plan(policy, plan, environment);
  report.fail_on_warn = options.fail_on == "warn";
  session.context.environment = environment;
  // From the first release to the end of the last one's deploy and watch.
  if (!report.rows.empty()) {
    Instant first = Instant::max();
    Instant last = Instant::min();
    for (const ReleaseRow& row : report.rows) {
      first = std::min(first, row.assessment.exposure.start);
      last = std::max(last, row.assessment.exposure.end);
    }
    session.context.warnings = data_warnings(policy, Interval{first, last});
  }
  report.context = session.context;

  deliver_report(io, options.output, chosen_format(options, ci),
                 {[&](TextStyle style) { return render_plan_text(report, style); },
                  [&] { return render_plan_json(report); }, [&] { return ci_from_plan(report); }});
  return plan_fails(report) ? kBlocked : kAllowed;
}

int run_audit(const AuditOptions& options, const Io& io) {
  if (options.overrides) return exec_override_audit(io);
  if (!options.app->remaining().empty()) return refuse_extras(options, io);
  std::optional<CiSettings> ci;
  if (options.ci) {
    // [push] maps the CI's ref to an environment; a policy that does not
    // load has no [push], and the lint reports why.
    PushMapping push;
    try {
      push =
          open_session(PolicyOptions{options.common.policy, options.common.tz, "text", LoadMode::lenient}, io)
              .policy.push;
    } catch (const InputError&) {
    }
    ci = detect_ci(io.getenv, push);
  }
  return options.plan ? run_plan(options, io, ci) : run_lint(options, io, ci);
}

}  // namespace

Command make_audit_command() {
  return Command{
      "audit", "lint a policy, or check every release of a plan (--plan)",
      [](CLI::App& app) -> std::function<int(const Io&)> {
        auto options = std::make_shared<AuditOptions>();
        options->app = &app;
        add_policy_options(app, options->common, {"text", "json", "github", "junit", "sarif"});
        app.add_option("--plan", options->plan,
                       "audit a release plan: .csv (service,environment,start,duration), .toml or .ics")
            ->type_name("FILE");
        app.add_flag("--strict", options->strict, "policy lint: warnings fail too (exit 1)");
        app.add_option(
               "--env", options->environment,
               "plan: environment of releases that name none (default: the policy's, else every rule)")
            ->type_name("ENV");
        app.add_option("--fail-on", options->fail_on, "plan: exit 1 on: block (default) or warn")
            ->type_name("LEVEL")
            ->check(choices({"block", "warn"}));
        app.add_option("--from", options->from,
                       "plan: only releases from this local date or time (ICS: default now)")
            ->type_name("DATE");
        app.add_option("--to", options->to,
                       "plan: only releases up to this local date (ICS: default a year on)")
            ->type_name("DATE");
        app.add_flag("--ci", options->ci,
                     "in CI: pick the format (and, for plans, the environment) from the CI's variables");
        app.add_option("-o,--output", options->output,
                       "write the report to FILE (atomically) and the text summary to stdout")
            ->type_name("FILE");
        app.add_flag("--overrides", options->overrides,
                     "list recorded break-glass overrides (runs heinrich-git audit-overrides)");
        app.allow_extras();  // for --overrides; refused otherwise
        app.footer(
            "Loads the policy, reports every schema error in one pass, then runs the lint checks\n"
            "H101-H115: a cron that never fires, an allow window voided by a block window, a\n"
            "calendar past its verified horizon, no allowed slot within 30 days, and more. Exit\n"
            "status 1 when a finding is an error (or a warning with --strict), 2 when the policy\n"
            "cannot be loaded. --plan checks each release of a plan as check would.");
        return [options](const Io& io) { return run_audit(*options, io); };
      }};
}

}  // namespace heinrich::cli
