#include "heinrich/policy/lint.hpp"

#include "heinrich/policy/horizon.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "heinrich/core/day_span.hpp"
#include "heinrich/core/duration.hpp"
#include "heinrich/core/evaluator.hpp"
#include "heinrich/policy/toml_reader.hpp"
#include "heinrich/util/text.hpp"

namespace heinrich {

namespace {

const std::vector<LintCheck> kChecks{
    {"H100", "policy-does-not-load", Severity::error,
     "the policy is not valid TOML or breaks the schema (types, unknown keys, bad zones)"},
    {"H101", "cron-never-fires", Severity::error, "a cron expression that can never fire (30 February)"},
    {"H102", "end-before-start", Severity::error, "a window whose 'end' is before its 'start'"},
    {"H103", "zero-length-span", Severity::error,
     "a span of zero length: duration = \"0m\", time = \"10:00-10:00\", end = start"},
    {"H104", "one-off-in-the-past", Severity::warning, "a one-off window or event that is already over"},
    {"H105", "contradicting-overlap", Severity::warning,
     "an allow window overlaps a block or warn window (deny wins, so the allow window is partly or wholly "
     "void)"},
    {"H106", "allow-windows-too-narrow", Severity::warning,
     "allow windows so narrow that `heinrich next` finds no start within 30 days for the default "
     "duration"},
    {"H107", "environment-not-in-push", Severity::warning,
     "a rule names an environment that no [push] ref deploys to"},
    {"H108", "calendar-without-events", Severity::warning,
     "a calendar or event rule that produces no events in the next 12 months"},
    {"H109", "thresholds-out-of-order", Severity::error, "[thresholds] warn is not below block"},
    {"H110", "never-names-unknown-rule", Severity::error,
     "[override] never names a rule that does not exist"},
    {"H111", "risk-out-of-range", Severity::error, "a risk or threshold outside 0-100"},
    {"H112", "recurrence-not-checkable", Severity::error,
     "a cron or rrule window that fires too often to check (more than once a minute, or more than 100000 "
     "occurrences overlapping), or that libical cannot expand correctly or in bounded time; or rules that "
     "together have more than 1000000 occurrences in check's 90-day search"},
    {"H113", "data-past-verified-horizon", Severity::warning,
     "a built-in holiday calendar is used past the last year its data was verified for, within the next 12 "
     "months"},
    {"H114", "calendar-read-with-a-guess", Severity::warning,
     "an ICS calendar was read where the meaning is clear but the file breaks the rules: an Outlook "
     "display-name TZID, DTEND with DURATION, a date-time marked VALUE=DATE, whole days in seconds, a "
     "date-time EXDATE or RECURRENCE-ID of an all-day series"},
    {"H115", "block-window-inside-another", Severity::warning,
     "a block window that lies wholly inside another block window for the same environments in the next 12 "
     "months, so it never decides anything"},
};

// Occurrence queries can refuse ("* * * * *" over a year yields too many):
// a lint check then has nothing to say about that rule, rather than failing.
std::optional<std::vector<Occurrence>> occurrences_of(const Rule& rule, const Interval& range) {
  if (!rule.schedule) return std::nullopt;
  std::vector<Occurrence> out;
  try {
    rule.schedule->occurrences(range, out);
  } catch (const InputError&) {
    return std::nullopt;
  }
  return out;
}

std::vector<Interval> merged(const std::vector<Occurrence>& items) {
  std::vector<Interval> spans;
  for (const auto& item : items) spans.push_back(item.span);
  return merge_meeting(std::move(spans));
}

// Every environment `inner` applies to, `outer` applies to as well.
bool scope_covers(const Rule& outer, const Rule& inner) {
  if (outer.environments.empty()) return true;
  if (inner.environments.empty()) return false;
  return std::all_of(inner.environments.begin(), inner.environments.end(), [&](const std::string& env) {
    return std::find(outer.environments.begin(), outer.environments.end(), env) != outer.environments.end();
  });
}

// The time a rule's occurrence holds, its buffers included.
Interval held(const Rule& rule, const Occurrence& occurrence) {
  return {occurrence.span.start - rule.buffer_before, occurrence.span.end + rule.buffer_after};
}

bool scopes_meet(const Rule& a, const Rule& b) {
  if (a.environments.empty() || b.environments.empty()) return true;
  return std::any_of(a.environments.begin(), a.environments.end(), [&](const std::string& env) {
    return std::find(b.environments.begin(), b.environments.end(), env) != b.environments.end();
  });
}

std::string label_of(const Rule& rule) {
  return fmt::format("[[{}]] '{}'", to_string(rule.kind), rule.name);
}

std::string list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

class Linter {
 public:
  Linter(const Policy& policy, std::string_view text, const LintOptions& options)
      : m_policy(policy), m_text(text), m_options(options), m_zone(*policy.zone) {
    // The policy loaded, so the text parses; positions of values the loaded
    // Policy does not keep (array elements, keys) come from this tree.
    m_root = toml::parse(m_text, m_policy.path);
    for (const char* key : {"window", "factor", "event", "calendar"}) {
      const toml::array* array = m_root.get_as<toml::array>(key);
      if (array == nullptr) continue;
      for (const toml::node& element : *array)
        if (const toml::table* table = element.as_table())
          m_tables[{static_cast<int>(table->source().begin.line),
                    static_cast<int>(table->source().begin.column)}] = table;
    }
  }

