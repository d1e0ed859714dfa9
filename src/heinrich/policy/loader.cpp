#include <toml++/toml.h>

#include <fmt/format.h>
#include <array>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>

#include "heinrich/calendar/business_days.hpp"
#include "heinrich/calendar/cron.hpp"
#include "heinrich/calendar/holidays.hpp"
#include "heinrich/calendar/ics.hpp"
#include "heinrich/calendar/rrule.hpp"
#include "heinrich/core/day_span.hpp"
#include "heinrich/core/duration.hpp"
#include "heinrich/core/time_parse.hpp"
#include "heinrich/policy/data_dir.hpp"
#include "heinrich/policy/environments.hpp"
#include "heinrich/policy/holiday_file.hpp"
#include "heinrich/policy/policy.hpp"
#include "heinrich/policy/policy_keys.hpp"
#include "heinrich/policy/toml_reader.hpp"
#include "heinrich/util/diagnostic.hpp"
#include "heinrich/util/file_io.hpp"
#include "heinrich/util/pattern.hpp"
#include "heinrich/util/text.hpp"

namespace heinrich {

namespace {

const KeyList kTopKeys{"version", "timezone", "defaults", "thresholds", "calendar",     "event",
                       "window",  "factor",   "change",   "push",       "environments", "override"};
const KeyList kDefaultsKeys{"duration", "watch", "environment", "hours"};
const KeyList kThresholdKeys{"warn", "block"};
const KeyList kScheduleKeys{"start", "end", "cron", "duration", "rrule", "time", "days", "timezone"};
const KeyList kCommonRuleKeys{"name", "description", "environments", "buffer_before", "buffer_after"};
const KeyList kWindowKeys{"action", "overridable"};
const KeyList kRiskKeys{"risk"};
const KeyList kEventBusinessDayKeys{"monthly", "yearly", "business_days"};
const KeyList kCalendarKeys{"name",          "description",  "builtin",     "ics",
                            "risk",          "action",       "overridable", "environments",
                            "buffer_before", "buffer_after", "holidays",    "timezone"};
const KeyList kMonthlyKeys{"day", "business_day", "weekday", "nth", "roll"};
const KeyList kYearlyKeys{"month", "day", "weekday", "nth", "roll"};
const KeyList kExtraHolidayKeys{"date", "name"};
const KeyList kChangeKeys{"large_lines", "large_risk", "sensitive_paths", "sensitive_risk"};
const KeyList kPushKeys{"refs"};
const KeyList kOverrideKeys{"allowed", "ticket", "never"};
const KeyList kEnvironmentKeys{"aliases", "description"};

KeyList join(std::initializer_list<const KeyList*> lists) {
  KeyList out;
  for (const auto* list : lists) out.insert(out.end(), list->begin(), list->end());
  return out;
}

// The keys of a [[window]], [[factor]], [[event]] or [[calendar]] table.
KeyList rule_keys(RuleKind kind) {
  switch (kind) {
    case RuleKind::window:
      return join({&kCommonRuleKeys, &kScheduleKeys, &kWindowKeys});
    case RuleKind::factor:
      return join({&kCommonRuleKeys, &kScheduleKeys, &kRiskKeys});
    case RuleKind::event:
      return join({&kCommonRuleKeys, &kScheduleKeys, &kRiskKeys, &kEventBusinessDayKeys});
    case RuleKind::calendar:
      return kCalendarKeys;
  }
  return {};
}

// A time span whose two ends are written the same ("10:00-10:00") is empty:
// `audit` reports it as a zero-length span rather than as a malformed one.
bool zero_length_span(std::string_view text) {
  const auto dash = text.find('-');
  return dash != std::string_view::npos && text.substr(0, dash) == text.substr(dash + 1);
}

class Loader : private TomlReader {
 public:
  Loader(std::string_view text, std::string path, const LoadOptions& options)
      : TomlReader(text, std::move(path)),
        m_lenient(options.mode == LoadMode::lenient),
        m_calendar_cache(options.calendar_cache) {}

  // Every schema error of the file is reported in one pass, as a compiler
  // does: each section, rule and field that is independent of the others
  // is read on its own (recover), and a part that depends on a broken one
  // (a rule naming a calendar that did not load) is skipped silently. A
  // TOML syntax error stops parsing, so it is reported alone.
  Policy load() {
    toml::table root = parse();
    Policy policy;
    policy.path = m_path;
    recover([&] { check_keys(root, kTopKeys, "the policy"); });
    recover([&] { read_version(root); });
    policy.zone = &Zone::utc();  // stands in for a zone that does not load, so the rules are still read
    recover([&] { policy.zone = &read_zone(root, "timezone", /*required=*/true, root.source()); });
    if (!recover([&] {
          if (const auto* table = table_at(root, "environments")) read_environments(*table);
        }))
      m_environments_broken = true;
    recover([&] {
      if (const auto* table = table_at(root, "defaults")) read_defaults(*table, policy.defaults);
    });
    recover([&] {
      if (const auto* table = table_at(root, "thresholds")) read_thresholds(*table, policy.rules.thresholds);
    });
    recover([&] { read_calendars(root, *policy.zone); });
    read_rules(root, *policy.zone, policy.rules.rules);
    for (const auto& [name, source] : m_calendars) {
      if (!source.holidays || !source.holidays->rules().verified_through) continue;
      const HolidayRules& data = source.holidays->rules();
      const auto where = m_names.find(name);
      policy.horizons.push_back({name, data.id, *data.verified_through, data.cannot_compute,
                                 where != m_names.end() ? where->second : SourceLocation{m_path, 0, 0},
                                 &source.holidays->zone()});
    }
    recover([&] {
      if (const auto* table = table_at(root, "change")) read_change(*table, policy.change);
    });
    recover([&] {
      if (const auto* table = table_at(root, "push")) read_push(*table, policy.push);
    });
    recover([&] {
      if (const auto* table = table_at(root, "override")) read_override(*table, policy.override_policy);
    });
    if (!m_errors.empty()) throw_errors();
    if (!m_environments.declared) {
      std::sort(m_environments.names.begin(), m_environments.names.end());
      m_environments.names.erase(std::unique(m_environments.names.begin(), m_environments.names.end()),
                                 m_environments.names.end());
    }
    policy.environments = std::move(m_environments);
    policy.problems = std::move(m_problems);
    policy.warnings = std::move(m_warnings);
    return policy;
  }

