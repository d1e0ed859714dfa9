// `heinrich wait`: the CI step that queues instead of failing. It asks
// check's question (run_check_evaluation, the same function), and while the
// answer is no, reads from the decision timeline when the gate opens, sleeps
// until then in one blocking call and asks again, the policy read afresh.
#include <sys/stat.h>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <algorithm>
#include <ostream>

#include "heinrich/cli/cancel_signals.hpp"
#include "heinrich/cli/check_run.hpp"
#include "heinrich/cli/commands.hpp"
#include "heinrich/core/duration.hpp"
#include "heinrich/util/error.hpp"
#include "heinrich/util/text.hpp"

namespace heinrich::cli {

namespace {

// How far ahead the opening is looked for: check's "next safe start" horizon.
constexpr Seconds kSearch = days(90);
// Asleep, a terminal's countdown is redrawn every second; elsewhere wait
// wakes every 10 s only to see whether the policy file changed and to bound
// the oversleep after a suspend (the deadline is on the wall clock).
constexpr Seconds kTerminalTick{1};
constexpr Seconds kLogTick{10};
// The policy is read again this often even when its file did not change
// (its calendars may have), and a log gets one line each time.
constexpr Seconds kRecheck = minutes(5);

struct WaitOptions {
  CheckOptions check;
  std::string max_wait = "6h";
};

// What a change to the policy file changes: enough to notice an edit, an
// atomic replace or a removal without reading the file every few seconds.
struct FileStamp {
  bool exists = false;
  dev_t device = 0;
  ino_t inode = 0;
  off_t size = 0;
  timespec modified{};
  timespec changed{};

  friend bool operator==(const FileStamp& a, const FileStamp& b) {
    const auto same = [](const timespec& x, const timespec& y) {
      return x.tv_sec == y.tv_sec && x.tv_nsec == y.tv_nsec;
    };
    return a.exists == b.exists && a.device == b.device && a.inode == b.inode && a.size == b.size &&
           same(a.modified, b.modified) && same(a.changed, b.changed);
  }
};

FileStamp stamp_of(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return {};
  return FileStamp{true, info.st_dev, info.st_ino, info.st_size, info.st_mtim, info.st_ctim};
}

// The first start the gate lets through (check exits 0 for it: allowed, or
// warned without --fail-on warn), within staffed hours when they are set,
// read from the decision timeline as check's next safe start is.
std::optional<SafeWindow> opening_after(const CheckRun& run) {
  const CheckReport& report = run.report;
  NextRequest next{report.assessment.deploy.start, report.duration, report.watch,
                   report.context.environment,     kSearch,         1};
  next.staffed = run.staffed.get();
  next.accept = run.fail_on_warn ? Decision::allow : Decision::warn;
  const auto windows = find_safe_windows(*report.rules, next);
  if (windows.empty()) return std::nullopt;
  return windows.front();
}

// What holds the deploy back: the rules that block it (or warn, with
// --fail-on warn), "outside allowed windows", or the score.
std::string holding_back(const CheckRun& run) {
  const Assessment& a = run.report.assessment;
  std::vector<std::string> names;
  for (const Match& match : a.matches) {
    const Rule& rule = run.report.rules->rules[match.rule];
    const bool holds = rule.action == Action::block || (run.fail_on_warn && rule.action == Action::warn);
    if (holds && std::find(names.begin(), names.end(), rule.name) == names.end()) names.push_back(rule.name);
  }
  if (!a.inside_allowed) names.emplace_back("outside allowed windows");
  if (names.empty()) names.push_back(fmt::format("score {}", a.score));
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : ", ") + escape_control(name);
  return text;
}

std::string when(const CheckRun& run, Instant instant) {
  return format_for_people(*run.report.context.zone, instant) + " (" + format_utc(instant) + ")";
}

// The countdown line of a terminal: redrawn in place, cleared before any
// other message.
class Progress {
 public:
  explicit Progress(const Io& io) : m_io(io) {}
  ~Progress() { clear(); }
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void say(const std::string& line) {
    clear();
    m_io.err << "heinrich wait: " << line << "\n" << std::flush;
  }
  void countdown(const std::string& line) {
    const std::size_t width = std::max(line.size(), m_width);
    m_io.err << "\r" << line << std::string(width - line.size(), ' ') << std::flush;
    m_width = line.size();
  }
  void clear() {
    if (m_width == 0) return;
    m_io.err << "\r" << std::string(m_width, ' ') << "\r" << std::flush;
    m_width = 0;
  }

