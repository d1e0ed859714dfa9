#include <toml++/toml.h>

#include <fmt/format.h>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "heinrich/calendar/cron.hpp"
#include "heinrich/calendar/rrule.hpp"
#include "heinrich/core/day_span.hpp"
#include "heinrich/core/diagnostic.hpp"
#include "heinrich/core/duration.hpp"
#include "heinrich/core/text.hpp"
#include "heinrich/core/time_parse.hpp"
#include "heinrich/policy/policy.hpp"

namespace heinrich {

namespace {

using KeyList = std::vector<std::string>;

const KeyList kTopKeys{"version", "timezone", "defaults", "thresholds", "calendar", "event",
                       "window",  "factor",   "change",   "push",       "override"};
const KeyList kDefaultsKeys{"duration", "watch", "environment"};
const KeyList kThresholdKeys{"warn", "block"};
const KeyList kScheduleKeys{"start", "end", "cron", "duration", "rrule", "time", "days", "timezone"};
const KeyList kCommonRuleKeys{"name", "description", "environments", "buffer_before", "buffer_after"};
const KeyList kWindowKeys{"action", "overridable"};
const KeyList kRiskKeys{"risk"};
// Business-day rules arrive with the calendars issue; until then they are
// refused, never ignored.
const KeyList kEventBusinessDayKeys{"monthly", "yearly", "business_days"};
const KeyList kChangeKeys{"large_lines", "large_risk", "sensitive_paths", "sensitive_risk"};
const KeyList kPushKeys{"refs"};
const KeyList kOverrideKeys{"allowed", "ticket", "never"};

KeyList join(std::initializer_list<const KeyList*> lists) {
  KeyList out;
  for (const auto* list : lists) out.insert(out.end(), list->begin(), list->end());
  return out;
}

std::string_view type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a number";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    default:
      return "nothing";
  }
}

class Loader {
 public:
  Loader(std::string_view text, std::string path) : m_text(text), m_path(std::move(path)) {}

  Policy load() {
    toml::table root = parse();
    Policy policy;
    policy.path = m_path;
    check_keys(root, kTopKeys, "the policy");
    read_version(root);
    policy.zone = &read_zone(root, "timezone", /*required=*/true, root.source());
    if (const auto* table = table_at(root, "defaults")) read_defaults(*table, policy.defaults);
    if (const auto* table = table_at(root, "thresholds")) read_thresholds(*table, policy.rules.thresholds);
    if (const auto* node = root.get("calendar")) {
      fail(node->source(),
           "[[calendar]] sources (built-in holidays, ICS files) are not supported yet by this version",
           "remove or comment out the [[calendar]] tables; windows, factors and events work");
    }
    read_rules(root, *policy.zone, policy.rules.rules);
    if (const auto* table = table_at(root, "change")) read_change(*table, policy.change);
    if (const auto* table = table_at(root, "push")) read_push(*table, policy.push);
    if (const auto* table = table_at(root, "override")) read_override(*table, policy.override_policy);
    return policy;
  }

 private:
  toml::table parse() {
    check_utf8();
    try {
      return toml::parse(m_text, m_path);
    } catch (const toml::parse_error& error) {
      fail_with_parse_error(error);
    }
  }

  // toml++ stops one character early on bad UTF-8; finding it ourselves puts
  // the caret on the offending byte and names it.
  void check_utf8() const {
    int line = 1;
    int column = 1;
    for (std::size_t i = 0; i < m_text.size();) {
      const auto c = static_cast<unsigned char>(m_text[i]);
      const std::size_t length = c < 0x80           ? 1
                                 : (c >> 5) == 0x6  ? 2
                                 : (c >> 4) == 0xe  ? 3
                                 : (c >> 3) == 0x1e ? 4
                                                    : 0;
      bool valid = length != 0 && i + length <= m_text.size();
      for (std::size_t k = 1; valid && k < length; ++k)
        valid = (static_cast<unsigned char>(m_text[i + k]) & 0xc0) == 0x80;
      if (!valid) {
        throw PolicyError(
            SourceLocation{m_path, line, column},
            fmt::format("invalid utf-8 sequence (byte 0x{:02X}); a policy must be UTF-8 text", c),
            std::string(line_of(m_text, line)));
      }
      if (c == '\n') {
        ++line;
        column = 1;
      } else if (!(i == 0 && m_text.substr(0, 3) == "\xEF\xBB\xBF")) {
        ++column;  // a leading byte-order mark is not a column
      }
      i += length;
    }
  }

