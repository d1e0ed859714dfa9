#include "heinrich/git/pending_overrides.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <system_error>

#include <unistd.h>

#include "heinrich/core/file_io.hpp"
#include "heinrich/core/hash.hpp"
#include "heinrich/git/git.hpp"
#include "heinrich/git/install.hpp"

namespace heinrich::git {

namespace {

namespace fs = std::filesystem;

constexpr const char* kDirectory = "heinrich-pending";
constexpr const char* kSuffix = ".records";
// A parked set is a few records of a few hundred bytes each.
constexpr std::size_t kMaxParkedBytes = std::size_t{1} << 20U;
// What post-receive did not claim within the hour was refused by git (a
// push's two hooks run seconds apart): dropped, so it can never be taken
// for a later push of the same update.
constexpr auto kStale = std::chrono::hours(1);

fs::path directory_of(git_repository* repo) {
  return fs::path(git_repository_commondir(repo)) / kDirectory;
}

// One name per update: "<ref> <old> <new>" hashed, then the parking run's own
// random part.
std::string key_of(const RefUpdate& update) {
  const std::string text = update.ref + " " + to_hex(update.old_oid) + " " + to_hex(update.new_oid);
  return fmt::format("{:016x}", hash_bytes(text));
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

void forget_parked(git_repository* repo, const RefUpdate& update) {
  const fs::path directory = directory_of(repo);
  std::error_code error;
  if (!fs::is_directory(directory, error)) return;
  const std::string prefix = key_of(update) + ".";
  for (const auto& item : fs::directory_iterator(directory, error))
    if (item.path().filename().string().rfind(prefix, 0) == 0) fs::remove(item.path(), error);
}

void park_overrides(git_repository* repo, const RefUpdate& update,
                    const std::vector<OverrideRecord>& records) {
  if (records.empty()) return;
  const fs::path directory = directory_of(repo);
  std::error_code error;
  fs::create_directories(directory, error);
  if (error) throw InputError("cannot create " + directory.string() + ": " + error.message());
  std::string content = update.ref + " " + to_hex(update.old_oid) + " " + to_hex(update.new_oid) + "\n";
  for (const OverrideRecord& record : records) content += record.to_json() + "\n";
  // post-receive reads at most this much: a set it could not read would be
  // an accepted override without its record, so the push is refused now.
  if (content.size() > kMaxParkedBytes)
    throw InputError("the override record of " + update.ref + " is " + std::to_string(content.size()) +
                     " bytes; at most " + std::to_string(kMaxParkedBytes) + " can be recorded");
  std::random_device random;
  const std::string name = key_of(update) + "." + fmt::format("{:08x}{:08x}", random(), random()) + kSuffix;
  write_file_atomically((directory / name).string(), content, 0644);
}

std::size_t record_parked_overrides(git_repository* repo, git_repository* writer,
                                    const std::vector<RefUpdate>& accepted) {
  const fs::path directory = directory_of(repo);
  std::error_code error;
  if (!fs::is_directory(directory, error)) return 0;
  struct Parked {
    fs::path path;
    fs::file_time_type written;
  };
  std::vector<std::pair<std::string, Parked>> parked;  // by key
  const auto stale_before = fs::file_time_type::clock::now() - kStale;
  for (const auto& item : fs::directory_iterator(directory, error)) {
    const std::string name = item.path().filename().string();
    const auto written = item.last_write_time(error);
    if (error) continue;
    // What git never accepted, and temporary files of a killed run.
    if (written < stale_before) {
      fs::remove(item.path(), error);
      continue;
    }
    if (!item.is_regular_file(error) || !name.ends_with(kSuffix) || name.find('.') != 16) continue;
    parked.push_back({name.substr(0, 16), {item.path(), written}});
  }
  std::size_t recorded = 0;
  for (const RefUpdate& update : accepted) {
    const std::string key = key_of(update);
    std::vector<Parked> mine;
    for (const auto& [k, p] : parked)
      if (k == key) mine.push_back(p);
    if (mine.empty()) continue;
    // Racing pushes of the same update park the same commit's records; git
    // made the update once, so one set is written: the first parked.
    std::sort(mine.begin(), mine.end(),
              [](const Parked& a, const Parked& b) { return a.written < b.written; });
    std::string why;
    const auto text = read_whole_file(mine.front().path.string(), why, kMaxParkedBytes);
    const std::string expected =
        update.ref + " " + to_hex(update.old_oid) + " " + to_hex(update.new_oid) + "\n";
    if (!text || text->rfind(expected, 0) != 0)
      // Kept for a person to look at (and dropped later): the push is in,
      // and its record must not vanish silently.
      throw InputError("cannot read the parked override records " + mine.front().path.string() +
                       (text ? std::string(": they are not the records of ") + update.ref : ": " + why));
    {
      std::size_t start = expected.size();
      while (start < text->size()) {
        std::size_t end = text->find('\n', start);
        if (end == std::string::npos) end = text->size();
        if (auto record = OverrideRecord::from_json(std::string_view(*text).substr(start, end - start))) {
          record->status = "accepted";
          append_override_note(writer, parse_oid(record->oid, "override target"), *record);
          ++recorded;
        }
        start = end + 1;
      }
    }
    for (const Parked& p : mine) fs::remove(p.path, error);
  }
  return recorded;
}

}  // namespace heinrich::git
