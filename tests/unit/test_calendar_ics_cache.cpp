#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>
#include <chrono>
#include <thread>

#include <algorithm>
#include <filesystem>
#include <string>
#include <tuple>
#include <vector>

#include "heinrich/calendar/ics.hpp"
#include "heinrich/calendar/ics_cache.hpp"
#include "heinrich/util/diagnostic.hpp"
#include "heinrich/util/error.hpp"
#include "heinrich/util/hash.hpp"
#include "support/big_calendar.hpp"
#include "support/files.hpp"
#include "time_helpers.hpp"

using namespace heinrich;
using heinrich::test::make_big_calendar;
using heinrich::test::read_file;
using heinrich::test::TempDir;
using heinrich::test::utc;
using heinrich::test::write_file;

namespace {

namespace fs = std::filesystem;

const fs::path kOracleIcs = fs::path(HEINRICH_TEST_DATA) / "oracle" / "ics";

const Zone& seoul() {
  return Zone::get("Asia/Seoul");
}

// Every kind of thing an entry must carry: a series with overrides (one
// moved, one cancelled), EXDATE, RDATE periods and dates, UNTIL as an
// instant, a date and a floating time, COUNT, a sub-daily rule, floating
// and all-day events, per-event risk from both properties, long summaries.
const std::string kEverything =
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//heinrich//cache test//EN\r\n"
    "BEGIN:VEVENT\r\nUID:series@t\r\nDTSTART;TZID=Europe/Berlin:20250303T100000\r\n"
    "DTEND;TZID=Europe/Berlin:20250303T113000\r\nRRULE:FREQ=WEEKLY;BYDAY=MO,TH;UNTIL=20250601T000000Z\r\n"
    "EXDATE;TZID=Europe/Berlin:20250306T100000\r\nRDATE;VALUE=PERIOD:20250404T080000Z/PT3H\r\n"
    "RDATE;TZID=Europe/Berlin:20250405T090000\r\nSUMMARY:Weekly release train\r\nX-HEINRICH-RISK:55\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:series@t\r\nRECURRENCE-ID;TZID=Europe/Berlin:20250310T100000\r\n"
    "DTSTART;TZID=Europe/Berlin:20250311T140000\r\nDURATION:PT2H\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:series@t\r\nRECURRENCE-ID;TZID=Europe/Berlin:20250313T100000\r\n"
    "DTSTART;TZID=Europe/Berlin:20250313T100000\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:allday@t\r\nDTSTART;VALUE=DATE:20250505\r\nDURATION:P2D\r\n"
    "RRULE:FREQ=YEARLY;UNTIL=20300101\r\nSUMMARY:Long weekend sale\r\nCATEGORIES:risk=80\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:floating@t\r\nDTSTART:20250701T090000\r\nDTEND:20250701T100000\r\n"
    "RRULE:FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20261231T235959\r\nSUMMARY:Floating month-end review\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:hourly@t\r\nDTSTART:20250301T000000Z\r\nDURATION:PT10M\r\n"
    "RRULE:FREQ=HOURLY;INTERVAL=7;COUNT=40\r\nSUMMARY:Batch\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:ny@t\r\nDTSTART;TZID=America/New_York:20250309T023000\r\n"
    "DTEND;TZID=Asia/Seoul:20250309T180000\r\nSUMMARY:Across zones and a DST gap\r\nEND:VEVENT\r\n"
    "END:VCALENDAR\r\n";

using Row = std::tuple<Instant, Instant, std::string, std::optional<int>>;

std::vector<Row> rows(const IcsCalendar& calendar, Instant from, Instant to) {
  std::vector<Occurrence> found;
  calendar.occurrences(Interval{from, to}, found);
  std::vector<Row> out;
  for (const auto& o : found) out.emplace_back(o.span.start, o.span.end, o.label, o.risk);
  return out;
}

std::vector<Row> everything(const IcsCalendar& calendar) {
  return rows(calendar, utc(2015, 1, 1), utc(2035, 1, 1));
}

std::size_t entries_in(const fs::path& directory) {
  std::error_code error;
  std::size_t count = 0;
  for (const auto& item : fs::directory_iterator(directory, error))
    if (item.path().extension() == ".cache") ++count;
  return count;
}

fs::path only_entry(const fs::path& directory) {
  for (const auto& item : fs::directory_iterator(directory))
    if (item.path().extension() == ".cache") return item.path();
  FAIL("no cache entry in " << directory);
  return {};
}

// kEverything in a file, loaded once through a cache so that its entry exists.
struct CachedCalendar {
  TempDir dir;
  fs::path ics = dir.path / "c.ics";
  fs::path cache_dir = dir.path / "cache";
  fs::path entry;

