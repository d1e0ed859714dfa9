#include "heinrich/git/pending_overrides.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <system_error>
#include <thread>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "heinrich/git/git.hpp"
#include "heinrich/git/install.hpp"
#include "heinrich/git/push_identity.hpp"
#include "heinrich/util/file_io.hpp"
#include "heinrich/util/hash.hpp"
#include "heinrich/util/text.hpp"

namespace heinrich::git {

namespace {

namespace fs = std::filesystem;

constexpr const char* kDirectory = "heinrich-pending";
constexpr const char* kParked = ".records";
constexpr const char* kAccepted = ".accepted";
// Left by post-receive for an update git made that another push's parked
// set also names, so that set, once its receive-pack is gone, is known to
// have lost (git refused it) and is never recorded.
constexpr const char* kWon = ".won";
// A parked set is a few records of a few hundred bytes each.
constexpr std::size_t kMaxParkedBytes = std::size_t{1} << 20U;
// What post-receive did not accept within the hour was refused by git (a
// push's two hooks run seconds apart): dropped, so it can never be taken
// for a later push of the same update.
constexpr auto kStale = std::chrono::hours(1);
// How long a post-receive waits for another to finish with the directory:
// each holds it for a few notes writes. Past it the sets stay, and the next
// post-receive writes them.
constexpr auto kLockPatience = std::chrono::seconds(30);

fs::path directory_of(git_repository* repo) {
  return fs::path(git_repository_commondir(repo)) / kDirectory;
}

std::string header_of(const RefUpdate& update) {
  return update.ref + " " + to_hex(update.old_oid) + " " + to_hex(update.new_oid);
}

// One name per update: "<ref> <old> <new>" hashed, then the parking push's
// identity (push_identity.hpp; "unknown" without one), then the parking
// run's own random part, then the state.
std::string key_of(const RefUpdate& update) {
  return fmt::format("{:016x}", hash_bytes(header_of(update)));
}

// The name of the marker post-receive leaves for an update git made: by
// (ref, new) alone, as any earlier push of that commit to that ref, from
// whatever old value, lost to it.
std::string won_name(const std::string& ref, const git_oid& new_oid) {
  return fmt::format("{:016x}", hash_bytes(ref + " " + to_hex(new_oid))) + kWon;
}

constexpr std::string_view kUnknownOwner = "unknown";

struct Entry {
  fs::path path;
  std::string key;
  std::string owner;  // the parking push's identity, or "unknown"
  std::string state;  // kParked or kAccepted
  fs::file_time_type written;
};

struct Listing {
  std::vector<Entry> sets;                        // oldest first
  std::map<std::string, fs::file_time_type> won;  // marker name -> when
};

// "<key>.<owner>.<random><state>"; a set parked by an earlier heinrich is
// "<key>.<random><state>", with no owner.
std::optional<Entry> parse_name(const fs::path& path, fs::file_time_type written) {
  const std::string name = path.filename().string();
  const std::string state = path.extension().string();
  if (name.find('.') != 16 || (state != kParked && state != kAccepted)) return std::nullopt;
  const std::string middle = name.substr(17, name.size() - 17 - state.size());
  const std::size_t dot = middle.find('.');
  const std::string owner = dot == std::string::npos ? std::string(kUnknownOwner) : middle.substr(0, dot);
  return Entry{path, name.substr(0, 16), owner, state, written};
}

// The sets and markers in the directory; what is neither (temporary files
// of a killed run, anything else) goes after an hour, and so do parked sets
// and markers. Accepted sets stay until they are written.
Listing list_sets(const fs::path& directory) {
  Listing listing;
  std::error_code error;
  const auto stale_before = fs::file_time_type::clock::now() - kStale;
  for (const auto& item : fs::directory_iterator(directory, error)) {
    const auto written = item.last_write_time(error);
    if (error) continue;  // removed meanwhile
    const bool regular = item.is_regular_file(error);
    auto entry = regular ? parse_name(item.path(), written) : std::nullopt;
    if (entry && entry->state == kAccepted) {
      listing.sets.push_back(std::move(*entry));
    } else if (written < stale_before) {
      fs::remove(item.path(), error);
    } else if (entry) {
      listing.sets.push_back(std::move(*entry));
    } else if (regular && item.path().extension() == kWon) {
      listing.won[item.path().filename().string()] = written;
    }
  }
  std::sort(listing.sets.begin(), listing.sets.end(),
            [](const Entry& a, const Entry& b) { return a.written < b.written; });
  return listing;
}

// Whether the push that parked a set may still take it itself: its
// receive-pack still runs, so its post-receive may yet come.
bool owner_running(const Entry& entry) {
  return entry.owner != kUnknownOwner && push_is_running(entry.owner);
}

// Whether `ref` points at `oid` now (a missing ref at the zero id).
bool ref_is_at(git_repository* repo, const std::string& ref, const git_oid& oid) {
  git_oid current{};
  const int code = git_reference_name_to_id(&current, repo, ref.c_str());
  if (code < 0) {
    git_error_clear();
    return code == GIT_ENOTFOUND && is_zero(oid);
  }
  return git_oid_equal(&current, &oid) != 0;
}

struct ParkedSet {
  RefUpdate update;
  std::vector<OverrideRecord> records;
};

// A set's text: "<ref> <old> <new>" and one record of JSON a line.
std::optional<ParkedSet> read_set(const fs::path& path, std::string& why) {
  const auto text = read_whole_file(path.string(), why, kMaxParkedBytes);
  if (!text) return std::nullopt;
  const std::size_t header_end = text->find('\n');
  const std::string_view header = std::string_view(*text).substr(0, header_end);
  const std::size_t first = header.find(' ');
  const std::size_t second = first == std::string_view::npos ? first : header.find(' ', first + 1);
  ParkedSet set;
  try {
    if (header_end == std::string::npos || second == std::string_view::npos)
      throw InputError("no '<ref> <old> <new>' line");
    set.update.ref = std::string(header.substr(0, first));
    set.update.old_oid = parse_oid(header.substr(first + 1, second - first - 1), "old id");
    set.update.new_oid = parse_oid(header.substr(second + 1), "new id");
  } catch (const InputError& error) {
    why = std::string("it does not start as a parked set does: ") + error.what();
    return std::nullopt;
  }
  if (key_of(set.update) != path.filename().string().substr(0, 16)) {
    why = "they are not the records of the update their name says";
    return std::nullopt;
  }
  std::size_t start = header_end + 1;
  while (start < text->size()) {
    std::size_t end = text->find('\n', start);
    if (end == std::string::npos) end = text->size();
    const std::string_view line = std::string_view(*text).substr(start, end - start);
    if (!line.empty()) {
      auto record = OverrideRecord::from_json(line);
      if (!record) {  // never write part of a set and delete the rest
        why = "a line of it is not an override record";
        return std::nullopt;
      }
      set.records.push_back(std::move(*record));
    }
    start = end + 1;
  }
  return set;
}

// Holds the directory exclusively (flock, released when the process ends,
// however it ends) while a post-receive moves sets on and writes them. The
// lock is a file beside the directory, opened for writing: NFS emulates
// flock with byte-range locks, which a read-only descriptor cannot take,
// and a file inside would be swept with the stale sets.
class DirectoryLock {
 public:
  explicit DirectoryLock(const fs::path& directory) {
    const std::string lock = directory.string() + ".lock";
    // Group-writable when the repository is shared by a group (umask).
    m_fd = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
    if (m_fd < 0) {
      m_why = "cannot open " + lock + ": " + std::strerror(errno);
      return;
    }
    const auto deadline = std::chrono::steady_clock::now() + kLockPatience;
    while (::flock(m_fd, LOCK_EX | LOCK_NB) != 0) {
      if (errno != EWOULDBLOCK && errno != EINTR) {
        m_why = "cannot lock " + lock + ": " + std::strerror(errno);
      } else if (std::chrono::steady_clock::now() > deadline) {
        m_why = "another post-receive held " + lock + " for " + std::to_string(kLockPatience.count()) + " s";
      } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        continue;
      }
      ::close(m_fd);
      m_fd = -1;
      return;
    }
  }
  ~DirectoryLock() {
    if (m_fd >= 0) ::close(m_fd);
  }
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;
  [[nodiscard]] bool held() const { return m_fd >= 0; }
  [[nodiscard]] const std::string& why() const { return m_why; }