  // toml++ reports some errors just past the offending text; move the caret
  // to where a person would look.
  [[noreturn]] void fail_with_parse_error(const toml::parse_error& error) const {
    const std::string description(error.description());
    toml::source_region region = error.source();
    const std::string_view line = line_of(m_text, static_cast<int>(region.begin.line));
    const auto index = static_cast<std::size_t>(region.begin.column) - 1;  // ASCII in these cases
    auto is_word = [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '+' || c == '.';
    };
    const bool value_error = description.find("while parsing date") != std::string::npos ||
                             description.find("while parsing time") != std::string::npos ||
                             description.find("integer") != std::string::npos ||
                             description.find("floating-point") != std::string::npos;
    if (value_error && index <= line.size() && index > 0 && is_word(line[index - 1])) {
      std::size_t start = index;
      while (start > 0 && is_word(line[start - 1])) --start;
      region.begin.column = static_cast<toml::source_index>(start + 1);
    } else if (description.find("cannot redefine existing") != std::string::npos) {
      const auto key = line.find_first_not_of(" \t");
      if (key != std::string_view::npos) region.begin.column = static_cast<toml::source_index>(key + 1);
    } else if (description.find("while parsing string") != std::string::npos && index >= line.size()) {
      const auto equals = line.find('=');
      const auto quote = line.find_first_of("\"'", equals == std::string_view::npos ? 0 : equals);
      if (quote != std::string_view::npos) {
        region.begin.column = static_cast<toml::source_index>(quote + 1);
        fail(region, "unterminated string: the string opened here does not end on this line",
             "close it with the same quote; multi-line strings use three quotes");
      }
    }
    fail(region, description);
  }

  SourceLocation location(const toml::source_region& at) const {
    return SourceLocation{m_path, static_cast<int>(at.begin.line), static_cast<int>(at.begin.column)};
  }

  [[noreturn]] void fail(const toml::source_region& at, const std::string& message,
                         const std::string& hint = {}, int underline = 1) const {
    const auto where = location(at);
    throw PolicyError(where, message, std::string(line_of(m_text, where.line)), hint, underline);
  }

  void check_keys(const toml::table& table, const KeyList& known, std::string_view where) const {
    for (auto&& [key, node] : table) {
      const std::string_view name = key.str();
      if (std::find(known.begin(), known.end(), name) != known.end()) continue;
      const std::string suggestion = closest_match(name, known);
      std::string hint;
      if (suggestion.empty()) {
        hint = "known keys here: ";
        for (std::size_t i = 0; i < known.size(); ++i) hint += (i ? ", " : "") + known[i];
      }
      const auto& region = key.source().begin.line ? key.source() : node.source();
      fail(region,
           "unknown key '" + std::string(name) + "' in " + std::string(where) +
               (suggestion.empty() ? "" : "; did you mean '" + suggestion + "'?"),
           hint, static_cast<int>(name.size()));
    }
  }

  const toml::table* table_at(const toml::table& parent, std::string_view key) const {
    const toml::node* node = parent.get(key);
    if (node == nullptr) return nullptr;
    if (const auto* table = node->as_table()) return table;
    fail(node->source(), "'" + std::string(key) + "' must be a table, not " + std::string(type_name(*node)));
  }

  const toml::node* expect(const toml::table& table, std::string_view key, toml::node_type type,
                           std::string_view what) const {
    const toml::node* node = table.get(key);
    if (node == nullptr) return nullptr;
    if (node->type() != type)
      fail(node->source(), "'" + std::string(key) + "' must be " + std::string(what) + ", not " +
                               std::string(type_name(*node)));
    return node;
  }

  std::optional<std::string> string_at(const toml::table& table, std::string_view key) const {
    const auto* node = expect(table, key, toml::node_type::string, "a string");
    if (node == nullptr) return std::nullopt;
    return node->as_string()->get();
  }

  std::optional<long long> integer_at(const toml::table& table, std::string_view key, long long min,
                                      long long max) const {
    const toml::node* node = table.get(key);
    if (node == nullptr) return std::nullopt;
    if (!node->is_integer())
      fail(node->source(), "'" + std::string(key) + "' must be an integer from " + std::to_string(min) +
                               " to " + std::to_string(max) + ", not " + std::string(type_name(*node)));
    const long long value = node->as_integer()->get();
    if (value < min || value > max)
      fail(node->source(), "'" + std::string(key) + "' = " + std::to_string(value) + " is out of range " +
                               std::to_string(min) + "-" + std::to_string(max));
    return value;
  }