  std::vector<Finding> run() {
    for (const PolicyProblem& problem : m_policy.problems) {
      const LintCheck* check = find_lint_check(problem.code);
      m_findings.push_back({problem.code, check ? check->severity : Severity::error, problem.where,
                            problem.message, problem.hint, problem.source_line, rule_at(problem.where.line),
                            problem.underline});
    }
    one_offs_in_the_past();
    contradicting_overlaps();
    nested_block_windows();
    if (timeline_affordable()) narrow_allow_windows();
    environments_not_in_push();
    calendars_without_events();
    thresholds_in_order();
    never_names_rules();
    data_past_its_horizon();
    std::stable_sort(m_findings.begin(), m_findings.end(), [](const Finding& a, const Finding& b) {
      if (a.where.line != b.where.line) return a.where.line < b.where.line;
      if (a.where.column != b.where.column) return a.where.column < b.where.column;
      return a.code < b.code;
    });
    return std::move(m_findings);
  }

 private:
  void add(std::string_view code, Severity severity, const toml::source_region& at, std::string message,
           std::string hint, const std::string& rule = {}) {
    SourceLocation where{m_policy.path, static_cast<int>(at.begin.line), static_cast<int>(at.begin.column)};
    std::string line(line_of(m_text, where.line));
    m_findings.push_back({std::string(code), severity, std::move(where), std::move(message), std::move(hint),
                          std::move(line), rule, token_width(at)});
  }
  void add(std::string_view code, Severity severity, const SourceLocation& where, std::string message,
           std::string hint, const std::string& rule = {}) {
    // A rule's position is its table header: underline all of it.
    const auto table = m_tables.find({where.line, where.column});
    m_findings.push_back({std::string(code), severity, where, std::move(message), std::move(hint),
                          std::string(line_of(m_text, where.line)), rule,
                          table != m_tables.end() ? token_width(table->second->source()) : 1});
  }

  const toml::table* table_of(const Rule& rule) const {
    auto found = m_tables.find({rule.source.line, rule.source.column});
    return found == m_tables.end() ? nullptr : found->second;
  }

  // The rule whose table starts at or before `line`: problems name it.
  std::string rule_at(int line) const {
    const Rule* best = nullptr;
    for (const Rule& rule : m_policy.rules.rules)
      if (rule.source.line <= line && (best == nullptr || rule.source.line > best->source.line)) best = &rule;
    return best ? best->name : std::string{};
  }

  [[nodiscard]] Interval horizon() const { return {m_options.now, m_options.now + m_options.horizon}; }

  std::string when(Instant instant) const { return m_zone.format(instant); }

