#include <CLI/CLI.hpp>
#include <algorithm>
#include <ostream>

#include "heinrich/cli/commands.hpp"
#include "heinrich/core/time_parse.hpp"
#include "heinrich/policy/horizon.hpp"
#include "heinrich/report/events_report.hpp"
#include "heinrich/util/error.hpp"
#include "heinrich/util/text.hpp"

namespace heinrich::cli {

namespace {

struct EventsOptions {
  PolicyOptions common;
  std::string from;
  std::string to;
  std::vector<std::string> sources;
  std::vector<std::string> kinds;
  std::optional<std::string> environment;
};

constexpr std::size_t kMaxEventRows = 100'000;

// --from/--to are local dates or times in the shown zone; a date given to
// --to includes that whole day.
Instant range_bound(const std::string& text, bool is_end, const Session& session) {
  const auto civil = parse_civil(text);
  if (civil && civil->date_only && is_end) return session.zone->to_instant(civil->local + days(1));
  return parse_time_argument(text, *session.zone, *session.clock).instant;
}

int run_events(const EventsOptions& options, const Io& io) {
  Session session = open_session(options.common, io);
  const Policy& policy = session.policy;
  EventsReport report;
  report.range = Interval{range_bound(options.from, false, session), range_bound(options.to, true, session)};
  if (report.range.end <= report.range.start) throw InputError("--to must be after --from");
  if (report.range.end - report.range.start > days(366 * 50))
    throw InputError("the range is longer than 50 years; ask for less");

  std::vector<std::string> known;
  for (const Rule& rule : policy.rules.rules) known.push_back(rule.name);
  for (const std::string& source : options.sources) {
    if (std::find(known.begin(), known.end(), source) != known.end()) continue;
    const std::string match = closest_match(source, known);
    throw InputError("no rule or calendar named '" + source + "' in the policy" +
                     (match.empty() ? "" : "; did you mean '" + match + "'?"));
  }
  // The rules asked for: named with --source, or of a --kind; with neither,
  // the calendars and events (windows and factors are not events).
  auto of_kind = [&](const Rule& rule) {
    return std::find(options.kinds.begin(), options.kinds.end(), to_string(rule.kind)) != options.kinds.end();
  };
  auto wanted = [&](const Rule& rule) {
    if (options.sources.empty() && options.kinds.empty())
      return rule.kind == RuleKind::calendar || rule.kind == RuleKind::event;
    return of_kind(rule) ||
           std::find(options.sources.begin(), options.sources.end(), rule.name) != options.sources.end();
  };
  const std::optional<std::string> environment = chosen_environment(policy, options.environment);
  // Capped as the rows come, a month at a time, so a minutely rule over 50
  // years stops at the cap instead of building 26 million rows first
  // (issue 11, item 14: a year of a minutely ICS took 1.9 GB).
  for (const Rule& rule : policy.rules.rules) {
    if (!wanted(rule)) continue;
    if (!rule.applies_to(environment)) continue;
    const bool all = for_each_occurrence(*rule.schedule, report.range, [&](Occurrence&& occurrence) {
      report.rows.push_back({&rule, std::move(occurrence)});
      return report.rows.size() <= kMaxEventRows;
    });
    if (!all)
      throw InputError("more than " + std::to_string(kMaxEventRows) + " event instances from " +
                       format_utc(report.range.start) + " to " + format_utc(report.range.end) +
                       " (the most 'events' lists); ask for a shorter range or one --source");
  }
  std::stable_sort(report.rows.begin(), report.rows.end(), [](const EventRow& a, const EventRow& b) {
    if (a.occurrence.span.start != b.occurrence.span.start)
      return a.occurrence.span.start < b.occurrence.span.start;
    return a.rule->name < b.rule->name;
  });
  // The list formats (JSON array, CSV, ICS) have no place for a warning:
  // every format says it on stderr.
  for (const Finding& warning : data_warnings(policy, report.range)) io.err << warning_line(warning) << "\n";
  report.generated_at = session.clock->now();
  session.context.environment = environment;
  report.context = session.context;

  const std::string& format = options.common.format;
  if (format == "json")
    io.out << render_events_json(report);
  else if (format == "csv")
    io.out << render_events_csv(report);
  else if (format == "ics")
    io.out << render_events_ics(report);
  else
    io.out << render_events_text(report);
  return kAllowed;
}

}  // namespace

Command make_events_command() {
  return Command{
      "events", "every event instance the policy sees over a range",
      [](CLI::App& app) -> std::function<int(const Io&)> {
        auto options = std::make_shared<EventsOptions>();
        add_policy_options(app, options->common, {"text", "json", "csv", "ics"});
        app.add_option("--from", options->from, "first local date or time (in the policy zone)")
            ->type_name("DATE")
            ->required();
        app.add_option("--to", options->to, "last local date (included whole) or time")
            ->type_name("DATE")
            ->required();
        app.add_option("--source", options->sources,
                       "only this calendar or rule (repeatable); names windows and factors too")
            ->type_name("NAME");
        app.add_option("--kind", options->kinds,
                       "only rules of this kind (repeatable): calendar, event, window, factor")
            ->type_name("KIND")
            ->check(choices({"calendar", "event", "window", "factor"}));
        app.add_option("--env", options->environment, "only rules that apply to this environment")
            ->type_name("ENV");
        app.footer(
            "Every instance of every event source (holiday calendars, business-day rules, ICS\n"
            "files, policy rules) over the range, in the policy's zone, with the rule that uses it.\n"
            "Use it to see what heinrich sees before trusting a decision.");
        return [options](const Io& io) { return run_events(*options, io); };
      }};
}

}  // namespace heinrich::cli
