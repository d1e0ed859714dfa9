#include "heinrich/calendar/ics_cache.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unicode/timezone.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <type_traits>
#include <utility>
#include <vector>

#include "heinrich/calendar/ics_model.hpp"
#include "heinrich/util/build_id.hpp"
#include "heinrich/util/error.hpp"
#include "heinrich/util/file_io.hpp"
#include "heinrich/util/hash.hpp"

#ifndef HEINRICH_VERSION
#define HEINRICH_VERSION "0.0.0"
#endif

namespace heinrich {

namespace fs = std::filesystem;
using ics::Event;
using ics::Length;
using ics::Stamp;

namespace {

// Bump whenever what is written below changes meaning or order.
constexpr std::uint32_t kLayout = 2;
constexpr std::string_view kMagic = "heinrich parsed calendar\n";
constexpr std::string_view kEntryPrefix = "ics-";
constexpr std::string_view kEntrySuffix = ".cache";
constexpr std::string_view kTempSuffix = ".tmp";
// The events of an entry; the file's copy comes on top.
constexpr std::size_t kMaxPayloadBytes = 1U << 30U;
// The loader refuses events longer than 100 years.
constexpr std::int64_t kMaxLengthDays = 36'525;
constexpr std::int64_t kMaxLengthSeconds = kMaxLengthDays * 86'400;

// The build that reads an entry must be the build that wrote it: what an
// entry holds was computed by heinrich's loader, libical and ICU (its
// time-zone data included). Their GNU build IDs change with any change to
// their code or data; empty if heinrich itself has none (no cache then).
const std::string& build_key() {
  static const std::string key = [] {
    const BuildIds ids = loaded_build_ids({"libical", "libicu"});
    if (ids.program.empty()) return std::string();
    UErrorCode status = U_ZERO_ERROR;
    const char* tz_version = icu::TimeZone::getTZDataVersion(status);
    return "heinrich " HEINRICH_VERSION " " + ids.program + ", layout " + std::to_string(kLayout) + ", " +
           ids.libraries + " tz " + (U_SUCCESS(status) && tz_version != nullptr ? tz_version : "unknown");
  }();
  return key;
}

// Thrown while reading an entry that fails a check; find() makes it a miss.
struct Damaged {};

class Writer {
 public:
  template <typename T>
  requires std::is_trivially_copyable_v<T>
  void put(T value) {
    char raw[sizeof(T)];
    std::memcpy(raw, &value, sizeof value);
    m_bytes.append(raw, sizeof raw);
  }
  void text(std::string_view value) {
    put(static_cast<std::uint32_t>(value.size()));
    m_bytes.append(value);
  }
  void bytes(std::string_view value) { m_bytes.append(value); }
  void count(std::size_t value) { put(static_cast<std::uint32_t>(value)); }
  void local(LocalTime value) { put(std::int64_t{value.time_since_epoch().count()}); }
  void instant(Instant value) { put(std::int64_t{value.time_since_epoch().count()}); }
  void seconds(Seconds value) { put(std::int64_t{value.count()}); }

  [[nodiscard]] std::string& result() { return m_bytes; }

 private:
  std::string m_bytes;
};

class Reader {
 public:
  explicit Reader(std::string_view bytes) : m_rest(bytes) {}

  template <typename T>
  requires std::is_trivially_copyable_v<T> T get() {
    T value;
    std::memcpy(&value, take(sizeof value).data(), sizeof value);
    return value;
  }
  std::string_view take(std::size_t size) {
    if (m_rest.size() < size) throw Damaged{};
    const std::string_view taken = m_rest.substr(0, size);
    m_rest.remove_prefix(size);
    return taken;
  }
  std::string_view text() { return take(get<std::uint32_t>()); }
  // A count of items that take at least `item_bytes` each: no more than fit.
  std::size_t count(std::size_t item_bytes) {
    const std::size_t value = get<std::uint32_t>();
    if (value > m_rest.size() / item_bytes) throw Damaged{};
    return value;
  }
  bool flag() {
    const auto value = get<std::uint8_t>();
    if (value > 1) throw Damaged{};
    return value == 1;
  }
  std::int64_t in_range(std::int64_t low, std::int64_t high) {
    const auto value = get<std::int64_t>();
    if (value < low || value > high) throw Damaged{};
    return value;
  }
  // Wall times and instants stay inside years 1-9999, as the loader made them.
  LocalTime local() { return LocalTime{Seconds{in_range(earliest(), latest())}}; }
  Instant instant() { return Instant{Seconds{in_range(earliest(), latest())}}; }
  [[nodiscard]] bool done() const { return m_rest.empty(); }
  [[nodiscard]] std::string_view rest() const { return m_rest; }

