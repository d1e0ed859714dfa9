// The decision timeline: zero-length spans, and a differential property test
// that runs random policies through `check` (evaluate), the timeline, `next`
// (find_safe_windows) and `calendar` (build_risk_calendar), and compares every
// answer with a brute-force reading of the policy rules (DESIGN.md section 3)
// written here from the definitions, not from the sweep.
//
// HEINRICH_PROPERTY_SEED and HEINRICH_PROPERTY_CASES repeat or widen a run;
// a failure prints the seed, the case number and the policy text.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <random>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "support/files.hpp"
#include "time_helpers.hpp"

#include "heinrich/core/duration.hpp"
#include "heinrich/core/evaluator.hpp"
#include "heinrich/core/timeline.hpp"
#include "heinrich/policy/policy.hpp"
#include "heinrich/report/risk_calendar.hpp"

using namespace heinrich;
using heinrich::test::kst;

namespace {

Request request(Instant at, Seconds duration, Seconds watch) {
  return Request{at, duration, watch, std::nullopt};
}

Rule one_off(std::string name, Action action, Interval span, int risk = 0) {
  Rule rule;
  rule.name = std::move(name);
  rule.kind = RuleKind::window;
  rule.action = action;
  rule.risk = risk;
  rule.schedule = std::make_shared<OneOffSchedule>(span, Zone::get("Asia/Seoul"));
  return rule;
}

// ---------------------------------------------------------------------------
// The brute-force reading: every occurrence of every rule over a wide range,
// each start judged on its own from the definitions.

struct Expanded {
  std::size_t rule;
  Occurrence occurrence;
};

class Oracle {
 public:
  Oracle(const Policy& policy, const DeployShape& shape, Interval wide) : m_policy(policy), m_shape(shape) {
    for (std::size_t i = 0; i < policy.rules.rules.size(); ++i) {
      const Rule& rule = policy.rules.rules[i];
      if (!rule.applies_to(shape.environment) || !rule.schedule) continue;
      std::vector<Occurrence> found;
      rule.schedule->occurrences(wide, found);
      if (rule.action == Action::allow) {
        m_restricted = true;
        for (const auto& o : found) m_allowed.push_back(covered_seconds(o.span));
      } else {
        for (auto& o : found) m_items.push_back({i, std::move(o)});
      }
    }
    // Allow spans that meet are one span (a deploy may cross the seam).
    std::sort(m_allowed.begin(), m_allowed.end(), [](auto& a, auto& b) { return a.start < b.start; });
    std::vector<Interval> joined;
    for (const auto& span : m_allowed) {
      if (!joined.empty() && span.start <= joined.back().end)
        joined.back().end = std::max(joined.back().end, span.end);
      else
        joined.push_back(span);
    }
    m_allowed = joined;
  }

  struct Answer {
    Decision decision = Decision::allow;
    int score = 0;
    std::set<std::size_t> rules;
  };

  [[nodiscard]] Answer at(Instant t) const {
    const Interval exposure{t, t + m_shape.duration + m_shape.watch};
    const Interval deploy{t, t + m_shape.duration};
    std::vector<int> best(m_policy.rules.rules.size(), -1);
    Answer answer;
    bool block = false;
    bool warn = false;
    for (const auto& item : m_items) {
      const Rule& rule = m_policy.rules.rules[item.rule];
      const Interval buffered{item.occurrence.span.start - rule.buffer_before,
                              item.occurrence.span.end + rule.buffer_after};
      if (!touches(exposure, buffered)) continue;
      answer.rules.insert(item.rule);
      if (rule.action == Action::block) block = true;
      if (rule.action == Action::warn) warn = true;
      if (rule.action == Action::score)
        best[item.rule] = std::max(best[item.rule], item.occurrence.risk.value_or(rule.risk));
    }
    std::vector<int> risks;
    for (int risk : best)
      if (risk >= 0) risks.push_back(risk);
    answer.score = combine_risks(risks);
    bool inside = !m_restricted;
    for (const auto& span : m_allowed) inside = inside || lies_inside(deploy, span);
    const Thresholds& limits = m_policy.rules.thresholds;
    if (block || !inside || answer.score >= limits.block)
      answer.decision = Decision::block;
    else if (warn || answer.score >= limits.warn)
      answer.decision = Decision::warn;
    return answer;
  }