  void one_offs_in_the_past() {
    // OneOffSchedule yields its single span for any query that reaches it.
    const Interval all{Instant{days(-200'000)}, Instant{days(200'000)}};
    for (const Rule& rule : m_policy.rules.rules) {
      if (dynamic_cast<const OneOffSchedule*>(rule.schedule.get()) == nullptr) continue;
      const auto found = occurrences_of(rule, all);
      if (!found || found->empty() || found->front().span.end > m_options.now) continue;
      const Interval span = found->front().span;
      const toml::table* table = table_of(rule);
      const toml::node* end = table ? table->get("end") : nullptr;
      if (end == nullptr && table) end = table->get("duration");
      const std::string message = fmt::format("{} ended on {}, before now ({}): it can never match again",
                                              label_of(rule), when(span.end), when(m_options.now));
      const std::string hint = "delete it, or move it to the dates it should cover now";
      if (end != nullptr)
        add("H104", Severity::warning, end->source(), message, hint, rule.name);
      else
        add("H104", Severity::warning, rule.source, message, hint, rule.name);
    }
  }

  const std::optional<std::vector<Occurrence>>& expanded(std::size_t index) {
    auto found = m_expanded.find(index);
    if (found == m_expanded.end())
      found = m_expanded.emplace(index, occurrences_of(m_policy.rules.rules[index], horizon())).first;
    return found->second;
  }

  void contradicting_overlaps() {
    const auto& rules = m_policy.rules.rules;
    for (std::size_t a = 0; a < rules.size(); ++a) {
      if (rules[a].action != Action::allow) continue;
      for (std::size_t b = 0; b < rules.size(); ++b) {
        if (rules[b].action != Action::block && rules[b].action != Action::warn) continue;
        if (!scopes_meet(rules[a], rules[b])) continue;
        const auto& allowed = expanded(a);
        const auto& denied = expanded(b);
        if (!allowed || !denied || allowed->empty() || denied->empty()) continue;
        const std::vector<Interval> deny = merged(*denied);
        std::optional<Interval> first;
        bool covered = true;
        for (const Occurrence& occurrence : *allowed) {
          const Interval& span = occurrence.span;
          // The merged deny spans that can touch `span`: from the last one
          // starting at or before it.
          auto it = std::upper_bound(deny.begin(), deny.end(), span.start,
                                     [](Instant t, const Interval& d) { return t < d.start; });
          if (it != deny.begin()) --it;
          bool inside = false;
          for (; it != deny.end() && it->start < span.end; ++it) {
            if (!it->overlaps(span)) continue;
            if (!first) first = Interval{std::max(it->start, span.start), std::min(it->end, span.end)};
            inside = inside || it->contains(span);
          }
          covered = covered && inside;
        }
        if (!first) continue;
        const Rule& allow = rules[a];
        const Rule& deny_rule = rules[b];
        const Rule& later = allow.source.line > deny_rule.source.line ? allow : deny_rule;
        const Rule& other = &later == &allow ? deny_rule : allow;
        const std::string message =
            covered ? fmt::format(
                          "allow window '{}' lies wholly inside {} window '{}' in the next 12 months "
                          "(first {} to {}): deny beats allow, so '{}' never allows a deploy",
                          allow.name, to_string(deny_rule.action), deny_rule.name, when(first->start),
                          when(first->end), allow.name)
                    : fmt::format(
                          "allow window '{}' overlaps {} window '{}' (first {} to {}): deny beats "
                          "allow, so deploys there are {}ed",
                          allow.name, to_string(deny_rule.action), deny_rule.name, when(first->start),
                          when(first->end), to_string(deny_rule.action));
        add("H105", Severity::warning, later.source, message,
            fmt::format(
                "the other rule is at {}; if the {} is meant, narrow the allow window so the two do not "
                "overlap",
                other.source.format(), to_string(deny_rule.action)),
            later.name);
      }
    }
  }

