#include <nlohmann/json.hpp>

#include "heinrich/core/duration.hpp"
#include "heinrich/report/json_parts.hpp"
#include "heinrich/report/reports.hpp"
#include "heinrich/util/text.hpp"

namespace heinrich {

namespace {

nlohmann::ordered_json environment_json(const RunContext& context) {
  return context.environment ? nlohmann::ordered_json(*context.environment) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json window_json(const SafeWindow& window) {
  return {{"start", format_utc(window.start)}, {"end", format_utc(window.end)}, {"score", window.score}};
}

}  // namespace

nlohmann::ordered_json warnings_json(const RunContext& context) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const Finding& warning : context.warnings)
    out.push_back({{"code", warning.code},
                   {"message", warning.message},
                   {"file", warning.where.file},
                   {"line", warning.where.line},
                   {"column", warning.where.column}});
  return out;
}

std::string render_check_json(const CheckReport& report) {
  const Assessment& a = report.assessment;
  const Zone& zone = *report.context.zone;
  nlohmann::ordered_json reasons = nlohmann::ordered_json::array();
  for (const Match& match : a.matches) {
    const Rule& rule = report.rules->rules[match.rule];
    const Occurrence& occurrence = match.occurrence;
    reasons.push_back({{"rule", rule.name},
                       {"kind", to_string(rule.kind)},
                       {"source", rule.source.format()},
                       {"event", occurrence.label.empty() ? rule.name : occurrence.label},
                       {"start", format_utc(occurrence.span.start)},
                       {"end", format_utc(occurrence.span.end)},
                       {"local_start", zone.format(occurrence.span.start)},
                       {"local_end", zone.format(occurrence.span.end)},
                       {"contribution", match.contribution},
                       {"action", to_string(rule.action)},
                       {"overridable", rule.overridable}});
  }
  for (const ExtraRisk& extra : a.extra) {
    reasons.push_back({{"rule", extra.name},
                       {"kind", extra.kind},
                       {"source", extra.source},
                       {"event", extra.detail},
                       {"start", format_utc(a.deploy.start)},
                       {"end", format_utc(a.deploy.end)},
                       {"local_start", zone.format(a.deploy.start)},
                       {"local_end", zone.format(a.deploy.end)},
                       {"contribution", extra.risk},
                       {"action", "score"},
                       {"overridable", true}});
  }
  if (!a.inside_allowed) {
    reasons.push_back(
        {{"rule", "outside-allowed-windows"},
         {"kind", "window"},
         {"source", a.first_allow_rule ? report.rules->rules[*a.first_allow_rule].source.format()
                                       : report.context.policy_path},
         {"event", "no allow window covers the deploy"},
         {"start", format_utc(a.deploy.start)},
         {"end", format_utc(a.deploy.end)},
         {"local_start", zone.format(a.deploy.start)},
         {"local_end", zone.format(a.deploy.end)},
         {"contribution", 0},
         {"action", "block"},
         {"overridable", true}});
  }
  nlohmann::ordered_json out{
      {"decision", to_string(a.decision)},
      {"score", a.score},
      {"at", format_utc(a.deploy.start)},
      {"end", format_utc(a.deploy.end)},
      {"watch_until", format_utc(a.exposure.end)},
      {"duration", format_duration(report.duration)},
      {"watch", format_duration(report.watch)},
      {"timezone", zone.name()},
      {"local_at", zone.format(a.deploy.start)},
      {"environment", environment_json(report.context)},
      {"thresholds", {{"warn", report.rules->thresholds.warn}, {"block", report.rules->thresholds.block}}},
      {"policy", report.context.policy_path},
      {"reasons", reasons},
      {"next_safe", report.next_safe ? window_json(*report.next_safe) : nlohmann::ordered_json(nullptr)},
      {"clock_overridden", report.context.clock_overridden},
      {"notes", report.context.notes},
      {"warnings", warnings_json(report.context)},
  };
  if (const auto& wait = report.wait)
    out["wait"] = {{"outcome", to_string(wait->outcome)},
                   {"waited_seconds", wait->waited.count()},
                   {"max_wait", format_duration(wait->max_wait)},
                   {"opening", wait->opening ? nlohmann::ordered_json(format_utc(*wait->opening))
                                             : nlohmann::ordered_json(nullptr)},
                   {"signal", wait->signal.empty() ? nlohmann::ordered_json(nullptr)
                                                   : nlohmann::ordered_json(wait->signal)}};
  return out.dump(2) + "\n";
}

std::string render_not_a_deploy_json(const NotADeployReport& report) {
  nlohmann::ordered_json out{
      {"decision", "skip"},
      {"score", 0},
      {"deploy", false},
      {"reason", not_a_deploy_reason(report) + ": not a deploy, nothing was checked"},
      {"ci", report.ci},
      {"ref", escape_control(report.ref)},
      {"ref_variable", report.variable},
      {"at", format_utc(report.at)},
      {"timezone", report.context.zone->name()},
      {"environment", nullptr},
      {"policy", report.context.policy_path},
      {"reasons", nlohmann::ordered_json::array()},
      {"next_safe", nullptr},
      {"clock_overridden", report.context.clock_overridden},
      {"notes", report.context.notes},
      {"warnings", warnings_json(report.context)},
  };
  return out.dump(2) + "\n";
}

std::string render_next_json(const NextReport& report) {
  nlohmann::ordered_json windows = nlohmann::ordered_json::array();
  for (const auto& window : report.windows) windows.push_back(window_json(window));
  nlohmann::ordered_json out{{"after", format_utc(report.after)},
                             {"duration", format_duration(report.duration)},
                             {"watch", format_duration(report.watch)},
                             {"within", format_duration(report.within)},
                             {"timezone", report.context.zone->name()},
                             {"environment", environment_json(report.context)},
                             {"policy", report.context.policy_path},
                             {"windows", windows},
                             {"clock_overridden", report.context.clock_overridden},
                             {"notes", report.context.notes},
                             {"warnings", warnings_json(report.context)}};
  return out.dump(2) + "\n";
}

}  // namespace heinrich
