// `heinrich calendar`: the risk of each day and hour over a range of months,
// as a terminal heatmap, a self-contained HTML page or a subscribable ICS.
#include <CLI/CLI.hpp>
#include <ostream>

#include "heinrich/cli/commands.hpp"
#include "heinrich/cli/output_file.hpp"
#include "heinrich/core/day_span.hpp"
#include "heinrich/core/time_parse.hpp"
#include "heinrich/policy/horizon.hpp"
#include "heinrich/report/risk_calendar.hpp"
#include "heinrich/util/error.hpp"

namespace heinrich::cli {

namespace {

struct CalendarOptions {
  PolicyOptions common;
  std::optional<std::string> from;
  std::optional<int> months;
  RequestOptions request;
  std::optional<std::string> output;
  int count = 5;
  std::string hours = "09:00-18:00";
};

int run_calendar(const CalendarOptions& options, const Io& io) {
  Session session = open_session(options.common, io);
  const Policy& policy = session.policy;
  const Zone& zone = *session.zone;
  const std::string& format = options.common.format;

  RiskCalendarRequest request;
  request.now = session.clock->now();
  if (options.from) {
    const auto civil = parse_civil(*options.from);
    if (!civil)
      throw InputError("--from: '" + *options.from + "' is not a date such as 2026-12-01 or 2026-12");
    request.first_month = to_date(civil->local);
  } else {
    request.first_month = to_date(zone.to_local(request.now));
  }
  // A terminal shows a quarter at a glance; a page or a subscription a year.
  request.months = options.months.value_or(format == "text" ? 3 : 12);
  request.environment = chosen_environment(policy, options.request.environment);
  const DeployLength length = deploy_length(options.request, policy);
  request.duration = length.duration;
  request.watch = length.watch;
  if (request.duration <= Seconds{0}) throw InputError("--duration must be longer than zero");
  request.safe_count = static_cast<std::size_t>(options.count);
  try {
    request.focus = parse_day_span(options.hours);
  } catch (const InputError& error) {
    throw InputError(std::string("--hours: ") + error.what());
  }

  RiskCalendar calendar = build_risk_calendar(policy.rules, zone, request);
  session.context.environment = request.environment;
  session.context.warnings = data_warnings(policy, calendar.range);
  calendar.context = session.context;
  // An ICS feed has no place for them: the person who runs this sees them.
  if (format == "ics")
    for (const Finding& warning : calendar.context.warnings) io.err << warning_line(warning) << "\n";

  std::string rendered;
  if (format == "html")
    rendered = render_calendar_html(calendar);
  else if (format == "ics")
    rendered = render_calendar_ics(calendar);
  else
    rendered = render_calendar_text(calendar, options.output ? TextStyle{} : text_style(io));
  if (options.output) {
    write_file_atomically(*options.output, rendered);
    io.out << "wrote " << *options.output << " (" << calendar.days.size() << " days, " << format << ")\n";
  } else {
    io.out << rendered;
  }
  return kAllowed;
}

}  // namespace

Command make_calendar_command() {
  return Command{
      "calendar", "the risk of each day and hour over months: terminal heatmap, HTML page or ICS feed",
      [](CLI::App& app) -> std::function<int(const Io&)> {
        auto options = std::make_shared<CalendarOptions>();
        add_policy_options(app, options->common, {"text", "html", "ics"});
        // "2026-12" is read as the first of that month.
        app.add_option("--from", options->from, "first month: a local date (default: this month)")
            ->type_name("DATE")
            ->transform([](std::string text) { return text.size() == 7 ? text + "-01" : text; });
        app.add_option("--months", options->months,
                       "how many months (default: 3 for text, 12 for html and ics)")
            ->type_name("N")
            ->check(CLI::Range(1, 120));
        add_request_options(app, options->request);
        app.add_option("--count", options->count, "how many next safe windows to highlight (default: 5)")
            ->type_name("N")
            ->check(CLI::Range(0, 100));
        app.add_option("--hours", options->hours,
                       "whose starts colour a day: HH:MM-HH:MM (default 09:00-18:00; 00:00-24:00 for all)")
            ->type_name("HH:MM-HH:MM");
        app.add_option("-o,--output", options->output, "write to FILE (atomically) instead of stdout")
            ->type_name("FILE");
        app.footer(
            "Renders the decision timeline day by day: the same segments check and next read,\n"
            "so a day the calendar shows as blocked is one check blocks.");
        return [options](const Io& io) { return run_calendar(*options, io); };
      }};
}

}  // namespace heinrich::cli