 private:
  // More errors than this are counted, not kept: hostile input cannot
  // flood the output, and no one fixes the 51st before the first.
  static constexpr std::size_t kMaxErrors = 50;

  // A part that depends on one that did not load: skipped without an error
  // of its own, which would only repeat the first in other words.
  struct DependsOnBroken {};

  // Runs one independent part of the reading; its errors are recorded and
  // the reading goes on. False if it failed.
  template <typename Read>
  bool recover(Read&& read) {
    try {
      read();
      return true;
    } catch (const DependsOnBroken&) {
      return false;
    } catch (const SourceError& error) {
      for (SourceError& each : errors_of(error)) {
        if (m_errors.size() < kMaxErrors)
          m_errors.push_back(std::move(each));
        else
          ++m_not_shown;
      }
      if (const auto* several = dynamic_cast<const SourceErrors*>(&error))
        m_not_shown += several->not_shown();
      return false;
    }
  }

  // In file order (the sections are read in a fixed order, rules in file
  // order); errors found in other files (an ICS calendar, a holiday rule
  // file) stay where they were found.
  [[noreturn]] void throw_errors() {
    const bool one_file = std::all_of(m_errors.begin(), m_errors.end(),
                                      [&](const SourceError& error) { return error.where().file == m_path; });
    if (one_file)
      std::stable_sort(m_errors.begin(), m_errors.end(), [](const SourceError& a, const SourceError& b) {
        return a.where().line != b.where().line ? a.where().line < b.where().line
                                                : a.where().column < b.where().column;
      });
    if (m_errors.size() == 1 && m_not_shown == 0 && m_problems.empty()) throw m_errors.front();
    throw PolicyErrors(std::move(m_errors), m_not_shown, std::move(m_problems));
  }

  // The mistakes `heinrich audit` lints for but strict loading refuses (a
  // window that can never match, a risk out of range): strict loading fails
  // here exactly as it always did; lenient loading records the problem and
  // returns, and the caller goes on without the broken part (a rule without
  // a schedule, a clamped risk). `fix` replaces `hint` in the record.
  void problem(std::string_view code, const toml::source_region& at, const std::string& message,
               const std::string& hint = {}, const std::string& fix = {}) const {
    if (!m_lenient) fail(at, message, hint);
    const auto where = location(at);
    m_problems.push_back(PolicyProblem{std::string(code), where, escape_control(message),
                                       escape_control(fix.empty() ? hint : fix),
                                       std::string(line_of(m_text, where.line)), token_width(at)});
  }

  // A risk or threshold: 0 to 100. Lenient loading clamps one out of range.
  std::optional<long long> risk_at(const toml::table& table, std::string_view key) const {
    const toml::node* node = table.get(key);
    if (m_lenient && node != nullptr && node->is_integer()) {
      const long long value = node->as_integer()->get();
      if (value < 0 || value > 100) {
        problem("H111", node->source(),
                "'" + std::string(key) + "' = " + std::to_string(value) + " is out of range 0-100", {},
                "risks and thresholds are percentages: use a value from 0 to 100");
        return std::clamp(value, 0LL, 100LL);
      }
    }
    return integer_at(table, key, 0, 100);
  }

  void read_version(const toml::table& root) const {
    const toml::node* node = root.get("version");
    if (node == nullptr)
      fail(root.source(), "the policy has no 'version'", "add 'version = 1' at the top of the file");
    const auto version = integer_at(root, "version", 0, 1'000'000);
    if (*version != 1)
      fail(node->source(),
           "unsupported policy version " + std::to_string(*version) + "; this heinrich reads version 1");
  }

  const Zone& read_zone(const toml::table& table, std::string_view key, bool required,
                        const toml::source_region& owner) const {
    const auto name = string_at(table, key);
    if (!name) {
      if (required)
        fail(owner, "the policy has no 'timezone'", "add an IANA zone, e.g. timezone = \"Asia/Seoul\"");
      return Zone::utc();
    }
    try {
      return Zone::get(*name);
    } catch (const UnknownZoneError& error) {
      fail(table.get(key)->source(), error.what(),
           "time zones are IANA names such as Asia/Seoul, Europe/Berlin or UTC");
    }
  }

  void read_defaults(const toml::table& table, Defaults& defaults) {
    check_keys(table, kDefaultsKeys, "[defaults]");
    if (auto value = duration_at(table, "duration")) defaults.duration = *value;
    if (auto value = duration_at(table, "watch")) defaults.watch = *value;
    if (auto value = string_at(table, "environment"))
      defaults.environment = environment_name(*table.get("environment"), *value);
    if (auto value = string_at(table, "hours")) {
      try {
        defaults.staffed = parse_day_span(*value);
      } catch (const InputError& error) {
        fail(table.get("hours")->source(), error.what(),
             "staffed hours are \"HH:MM-HH:MM\", e.g. \"09:00-18:00\"");
      }
    }
  }