  // A block window wholly inside another, for environments the other
  // covers too, never changes a decision: a leftover, or a window whose
  // dates or scope were meant to differ. Only where the outer window is at
  // least as strict: an inner window that no override may pass still
  // decides something under an overridable outer one.
  void nested_block_windows() {
    const auto& rules = m_policy.rules.rules;
    auto is_block_window = [](const Rule& rule) {
      return rule.kind == RuleKind::window && rule.action == Action::block && rule.schedule;
    };
    for (std::size_t i = 0; i < rules.size(); ++i) {
      const Rule& inner = rules[i];
      if (!is_block_window(inner)) continue;
      for (std::size_t o = 0; o < rules.size(); ++o) {
        const Rule& outer = rules[o];
        if (o == i || !is_block_window(outer) || !scope_covers(outer, inner)) continue;
        if (outer.overridable && !inner.overridable) continue;
        const auto& inside = expanded(i);
        const auto& around = expanded(o);
        if (!inside || !around || inside->empty() || around->empty()) continue;
        std::vector<Interval> spans;
        for (const Occurrence& occurrence : *around) spans.push_back(held(outer, occurrence));
        const std::vector<Interval> cover = merge_meeting(std::move(spans));
        const bool covered = std::all_of(inside->begin(), inside->end(), [&](const Occurrence& occurrence) {
          const Interval span = held(inner, occurrence);
          return std::any_of(cover.begin(), cover.end(), [&](const Interval& c) { return c.contains(span); });
        });
        if (!covered) continue;
        // Two windows that cover each other (the same dates twice): the
        // later one is the one to delete, and it is reported once.
        if (scope_covers(inner, outer) && inner.overridable == outer.overridable && i < o) continue;
        const Interval first = held(inner, inside->front());
        add("H115", Severity::warning, inner.source,
            fmt::format("block window '{}' lies wholly inside block window '{}' in the next 12 months "
                        "(first {} to {}), for the same environments: it never changes a decision",
                        inner.name, outer.name, when(first.start), when(first.end)),
            fmt::format("the other window is at {}; delete '{}', or fix its dates or environments if it "
                        "was meant to reach further",
                        outer.source.format(), inner.name),
            inner.name);
        break;  // one finding per redundant window is enough
      }
    }
  }

  // `check` looks 90 days ahead for the next safe start, with every rule
  // when no environment is given: the most any command weighs by default.
  // A policy whose rules have too many occurrences for that fails every
  // such command, so it is an H112 finding here.
  bool timeline_affordable() {
    const Defaults& defaults = m_policy.defaults;
    try {
      (void)find_safe_windows(m_policy.rules,
                              NextRequest{m_options.now, defaults.duration, defaults.watch, std::nullopt});
      return true;
    } catch (const SourceError& error) {
      add("H112", Severity::error, error.where(), error.message(), error.hint());
      return false;
    }
  }

  // The one warning check, next and calendar give (policy/horizon), here
  // for the year ahead, so a team learns before the payday.
  void data_past_its_horizon() {
    for (const Finding& warning : data_warnings(m_policy, horizon())) {
      // An H114 points into the ICS file and carries that file's line.
      if (warning.where.file != m_policy.path)
        m_findings.push_back(warning);
      else
        add(warning.code, warning.severity, warning.where, warning.message, warning.hint, warning.rule);
    }
  }