  // Every instant near which the answer may change: each edge of each
  // (buffered) occurrence and allow span, shifted by the deploy's reach.
  [[nodiscard]] std::vector<Instant> edges() const {
    std::vector<Instant> out;
    const Seconds reach = m_shape.duration + m_shape.watch;
    auto around = [&](Instant x) {
      for (Seconds shift : {Seconds{0}, -reach, -m_shape.duration})
        for (Seconds nudge : {Seconds{-1}, Seconds{0}, Seconds{1}}) out.push_back(x + shift + nudge);
    };
    for (const auto& item : m_items) {
      const Rule& rule = m_policy.rules.rules[item.rule];
      around(item.occurrence.span.start - rule.buffer_before);
      around(item.occurrence.span.end + rule.buffer_after);
    }
    for (const auto& span : m_allowed) {
      around(span.start);
      around(span.end);
    }
    return out;
  }

 private:
  const Policy& m_policy;
  const DeployShape& m_shape;
  std::vector<Expanded> m_items;
  std::vector<Interval> m_allowed;
  bool m_restricted = false;
};

// ---------------------------------------------------------------------------
// Random policies.

struct Scenario {
  const char* zone;
  int year, month, day;  // local date the rules gather around (a DST change where the zone has one)
};

constexpr Scenario kScenarios[] = {
    {"Asia/Seoul", 2026, 12, 24},       {"Asia/Seoul", 2027, 2, 6},
    {"Europe/Berlin", 2026, 3, 29},     {"Europe/Berlin", 2026, 10, 25},
    {"America/New_York", 2026, 3, 8},   {"America/New_York", 2026, 11, 1},
    {"Australia/Lord_Howe", 2026, 4, 5}, {"UTC", 2026, 6, 30},
};

class Generator {
 public:
  explicit Generator(std::uint64_t seed) : m_random(seed) {}

  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(m_random); }
  template <typename T, std::size_t N>
  const T& one_of(const T (&items)[N]) {
    return items[static_cast<std::size_t>(pick(0, int(N) - 1))];
  }
  bool chance(int percent) { return pick(1, 100) <= percent; }

  std::string clock(int minutes) { return fmt::format("{:02}:{:02}", minutes / 60, minutes % 60); }

  std::string local_datetime(const Scenario& s, int minutes_from_midnight) {
    const LocalTime t = make_local(s.year, unsigned(s.month), unsigned(s.day)) + Seconds{minutes_from_midnight * 60LL};
    return format_local(t) + (format_local(t).size() == 16 ? ":00" : "");
  }

  std::string environments() {
    static const char* const kSets[] = {"", "environments = [\"prod\"]\n", "environments = [\"staging\"]\n",
                                        "environments = [\"prod\", \"staging\"]\n"};
    return chance(60) ? std::string() : kSets[pick(1, 3)];
  }

  std::string buffers() {
    static const char* const kBuffers[] = {"0m", "1m", "30m", "2h", "1d"};
    std::string out;
    if (chance(30)) out += fmt::format("buffer_before = \"{}\"\n", one_of(kBuffers));
    if (chance(30)) out += fmt::format("buffer_after = \"{}\"\n", one_of(kBuffers));
    return out;
  }

  std::string action() {
    static const char* const kActions[] = {"block", "warn", "allow"};
    return one_of(kActions);
  }

  std::string span_text() {
    // Some spans cross midnight; some are whole days.
    if (chance(15)) return "00:00-24:00";
    const int from = pick(0, 47) * 30;
    int to = pick(0, 47) * 30;
    if (to == from) to = (from + 30) % (24 * 60);
    return clock(from) + "-" + clock(to);
  }

  std::string days() {
    static const char* const kDays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    std::string out;
    for (const char* day : kDays)
      if (chance(35)) out += std::string(out.empty() ? "" : ", ") + "\"" + day + "\"";
    return out.empty() ? "\"sat\"" : out;
  }