  void read_thresholds(const toml::table& table, Thresholds& thresholds) const {
    check_keys(table, kThresholdKeys, "[thresholds]");
    if (auto value = risk_at(table, "warn")) thresholds.warn = static_cast<int>(*value);
    if (auto value = risk_at(table, "block")) thresholds.block = static_cast<int>(*value);
  }

  // A point in time for `start`/`end`: a TOML date, local or offset
  // date-time, or the same as a string. A bare date as `end` includes that day.
  Instant instant_at(const toml::node& node, std::string_view key, const Zone& zone) const {
    LocalTime local{};
    std::optional<Seconds> offset;
    bool date_only = false;
    if (const auto* value = node.as_date_time()) {
      const toml::date_time& dt = value->get();
      check_year(node, key, dt.date.year);
      local =
          make_local(dt.date.year, dt.date.month, dt.date.day, dt.time.hour, dt.time.minute, dt.time.second);
      if (dt.offset) offset = minutes(dt.offset->minutes);
    } else if (const auto* date = node.as_date()) {
      check_year(node, key, date->get().year);
      local = make_local(date->get().year, date->get().month, date->get().day);
      date_only = true;
    } else if (const auto* text = node.as_string()) {
      try {
        const auto civil = parse_civil(text->get());
        if (!civil)
          fail(node.source(), "'" + std::string(key) + "' is not a date-time: '" + text->get() + "'");
        local = civil->local;
        offset = civil->offset;
        date_only = civil->date_only;
      } catch (const InputError& error) {
        fail(node.source(), "'" + std::string(key) + "': " + error.what());
      }
    } else {
      fail(node.source(), "'" + std::string(key) + "' must be a date-time such as 2026-12-24T00:00:00, not " +
                              std::string(type_name(node)));
    }
    if (date_only && key == "end") local += days(1);
    if (offset) return Instant{local.time_since_epoch() - *offset};
    return zone.to_instant(local);
  }

  LocalTime local_at(const toml::node& node, std::string_view key) const {
    if (const auto* value = node.as_date_time()) {
      const toml::date_time& dt = value->get();
      check_year(node, key, dt.date.year);
      return make_local(dt.date.year, dt.date.month, dt.date.day, dt.time.hour, dt.time.minute,
                        dt.time.second);
    }
    if (const auto* date = node.as_date()) {
      check_year(node, key, date->get().year);
      return make_local(date->get().year, date->get().month, date->get().day);
    }
    fail(node.source(),
         "'" + std::string(key) + "' must be a local date or date-time when used with 'rrule'");
  }

  // A recurring window is checked by expanding its occurrences around the
  // time in question, its length back included; this limit keeps that work
  // bounded for every command (H112), as kMaxFiringsPerDay (checked by
  // RecurrenceRule::cost, and by the cron parser's one-a-minute grain) does
  // for the firings themselves.
  static constexpr std::int64_t kMaxOccurrencesInReach = 100'000;

  bool affordable(std::int64_t per_day, Seconds length, const toml::node& at, std::string_view what) const {
    const std::int64_t reach_days = length.count() / 86'400 + 1;
    if (per_day * reach_days > kMaxOccurrencesInReach) {
      problem("H112", at.source(),
              std::string(what) + " fires up to " + std::to_string(per_day) + " times a day for " +
                  format_duration(length) + " each, so up to " + std::to_string(per_day * reach_days) +
                  " occurrences overlap; at most " + std::to_string(kMaxOccurrencesInReach) +
                  " can be checked",
              "shorten the duration or fire less often");
      return false;
    }
    return true;
  }

