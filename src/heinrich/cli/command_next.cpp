#include <CLI/CLI.hpp>
#include <ostream>

#include "heinrich/cli/commands.hpp"
#include "heinrich/core/duration.hpp"
#include "heinrich/core/time_parse.hpp"
#include "heinrich/policy/horizon.hpp"
#include "heinrich/util/error.hpp"

namespace heinrich::cli {

namespace {

struct NextOptions {
  PolicyOptions common;
  std::string after = "now";
  RequestOptions request;
  std::string within = "90d";
  std::optional<std::string> hours;
  int count = 3;
};

int run_next(const NextOptions& options, const Io& io) {
  Session session = open_session(options.common, io);
  const Policy& policy = session.policy;
  const ResolvedTime after = parse_time_argument(options.after, *session.zone, *session.clock);
  session.context.notes.insert(session.context.notes.end(), after.notes.begin(), after.notes.end());
  session.context.environment = chosen_environment(policy, options.request.environment);

  NextReport report;
  report.after = after.instant;
  const DeployLength length = deploy_length(options.request, policy);
  report.duration = length.duration;
  report.watch = length.watch;
  report.within = parse_duration(options.within);
  if (report.within <= Seconds{0}) throw InputError("--within must be longer than zero");
  const auto staffed = staffed_hours(options.hours, policy);
  NextRequest request{report.after,  report.duration,
                      report.watch,  session.context.environment,
                      report.within, static_cast<std::size_t>(options.count)};
  request.staffed = staffed.get();
  report.windows = find_safe_windows(policy.rules, request);
  if (staffed) session.context.notes.push_back("starts only within staffed hours " + staffed->describe());
  // What was searched, up to the last answer's deploy and watch.
  const Instant asked_end = report.windows.size() == request.count
                                ? report.windows.back().start + report.duration + report.watch
                                : report.after + report.within + report.duration + report.watch;
  session.context.warnings = data_warnings(policy, Interval{report.after, asked_end});
  report.context = session.context;
  if (options.common.format == "json")
    io.out << render_next_json(report);
  else
    io.out << render_next_text(report, text_style(io));
  return kAllowed;
}

}  // namespace

Command make_next_command() {
  return Command{
      "next", "when is the next safe time to deploy?", [](CLI::App& app) -> std::function<int(const Io&)> {
        auto options = std::make_shared<NextOptions>();
        add_policy_options(app, options->common, {"text", "json"});
        app.add_option("--after", options->after,
                       "search from: ISO-8601, local time, now, +2h (default: now)")
            ->type_name("TIME");
        add_request_options(app, options->request);
        app.add_option("--within", options->within, "how far ahead to search (default: 90d)")
            ->type_name("DUR");
        app.add_option("--hours", options->hours,
                       "propose starts only within these local hours, e.g. 09:00-18:00 (default: the "
                       "policy's [defaults] hours, else any time)")
            ->type_name("HH:MM-HH:MM");
        app.add_option("--count", options->count, "how many safe stretches to list (default: 3)")
            ->type_name("N")
            ->check(CLI::Range(1, 1000));
        app.footer(
            "Lists the first stretches where a deploy of the given duration and watch would be\n"
            "allowed, read from the same decision timeline check uses, so a start next prints is\n"
            "one check allows. --hours keeps the starts within staffed local hours.");
        return [options](const Io& io) { return run_next(*options, io); };
      }};
}

}  // namespace heinrich::cli
