#include "heinrich/git/push_identity.hpp"

#include <algorithm>
#include <charconv>
#include <iterator>
#include <optional>

#include <unistd.h>

#include "heinrich/util/file_io.hpp"

namespace heinrich::git {

namespace {

constexpr int kMaxLevels = 16;
// /proc/<pid>/stat and cmdline are short; a bound all the same.
constexpr std::size_t kMaxProcBytes = 64 * 1024;

std::optional<std::string> proc_file(long pid, const char* name) {
  std::string why;
  return read_whole_file("/proc/" + std::to_string(pid) + "/" + name, why, kMaxProcBytes);
}

struct ProcessStat {
  long parent = 0;
  std::string start;  // field 22, clock ticks since boot
};

// /proc/<pid>/stat: "pid (comm) state ppid ... starttime ...". The command
// name may contain spaces and parentheses, so fields count from the last ')'.
std::optional<ProcessStat> stat_of(long pid) {
  const auto text = proc_file(pid, "stat");
  if (!text) return std::nullopt;
  const std::size_t close = text->rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::string_view rest = std::string_view(*text).substr(close + 1);
  ProcessStat stat;
  // Fields after the command: 3 state, 4 ppid, ..., 22 starttime.
  for (int field = 3; field <= 22; ++field) {
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    const std::size_t end = rest.find(' ');
    const std::string_view value = rest.substr(0, end);
    if (value.empty()) return std::nullopt;
    if (field == 4) std::from_chars(value.data(), value.data() + value.size(), stat.parent);
    if (field == 22) stat.start = std::string(value);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
  }
  if (stat.start.empty()) return std::nullopt;
  return stat;
}

std::string_view base_name(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// git-receive-pack (ssh, local pushes, git-shell) or `git receive-pack`
// (smart HTTP through git-http-backend).
bool is_receive_pack(long pid) {
  const auto text = proc_file(pid, "cmdline");
  if (!text || text->empty()) return false;
  std::string_view args = *text;
  const std::string_view first = args.substr(0, args.find('\0'));
  if (base_name(first) == "git-receive-pack") return true;
  if (base_name(first) != "git") return false;
  args.remove_prefix(std::min(args.size(), first.size() + 1));
  // git's own options before the command; these take their value as the
  // next argument ("git -C /srv/repo receive-pack").
  constexpr std::string_view kWithValue[] = {"-c",          "-C",           "--git-dir",   "--work-tree",
                                             "--namespace", "--config-env", "--exec-path", "--super-prefix"};
  bool value_next = false;
  while (!args.empty()) {
    const std::string_view arg = args.substr(0, args.find('\0'));
    args.remove_prefix(std::min(args.size(), arg.size() + 1));
    if (value_next) {
      value_next = false;
      continue;
    }
    if (arg == "receive-pack") return true;
    if (arg.empty() || arg.front() != '-') return false;  // another git command
    value_next = std::find(std::begin(kWithValue), std::end(kWithValue), arg) != std::end(kWithValue);
  }
  return false;
}

// This boot of this machine: pids and start times are only unique within
// one, and a repository on shared storage may be pushed to from several.
const std::string& boot_id() {
  static const std::string id = [] {
    std::string why;
    const auto text = read_whole_file("/proc/sys/kernel/random/boot_id", why, 256);
    std::string out;
    if (text)
      for (char c : *text)
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) out += c;
    return out.substr(0, 12);
  }();
  return id;
}

}  // namespace

std::string receive_pack_identity() {
  long pid = static_cast<long>(::getppid());
  for (int level = 0; level < kMaxLevels && pid > 1; ++level) {
    const auto stat = stat_of(pid);
    if (!stat) return "";
    if (is_receive_pack(pid)) return "p" + std::to_string(pid) + "t" + stat->start + "b" + boot_id();
    pid = stat->parent;
  }
  return "";
}

bool push_is_running(std::string_view identity) {
  const std::size_t t = identity.find('t');
  const std::size_t b = identity.find('b');
  if (identity.size() < 6 || identity.front() != 'p' || t == std::string_view::npos ||
      b == std::string_view::npos || b < t)
    return false;
  // A push on another machine sharing the repository, or from before a
  // reboot, cannot be looked up here: it counts as running, so nothing of
  // it is settled by guesswork, and the stale sweep ends its parked sets.
  if (identity.substr(b + 1) != boot_id()) return true;
  long pid = 0;
  const std::string_view digits = identity.substr(1, t - 1);
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), pid);
  if (error != std::errc{} || end != digits.data() + digits.size() || pid <= 1) return false;
  const auto stat = stat_of(pid);
  return stat && stat->start == identity.substr(t + 1, b - t - 1);
}

}  // namespace heinrich::git
