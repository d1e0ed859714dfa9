#include "heinrich/git/share_notes.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <thread>

#include "heinrich/git/git.hpp"
#include "heinrich/git/override.hpp"
#include "heinrich/util/error.hpp"
#include "heinrich/util/text.hpp"

extern char** environ;

namespace heinrich::git {

namespace {

using SteadyClock = std::chrono::steady_clock;

// git's answer is a few lines; more is kept out of memory, not waited for.
constexpr std::size_t kMaxOutput = 64 * 1024;
constexpr int kRounds = 3;
constexpr std::size_t kShownLines = 8;

struct GitRun {
  int status = -1;  // exit status; 128 + signal when killed
  bool timed_out = false;
  std::string output;  // standard output and error, interleaved
};

std::vector<std::string> child_environment() {
  std::vector<std::string> out;
  for (char** entry = environ; *entry != nullptr; ++entry)
    if (std::strncmp(*entry, "GIT_TERMINAL_PROMPT=", 20) != 0) out.emplace_back(*entry);
  // Nobody answers a password prompt in the middle of a hook: fail instead.
  out.emplace_back("GIT_TERMINAL_PROMPT=0");
  return out;
}

void kill_group(pid_t pid) {
  ::kill(-pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
}

// Runs `git ARGS` with standard input from /dev/null and its output
// captured, in a process group of its own, so that at the deadline it is
// killed together with what it started (ssh, a remote helper).
GitRun run_git(const std::vector<std::string>& args, SteadyClock::time_point deadline) {
  GitRun run;
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    run.output = std::string("cannot create a pipe: ") + std::strerror(errno);
    return run;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t all;
  sigset_t none;
  sigfillset(&all);
  sigemptyset(&none);
  posix_spawnattr_setflags(&attributes,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  posix_spawnattr_setpgroup(&attributes, 0);
  posix_spawnattr_setsigdefault(&attributes, &all);
  posix_spawnattr_setsigmask(&attributes, &none);

  std::vector<std::string> argument_strings{"git"};
  argument_strings.insert(argument_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& argument : argument_strings) argv.push_back(argument.data());
  argv.push_back(nullptr);
  std::vector<std::string> environment = child_environment();
  std::vector<char*> envp;
  for (std::string& entry : environment) envp.push_back(entry.data());
  envp.push_back(nullptr);

  pid_t pid = 0;
  const int spawned = ::posix_spawnp(&pid, "git", &actions, &attributes, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  ::close(fds[1]);
  if (spawned != 0) {
    ::close(fds[0]);
    run.output = std::string("cannot run git: ") + std::strerror(spawned);
    return run;
  }

  char buffer[4096];
  for (;;) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - SteadyClock::now());
    if (left.count() <= 0) {
      run.timed_out = true;
      break;
    }
    pollfd readable{fds[0], POLLIN, 0};
    const int ready = ::poll(&readable, 1, static_cast<int>(std::min<std::int64_t>(left.count(), 1000)));
    if (ready < 0 && errno != EINTR) break;
    if (ready == 0) {
      // git may be done while a process it started (an ssh ControlMaster)
      // still holds the pipe open: its exit, not the pipe's end, is the end.
      int status = 0;
      if (::waitpid(pid, &status, WNOHANG) == pid) {
        ::close(fds[0]);
        run.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        return run;
      }
      continue;
    }
    if (ready < 0) continue;
    const ssize_t got = ::read(fds[0], buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;  // end of output: git is exiting
    run.output.append(buffer, std::min(static_cast<std::size_t>(got), kMaxOutput - run.output.size()));
  }
  ::close(fds[0]);
  while (!run.timed_out) {
    int status = 0;
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) {
      run.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      return run;
    }
    if (done < 0 && errno != EINTR) return run;
    if (SteadyClock::now() >= deadline)
      run.timed_out = true;
    else
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill_group(pid);
  return run;
}

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// The last lines of git's output, escaped, for the pusher to read.
void add_output(ShareOutcome& outcome, const std::string& output) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < output.size()) {
    std::size_t end = output.find('\n', start);
    if (end == std::string::npos) end = output.size();
    std::string line = output.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) lines.push_back("  " + excerpt(line, 200));
    start = end + 1;
  }
  const std::size_t first = lines.size() > kShownLines ? lines.size() - kShownLines : 0;
  outcome.lines.insert(outcome.lines.end(), lines.begin() + static_cast<std::ptrdiff_t>(first), lines.end());
}

bool failed(ShareOutcome& outcome, const GitRun& run, std::string_view step, std::chrono::seconds timeout) {
  if (run.timed_out) {
    outcome.lines.push_back(std::string(step) + " did not finish within " + std::to_string(timeout.count()) +
                            "s (" + kShareNotesTimeoutConfig + "), so it was stopped");
    return true;
  }
  if (run.status == 0) return false;
  outcome.lines.push_back(std::string(step) + " failed (status " + std::to_string(run.status) + "):");
  add_output(outcome, run.output);
  return true;
}

}  // namespace