  std::shared_ptr<const Schedule> read_schedule(const toml::table& table, std::string_view what,
                                                const Zone& zone) const {
    const toml::node* start = table.get("start");
    const toml::node* end = table.get("end");
    const toml::node* cron = table.get("cron");
    const toml::node* rrule = table.get("rrule");
    const toml::node* time = table.get("time");
    const toml::node* days = table.get("days");
    const auto duration = duration_at(table, "duration");
    const toml::node* duration_node = table.get("duration");
    auto misplaced = [&](const toml::node* node, std::string_view key, std::string_view with) {
      if (node != nullptr)
        fail(node->source(), "'" + std::string(key) + "' cannot be combined with " + std::string(with) +
                                 " in " + std::string(what));
    };

    if (cron != nullptr) {
      misplaced(rrule, "rrule", "'cron'");
      misplaced(start, "start", "'cron'");
      misplaced(end, "end", "'cron'");
      misplaced(time, "time", "'cron' (the cron expression gives the time)");
      misplaced(days, "days", "'cron' (the cron expression gives the days)");
      const auto text = string_at(table, "cron");
      if (!duration)
        fail(cron->source(), std::string(what) + " has 'cron' but no 'duration'",
             "add how long each firing lasts, e.g. duration = \"60h\"");
      if (*duration <= Seconds{0}) {
        problem("H103", duration_node->source(), "'duration' must be longer than zero", {},
                "give each firing a length, e.g. duration = \"2h\", or remove the window");
        return nullptr;
      }
      try {
        CronExpression expression = CronExpression::parse(*text);
        if (!affordable(static_cast<std::int64_t>(expression.minutes_of_day().size()), *duration, *cron,
                        what))
          return nullptr;
        return std::make_shared<CronSchedule>(std::move(expression), *duration, zone);
      } catch (const CronError& error) {
        // The cron parser proves "never fires" (30 February) and says so.
        if (std::string_view(error.what()).find("never fires") == std::string_view::npos)
          fail_in_string(*cron, error.column(), error.what());
        problem("H101", inside_string(*cron, error.column()), error.what(), {},
                "the day-of-month never occurs in those months: fix the day or the month field");
        return nullptr;
      }
    }
    if (rrule != nullptr) {
      misplaced(end, "end", "'rrule' (use 'time' or 'duration' for each occurrence)");
      misplaced(days, "days", "'rrule' (use BYDAY in the rule)");
      const auto text = string_at(table, "rrule");
      // Columns count from after an "RRULE:" prefix, which parse() drops.
      const std::size_t prefix = text->rfind("RRULE:", 0) == 0 ? 6 : 0;
      std::optional<RecurrenceRule> rule;
      try {
        rule.emplace(RecurrenceRule::parse(*text));
      } catch (const RRuleError& error) {
        fail_in_string(*rrule, prefix + error.column(), error.what());
      }
      const RecurrenceRule::Cost cost = rule->cost();
      if (!cost.refusal.empty()) {
        problem("H112", inside_string(*rrule, prefix + cost.column), cost.refusal);
        return nullptr;
      }
      if ((rule->has_count() || rule->interval() > 1) && start == nullptr)
        fail(rrule->source(), "an rrule with COUNT or INTERVAL needs a 'start' to count from",
             "add start = 2026-01-05T00:00:00 (the first occurrence, local time)");
      LocalTime anchor = start != nullptr ? local_at(*start, "start") : make_local(2000, 1, 1);
      if (time != nullptr && duration)
        fail(duration_node->source(), "give either 'time' or 'duration' with 'rrule', not both");
      if (time != nullptr) {
        const auto span = span_at(table);
        if (!span) return nullptr;
        const auto day = std::chrono::floor<std::chrono::days>(anchor);
        anchor = day + minutes(span->start_minute);
        if (!affordable(cost.per_day, span->length(), *rrule, what)) return nullptr;
        return std::make_shared<RRuleSchedule>(std::move(*rule), anchor, span->length(),
                                               LengthKind::wall_clock, zone);
      }
      if (!duration)
        fail(rrule->source(), std::string(what) + " has 'rrule' but neither 'time' nor 'duration'",
             "add e.g. time = \"00:00-24:00\" or duration = \"2h\"");
      if (*duration <= Seconds{0}) {
        problem("H103", duration_node->source(), "'duration' must be longer than zero", {},
                "give each occurrence a length, e.g. duration = \"2h\", or remove the rule");
        return nullptr;
      }
      if (!affordable(cost.per_day, *duration, *rrule, what)) return nullptr;
      return std::make_shared<RRuleSchedule>(std::move(*rule), anchor, *duration, LengthKind::elapsed, zone);
    }
    if (start != nullptr || end != nullptr) {
      misplaced(time, "time", "'start'/'end'");
      misplaced(days, "days", "'start'/'end'");
      if (start == nullptr) fail(end->source(), std::string(what) + " has 'end' but no 'start'");
      const Instant from = instant_at(*start, "start", zone);
      Instant to{};
      if (end != nullptr) {
        misplaced(duration_node, "duration", "'end'");
        to = instant_at(*end, "end", zone);
      } else if (duration) {
        to = from + *duration;
      } else {
        fail(start->source(), std::string(what) + " has 'start' but no 'end' or 'duration'");
      }
      if (to <= from) {
        const toml::node* at = end != nullptr ? end : duration_node;
        problem(to == from ? "H103" : "H102", at->source(),
                "'end' (" + zone.format(to) + ") is not after 'start' (" + zone.format(from) + ")", {},
                to == from ? "the window has no length: move 'end' after 'start'"
                           : "swap 'start' and 'end', or fix the year of 'end'");
        return nullptr;
      }
      return std::make_shared<OneOffSchedule>(Interval{from, to}, zone);
    }
    if (time != nullptr || days != nullptr) {
      misplaced(duration_node, "duration", "'days'/'time' (the span gives the length)");
      const auto span = time != nullptr ? span_at(table) : DaySpan{};
      if (!span) return nullptr;
      return std::make_shared<DailySpanSchedule>(days_at(table), *span, zone);
    }
    fail(table.source(), std::string(what) + " has no schedule",
         "give start/end, cron + duration, rrule + time, or days and/or time");
  }

  // nullopt only when lenient loading recorded a zero-length span.
  std::optional<DaySpan> span_at(const toml::table& table) const {
    const auto text = string_at(table, "time");
    try {
      return parse_day_span(*text);
    } catch (const InputError& error) {
      if (!zero_length_span(*text)) fail(table.get("time")->source(), error.what());
      problem("H103", table.get("time")->source(), error.what(), {},
              "a span needs two different times, e.g. \"10:00-11:00\"; \"00:00-24:00\" is the whole day");
      return std::nullopt;
    }
  }