 private:
  int m_fd = -1;
  std::string m_why;
};

// Renames a parked set to accepted; false when it is gone (pre-receive's
// forget_parked removed it meanwhile).
bool accept_set(const Entry& set) {
  fs::path target = set.path;
  target.replace_extension(kAccepted);
  return ::rename(set.path.c_str(), target.c_str()) == 0;
}

// Of the parked sets of `key` that `chosen` selects, accepts the oldest and
// drops the others (racing pushes of one update park the same commit's
// records; git made the update once). Returns the accepted set's path.
template <class Choose>
std::optional<fs::path> accept_first(const std::vector<Entry>& sets, const std::string& key, Choose chosen) {
  std::optional<fs::path> accepted;
  std::error_code error;
  for (const Entry& set : sets) {
    if (set.key != key || set.state != kParked || !chosen(set)) continue;
    if (accepted) {
      fs::remove(set.path, error);
    } else if (accept_set(set)) {
      accepted = fs::path(set.path).replace_extension(kAccepted);
    }
  }
  return accepted;
}

// Only the marker's time matters, so it is created or touched, not synced.
// Without it a refused push's set is judged by its ref alone, as before
// markers existed; the records of this push are unaffected.
void mark_won(const fs::path& directory, const RefUpdate& update) {
  const std::string path = (directory / won_name(update.ref, update.new_oid)).string();
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0666);
  if (fd < 0) return;
  (void)::futimens(fd, nullptr);
  ::close(fd);
}