bool share_notes_enabled(git_repository* repo) {
  const auto value = config_string(repo, kShareNotesConfig);
  if (!value) return false;
  int enabled = 0;
  if (git_config_parse_bool(&enabled, value->c_str()) != 0)
    throw InputError(std::string("git config ") + kShareNotesConfig + " = '" + excerpt(*value) +
                     "' is not a boolean (true or false)");
  return enabled != 0;
}

std::chrono::seconds share_notes_timeout(git_repository* repo) {
  const auto value = config_string(repo, kShareNotesTimeoutConfig);
  if (!value) return kShareNotesDefaultTimeout;
  int seconds = 0;
  const char* end = value->data() + value->size();
  const auto [ptr, error] = std::from_chars(value->data(), end, seconds);
  if (error != std::errc() || ptr != end || seconds < 1 || seconds > 600)
    throw InputError(std::string("git config ") + kShareNotesTimeoutConfig + " = '" + excerpt(*value) +
                     "' is not a whole number of seconds from 1 to 600");
  return std::chrono::seconds(seconds);
}

ShareOutcome share_notes(const std::string& remote, std::chrono::seconds timeout) {
  ShareOutcome outcome;
  const auto deadline = SteadyClock::now() + timeout;
  const std::string refspec = std::string(kNotesRef) + ":" + kNotesRef;
  // Where the remote's records land before they are merged; per process, so
  // two hooks running at once do not share it.
  const std::string incoming = std::string(kNotesRef) + "-incoming-" + std::to_string(::getpid());
  for (int round = 0; round < kRounds; ++round) {
    // Never forced: a push that would drop the remote's records is refused
    // by git, and they are merged in first.
    const GitRun push = run_git({"push", "--porcelain", "--no-verify", "--", remote, refspec}, deadline);
    if (!push.timed_out && push.status == 0) {
      outcome.shared = true;
      return outcome;
    }
    if (!push.timed_out && contains(push.output, "written by this server's hook only")) {
      outcome.remote_records_itself = true;
      return outcome;
    }
    const bool behind = contains(push.output, "[rejected]") && (contains(push.output, "(fetch first)") ||
                                                                contains(push.output, "(non-fast-forward)"));
    if (push.timed_out || !behind) {
      failed(outcome, push, "git push", timeout);
      return outcome;
    }
    const GitRun fetch = run_git({"fetch", "--quiet", "--no-tags", "--no-write-fetch-head", "--", remote,
                                  "+" + std::string(kNotesRef) + ":" + incoming},
                                 deadline);
    bool merge_failed = failed(outcome, fetch, "git fetch of the remote's records", timeout);
    if (!merge_failed) {
      const GitRun merge = run_git(
          {"notes", "--ref", kNotesRef, "merge", "--quiet", "--strategy=cat_sort_uniq", incoming}, deadline);
      merge_failed = failed(outcome, merge, "git notes merge of the remote's records", timeout);
    }
    // The incoming ref goes, whatever happened; a few seconds more if the
    // deadline has passed, as deleting a local ref cannot hang.
    (void)run_git({"update-ref", "-d", incoming},
                  std::max(deadline, SteadyClock::now() + std::chrono::seconds(5)));
    if (merge_failed) return outcome;
    ++outcome.merges;
  }
  outcome.lines.push_back("the remote's " + std::string(kNotesRef) + " kept moving; gave up after " +
                          std::to_string(kRounds) + " tries");
  return outcome;
}

}  // namespace heinrich::git