  void narrow_allow_windows() {
    const auto& rules = m_policy.rules.rules;
    std::vector<std::optional<std::string>> scopes;
    for (const Rule& rule : rules) {
      if (rule.action != Action::allow || !rule.schedule) continue;
      if (rule.environments.empty() && std::find(scopes.begin(), scopes.end(), std::nullopt) == scopes.end())
        scopes.emplace_back(std::nullopt);
      for (const auto& env : rule.environments)
        if (std::find(scopes.begin(), scopes.end(), env) == scopes.end()) scopes.emplace_back(env);
    }
    const Defaults& defaults = m_policy.defaults;
    for (const auto& scope : scopes) {
      const auto windows = find_safe_windows(
          m_policy.rules,
          NextRequest{m_options.now, defaults.duration, defaults.watch, scope, m_options.allow_search, 1});
      if (!windows.empty()) continue;
      const Rule* first = nullptr;
      std::vector<Occurrence> allowed;
      for (const Rule& rule : rules) {
        if (rule.action != Action::allow || !rule.applies_to(scope) || !rule.schedule) continue;
        if (first == nullptr) first = &rule;
        if (auto found = occurrences_of(rule, {m_options.now, m_options.now + m_options.allow_search}))
          allowed.insert(allowed.end(), found->begin(), found->end());
      }
      if (first == nullptr) continue;
      bool fits = false;
      for (const Interval& span : merged(allowed)) fits = fits || span.end - span.start >= defaults.duration;
      const std::string where = scope ? "environment '" + *scope + "'" : std::string("any environment");
      const std::string why = fits ? "every slot inside the allow windows is blocked or warned by other rules"
                                   : "no allow window in that time is as long as the deploy (" +
                                         format_duration(defaults.duration) + ")";
      add("H106", Severity::warning, first->source,
          fmt::format("no deploy of {} (watched {} more) can start in {} within {} from {}: {}",
                      format_duration(defaults.duration), format_duration(defaults.watch), where,
                      format_duration(m_options.allow_search), when(m_options.now), why),
          fmt::format("widen the allow windows; `heinrich next --within {}{}` shows the same",
                      format_duration(m_options.allow_search), scope ? " --env " + *scope : ""),
          first->name);
    }
  }

  void environments_not_in_push() {
    if (m_policy.push.refs.empty()) return;  // no git deploys configured: nothing to compare with
    std::vector<std::string> known;
    for (const auto& [ref, env] : m_policy.push.refs)
      if (std::find(known.begin(), known.end(), env) == known.end()) known.push_back(env);
    auto report = [&](const toml::node& node, const std::string& env, const std::string& rule) {
      if (std::find(known.begin(), known.end(), env) != known.end()) return;
      const std::string match = closest_match(env, known);
      add("H107", Severity::warning, node.source(),
          fmt::format("environment '{}' is not one that [push] deploys to ({}){}", env, list(known),
                      match.empty() ? "" : "; did you mean '" + match + "'?"),
          "fix the name, or map a ref to it in [push] refs", rule);
    };
    for (const Rule& rule : m_policy.rules.rules) {
      const toml::table* table = table_of(rule);
      const toml::array* array = table ? table->get_as<toml::array>("environments") : nullptr;
      if (array == nullptr) continue;
      for (const toml::node& element : *array)
        if (const auto* value = element.as_string()) report(element, value->get(), rule.name);
    }
    if (const toml::table* defaults = m_root.get_as<toml::table>("defaults"))
      if (const toml::node* env = defaults->get("environment"); env && env->is_string())
        report(*env, env->as_string()->get(), {});
  }

  void calendars_without_events() {
    for (const Rule& rule : m_policy.rules.rules) {
      if (rule.kind != RuleKind::calendar && rule.kind != RuleKind::event) continue;
      if (dynamic_cast<const OneOffSchedule*>(rule.schedule.get()) != nullptr) continue;  // H104's
      const auto found = occurrences_of(rule, horizon());
      if (!found || !found->empty()) continue;
      add("H108", Severity::warning, rule.source,
          fmt::format("{} produces no events from {} to {}", label_of(rule), when(horizon().start),
                      when(horizon().end)),
          rule.kind == RuleKind::calendar ? "the calendar may have run out: update its file, or remove it"
                                          : "check the rule's dates, or remove it",
          rule.name);
    }
  }