 private:
  static std::int64_t earliest() {
    static const std::int64_t value = (make_local(1, 1, 1) - days(2)).time_since_epoch().count();
    return value;
  }
  static std::int64_t latest() {
    static const std::int64_t value = (make_local(9999, 12, 31) + days(3)).time_since_epoch().count();
    return value;
  }

  std::string_view m_rest;
};

void write_stamp(Writer& out, const Stamp& stamp) {
  out.local(stamp.wall);
  out.put(stamp.zone);
  out.put(static_cast<std::uint8_t>(stamp.date));
}

Stamp read_stamp(Reader& in, std::size_t zones) {
  Stamp stamp;
  stamp.wall = in.local();
  stamp.zone = in.get<std::uint32_t>();
  if (stamp.zone >= zones) throw Damaged{};
  stamp.date = in.flag();
  return stamp;
}

constexpr std::size_t kStampBytes = 8 + 4 + 1;

void write_series(Writer& out, const ics::Series& series) {
  out.count(series.rules.size());
  for (const auto& rule : series.rules) {
    out.text(rule.rule.text());
    out.put(static_cast<std::uint8_t>(rule.until.kind));
    out.instant(rule.until.instant);
    out.local(rule.until.local);
    out.put(rule.count);
    out.seconds(rule.align_period);
    out.seconds(rule.restart_margin);
    out.put(static_cast<std::uint8_t>(rule.count_reach.has_value()));
    out.seconds(rule.count_reach.value_or(Seconds{0}));
  }
  out.count(series.rdates.size());
  for (const auto& rdate : series.rdates) {
    write_stamp(out, rdate.start);
    out.put(static_cast<std::uint8_t>(rdate.length.has_value()));
    out.seconds(rdate.length.value_or(Seconds{0}));
  }
  out.count(series.excluded.size());
  for (const Instant excluded : series.excluded) out.instant(excluded);
}

std::unique_ptr<ics::Series> read_series(Reader& in, std::size_t zones) {
  auto series = std::make_unique<ics::Series>();
  const std::size_t rules = in.count(4 + 1 + 5 * 8 + 1 + 8);
  for (std::size_t i = 0; i < rules; ++i) {
    // Parsed when first used: the checksum vouches for the text.
    RecurrenceRule rule = RecurrenceRule::restore(in.text());
    ics::Until until;
    const auto kind = in.get<std::uint8_t>();
    if (kind > static_cast<std::uint8_t>(ics::UntilKind::floating)) throw Damaged{};
    until.kind = static_cast<ics::UntilKind>(kind);
    until.instant = in.instant();
    until.local = in.local();
    const std::int64_t count = in.in_range(0, std::numeric_limits<std::int32_t>::max());
    const Seconds align{in.in_range(0, kMaxLengthSeconds)};
    const Seconds margin{in.in_range(0, kMaxLengthSeconds)};
    const bool has_count_reach = in.flag();
    const Seconds count_reach{in.in_range(0, ics::kMaxCountReach.count())};
    series->rules.push_back({std::move(rule), until, count, align, margin,
                             has_count_reach ? std::optional(count_reach) : std::nullopt});
  }
  const std::size_t rdates = in.count(kStampBytes + 1 + 8);
  for (std::size_t i = 0; i < rdates; ++i) {
    ics::RDate rdate{read_stamp(in, zones), std::nullopt};
    const bool has_length = in.flag();
    const Seconds length{in.in_range(0, kMaxLengthSeconds)};
    if (has_length) rdate.length = length;
    series->rdates.push_back(rdate);
  }
  const std::size_t excluded = in.count(8);
  series->excluded.reserve(excluded);
  for (std::size_t i = 0; i < excluded; ++i) series->excluded.push_back(in.instant());
  return series;
}

void write_event(Writer& out, const Event& event) {
  write_stamp(out, event.start);
  write_stamp(out, event.end);
  out.put(event.amount);
  out.put(static_cast<std::uint8_t>(event.length));
  out.put(static_cast<std::uint8_t>(event.risk.has_value()));
  out.put(static_cast<std::int32_t>(event.risk.value_or(0)));
  out.text(event.summary);
  out.put(event.line);
  out.put(static_cast<std::uint8_t>(event.series != nullptr));
  if (event.series) write_series(out, *event.series);
}

Event read_event(Reader& in, std::size_t zones) {
  Event event;
  event.start = read_stamp(in, zones);
  event.end = read_stamp(in, zones);
  event.amount = in.in_range(0, kMaxLengthSeconds);
  const auto length = in.get<std::uint8_t>();
  if (length > static_cast<std::uint8_t>(Length::days)) throw Damaged{};
  event.length = static_cast<Length>(length);
  if (event.length == Length::days && event.amount > kMaxLengthDays) throw Damaged{};
  const bool has_risk = in.flag();
  const auto risk = in.get<std::int32_t>();
  if (risk < 0 || risk > 100) throw Damaged{};
  if (has_risk) event.risk = risk;
  event.summary = in.text();
  event.line = in.get<std::int32_t>();
  if (event.line < 0) throw Damaged{};
  if (in.flag()) event.series = read_series(in, zones);
  return event;
}

constexpr std::size_t kEventBytes = 2 * kStampBytes + 8 + 1 + 1 + 4 + 4 + 4 + 1;

std::string payload_of(const IcsCalendar::Index& index, std::size_t vevents) {
  Writer out;
  out.put(static_cast<std::uint64_t>(vevents));
  // Zones 0 and 1 (floating, UTC) are the same in every file.
  out.count(index.zones.size() - 2);
  for (std::size_t i = 2; i < index.zones.size(); ++i) {
    const ics::ZoneRecipe recipe = index.zones[i]->recipe();
    out.put(static_cast<std::uint8_t>(recipe.kind));
    out.text(recipe.name);
    out.text(recipe.definition);
  }
  out.count(index.events.size());
  for (const Event& event : index.events) write_event(out, event);
  return std::move(out.result());
}

struct Payload {
  std::size_t vevents = 0;
  ics::ZoneList zones;
  std::vector<Event> events;
};

Payload read_payload(std::string_view bytes, const Zone& floating_zone) {
  Reader in(bytes);
  Payload payload;
  payload.vevents = in.get<std::uint64_t>();
  payload.zones = ics::base_zones(floating_zone);
  const std::size_t zones = in.count(1 + 4 + 4);
  for (std::size_t i = 0; i < zones; ++i) {
    ics::ZoneRecipe recipe;
    const auto kind = in.get<std::uint8_t>();
    if (kind > static_cast<std::uint8_t>(ics::ZoneKind::vtimezone)) throw Damaged{};
    recipe.kind = static_cast<ics::ZoneKind>(kind);
    recipe.name = in.text();
    recipe.definition = in.text();
    auto zone = ics::make_zone(recipe);
    if (!zone) throw Damaged{};
    payload.zones.push_back(std::move(zone));
  }
  const std::size_t events = in.count(kEventBytes);
  payload.events.reserve(events);
  for (std::size_t i = 0; i < events; ++i) payload.events.push_back(read_event(in, payload.zones.size()));
  if (!in.done()) throw Damaged{};
  return payload;
}

// The header: what must match before the events are worth reading.
void write_header(Writer& out, std::string_view text, const Zone& floating_zone) {
  out.bytes(kMagic);
  out.text(build_key());
  out.text(floating_zone.name());
  out.put(static_cast<std::uint64_t>(text.size()));
  out.bytes(text);
}

bool header_matches(Reader& in, std::string_view text, const Zone& floating_zone) {
  return in.take(kMagic.size()) == kMagic && in.text() == build_key() && in.text() == floating_zone.name() &&
         in.get<std::uint64_t>() == text.size() && in.take(text.size()) == text;
}

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : m_fd(fd) {}
  FileDescriptor(FileDescriptor&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
  FileDescriptor& operator=(FileDescriptor&&) = delete;
  ~FileDescriptor() {
    if (m_fd >= 0) ::close(m_fd);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  [[nodiscard]] int get() const { return m_fd; }
  [[nodiscard]] bool ok() const { return m_fd >= 0; }

 private:
  int m_fd;
};

// Only what this user alone can have written is read, or written into.
bool only_ours(int fd) {
  struct stat status {};
  return ::fstat(fd, &status) == 0 && status.st_uid == ::geteuid() &&
         (status.st_mode & (S_IWGRP | S_IWOTH)) == 0;
}

// The cache directory, if it is a directory of this user's that no one else
// can write into (else another account could plant entries, or links and
// FIFOs where entries are written). With `create`, made (mode 0700) first.
FileDescriptor open_directory(const fs::path& directory, bool create) {
  if (create) {
    std::error_code ignored;
    fs::create_directories(directory.parent_path(), ignored);
    ::mkdir(directory.c_str(), 0700);
  }
  FileDescriptor fd(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW));
  if (fd.ok() && !only_ours(fd.get())) return FileDescriptor(-1);
  return fd;
}

enum class ReadResult { read, absent, refused };

// Reads an entry into `bytes` if it is a regular file of this user's, no
// larger than `largest` and no smaller than `smallest`.
ReadResult read_entry(int directory, const std::string& name, std::size_t smallest, std::size_t largest,
                      std::string& bytes) {
  // O_NONBLOCK: a FIFO planted here must not hang the run before fstat.
  const FileDescriptor file(
      ::openat(directory, name.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
  if (!file.ok()) return errno == ENOENT ? ReadResult::absent : ReadResult::refused;
  struct stat status {};
  if (::fstat(file.get(), &status) != 0 || !S_ISREG(status.st_mode) || !only_ours(file.get()) ||
      status.st_size < 0 || static_cast<std::uint64_t>(status.st_size) < smallest ||
      static_cast<std::uint64_t>(status.st_size) > largest)
    return ReadResult::refused;
  bytes.resize(static_cast<std::size_t>(status.st_size));
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t got = ::read(file.get(), bytes.data() + done, bytes.size() - done);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return ReadResult::refused;
    done += static_cast<std::size_t>(got);
  }
  // Used now: pruning keeps the most recently used entries.
  static_cast<void>(::futimens(file.get(), nullptr));
  return ReadResult::read;
}

bool has_affixes(const std::string& name, std::string_view prefix, std::string_view suffix) {
  return name.size() > prefix.size() + suffix.size() && name.starts_with(prefix) && name.ends_with(suffix);
}

}  // namespace

IcsCache::IcsCache(fs::path directory, Limits limits) : m_directory(std::move(directory)), m_limits(limits) {}

IcsCache::IcsCache(fs::path directory, std::size_t minimum_bytes)
    : IcsCache(std::move(directory), Limits{minimum_bytes}) {}

bool IcsCache::worth_caching(std::string_view text) const {
  return text.size() >= m_limits.minimum_bytes && !build_key().empty();
}

std::string IcsCache::entry_name(std::string_view text, const Zone& floating_zone) {
  const std::uint64_t key = hash_bytes(text, hash_bytes(floating_zone.name(), hash_bytes(build_key())));
  char name[32];
  std::snprintf(name, sizeof name, "%016llx", static_cast<unsigned long long>(key));
  return std::string(kEntryPrefix) + name + std::string(kEntrySuffix);
}

std::shared_ptr<const IcsCalendar> IcsCache::find(std::string_view text, const std::string& path,
                                                  const Zone& floating_zone) const {
  if (!worth_caching(text)) return nullptr;
  ReadResult result = ReadResult::refused;
  try {
    errno = 0;
    const FileDescriptor directory = open_directory(m_directory, false);
    std::string bytes;
    if (directory.ok()) {
      // Anything shorter cannot hold the header and the copy of the file.
      const std::size_t smallest =
          kMagic.size() + 4 + build_key().size() + 4 + floating_zone.name().size() + 8 + text.size() + 8;
      result = read_entry(directory.get(), entry_name(text, floating_zone), smallest,
                          smallest + kMaxPayloadBytes, bytes);
    } else if (errno == ENOENT) {
      result = ReadResult::absent;
    }
    if (result == ReadResult::read) {
      Reader in(bytes);
      if (!header_matches(in, text, floating_zone)) throw Damaged{};
      const auto checksum = in.get<std::uint64_t>();
      const std::string_view rest = in.rest();  // the payload: everything after the checksum
      if (hash_bytes(rest) != checksum) throw Damaged{};
      Payload payload = read_payload(rest, floating_zone);
      auto index = ics::build_index(std::move(payload.zones), std::move(payload.events));
      ++m_counters.hits;
      return std::shared_ptr<const IcsCalendar>(new IcsCalendar(path, payload.vevents, std::move(index)));
    }
  } catch (...) {
    // Damaged, or breaking anything else (memory for a huge count): no
    // better than no entry. The file is parsed instead.
    result = ReadResult::refused;
  }
  ++m_counters.misses;
  if (result == ReadResult::refused) ++m_counters.rejected;
  return nullptr;
}

void IcsCache::store(std::string_view text, const Zone& floating_zone,
                     const IcsCalendar& calendar) const noexcept {
  // Its warnings would be lost in an entry: such a calendar is parsed each time.
  if (!worth_caching(text) || !calendar.warnings().empty()) return;
  try {
    const std::string payload = payload_of(*calendar.m_index, calendar.m_event_count);
    if (payload.size() > kMaxPayloadBytes) return;
    Writer out;
    write_header(out, text, floating_zone);
    out.put(hash_bytes(payload));
    out.bytes(payload);
    if (out.result().size() > m_limits.entry_bytes) return;

    const FileDescriptor directory = open_directory(m_directory, true);
    if (!directory.ok()) return;
    const std::string final_name = entry_name(text, floating_zone);
    // A fresh name, created exclusively: two runs never write one file.
    std::random_device random;
    std::string temp_name;
    int fd = -1;
    for (int attempt = 0; attempt < 4 && fd < 0; ++attempt) {
      temp_name =
          final_name + "." + std::to_string(random()) + std::to_string(random()) + std::string(kTempSuffix);
      fd = ::openat(directory.get(), temp_name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
                    0600);
    }
    {
      const FileDescriptor file(fd);
      if (!file.ok()) return;
      if (!write_all(file.get(), out.result())) {
        ::unlinkat(directory.get(), temp_name.c_str(), 0);
        return;
      }
    }
    if (::renameat(directory.get(), temp_name.c_str(), directory.get(), final_name.c_str()) != 0) {
      ::unlinkat(directory.get(), temp_name.c_str(), 0);
      return;
    }
    ++m_counters.stores;
    prune();
  } catch (...) {
    // No cache this time; the calendar itself is loaded already.
  }
}

void IcsCache::prune() const noexcept {
  try {
    struct Entry {
      fs::file_time_type written;
      std::uintmax_t size;
      fs::path path;
    };
    std::vector<Entry> entries;
    const auto stale_before = fs::file_time_type::clock::now() - std::chrono::hours(1);
    std::error_code error;
    for (const auto& item : fs::directory_iterator(m_directory, error)) {
      const std::string name = item.path().filename().string();
      const auto written = item.last_write_time(error);
      if (error) continue;
      if (has_affixes(name, kEntryPrefix, kEntrySuffix)) {
        const std::uintmax_t size = item.file_size(error);
        if (!error) entries.push_back({written, size, item.path()});
      } else if (has_affixes(name, kEntryPrefix, kTempSuffix) && written < stale_before)
        fs::remove(item.path(), error);  // left by a run that was killed mid-write
    }
    // The most recently used first; the one just written is always kept.
    std::sort(entries.begin(), entries.end(),
              [](const Entry& a, const Entry& b) { return a.written > b.written; });
    std::uintmax_t total = 0;
    for (std::size_t i = 0; i < entries.size(); ++i) {
      total += entries[i].size;
      if (i > 0 && (i >= kMaxEntries || total > m_limits.total_bytes)) fs::remove(entries[i].path, error);
    }
  } catch (...) {
    // Pruning is housekeeping; the entry just written is in place.
  }
}

}  // namespace heinrich