 private:
  const Io& m_io;
  std::size_t m_width = 0;
};

int finish(CheckRun& run, const WaitOptions& options, const Io& io, WaitSummary summary, int exit_code) {
  run.report.wait = std::move(summary);
  deliver_check_report(run, options.check, io);
  return exit_code;
}

int run_wait(const WaitOptions& options, const Io& io) {
  const Seconds max_wait = parse_duration(options.max_wait);
  if (max_wait < Seconds{0}) throw InputError("--max-wait must not be negative");
  if (max_wait > kSearch) throw InputError("--max-wait must be at most " + format_duration(kSearch));
  const CancelSignals signals;
  Progress progress(io);

  CheckRun run = run_check_evaluation(options.check, io);
  if (run.not_a_deploy) {  // --ci in a build that deploys nothing: no window to wait for
    deliver_check_report(run, options.check, io);
    return kAllowed;
  }
  const Instant started = run.report.assessment.deploy.start;
  // HEINRICH_NOW sets where the clock starts; from there it advances in
  // real time, or a wait under it would never end.
  const std::unique_ptr<Clock> clock = run.report.context.clock_overridden
                                           ? std::unique_ptr<Clock>(std::make_unique<AdvancingClock>(started))
                                           : std::unique_ptr<Clock>(std::make_unique<SystemClock>());
  const Instant give_up = started + max_wait;
  const Seconds tick = io.err_is_tty ? kTerminalTick : kLogTick;
  const auto summary = [&](WaitSummary::Outcome outcome, std::optional<Instant> opening, std::string caught) {
    return WaitSummary{outcome, std::max(Seconds{0}, clock->now() - started), max_wait, opening,
                       std::move(caught)};
  };
  const auto cancelled = [&](const std::string& caught, std::optional<Instant> opening,
                             const std::string& waiting_for) {
    progress.say(fmt::format("cancelled while waiting for {}{} ({} after {})", waiting_for,
                             opening ? " until " + when(run, *opening) : "", caught,
                             format_duration(std::max(Seconds{0}, clock->now() - started))));
    return finish(run, options, io, summary(WaitSummary::Outcome::cancelled, opening, caught), kBlocked);
  };

  for (;;) {
    const std::string decision = to_upper(to_string(run.report.assessment.decision));
    if (run.exit_code == kAllowed) {
      // A cancellation that came while we were deciding still cancels:
      // a cancelled job must not go on to deploy.
      if (const std::string caught = signals.pending(); !caught.empty())
        return cancelled(caught, std::nullopt, "the final decision");
      const Seconds waited = clock->now() - started;
      if (waited > Seconds{0})
        progress.say(fmt::format("{} after waiting {}", decision, format_duration(waited)));
      return finish(run, options, io, summary(WaitSummary::Outcome::allowed, std::nullopt, {}), kAllowed);
    }
    const Instant now = run.report.assessment.deploy.start;
    const std::string reason = holding_back(run);
    const std::optional<SafeWindow> opening = opening_after(run);
    if (!opening || opening->start > give_up) {
      // Said at once: waiting first would only waste the job's time.
      if (opening)
        progress.say(fmt::format("{} by {}; the gate opens {}, {} from now, past --max-wait {}: not waiting",
                                 decision, reason, when(run, opening->start),
                                 format_duration(opening->start - now), format_duration(max_wait)));
      else
        progress.say(fmt::format("{} by {}; no start the gate lets through within {}: not waiting", decision,
                                 reason, format_duration(kSearch)));
      return finish(run, options, io,
                    summary(WaitSummary::Outcome::past_max_wait,
                            opening ? std::optional<Instant>(opening->start) : std::nullopt, {}),
                    kBlocked);
    }
    const Instant target = std::max(opening->start, now + Seconds{1});
    progress.say(fmt::format("{} by {}; waiting until {}, {} from now (--max-wait {})", decision, reason,
                             when(run, target), format_duration(target - now), format_duration(max_wait)));

    const std::string policy_path = run.report.context.policy_path;
    const FileStamp stamp = stamp_of(policy_path);
    const Instant recheck = now + kRecheck;
    for (Instant t = clock->now(); t < target && t < recheck; t = clock->now()) {
      // Whole seconds from a floored clock: never wakes before the target.
      const Seconds chunk = std::min({target - t, recheck - t, tick});
      if (const std::string caught = signals.sleep_for(chunk); !caught.empty())
        return cancelled(caught, target, reason);
      if (io.err_is_tty && clock->now() < target)
        progress.countdown(fmt::format("waiting for {}: {} left, until {}", reason,
                                       format_duration(target - clock->now()),
                                       format_for_people(*run.report.context.zone, target)));
      if (!(stamp_of(policy_path) == stamp)) {
        progress.say("the policy file changed; deciding again");
        break;
      }
    }
    progress.clear();
    run = run_check_evaluation(options.check, io, clock.get());
  }
}

}  // namespace

Command make_wait_command() {
  return Command{
      "wait", "wait until a deploy is allowed (the CI step that queues instead of failing)",
      [](CLI::App& app) -> std::function<int(const Io&)> {
        auto options = std::make_shared<WaitOptions>();
        add_check_options(app, options->check, /*with_at=*/false);
        app.add_option(
               "--max-wait", options->max_wait,
               "give up (exit 1, at once) when the gate opens later than this (default: 6h, at most 90d)")
            ->type_name("DUR");
        app.footer(
            "Asks check's question about now. Allowed (or WARN without --fail-on warn): exit 0 at\n"
            "once. Otherwise it reads from the decision timeline when the first start check lets\n"
            "through comes (within --hours or [defaults] hours when set), says what it waits for\n"
            "and until when, sleeps until then and asks again, the policy read afresh (also when\n"
            "its file changes, and every 5 minutes). Exit 1 at once when that start is past\n"
            "--max-wait, and on SIGTERM or SIGINT, saying so. Progress goes to stderr: a countdown\n"
            "on a terminal, else a line every 5 minutes; the final decision goes to stdout as\n"
            "check prints it, --format json with a \"wait\" object. There is no --at: wait is\n"
            "about now; HEINRICH_NOW sets where its clock starts, and it advances in real time.");
        return [options](const Io& io) { return run_wait(*options, io); };
      }};
}

}  // namespace heinrich::cli