  std::optional<bool> bool_at(const toml::table& table, std::string_view key) const {
    const auto* node = expect(table, key, toml::node_type::boolean, "true or false");
    if (node == nullptr) return std::nullopt;
    return node->as_boolean()->get();
  }

  std::optional<Seconds> duration_at(const toml::table& table, std::string_view key) const {
    const auto* node = expect(table, key, toml::node_type::string, "a duration string such as \"2h\"");
    if (node == nullptr) return std::nullopt;
    try {
      return parse_duration(node->as_string()->get());
    } catch (const InputError& error) {
      fail(node->source(), "'" + std::string(key) + "': " + error.what());
    }
  }

  std::vector<std::string> strings_at(const toml::table& table, std::string_view key) const {
    std::vector<std::string> out;
    const auto* node = expect(table, key, toml::node_type::array, "an array of strings");
    if (node == nullptr) return out;
    for (const toml::node& element : *node->as_array()) {
      if (!element.is_string())
        fail(element.source(),
             "'" + std::string(key) + "' must hold strings, not " + std::string(type_name(element)));
      const std::string& text = element.as_string()->get();
      if (text.empty()) fail(element.source(), "'" + std::string(key) + "' holds an empty string");
      out.push_back(text);
    }
    return out;
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
    } catch (const UnknownZoneError&) {
      const std::string suggestion = Zone::suggest(*name);
      fail(table.get(key)->source(),
           "unknown time zone '" + *name + "'" +
               (suggestion.empty() ? "" : "; did you mean '" + suggestion + "'?"),
           "time zones are IANA names such as Asia/Seoul, Europe/Berlin or UTC");
    }
  }

  void read_defaults(const toml::table& table, Defaults& defaults) const {
    check_keys(table, kDefaultsKeys, "[defaults]");
    if (auto value = duration_at(table, "duration")) defaults.duration = *value;
    if (auto value = duration_at(table, "watch")) defaults.watch = *value;
    if (auto value = string_at(table, "environment")) defaults.environment = *value;
  }

  void read_thresholds(const toml::table& table, Thresholds& thresholds) const {
    check_keys(table, kThresholdKeys, "[thresholds]");
    if (auto value = integer_at(table, "warn", 0, 100)) thresholds.warn = static_cast<int>(*value);
    if (auto value = integer_at(table, "block", 0, 100)) thresholds.block = static_cast<int>(*value);
  }

  // A point in time for `start`/`end`: a TOML date, local or offset
  // date-time, or the same as a string. A bare date as `end` includes that day.
  Instant instant_at(const toml::node& node, std::string_view key, const Zone& zone) const {
    LocalTime local{};
    std::optional<Seconds> offset;
    bool date_only = false;
    if (const auto* value = node.as_date_time()) {
      const toml::date_time& dt = value->get();
      local =
          make_local(dt.date.year, dt.date.month, dt.date.day, dt.time.hour, dt.time.minute, dt.time.second);
      if (dt.offset) offset = minutes(dt.offset->minutes);
    } else if (const auto* date = node.as_date()) {
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
      return make_local(dt.date.year, dt.date.month, dt.date.day, dt.time.hour, dt.time.minute,
                        dt.time.second);
    }
    if (const auto* date = node.as_date())
      return make_local(date->get().year, date->get().month, date->get().day);
    fail(node.source(),
         "'" + std::string(key) + "' must be a local date or date-time when used with 'rrule'");
  }

  WeekdaySet days_at(const toml::table& table) const {
    WeekdaySet days{};
    const toml::node* node = table.get("days");
    if (node == nullptr) return days;
    const auto names = strings_at(table, "days");
    const auto* array = node->as_array();
    if (names.empty()) fail(node->source(), "'days' is empty; leave it out to mean every day");
    for (std::size_t i = 0; i < names.size(); ++i) {
      const std::string& name = names[i];
      const auto dash = name.find('-');
      const int first = parse_weekday(name.substr(0, dash));
      const int last = dash == std::string::npos ? first : parse_weekday(name.substr(dash + 1));
      if (first < 0 || last < 0)
        fail((*array)[i].source(), "'" + name + "' is not a weekday",
             "use mon, tue, wed, thu, fri, sat, sun or a range such as mon-fri");
      for (int day = first;; day = (day + 1) % 7) {
        days[static_cast<std::size_t>(day)] = true;
        if (day == last) break;
      }
    }
    return days;
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
      if (*duration <= Seconds{0}) fail(duration_node->source(), "'duration' must be longer than zero");
      try {
        return std::make_shared<CronSchedule>(CronExpression::parse(*text), *duration, zone);
      } catch (const CronError& error) {
        fail_in_string(*cron, error.column(), error.what());
      }
    }
    if (rrule != nullptr) {
      misplaced(end, "end", "'rrule' (use 'time' or 'duration' for each occurrence)");
      misplaced(days, "days", "'rrule' (use BYDAY in the rule)");
      const auto text = string_at(table, "rrule");
      std::optional<RecurrenceRule> rule;
      try {
        rule.emplace(RecurrenceRule::parse(*text));
      } catch (const RRuleError& error) {
        fail_in_string(*rrule, error.column(), error.what());
      }
      if ((rule->has_count() || rule->interval() > 1) && start == nullptr)
        fail(rrule->source(), "an rrule with COUNT or INTERVAL needs a 'start' to count from",
             "add start = 2026-01-05T00:00:00 (the first occurrence, local time)");
      LocalTime anchor = start != nullptr ? local_at(*start, "start") : make_local(2000, 1, 1);
      if (time != nullptr && duration)
        fail(duration_node->source(), "give either 'time' or 'duration' with 'rrule', not both");
      if (time != nullptr) {
        const DaySpan span = span_at(table);
        const auto day = std::chrono::floor<std::chrono::days>(anchor);
        anchor = day + minutes(span.start_minute);
        return std::make_shared<RRuleSchedule>(std::move(*rule), anchor, span.length(),
                                               LengthKind::wall_clock, zone);
      }
      if (!duration)
        fail(rrule->source(), std::string(what) + " has 'rrule' but neither 'time' nor 'duration'",
             "add e.g. time = \"00:00-24:00\" or duration = \"2h\"");
      if (*duration <= Seconds{0}) fail(duration_node->source(), "'duration' must be longer than zero");
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
        fail(at->source(),
             "'end' (" + zone.format(to) + ") is not after 'start' (" + zone.format(from) + ")");
      }
      return std::make_shared<OneOffSchedule>(Interval{from, to}, zone);
    }
    if (time != nullptr || days != nullptr) {
      misplaced(duration_node, "duration", "'days'/'time' (the span gives the length)");
      const DaySpan span = time != nullptr ? span_at(table) : DaySpan{};
      return std::make_shared<DailySpanSchedule>(days_at(table), span, zone);
    }
    fail(table.source(), std::string(what) + " has no schedule",
         "give start/end, cron + duration, rrule + time, or days and/or time");
  }

  DaySpan span_at(const toml::table& table) const {
    const auto text = string_at(table, "time");
    try {
      return parse_day_span(*text);
    } catch (const InputError& error) {
      fail(table.get("time")->source(), error.what());
    }
  }

  // Puts the caret on the character inside a string value that is wrong.
  [[noreturn]] void fail_in_string(const toml::node& node, std::size_t offset,
                                   const std::string& message) const {
    toml::source_region region = node.source();
    if (region.begin.line == region.end.line)
      region.begin.column += static_cast<toml::source_index>(offset + 1);
    fail(region, message);
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
                             std::pair{std::string_view("event"), RuleKind::event}}) {
      const toml::node* node = root.get(key);
      if (node == nullptr) continue;
      const auto* array = node->as_array();
      if (array == nullptr || !array->is_array_of_tables())
        fail(node->source(),
             "'" + std::string(key) + "' must be written as [[" + std::string(key) + "]] tables");
      for (const toml::node& element : *array) entries.push_back({element.as_table(), key, kind});
    }
    std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
      const auto& pa = a.table->source().begin;
      const auto& pb = b.table->source().begin;
      return pa.line != pb.line ? pa.line < pb.line : pa.column < pb.column;
    });
    for (const Entry& entry : entries) read_rule(*entry.table, entry.key, entry.kind, policy_zone, rules);
  }

  void read_rule(const toml::table& table, std::string_view key, RuleKind kind, const Zone& policy_zone,
                 std::vector<Rule>& rules) {
    KeyList known = join({&kCommonRuleKeys, &kScheduleKeys});
    if (kind == RuleKind::window)
      known = join({&known, &kWindowKeys});
    else
      known = join({&known, &kRiskKeys});
    if (kind == RuleKind::event) known = join({&known, &kEventBusinessDayKeys});
    {
      const std::string label = "[[" + std::string(key) + "]]";
      check_keys(table, known, label);
      Rule rule;
      rule.kind = kind;
      rule.source = location(table.source());
      const auto name = string_at(table, "name");
      if (!name) fail(table.source(), label + " needs a non-empty 'name'");
      if (name->empty()) fail(table.get("name")->source(), label + " needs a non-empty 'name'");
      rule.name = *name;
      if (auto previous = m_names.find(rule.name); previous != m_names.end())
        fail(table.get("name")->source(), "a rule named '" + rule.name + "' already exists",
             "the first is at " + previous->second.format() +
                 "; names must be unique (reasons and overrides cite them)");
      m_names.emplace(rule.name, rule.source);
      const std::string what = label + " '" + rule.name + "'";

      if (kind == RuleKind::event) {
        for (const auto& business_key : kEventBusinessDayKeys)
          if (const auto* unsupported = table.get(business_key))
            fail(unsupported->source(),
                 "business-day rules ('" + business_key + "') are not supported yet by this version",
                 "use rrule, cron, days/time or start/end for now");
      }
      if (kind == RuleKind::window) {
        rule.action = Action::block;
        if (auto action = string_at(table, "action")) {
          if (*action == "block")
            rule.action = Action::block;
          else if (*action == "warn")
            rule.action = Action::warn;
          else if (*action == "allow")
            rule.action = Action::allow;
          else {
            const std::string suggestion = closest_match(*action, {"block", "warn", "allow"});
            fail(table.get("action")->source(),
                 "unknown action '" + *action + "'" +
                     (suggestion.empty() ? "" : "; did you mean '" + suggestion + "'?"),
                 "action is one of block, warn, allow");
          }
        }
        if (auto overridable = bool_at(table, "overridable")) rule.overridable = *overridable;
      } else {
        rule.action = Action::score;
        const auto risk = integer_at(table, "risk", 0, 100);
        if (!risk) fail(table.source(), what + " needs a 'risk' from 0 to 100");
        rule.risk = static_cast<int>(*risk);
      }
      rule.environments = strings_at(table, "environments");
      if (auto value = duration_at(table, "buffer_before")) rule.buffer_before = *value;
      if (auto value = duration_at(table, "buffer_after")) rule.buffer_after = *value;
      const Zone& zone =
          table.get("timezone") ? read_zone(table, "timezone", false, table.source()) : policy_zone;
      rule.schedule = read_schedule(table, what, zone);
      rules.push_back(std::move(rule));
    }
  }

  void read_change(const toml::table& table, ChangeRisk& change) const {
    check_keys(table, kChangeKeys, "[change]");
    change.large_lines = integer_at(table, "large_lines", 1, 1'000'000'000);
    change.large_risk = static_cast<int>(integer_at(table, "large_risk", 0, 100).value_or(0));
    change.sensitive_paths = strings_at(table, "sensitive_paths");
    change.sensitive_risk = static_cast<int>(integer_at(table, "sensitive_risk", 0, 100).value_or(0));
  }

  void read_push(const toml::table& table, PushMapping& push) const {
    check_keys(table, kPushKeys, "[push]");
    const auto* refs = table_at(table, "refs");
    if (refs == nullptr) return;
    for (auto&& [key, node] : *refs) {
      if (!node.is_string())
        fail(node.source(),
             "[push] refs values must be environment names, not " + std::string(type_name(node)));
      push.refs.emplace_back(std::string(key.str()), node.as_string()->get());
    }
  }

  void read_override(const toml::table& table, OverridePolicy& policy) const {
    check_keys(table, kOverrideKeys, "[override]");
    policy.allowed = bool_at(table, "allowed").value_or(false);
    if (auto ticket = string_at(table, "ticket")) {
      try {
        std::regex check(*ticket, std::regex::ECMAScript);
      } catch (const std::regex_error& error) {
        fail(table.get("ticket")->source(),
             "'ticket' is not a valid regular expression: " + std::string(error.what()));
      }
      policy.ticket = *ticket;
    }
    policy.never = strings_at(table, "never");
  }

  std::string_view m_text;
  std::string m_path;
  std::map<std::string, SourceLocation> m_names;
};

}  // namespace

Policy parse_policy(std::string_view text, const std::string& path) {
  return Loader(text, path).load();
}

Policy load_policy_file(const std::string& path) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error))
    throw PolicyError(SourceLocation{path, 0, 0}, "cannot read policy file: it is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw PolicyError(SourceLocation{path, 0, 0},
                      "cannot read policy file: " + std::string(std::strerror(errno)));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  return parse_policy(text, path);
}

}  // namespace heinrich