  // A policy of a few random rules around the scenario's date, and the ICS
  // calendar it names (zero-length, all-day and timed events).
  std::string policy(const Scenario& s, std::string& ics) {
    std::string text = fmt::format("version = 1\ntimezone = \"{}\"\n", s.zone);
    const int warn = pick(10, 60);
    text += fmt::format("[thresholds]\nwarn = {}\nblock = {}\n", warn, pick(warn + 1, 100));
    const int rules = pick(1, 6);
    for (int i = 0; i < rules; ++i) {
      const std::string name = fmt::format("r{}", i);
      switch (pick(0, 6)) {
        case 0: {  // one-off window, from a minute to two days
          static const int kLengths[] = {1, 45, 180, 1440, 2880};
          const int from = pick(-36, 60) * 60 + pick(0, 3) * 15;
          text += fmt::format("[[window]]\nname = \"{}\"\nstart = {}\nend = {}\naction = \"{}\"\n", name,
                              local_datetime(s, from), local_datetime(s, from + one_of(kLengths)), action());
          break;
        }
        case 1: {  // cron window
          static const char* const kDurations[] = {"1m", "30m", "2h", "1d"};
          text += fmt::format("[[window]]\nname = \"{}\"\ncron = \"{} {} * * *\"\nduration = \"{}\"\naction = \"{}\"\n",
                              name, pick(0, 3) * 15, pick(0, 23), one_of(kDurations), action());
          break;
        }
        case 2: {  // rrule window
          static const char* const kRules[] = {"FREQ=WEEKLY;BYDAY=SA,SU", "FREQ=DAILY",
                                               "FREQ=WEEKLY;BYDAY=MO,WE,FR", "FREQ=MONTHLY;BYMONTHDAY=1,15,-1"};
          text += fmt::format("[[window]]\nname = \"{}\"\nrrule = \"{}\"\ntime = \"{}\"\naction = \"{}\"\n", name,
                              one_of(kRules), span_text(), action());
          break;
        }
        case 3:  // days + time window
          text += fmt::format("[[window]]\nname = \"{}\"\ndays = [{}]\ntime = \"{}\"\naction = \"{}\"\n", name,
                              days(), span_text(), action());
          break;
        case 4:  // factor
          text += fmt::format("[[factor]]\nname = \"{}\"\ndays = [{}]\ntime = \"{}\"\nrisk = {}\n", name, days(),
                              span_text(), pick(0, 100));
          break;
        case 5:  // monthly event
          text += fmt::format("[[event]]\nname = \"{}\"\nmonthly = {{ day = {} }}\n{}risk = {}\n", name,
                              s.day + pick(-2, 2) > 0 ? s.day + pick(-2, 2) : 1,
                              chance(50) ? "time = \"" + span_text() + "\"\n" : std::string(), pick(0, 100));
          break;
        default: {  // ICS calendar
          static const char* const kActions[] = {"block", "warn", "score"};
          const std::string calendar_action = one_of(kActions);
          text += fmt::format("[[calendar]]\nname = \"{}\"\nics = \"c.ics\"\naction = \"{}\"\nrisk = {}\n", name,
                              calendar_action, pick(0, 100));
          ics = calendar(s);
          break;
        }
      }
      text += environments() + buffers();
    }
    return text;
  }

  std::string calendar(const Scenario& s) {
    std::string out = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//heinrich//property test//EN\r\n";
    const int events = pick(1, 5);
    for (int i = 0; i < events; ++i) {
      out += fmt::format("BEGIN:VEVENT\r\nUID:e{}@test\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:e{}\r\n", i, i);
      const int day = s.day + pick(-1, 1);
      const Date date = to_date(make_local(s.year, unsigned(s.month), 1) + std::chrono::days{day - 1});
      const std::string ymd = fmt::format("{:04}{:02}{:02}", int(date.year()), unsigned(date.month()),
                                          unsigned(date.day()));
      if (chance(20)) {
        out += fmt::format("DTSTART;VALUE=DATE:{}\r\n", ymd);
      } else {
        const int start = pick(0, 95) * 15;
        static const int kLengths[] = {0, 0, 1, 30, 90};
        const int length = one_of(kLengths);
        const int end = start + length;
        out += fmt::format("DTSTART:{}T{:02}{:02}00Z\r\n", ymd, start / 60, start % 60);
        if (end < 24 * 60) out += fmt::format("DTEND:{}T{:02}{:02}00Z\r\n", ymd, end / 60, end % 60);
        else out += fmt::format("DURATION:PT{}M\r\n", length);
      }
      if (chance(30)) out += fmt::format("CATEGORIES:risk={}\r\n", pick(0, 100));
      out += "END:VEVENT\r\n";
    }
    return out + "END:VCALENDAR\r\n";
  }