// The (ref, new) of every parked set another push still holds or left
// behind: only an update among these needs a marker.
std::set<std::string> contested_updates(const std::vector<Entry>& sets, const std::string& push) {
  std::set<std::string> contested;
  for (const Entry& entry : sets) {
    if (entry.state != kParked || (!push.empty() && entry.owner == push)) continue;
    std::string why;
    if (const auto set = read_set(entry.path, why))
      contested.insert(won_name(set->update.ref, set->update.new_oid));
  }
  return contested;
}

}  // namespace

bool post_receive_records(git_repository* repo) {
  // Git runs only an executable hook; anything less and the records would
  // be parked for nobody, so they are written at once instead.
  const std::string path = (fs::path(hooks_directory(repo)) / "post-receive").string();
  std::string why;
  const auto text = read_whole_file(path, why, 1U << 16U);
  return text && ::access(path.c_str(), X_OK) == 0 && text->find(kManagedMarker) != std::string::npos &&
         text->find("hook post-receive") != std::string::npos;
}

void forget_parked(git_repository* repo, const std::vector<RefUpdate>& updates) {
  const fs::path directory = directory_of(repo);
  std::error_code error;
  if (updates.empty() || !fs::is_directory(directory, error)) return;
  // A set for a commit this push brings to a ref, whose push is over and
  // was never recorded: git refused that push (or this one could not happen
  // now). A set whose push still runs is that push's. A set of a push that
  // could not be named goes only for exactly its update, as it always did.
  // One listing for the whole push: a push of thousands of tags must not
  // scan the directory once per ref.
  std::set<std::string> keys;
  std::set<std::string> commits;  // (ref, new), named as their markers are
  for (const RefUpdate& update : updates) {
    keys.insert(key_of(update));
    commits.insert(won_name(update.ref, update.new_oid));
  }
  for (const Entry& entry : list_sets(directory).sets) {
    if (entry.state != kParked || owner_running(entry)) continue;
    if (entry.owner == kUnknownOwner) {
      if (keys.count(entry.key) != 0) fs::remove(entry.path, error);
      continue;
    }
    std::string why;
    const auto set = read_set(entry.path, why);
    if (set && commits.count(won_name(set->update.ref, set->update.new_oid)) != 0)
      fs::remove(entry.path, error);
  }
}

void park_overrides(git_repository* repo, const RefUpdate& update, const std::vector<OverrideRecord>& records,
                    const std::string& push) {
  if (records.empty()) return;
  const fs::path directory = directory_of(repo);
  std::error_code error;
  fs::create_directories(directory, error);
  if (error) throw InputError("cannot create " + directory.string() + ": " + error.message());
  std::string content = header_of(update) + "\n";
  for (const OverrideRecord& record : records) content += record.to_json() + "\n";
  // post-receive reads at most this much: a set it could not read would be
  // an accepted override without its record, so the push is refused now.
  if (content.size() > kMaxParkedBytes)
    throw InputError("the override record of " + update.ref + " is " + std::to_string(content.size()) +
                     " bytes; at most " + std::to_string(kMaxParkedBytes) + " can be recorded");
  std::random_device random;
  const std::string owner = push.empty() ? std::string(kUnknownOwner) : push;
  const fs::path path = directory / (key_of(update) + "." + owner + "." +
                                     fmt::format("{:08x}{:08x}", random(), random()) + kParked);
  write_file_atomically(path.string(), content, 0644);
  // Git refuses an update whose ref has moved since the push began, and it
  // moves refs only after this hook: a ref that moved by now was moved by a
  // racing push. Checked after parking, so that a racer that moves it later
  // leaves a marker this set is older than.
  if (!ref_is_at(repo, update.ref, update.old_oid)) fs::remove(path, error);
}