  CachedCalendar() {
    write_file(ics, kEverything);
    const IcsCache cache(cache_dir, 0);
    (void)load(cache);
    REQUIRE(cache.counters().stores == 1);
    entry = only_entry(cache_dir);
  }
  [[nodiscard]] std::shared_ptr<const IcsCalendar> load(const IcsCache& cache) const {
    return IcsCalendar::load_file(ics.string(), seoul(), &cache);
  }
};

}  // namespace

TEST_SUITE("calendar.ics_cache") {
  TEST_CASE("a calendar read back from the cache answers every query as the parsed one does") {
    TempDir dir;
    std::vector<std::pair<std::string, std::string>> files{{"everything.ics", kEverything},
                                                           {"big.ics", make_big_calendar(2'000)}};
    for (const auto& item : fs::directory_iterator(kOracleIcs))
      if (item.path().extension() == ".ics")
        files.emplace_back(item.path().filename().string(), read_file(item.path()));
    REQUIRE(files.size() >= 7);
    for (const auto& [name, text] : files) {
      CAPTURE(name);
      const fs::path path = dir.path / name;
      write_file(path, text);
      const IcsCache cache(dir.path / "cache", 0);
      const auto parsed = IcsCalendar::load_file(path.string(), seoul(), &cache);
      CHECK(cache.counters().stores == 1);
      const auto cached = IcsCalendar::load_file(path.string(), seoul(), &cache);
      CHECK(cache.counters().hits == 1);
      CHECK(cached.get() != parsed.get());
      CHECK(cached->event_count() == parsed->event_count());
      CHECK(cached->describe() == parsed->describe());
      const auto expected = everything(*parsed);
      CHECK(!expected.empty());
      CHECK(everything(*cached) == expected);
      // Short queries take the index's other paths.
      for (int month = 1; month <= 12; ++month)
        CHECK(rows(*cached, utc(2025, static_cast<unsigned>(month), 1),
                   utc(2025, static_cast<unsigned>(month), 4)) ==
              rows(*parsed, utc(2025, static_cast<unsigned>(month), 1),
                   utc(2025, static_cast<unsigned>(month), 4)));
    }
  }

  TEST_CASE("an edited file is parsed again, whatever its old entry says") {
    TempDir dir;
    const fs::path path = dir.path / "c.ics";
    const IcsCache cache(dir.path / "cache", 0);
    write_file(path, kEverything);
    (void)IcsCalendar::load_file(path.string(), seoul(), &cache);
    // Same size, one risk changed: only the bytes tell them apart.
    std::string edited = kEverything;
    edited.replace(edited.find("X-HEINRICH-RISK:55"), 18, "X-HEINRICH-RISK:99");
    REQUIRE(edited.size() == kEverything.size());
    write_file(path, edited);
    const auto reloaded = IcsCalendar::load_file(path.string(), seoul(), &cache);
    CHECK(cache.counters().hits == 0);
    CHECK(everything(*reloaded) == everything(*IcsCalendar::parse(edited, path.string(), seoul())));
    auto found = rows(*reloaded, utc(2025, 3, 3), utc(2025, 3, 4));
    std::erase_if(found, [](const Row& row) { return std::get<2>(row) != "Weekly release train"; });
    REQUIRE(found.size() == 1);
    CHECK(std::get<3>(found.front()) == 99);
    CHECK(entries_in(dir.path / "cache") == 2);
  }

  TEST_CASE("floating times are read in the policy zone: another zone is another entry") {
    TempDir dir;
    const fs::path path = dir.path / "c.ics";
    write_file(path, kEverything);
    const IcsCache cache(dir.path / "cache", 0);
    (void)IcsCalendar::load_file(path.string(), seoul(), &cache);
    const Zone& berlin = Zone::get("Europe/Berlin");
    const auto in_berlin = IcsCalendar::load_file(path.string(), berlin, &cache);
    CHECK(cache.counters().hits == 0);
    CHECK(cache.counters().stores == 2);
    const auto expected = everything(*IcsCalendar::parse(kEverything, path.string(), berlin));
    CHECK(everything(*in_berlin) == expected);
    CHECK(expected != everything(*IcsCalendar::parse(kEverything, path.string(), seoul())));
    (void)IcsCalendar::load_file(path.string(), berlin, &cache);
    CHECK(cache.counters().hits == 1);
  }

  TEST_CASE("a damaged entry is never used: bytes changed throughout it are caught, and it is rewritten") {
    const CachedCalendar cached;
    const auto expected = everything(*IcsCalendar::parse(kEverything, cached.ics.string(), seoul()));
    const std::string good = read_file(cached.entry);
    REQUIRE(good.size() > kEverything.size());

    auto check_rejected = [&](const std::string& damaged) {
      write_file(cached.entry, damaged);
      ::chmod(cached.entry.c_str(), 0600);
      const IcsCache cache(cached.cache_dir, 0);
      const auto loaded = cached.load(cache);
      CHECK(cache.counters().hits == 0);
      CHECK(cache.counters().rejected == 1);
      CHECK(cache.counters().stores == 1);
      CHECK(everything(*loaded) == expected);
      CHECK(read_file(cached.entry) == good);  // rewritten whole
    };
    for (std::size_t at = 0; at < good.size(); at += 3) {
      CAPTURE(at);
      std::string damaged = good;
      damaged[at] = static_cast<char>(damaged[at] ^ 0x20);
      check_rejected(damaged);
    }
    for (std::size_t size : {std::size_t{0}, std::size_t{10}, good.size() / 3, good.size() - 1}) {
      CAPTURE(size);
      check_rejected(good.substr(0, size));
    }
    check_rejected(good + "x");
  }

  TEST_CASE("a forged entry with a valid checksum is range-checked: it cannot crash or hang a run") {
    // Only this user can write the cache, so this is about robustness, not
    // trust: every field of the events is checked as it is read back.
    const CachedCalendar cached;
    const std::string good = read_file(cached.entry);
    const std::size_t source_at = good.find(kEverything);
    REQUIRE(source_at != std::string::npos);
    const std::size_t checksum_at = source_at + kEverything.size();
    const std::size_t payload_at = checksum_at + 8;
    REQUIRE(payload_at < good.size());
    auto forge = [&](std::string payload) {
      const std::uint64_t checksum = hash_bytes(payload);
      std::string forged = good.substr(0, checksum_at);
      forged.append(reinterpret_cast<const char*>(&checksum), sizeof checksum);
      forged += payload;
      return forged;
    };
    REQUIRE(forge(good.substr(payload_at)) == good);  // the layout is as assumed
    std::size_t used = 0;
    std::size_t refused = 0;
    for (std::size_t at = payload_at; at < good.size(); ++at) {
      for (const int flip : {0x01, 0x80, 0xff}) {
        std::string payload = good.substr(payload_at);
        payload[at - payload_at] =
            static_cast<char>(static_cast<unsigned char>(payload[at - payload_at]) ^ flip);
        write_file(cached.entry, forge(payload));
        const IcsCache cache(cached.cache_dir, 0);
        const auto loaded = cached.load(cache);
        if (cache.counters().hits == 0) {
          ++refused;
          continue;
        }
        ++used;
        try {
          (void)rows(*loaded, utc(2024, 1, 1), utc(2027, 1, 1));
        } catch (const InputError&) {
          // A damaged rule text or an instance count over the limit: an
          // error the command reports, as for a bad file.
        }
      }
    }
    MESSAGE("forged entries: " << refused << " refused, " << used << " read back without a crash");
    CHECK(refused > 0);
  }

  TEST_CASE("an entry another account could have written is not trusted") {
    const CachedCalendar cached;
    auto rejected_once = [&] {
      const IcsCache cache(cached.cache_dir, 0);
      (void)cached.load(cache);
      return cache.counters().rejected == 1;
    };
    REQUIRE(::chmod(cached.entry.c_str(), 0620) == 0);
    CHECK(rejected_once());
    if (::geteuid() == 0) {
      REQUIRE(::chown(cached.entry.c_str(), 65534, 65534) == 0);  // nobody
      REQUIRE(::chmod(cached.entry.c_str(), 0600) == 0);
      CHECK(rejected_once());
    }
    // A symbolic link is not followed.
    const fs::path target = cached.dir.path / "elsewhere.cache";
    fs::rename(only_entry(cached.cache_dir), target);
    fs::create_symlink(target, cached.entry);
    CHECK(rejected_once());
    // Nor is a FIFO opened in a way that could hang the run.
    fs::remove(cached.entry);
    REQUIRE(::mkfifo(cached.entry.c_str(), 0600) == 0);
    CHECK(rejected_once());
    CHECK(fs::is_regular_file(cached.entry));  // replaced by a real entry
  }

  TEST_CASE("a cache directory others can write into, or that is not ours, is not used at all") {
    const CachedCalendar cached;
    auto untouched = [&] {
      const IcsCache cache(cached.cache_dir, 0);
      const auto loaded = cached.load(cache);
      return cache.counters().hits == 0 && cache.counters().stores == 0 &&
             everything(*loaded) ==
                 everything(*IcsCalendar::parse(kEverything, cached.ics.string(), seoul()));
    };
    REQUIRE(::chmod(cached.cache_dir.c_str(), 0770) == 0);
    CHECK(untouched());
    REQUIRE(::chmod(cached.cache_dir.c_str(), 0700) == 0);
    if (::geteuid() == 0) {
      REQUIRE(::chown(cached.cache_dir.c_str(), 65534, 65534) == 0);
      CHECK(untouched());
      REQUIRE(::chown(cached.cache_dir.c_str(), 0, 0) == 0);
    }
    const IcsCache cache(cached.cache_dir, 0);
    (void)cached.load(cache);
    CHECK(cache.counters().hits == 1);
  }

  TEST_CASE("a cache that cannot be written is no cache, not an error") {
    TempDir dir;
    const fs::path path = dir.path / "c.ics";
    write_file(path, kEverything);
    write_file(dir.path / "a-file", "not a directory");
    const IcsCache cache(dir.path / "a-file" / "heinrich", 0);
    const auto loaded = IcsCalendar::load_file(path.string(), seoul(), &cache);
    CHECK(cache.counters().stores == 0);
    CHECK(everything(*loaded) == everything(*IcsCalendar::parse(kEverything, path.string(), seoul())));
  }

  TEST_CASE("an entry over the size limit is not written; the directory keeps its newest within the total") {
    TempDir dir;
    const std::string text = make_big_calendar(300);
    const fs::path path = dir.path / "big.ics";
    write_file(path, text);
    {
      const IcsCache cache(dir.path / "cache", IcsCache::Limits{0, text.size(), 1U << 30U});
      (void)IcsCalendar::load_file(path.string(), seoul(), &cache);
      CHECK(cache.counters().stores == 0);  // an entry holds the file's copy and more
    }
    CHECK(entries_in(dir.path / "cache") == 0);
    // Three different calendars, room for two entries: the oldest goes.
    const IcsCache sizing(dir.path / "sizing", 0);
    (void)IcsCalendar::load_file(path.string(), seoul(), &sizing);
    const std::uintmax_t entry = fs::file_size(only_entry(dir.path / "sizing"));
    const IcsCache cache(dir.path / "cache", IcsCache::Limits{0, 1U << 30U, entry * 2 + entry / 2});
    for (int n = 0; n < 3; ++n) {
      const fs::path each = dir.path / ("c" + std::to_string(n) + ".ics");
      write_file(each, make_big_calendar(300 + n));
      (void)IcsCalendar::load_file(each.string(), seoul(), &cache);
      // Entries are told apart by their write time.
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK(cache.counters().stores == 3);
    CHECK(entries_in(dir.path / "cache") == 2);
  }

  TEST_CASE("malformed files are never cached; small files are not worth it") {
    TempDir dir;
    const fs::path bad = dir.path / "bad.ics";
    std::string text = make_big_calendar(400);
    text.replace(text.rfind("END:VCALENDAR"), 13, "END:VCALENDAX");
    write_file(bad, text);
    const IcsCache cache(dir.path / "cache");
    REQUIRE(text.size() >= IcsCache::kDefaultMinimumBytes);
    for (int run = 0; run < 2; ++run)
      CHECK_THROWS_AS(IcsCalendar::load_file(bad.string(), seoul(), &cache), SourceError);
    CHECK(entries_in(dir.path / "cache") == 0);

    const fs::path small = dir.path / "small.ics";
    write_file(small, kEverything);
    REQUIRE(kEverything.size() < IcsCache::kDefaultMinimumBytes);
    (void)IcsCalendar::load_file(small.string(), seoul(), &cache);
    CHECK(cache.counters().stores == 0);
    CHECK(!fs::exists(dir.path / "cache"));
  }

  TEST_CASE("the cache keeps the most recently used entries, and clears leftovers of killed runs") {
    TempDir dir;
    const fs::path cache_dir = dir.path / "cache";
    fs::create_directories(cache_dir);
    const fs::path leftover = cache_dir / "ics-0123456789abcdef.cache.4242.tmp";
    write_file(leftover, "half an entry");
    fs::last_write_time(leftover, fs::file_time_type::clock::now() - std::chrono::hours(2));
    const IcsCache cache(cache_dir, 0);
    const std::size_t files = IcsCache::kMaxEntries + 8;
    for (std::size_t i = 0; i < files; ++i) {
      const fs::path path = dir.path / ("c" + std::to_string(i) + ".ics");
      write_file(path, make_big_calendar(i + 1));
      (void)IcsCalendar::load_file(path.string(), seoul(), &cache);
      // Distinct modification times even on a coarse file system.
      for (const auto& item : fs::directory_iterator(cache_dir))
        if (item.path().extension() == ".cache")
          fs::last_write_time(item.path(), item.last_write_time() - std::chrono::seconds(1));
    }
    CHECK(cache.counters().stores == files);
    CHECK(entries_in(cache_dir) == IcsCache::kMaxEntries);
    CHECK(!fs::exists(leftover));
    // The newest survived.
    const fs::path newest = dir.path / ("c" + std::to_string(files - 1) + ".ics");
    (void)IcsCalendar::load_file(newest.string(), seoul(), &cache);
    CHECK(cache.counters().hits == 1);
  }
}