 private:
  std::mt19937_64 m_random;
};

int env_int(const char* name, int fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::atoi(value) : fallback;
}

}  // namespace

TEST_SUITE("core.timeline") {
  TEST_CASE("touches: zero-length spans are the second they name") {
    const Instant ten = kst(2026, 12, 14, 10);
    const Interval point{ten, ten};
    CHECK(touches(Interval{ten, ten + hours(1)}, point));           // a deploy starting with it
    CHECK(touches(Interval{ten - minutes(1), ten + hours(1)}, point));
    CHECK_FALSE(touches(Interval{ten - hours(1), ten}, point));     // ends as it happens
    CHECK(touches(point, point));
    CHECK_FALSE(touches(point, Interval{ten + Seconds{1}, ten + Seconds{1}}));
    CHECK(touches(point, Interval{ten - hours(1), ten + Seconds{1}}));
    CHECK_FALSE(touches(point, Interval{ten - hours(1), ten}));
    CHECK(lies_inside(point, Interval{ten, ten + hours(1)}));
    CHECK_FALSE(lies_inside(point, Interval{ten - hours(1), ten}));
    CHECK(lies_inside(Interval{ten, ten + hours(1)}, Interval{ten, ten + hours(1)}));
  }

  TEST_CASE("a zero-length block event: check, the timeline and next agree") {
    const Instant ten = kst(2026, 12, 14, 10);
    RuleSet rules;
    rules.rules.push_back(one_off("instant", Action::block, Interval{ten, ten}));
    for (Seconds reach : {Seconds{0}, minutes(30)}) {
      CAPTURE(reach.count());
      const Request at_ten = request(ten, reach, Seconds{0});
      CHECK(evaluate(rules, at_ten).decision == Decision::block);
      if (reach > Seconds{0}) CHECK(evaluate(rules, request(ten - minutes(1), reach, Seconds{0})).decision == Decision::block);
      CHECK(evaluate(rules, request(ten + Seconds{1}, reach, Seconds{0})).decision == Decision::allow);
      const auto windows = find_safe_windows(rules, NextRequest{ten - hours(1), reach, Seconds{0}, {}, hours(3), 2});
      REQUIRE(windows.size() == 2);
      CHECK(windows[0].start == ten - hours(1));
      CHECK(windows[0].end == ten - std::max(reach, Seconds{1}));  // the last start that misses it
      CHECK(windows[1].start == ten + Seconds{1});
      for (const SafeWindow& window : windows) {
        CHECK(evaluate(rules, request(window.start, reach, Seconds{0})).decision == Decision::allow);
        CHECK(evaluate(rules, request(window.end, reach, Seconds{0})).decision == Decision::allow);
      }
      const auto after_ten = find_safe_windows(rules, NextRequest{ten, reach, Seconds{0}, {}, hours(3), 1});
      REQUIRE(after_ten.size() == 1);
      CHECK(after_ten[0].start == ten + Seconds{1});
    }
  }

  TEST_CASE("an event inside a DST gap weighs the same on a one-second check as on a wide timeline") {
    // Found by the property test (seed 1043117952): "02:30-03:00" on Berlin's
    // spring-forward day came out inverted, so a narrow query missed it.
    const Zone& berlin = Zone::get("Europe/Berlin");
    RuleSet rules;
    Rule event;
    event.name = "gap-event";
    event.kind = RuleKind::event;
    event.action = Action::score;
    event.risk = 81;
    event.schedule = std::make_shared<DailySpanSchedule>(WeekdaySet{}, parse_day_span("02:30-03:00"), berlin);
    rules.rules.push_back(event);
    const Instant at = heinrich::test::utc(2026, 3, 29, 1, 29) + Seconds{59};
    const DeployShape shape{minutes(30), hours(2), std::nullopt};
    const Timeline wide(rules, shape, Interval{at - days(1), at + days(1)});
    CHECK(wide.at(at).score == 81);
    CHECK(evaluate(rules, request(at, minutes(30), hours(2))).score == 81);
    CHECK(evaluate(rules, request(heinrich::test::utc(2026, 3, 29, 1, 30), Seconds{0}, Seconds{0})).score == 81);
    CHECK(evaluate(rules, request(heinrich::test::utc(2026, 3, 29, 1, 30) + Seconds{1}, Seconds{0}, Seconds{0})).score == 0);
  }

  TEST_CASE("a zero-length deploy fits an allow window only inside it") {
    const Instant nine = kst(2026, 12, 14, 9);
    RuleSet rules;
    rules.rules.push_back(one_off("office", Action::allow, Interval{nine, nine + hours(9)}));
    CHECK(evaluate(rules, request(nine, Seconds{0}, Seconds{0})).decision == Decision::allow);
    CHECK(evaluate(rules, request(nine + hours(9) - Seconds{1}, Seconds{0}, Seconds{0})).decision == Decision::allow);
    CHECK(evaluate(rules, request(nine + hours(9), Seconds{0}, Seconds{0})).decision == Decision::block);
    CHECK(evaluate(rules, request(nine + hours(8), hours(1), Seconds{0})).decision == Decision::allow);
    CHECK(evaluate(rules, request(nine + hours(8) + Seconds{1}, hours(1), Seconds{0})).decision == Decision::block);
  }

  TEST_CASE("segments are contiguous, cover the range and differ from their neighbours") {
    const Instant ten = kst(2026, 12, 14, 10);
    RuleSet rules;
    rules.rules.push_back(one_off("a", Action::warn, Interval{ten, ten + hours(1)}));
    rules.rules.push_back(one_off("b", Action::block, Interval{ten + hours(3), ten + hours(3)}));
    const Timeline timeline(rules, DeployShape{minutes(30), Seconds{0}, std::nullopt}, Interval{ten - hours(2), ten + hours(6)});
    const auto& segments = timeline.segments();
    REQUIRE(segments.size() == 5);
    CHECK(segments.front().starts.start == ten - hours(2));
    CHECK(segments.back().starts.end == ten + hours(6));
    for (std::size_t i = 1; i < segments.size(); ++i) CHECK(segments[i - 1].starts.end == segments[i].starts.start);
    CHECK(segments[1].decision == Decision::warn);
    CHECK(segments[1].starts == Interval{ten - minutes(30) + Seconds{1}, ten + hours(1)});
    CHECK(segments[3].decision == Decision::block);
    CHECK(segments[3].starts == Interval{ten + hours(3) - minutes(30) + Seconds{1}, ten + hours(3) + Seconds{1}});
  }

  TEST_CASE("property: check, the timeline, next and calendar agree with the rules read one start at a time") {
    const char* seed_text = std::getenv("HEINRICH_PROPERTY_SEED");
    const std::uint64_t seed = seed_text != nullptr && *seed_text != '\0' ? std::strtoull(seed_text, nullptr, 10) : std::random_device{}();
    const int cases = env_int("HEINRICH_PROPERTY_CASES", 10000);
    MESSAGE("property seed " << seed << " (HEINRICH_PROPERTY_SEED), " << cases << " cases");
    Generator random(seed);
    test::TempDir dir;
    const std::string policy_path = (dir.path / "heinrich.toml").string();
    int loaded = 0;
    int refused = 0;
    for (int n = 0; loaded < cases; ++n) {
      const Scenario& scenario = random.one_of(kScenarios);
      std::string ics;
      const std::string text = random.policy(scenario, ics);
      if (!ics.empty()) test::write_file(dir.path / "c.ics", ics);
      std::optional<Policy> policy;
      try {
        policy = parse_policy(text, policy_path);
      } catch (const std::exception&) {
        // A local time in a DST gap and such: refused with a position, as
        // the loader's own tests check. Too many refusals would hollow the test.
        ++refused;
        REQUIRE(refused < cases / 5 + 100);
        continue;
      }
      ++loaded;
      static const char* const kReach[] = {"0m", "1m", "30m", "2h"};
      static const char* const kEnvs[] = {"", "prod", "staging"};
      DeployShape shape;
      shape.duration = parse_duration(random.one_of(kReach));
      shape.watch = parse_duration(random.one_of(kReach));
      if (const std::string env = random.one_of(kEnvs); !env.empty()) shape.environment = env;
      const Zone& zone = *policy->zone;
      const Instant centre = zone.to_instant(make_local(scenario.year, unsigned(scenario.month), unsigned(scenario.day)));
      const Interval range{centre - days(1), centre + days(2)};
      const Oracle oracle(*policy, shape, Interval{centre - days(8), centre + days(8)});
      const auto describe = [&] {
        return fmt::format("seed {} case {}: duration {}s watch {}s env '{}'\n{}\n{}", seed, n, shape.duration.count(),
                           shape.watch.count(), shape.environment.value_or(""), text, ics);
      };

      // check and the timeline at every edge in the range, and at random starts.
      const Timeline timeline(policy->rules, shape, range);
      std::vector<Instant> probes = oracle.edges();
      for (int i = 0; i < 8; ++i) probes.push_back(range.start + Seconds{random.pick(0, 3 * 86400 - 1)});
      for (Instant t : probes) {
        if (t < range.start || t >= range.end) continue;
        const Oracle::Answer expected = oracle.at(t);
        const Assessment got = evaluate(policy->rules, Request{t, shape.duration, shape.watch, shape.environment});
        const TimelineSegment& segment = timeline.at(t);
        std::set<std::size_t> got_rules;
        for (const Match& match : got.matches) got_rules.insert(match.rule);
        if (got.decision != expected.decision || got.score != expected.score || got_rules != expected.rules ||
            segment.decision != got.decision || segment.score != got.score) {
          FAIL_CHECK("at " << format_utc(t) << ": check " << to_string(got.decision) << " " << got.score
                           << ", timeline " << to_string(segment.decision) << " " << segment.score << ", rules "
                           << to_string(expected.decision) << " " << expected.score << "\n"
                           << describe());
          break;
        }
      }

      // next: every start it offers is allowed, none before the first is.
      const Instant after = range.start + Seconds{random.pick(0, 86400)};
      const auto windows = find_safe_windows(
          policy->rules, NextRequest{after, shape.duration, shape.watch, shape.environment, hours(12), 3});
      Instant first = after + hours(12) + Seconds{1};
      if (!windows.empty()) first = windows.front().start;
      bool ok = true;
      for (const SafeWindow& window : windows) {
        ok = ok && oracle.at(window.start).decision == Decision::allow && oracle.at(window.end).decision == Decision::allow;
        if (window.end < after + hours(12)) ok = ok && oracle.at(window.end + Seconds{1}).decision != Decision::allow;
      }
      for (Instant t = after; ok && t < first; t += minutes(1)) ok = oracle.at(t).decision != Decision::allow;
      for (Instant t : oracle.edges())
        if (ok && after <= t && t < first) ok = oracle.at(t).decision != Decision::allow;
      if (!ok) FAIL_CHECK("next from " << format_utc(after) << " disagrees\n" << describe());

      // calendar: each day is the worst start of that day (one case in 40: a
      // month of reasons is the slow part).
      if (n % 40 == 0) {
        RiskCalendarRequest request;
        request.first_month = Date{std::chrono::year{scenario.year}, std::chrono::month{unsigned(scenario.month)},
                                   std::chrono::day{1}};
        request.months = 1;
        request.environment = shape.environment;
        request.duration = shape.duration;
        request.watch = shape.watch;
        request.now = centre;
        const RiskCalendar calendar = build_risk_calendar(policy->rules, zone, request);
        const std::vector<Instant> edges = oracle.edges();
        for (const RiskDay& day : calendar.days) {
          if (day.span.end <= centre - days(6) || day.span.start >= centre + days(6)) continue;  // the oracle's reach
          Decision worst = Decision::allow;
          auto consider = [&](Instant t) {
            if (t < day.span.start || t >= day.span.end) return;
            const Decision d = oracle.at(t).decision;
            if (d == Decision::block || (d == Decision::warn && worst == Decision::allow)) worst = d;
          };
          for (Instant t = day.span.start; t < day.span.end; t += hours(1)) consider(t);
          for (Instant t : edges) consider(t);
          if (day.all_day != worst) {
            FAIL_CHECK("calendar day " << format_utc(day.span.start) << " is " << to_string(day.all_day)
                                       << ", its worst start " << to_string(worst) << "\n"
                                       << describe());
            break;
          }
        }
      }
    }
    MESSAGE(loaded << " policies checked, " << refused << " refused by the loader");
  }
}