  void thresholds_in_order() {
    const Thresholds& t = m_policy.rules.thresholds;
    if (t.warn < t.block) return;
    const toml::table* table = m_root.get_as<toml::table>("thresholds");
    const toml::node* warn = table ? table->get("warn") : nullptr;
    const toml::node* at = warn ? warn : (table ? table->get("block") : nullptr);
    const Severity severity = t.warn > t.block ? Severity::error : Severity::warning;
    const std::string message =
        t.warn > t.block
            ? fmt::format(
                  "thresholds out of order: warn = {} is above block = {}, so scores from {} to {} block "
                  "without ever warning",
                  t.warn, t.block, t.block, t.warn - 1)
            : fmt::format("thresholds: warn = block = {}, so no score can warn", t.block);
    const std::string hint = "warn must be below block, e.g. warn = 40 and block = 70";
    if (at != nullptr)
      add("H109", severity, at->source(), message, hint);
    else
      add("H109", severity, SourceLocation{m_policy.path, 1, 1}, message, hint);
  }

  void never_names_rules() {
    const toml::table* table = m_root.get_as<toml::table>("override");
    const toml::array* never = table ? table->get_as<toml::array>("never") : nullptr;
    if (never == nullptr) return;
    std::vector<std::string> names;
    for (const Rule& rule : m_policy.rules.rules) names.push_back(rule.name);
    for (const toml::node& element : *never) {
      const auto* value = element.as_string();
      if (value == nullptr) continue;
      const std::string& name = value->get();
      if (std::find(names.begin(), names.end(), name) != names.end()) continue;
      const std::string match = closest_match(name, names);
      add("H110", Severity::error, element.source(),
          fmt::format("[override] never names '{}', which is not a rule of this policy{}", name,
                      match.empty() ? "" : "; did you mean '" + match + "'?"),
          "an unknown name protects nothing: use the 'name' of a rule");
    }
  }

  const Policy& m_policy;
  std::string_view m_text;
  const LintOptions& m_options;
  const Zone& m_zone;
  toml::table m_root;
  std::map<std::pair<int, int>, const toml::table*> m_tables;  // rule header position -> its table
  std::map<std::size_t, std::optional<std::vector<Occurrence>>> m_expanded;
  std::vector<Finding> m_findings;
};

}  // namespace

const std::vector<LintCheck>& lint_checks() {
  return kChecks;
}

const LintCheck* find_lint_check(std::string_view code) {
  for (const LintCheck& check : kChecks)
    if (check.code == code) return &check;
  return nullptr;
}

std::vector<Finding> lint_policy(const Policy& policy, std::string_view text, const LintOptions& options) {
  return Linter(policy, text, options).run();
}

std::vector<Finding> unloadable_policy(const SourceError& error, std::string_view text) {
  std::vector<Finding> findings;
  for (const SourceError& each : errors_of(error)) {
    // An error inside an ICS or holiday file carries that file's line.
    const bool here = each.where().file == error.where().file;
    findings.push_back(
        Finding{"H100",
                Severity::error,
                each.where(),
                escape_control(each.message()),  // it quotes the policy, which a pull request controls
                each.hint().empty() ? "fix this first: the other checks need a policy that loads"
                                    : escape_control(each.hint()),
                here ? std::string(line_of(text, each.where().line)) : each.source_line(),
                {},
                each.underline()});
  }
  if (const auto* all = dynamic_cast<const PolicyErrors*>(&error)) {
    for (const PolicyProblem& problem : all->problems()) {
      const LintCheck* check = find_lint_check(problem.code);
      findings.push_back({problem.code,
                          check ? check->severity : Severity::error,
                          problem.where,
                          problem.message,
                          problem.hint,
                          problem.source_line,
                          {},
                          problem.underline});
    }
    if (all->not_shown() > 0)
      findings.push_back({"H100",
                          Severity::error,
                          SourceLocation{error.where().file, 0, 0},
                          not_shown_line(all->not_shown()),
                          "fix the errors above and run again",
                          {},
                          {},
                          1});
  }
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    // The "more not shown" line (line 0) stays last.
    const int la = a.where.line > 0 ? a.where.line : std::numeric_limits<int>::max();
    const int lb = b.where.line > 0 ? b.where.line : std::numeric_limits<int>::max();
    return la != lb ? la < lb : a.where.column < b.where.column;
  });
  return findings;
}

}  // namespace heinrich