RecordedOverrides record_parked_overrides(git_repository* repo, git_repository* writer,
                                          const std::vector<RefUpdate>& accepted, const std::string& push) {
  RecordedOverrides result;
  const fs::path directory = directory_of(repo);
  std::error_code error;
  if (!fs::is_directory(directory, error)) return result;
  // This push's updates: git made each of them. Its own sets are the ones
  // its pre-receive parked under its identity, and only this run touches
  // them, so they are accepted (renamed, atomically) before any lock: a run
  // that cannot get the lock leaves them accepted, for the next one to
  // write. Another push's set for the same update is that push's to take
  // (it may be accepted too, after a force-push put the ref back) or, once
  // it is over, a loser's; the marker says so. A set parked by an older
  // heinrich (no identity) for this update is taken when none is this
  // push's.
  std::set<fs::path> ours;
  {
    const std::vector<Entry> sets = list_sets(directory).sets;
    const std::set<std::string> contested = contested_updates(sets, push);
    for (const RefUpdate& update : accepted) {
      if (is_zero(update.new_oid)) continue;  // a deletion carries no override
      const std::string key = key_of(update);
      std::optional<fs::path> mine;
      if (!push.empty()) mine = accept_first(sets, key, [&](const Entry& set) { return set.owner == push; });
      if (!mine)
        mine = accept_first(sets, key, [](const Entry& set) {
          return set.owner == kUnknownOwner;  // this push's if it has no identity, else an older heinrich's
        });
      if (mine) ours.insert(*mine);
      if (contested.count(won_name(update.ref, update.new_oid)) != 0) mark_won(directory, update);
    }
  }
  const DirectoryLock lock(directory);
  if (!lock.held()) {
    result.problems.push_back(lock.why() + ": the override records of this push are written by the next one");
    return result;
  }
  // Sets whose push is over and that nobody accepted. Older than a marker
  // of their (ref, commit): that update was made by a later push, and this
  // one lost (git refused it). Otherwise, if the ref points at their commit,
  // git made their update and their post-receive never got to them (it was
  // killed, or stopped before the lock).
  const Listing listing = list_sets(directory);
  for (const Entry& entry : listing.sets) {
    if (entry.state != kParked || owner_running(entry)) continue;
    std::string why;
    const auto set = read_set(entry.path, why);
    if (!set || is_zero(set->update.new_oid)) continue;
    const auto won = listing.won.find(won_name(set->update.ref, set->update.new_oid));
    if (won != listing.won.end() && won->second >= entry.written) {
      fs::remove(entry.path, error);
    } else if (ref_is_at(repo, set->update.ref, set->update.new_oid)) {
      if (accept_first(list_sets(directory).sets, entry.key,
                       [](const Entry& other) { return !owner_running(other); }))
        mark_won(directory, set->update);
    }
  }
  // Every accepted set, oldest first: this push's and any an earlier run
  // could not write. A set is removed only once all its records are in the
  // notes; a record already there (a run killed between the two) is not
  // appended twice.
  for (const Entry& entry : list_sets(directory).sets) {
    if (entry.state != kAccepted) continue;
    std::string why;
    const auto set = read_set(entry.path, why);
    if (!set) {
      // Kept for a person to look at: the push is in, and its record must
      // not vanish silently.
      result.problems.push_back("cannot read the accepted override records " + entry.path.string() + ": " +
                                why);
      continue;
    }
    try {
      for (OverrideRecord record : set->records) {
        record.status = "accepted";
        if (!append_override_note(writer, parse_oid(record.oid, "override target"), record)) continue;
        ++result.written;
        if (ours.count(entry.path) == 0) ++result.from_earlier;
      }
      fs::remove(entry.path, error);
    } catch (const InputError& failure) {
      result.problems.push_back("cannot record the override of " + escape_control(set->update.ref) +
                                " yet (" + escape_control(failure.what()) + "); it is kept in " +
                                directory.string() + " and written by the next push");
    }
  }
  return result;
}

}  // namespace heinrich::git