  // Rules are read in file order, whatever their kind, so that "already
  // exists" points at the later of two rules with one name.
  void read_rules(const toml::table& root, const Zone& policy_zone, std::vector<Rule>& rules) {
    struct Entry {
      const toml::table* table;
      std::string_view key;
      RuleKind kind;
    };
    std::vector<Entry> entries;
    for (auto [key, kind] : {std::pair{std::string_view("window"), RuleKind::window},
                             std::pair{std::string_view("factor"), RuleKind::factor},
                             std::pair{std::string_view("event"), RuleKind::event},
                             std::pair{std::string_view("calendar"), RuleKind::calendar}}) {
      const toml::node* node = root.get(key);
      if (node == nullptr) continue;
      const auto* array = node->as_array();
      if (array == nullptr || !array->is_array_of_tables()) {
        // read_calendars has reported [calendar] already.
        // A copy: clang 14 cannot capture a structured binding.
        const std::string name(key);
        if (kind != RuleKind::calendar)
          recover([&] { fail(node->source(), "'" + name + "' must be written as [[" + name + "]] tables"); });
        continue;
      }
      for (const toml::node& element : *array) entries.push_back({element.as_table(), key, kind});
    }
    std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
      const auto& pa = a.table->source().begin;
      const auto& pb = b.table->source().begin;
      return pa.line != pb.line ? pa.line < pb.line : pa.column < pb.column;
    });
    for (const Entry& entry : entries)
      recover([&] { read_rule(*entry.table, entry.key, entry.kind, policy_zone, rules); });
  }

  void read_rule(const toml::table& table, std::string_view key, RuleKind kind, const Zone& policy_zone,
                 std::vector<Rule>& rules) {
    const KeyList known = rule_keys(kind);
    // read_calendars has reported the unknown keys of a calendar that did
    // not load; its other fields are still read here.
    const toml::node* name_node = table.get("name");
    const bool broken_calendar = kind == RuleKind::calendar && name_node != nullptr &&
                                 name_node->is_string() &&
                                 m_broken_calendars.contains(name_node->as_string()->get());
    {
      const std::string label = "[[" + std::string(key) + "]]";
      if (!broken_calendar) check_keys(table, known, label);
      Rule rule;
      rule.kind = kind;
      rule.source = location(table.source());
      const auto name = string_at(table, "name");
      if (!name) fail(table.source(), label + " needs a non-empty 'name'");
      if (name->empty()) fail(table.get("name")->source(), label + " needs a non-empty 'name'");
      check_printable_name(table, *name, label);
      rule.name = *name;
      if (auto previous = m_names.find(rule.name); previous != m_names.end())
        fail(table.get("name")->source(), "a rule named '" + rule.name + "' already exists",
             "the first is at " + previous->second.format() +
                 "; names must be unique (reasons and overrides cite them)");
      m_names.emplace(rule.name, rule.source);
      const std::string what = label + " '" + rule.name + "'";

      // The fields below are independent of each other: each is read on its
      // own, so that a rule with two mistakes shows both.
      bool complete = true;
      auto field = [&](auto&& read) { complete = recover(read) && complete; };
      rule.action = kind == RuleKind::window ? Action::block : Action::score;
      bool action_known = true;
      if (kind == RuleKind::window || kind == RuleKind::calendar)
        action_known = recover([&] {
          if (auto action = string_at(table, "action")) {
            if (*action == "block")
              rule.action = Action::block;
            else if (*action == "warn")
              rule.action = Action::warn;
            else if (*action == "allow")
              rule.action = Action::allow;
            else if (*action == "score" && kind == RuleKind::calendar)
              rule.action = Action::score;
            else {
              const std::string suggestion = closest_match(*action, {"block", "warn", "allow", "score"});
              fail(table.get("action")->source(),
                   "unknown action '" + *action + "'" +
                       (suggestion.empty() ? "" : "; did you mean '" + suggestion + "'?"),
                   "action is one of block, warn, allow");
            }
          }
        });
      complete = action_known && complete;
      if (kind == RuleKind::window || kind == RuleKind::calendar)
        field([&] {
          if (auto overridable = bool_at(table, "overridable")) rule.overridable = *overridable;
        });
      // A risk is asked for by the action: an unknown one says nothing.
      if (action_known && rule.action == Action::score)
        field([&] {
          const auto risk = risk_at(table, "risk");
          if (!risk) fail(table.source(), what + " needs a 'risk' from 0 to 100");
          rule.risk = static_cast<int>(*risk);
        });
      field([&] {
        rule.environments = strings_at(table, "environments");
        for (std::size_t i = 0; i < rule.environments.size(); ++i)
          rule.environments[i] =
              environment_name(*table.get("environments")->as_array()->get(i), rule.environments[i]);
      });
      field([&] {
        if (auto value = duration_at(table, "buffer_before")) rule.buffer_before = *value;
      });
      field([&] {
        if (auto value = duration_at(table, "buffer_after")) rule.buffer_after = *value;
      });
      field([&] {
        const Zone& zone =
            table.get("timezone") ? read_zone(table, "timezone", false, table.source()) : policy_zone;
        if (kind == RuleKind::calendar) {
          const auto found = m_calendars.find(rule.name);
          if (found == m_calendars.end()) throw DependsOnBroken{};
          rule.schedule = found->second.schedule;
        } else if (table.contains("monthly") || table.contains("yearly")) {
          rule.schedule = read_business_day_rule(table, what, zone);
        } else {
          rule.schedule = read_schedule(table, what, zone);
        }
      });
      if (complete) rules.push_back(std::move(rule));
    }
  }

  // Calendars are built before the rules so that business-day events can
  // name any of them, wherever it stands in the file.
  void read_calendars(const toml::table& root, const Zone& policy_zone) {
    const toml::node* node = root.get("calendar");
    if (node == nullptr) return;
    if (!node->is_array_of_tables())
      fail(node->source(), "'calendar' must be written as [[calendar]] tables");
    for (const toml::node& element : *node->as_array()) {
      const toml::table& table = *element.as_table();
      const toml::node* name = table.get("name");
      // read_rule reports a missing or malformed name, and then every other
      // mistake of this table, in file order.
      if (name == nullptr || !name->is_string() || name->as_string()->get().empty()) continue;
      if (!recover([&] { read_calendar(table, name->as_string()->get(), policy_zone); }))
        m_broken_calendars.insert(name->as_string()->get());
    }
  }

  void read_calendar(const toml::table& table, const std::string& name, const Zone& policy_zone) {
    check_keys(table, kCalendarKeys, "[[calendar]]");
    const auto builtin = string_at(table, "builtin");
    const auto ics = string_at(table, "ics");
    if (builtin.has_value() == ics.has_value())
      fail(table.source(), "[[calendar]] '" + name + "' needs exactly one of 'builtin' or 'ics'");
    CalendarSource source;
    if (builtin) {
      source.holidays = read_builtin(table, *builtin);
      source.schedule = source.holidays;
    } else {
      const Zone& floating = table.contains("timezone") ? zone_at(table, "timezone") : policy_zone;
      source.schedule = read_ics(table, *ics, floating);
    }
    m_calendars.emplace(name, std::move(source));
  }

  std::shared_ptr<const HolidayCalendar> read_builtin(const toml::table& table,
                                                      const std::string& builtin) const {
    HolidayRuleFile file;
    try {
      file = load_holiday_rules(builtin, m_path);
    } catch (const SourceError&) {
      throw;  // a positioned problem in the rule file itself
    } catch (const InputError& error) {
      const auto known = available_holiday_calendars(m_path);
      const std::string suggestion = closest_match(builtin, known);
      std::string list;
      for (const auto& name : known) list += (list.empty() ? "" : ", ") + name;
      fail(table.get("builtin")->source(),
           std::string(error.what()) + (suggestion.empty() ? "" : "; did you mean '" + suggestion + "'?"),
           "built-in calendars: " + (list.empty() ? std::string("none found") : list));
    }
    if (const toml::node* extra = table.get("holidays")) {
      if (!extra->is_array())
        fail(extra->source(), "'holidays' must be an array of { date = 2027-03-03, name = \"…\" }");
      for (const toml::node& element : *extra->as_array()) {
        const toml::table* day = element.as_table();
        if (day == nullptr)
          fail(element.source(), "each extra holiday is { date = 2027-03-03, name = \"…\" }");
        check_keys(*day, kExtraHolidayKeys, "an extra holiday");
        const toml::node* date = day->get("date");
        if (date == nullptr || !date->is_date())
          fail(element.source(), "an extra holiday needs 'date' as a TOML date");
        const auto name = string_at(*day, "name");
        if (!name || name->empty()) fail(element.source(), "an extra holiday needs a 'name'");
        check_printable_name(*day, *name, "extra holiday");
        const toml::date d = date->as_date()->get();
        file.rules.adhoc.push_back(
            {std::chrono::year{d.year} / std::chrono::month{d.month} / std::chrono::day{d.day}, *name});
      }
    }
    return std::make_shared<HolidayCalendar>(std::move(file.rules), Zone::get(file.timezone));
  }

  // A relative path is read beside the policy, then among the installed
  // policies, so a copy of the shipped default policy keeps its example.
  std::shared_ptr<const Schedule> read_ics(const toml::table& table, const std::string& relative,
                                           const Zone& floating) const {
    namespace fs = std::filesystem;
    std::vector<fs::path> candidates{fs::path(m_path).parent_path() / relative};
    if (fs::path(relative).is_relative())
      for (const fs::path& directory : installed_policy_directories())
        candidates.push_back(directory / relative);
    for (const fs::path& path : candidates) {
      std::error_code error;
      if (!fs::exists(fs::status(path, error))) continue;
      // What is there is read, or refused here, at the value that names it:
      // a FIFO would block, a device never end, a directory read nothing.
      std::string why;
      const auto text = read_whole_file(path.string(), why, IcsCalendar::kMaxFileBytes);
      if (!text) fail(table.get("ics")->source(), "cannot read ICS calendar '" + path.string() + "': " + why);
      // Problems inside the ICS file are SourceErrors positioned in that file.
      auto calendar = IcsCalendar::load_text(*text, path.string(), floating, m_calendar_cache);
      m_warnings.insert(m_warnings.end(), calendar->warnings().begin(), calendar->warnings().end());
      return calendar;
    }
    fail(table.get("ics")->source(), "cannot read ICS calendar '" + candidates.front().string() + "'",
         "the path is relative to the policy file");
  }

  const Zone& zone_at(const toml::table& table, std::string_view key) const {
    const auto name = string_at(table, key);
    try {
      return Zone::get(*name);
    } catch (const UnknownZoneError& error) {
      fail(table.get(key)->source(), error.what());
    }
  }

  Roll roll_at(const toml::table& table) const {
    const auto roll = string_at(table, "roll");
    if (!roll || *roll == "none") return Roll::none;
    if (*roll == "previous-business-day") return Roll::previous_business_day;
    if (*roll == "next-business-day") return Roll::next_business_day;
    const std::string match = closest_match(*roll, {"previous-business-day", "next-business-day", "none"});
    fail(table.get("roll")->source(),
         "unknown roll '" + *roll + "'" + (match.empty() ? "" : "; did you mean '" + match + "'?"),
         "roll is previous-business-day, next-business-day or none");
  }

  // monthly = { day = 25, roll = "previous-business-day" }, { day = -1 },
  // { business_day = -1 }, { weekday = "fri", nth = -1 }; yearly adds month.
  std::shared_ptr<const Schedule> read_business_day_rule(const toml::table& table, const std::string& what,
                                                         const Zone& zone) const {
    for (const char* key : {"start", "end", "cron", "rrule", "days", "duration"})
      if (const toml::node* node = table.get(key))
        fail(node->source(),
             "'" + std::string(key) + "' cannot be combined with 'monthly'/'yearly' in " + what);
    if (table.contains("monthly") && table.contains("yearly"))
      fail(table.get("yearly")->source(), "give either 'monthly' or 'yearly', not both");
    const bool yearly = table.contains("yearly");
    const toml::table* spec = table_at(table, yearly ? "yearly" : "monthly");
    check_keys(*spec, yearly ? kYearlyKeys : kMonthlyKeys, yearly ? "yearly" : "monthly");
    DateRule rule;
    if (yearly) {
      const auto month = integer_at(*spec, "month", 1, 12);
      if (!month) fail(spec->source(), "yearly needs a 'month'");
      rule.month = static_cast<unsigned>(*month);
    }
    const int forms = (spec->contains("day") ? 1 : 0) + (spec->contains("business_day") ? 1 : 0) +
                      (spec->contains("weekday") ? 1 : 0);
    if (forms != 1) fail(spec->source(), "give exactly one of 'day', 'business_day' or 'weekday' + 'nth'");
    if (spec->contains("day")) {
      rule.kind = DateRule::Kind::day_of_month;
      rule.day = static_cast<int>(*integer_at(*spec, "day", -1, 31));
      if (rule.day == 0) fail(spec->get("day")->source(), "'day' is 1 to 31, or -1 for the last day");
    } else if (spec->contains("business_day")) {
      rule.kind = DateRule::Kind::business_day;
      rule.business_day = static_cast<int>(*integer_at(*spec, "business_day", -23, 23));
      if (rule.business_day == 0)
        fail(spec->get("business_day")->source(), "'business_day' is 1.. (nth) or -1.. (from the end)");
    } else {
      rule.kind = DateRule::Kind::nth_weekday;
      const auto weekday = string_at(*spec, "weekday");
      rule.weekday = parse_weekday(*weekday);
      if (rule.weekday < 0) fail(spec->get("weekday")->source(), "'" + *weekday + "' is not a weekday");
      const auto nth = integer_at(*spec, "nth", -1, 5);
      if (!nth || *nth == 0) fail(spec->source(), "'weekday' needs 'nth': 1 to 5, or -1 for the last");
      rule.nth = static_cast<int>(*nth);
    }
    rule.roll = roll_at(*spec);
    std::optional<DaySpan> span;
    if (table.contains("time")) {
      span = span_at(table);
      if (!span) return nullptr;
    }
    return std::make_shared<BusinessDaySchedule>(rule, span, business_calendar(table), zone);
  }

  // business_days = ["kr-holidays"] names built-in calendars; by default every
  // built-in calendar of the policy counts.
  std::shared_ptr<const BusinessCalendar> business_calendar(const toml::table& table) const {
    std::vector<std::shared_ptr<const HolidayCalendar>> holidays;
    if (table.contains("business_days")) {
      const auto names = strings_at(table, "business_days");
      const auto* array = table.get("business_days")->as_array();
      for (std::size_t i = 0; i < names.size(); ++i) {
        if (m_broken_calendars.contains(names[i])) throw DependsOnBroken{};
        auto found = m_calendars.find(names[i]);
        if (found == m_calendars.end() || !found->second.holidays) {
          std::vector<std::string> known;
          for (const auto& [name, source] : m_calendars)
            if (source.holidays) known.push_back(name);
          const std::string match = closest_match(names[i], known);
          fail((*array)[i].source(), "'" + names[i] +
                                         "' is not a built-in holiday [[calendar]] of this policy" +
                                         (match.empty() ? "" : "; did you mean '" + match + "'?"));
        }
        holidays.push_back(found->second.holidays);
      }
    } else {
      for (const auto& [name, source] : m_calendars)
        if (source.holidays) holidays.push_back(source.holidays);
    }
    WeekdaySet weekend{};
    if (holidays.empty()) {
      weekend[0] = weekend[6] = true;
    } else {
      for (const auto& calendar : holidays)
        for (std::size_t day = 0; day < 7; ++day) weekend[day] = weekend[day] || calendar->weekend()[day];
    }
    return std::make_shared<BusinessCalendar>(weekend, std::move(holidays));
  }

  void read_change(const toml::table& table, ChangeRisk& change) const {
    check_keys(table, kChangeKeys, "[change]");
    change.where = location(table.source());
    change.large_lines = integer_at(table, "large_lines", 1, 1'000'000'000);
    change.large_risk = static_cast<int>(risk_at(table, "large_risk").value_or(0));
    change.sensitive_paths = strings_at(table, "sensitive_paths");
    change.sensitive_risk = static_cast<int>(risk_at(table, "sensitive_risk").value_or(0));
  }

  void read_push(const toml::table& table, PushMapping& push) {
    check_keys(table, kPushKeys, "[push]");
    const auto* refs = table_at(table, "refs");
    if (refs == nullptr) return;
    // toml++ keeps a table's keys sorted; the first match must be the first
    // pattern as written, so order them by where they stand in the file.
    std::vector<std::pair<const toml::key*, const toml::node*>> entries;
    for (auto&& [key, node] : *refs) entries.emplace_back(&key, &node);
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
      const auto& x = a.first->source().begin;
      const auto& y = b.first->source().begin;
      return x.line != y.line ? x.line < y.line : x.column < y.column;
    });
    for (const auto& [key, node] : entries) {
      if (!node->is_string())
        fail(node->source(),
             "[push] refs values must be environment names, not " + std::string(type_name(*node)));
      push.refs.emplace_back(std::string(key->str()), environment_name(*node, node->as_string()->get()));
    }
  }

  // [environments] prod = { aliases = ["production", "prd"] }: the closed set
  // of names, read before everything that names one.
  void read_environments(const toml::table& table) {
    m_environments.declared = true;
    auto taken = [&](const std::string& name) {
      return std::find(m_environments.names.begin(), m_environments.names.end(), name) !=
                 m_environments.names.end() ||
             std::any_of(m_environments.aliases.begin(), m_environments.aliases.end(),
                         [&](const auto& alias) { return alias.first == name; });
    };
    for (auto&& [key, node] : table) {
      const std::string name(key.str());
      const auto* entry = node.as_table();
      if (entry == nullptr)
        fail(node.source(), "[environments] " + name +
                                " must be a table such as { aliases = [\"production\"] }, not " +
                                std::string(type_name(node)));
      check_keys(*entry, kEnvironmentKeys, "[environments] " + name);
      if (taken(name))
        fail(key.source(), "environment '" + name + "' is already declared (as a name or an alias)");
      m_environments.names.push_back(name);
      const auto aliases = strings_at(*entry, "aliases");
      for (std::size_t i = 0; i < aliases.size(); ++i) {
        if (taken(aliases[i]))
          fail(entry->get("aliases")->as_array()->get(i)->source(),
               "alias '" + aliases[i] + "' is already declared (as a name or an alias)");
        m_environments.aliases.emplace_back(aliases[i], name);
      }
    }
    std::sort(m_environments.names.begin(), m_environments.names.end());
  }

  // An environment name a rule, [push] or [defaults] uses: with
  // [environments], it must be a declared name or alias (and becomes the
  // name); without, it joins the set.
  std::string environment_name(const toml::node& at, const std::string& name) {
    // [environments] did not load: whether a name is declared is unknown.
    if (m_environments_broken) return name;
    if (!m_environments.declared) {
      m_environments.names.push_back(name);
      return name;
    }
    try {
      return resolve_environment(m_environments, name);
    } catch (const InputError& error) {
      fail(at.source(), error.what(), "declare it in [environments], or use a declared name or alias");
    }
  }

  void read_override(const toml::table& table, OverridePolicy& policy) const {
    check_keys(table, kOverrideKeys, "[override]");
    policy.allowed = bool_at(table, "allowed").value_or(false);
    if (auto ticket = string_at(table, "ticket")) {
      try {
        (void)Pattern::compile(*ticket);
      } catch (const InputError& error) {
        fail(table.get("ticket")->source(),
             "'ticket' is not a valid regular expression: " + std::string(error.what()));
      }
      policy.ticket = *ticket;
    }
    policy.never = strings_at(table, "never");
  }

  struct CalendarSource {
    std::shared_ptr<const Schedule> schedule;
    std::shared_ptr<const HolidayCalendar> holidays;  // built-in calendars: business days need them
  };
  std::map<std::string, CalendarSource> m_calendars;
  std::set<std::string> m_broken_calendars;  // [[calendar]] names that did not load
  bool m_environments_broken = false;
  std::vector<SourceError> m_errors;  // at most kMaxErrors
  std::size_t m_not_shown = 0;        // past kMaxErrors
  std::map<std::string, SourceLocation> m_names;
  Environments m_environments;
  bool m_lenient = false;
  const IcsCache* m_calendar_cache = nullptr;
  mutable std::vector<Finding> m_warnings;        // read_ics is const: what the calendars read with a guess
  mutable std::vector<PolicyProblem> m_problems;  // recorded by the const readers
};

}  // namespace

std::vector<PolicyTableKeys> policy_table_keys() {
  return {{"", kTopKeys},
          {"defaults", kDefaultsKeys},
          {"thresholds", kThresholdKeys},
          {"window[]", rule_keys(RuleKind::window)},
          {"factor[]", rule_keys(RuleKind::factor)},
          {"event[]", rule_keys(RuleKind::event)},
          {"event[].monthly", kMonthlyKeys},
          {"event[].yearly", kYearlyKeys},
          {"calendar[]", rule_keys(RuleKind::calendar)},
          {"calendar[].holidays[]", kExtraHolidayKeys},
          {"change", kChangeKeys},
          {"push", kPushKeys},
          {"environments.*", kEnvironmentKeys},
          {"override", kOverrideKeys}};
}

Policy parse_policy(std::string_view text, const std::string& path, const LoadOptions& options) {
  return Loader(text, path, options).load();
}

std::string read_policy_text(const std::string& path) {
  std::string why;
  auto text = read_whole_file(path, why);
  if (!text) throw PolicyError(SourceLocation{path, 0, 0}, "cannot read policy file: " + why);
  return std::move(*text);
}

Policy load_policy_file(const std::string& path, const LoadOptions& options) {
  const std::string text = read_policy_text(path);
  return parse_policy(text, path, options);
}

}  // namespace heinrich
