#pragma once
// The parsed-calendar cache. libical needs ~55 ms to parse a 10,000-event
// ICS file, far more than the rest of a `heinrich check`; a file whose exact
// bytes were loaded before is read back from a binary entry instead.
//
// An entry can never change a decision:
// - it is found by a hash of the file's bytes (and the floating zone), and
//   holds a copy of those bytes that must equal the file byte for byte;
// - it names the build that wrote it (the GNU build IDs of heinrich, libical
//   and ICU, ICU's time-zone data version, the layout): another build
//   ignores it;
// - a checksum covers the parsed events, and every value is range-checked;
// - it must be a regular file of this user's that no one else can write, in
//   such a directory, so another account cannot plant one.
// An entry that fails any check is ignored and replaced. Entries are written
// under a fresh name and renamed into place, so a reader never sees half of
// one; a directory that cannot be created or written just means no cache.
// Only the 32 most recently used entries are kept, within 256 MiB.
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "heinrich/calendar/ics.hpp"
#include "heinrich/core/zone.hpp"

namespace heinrich {

class IcsCache {
 public:
  // Smaller files parse about as fast as an entry reads back: not cached.
  static constexpr std::size_t kDefaultMinimumBytes = 32 * 1024;
  static constexpr std::size_t kMaxEntries = 32;
  // A calendar whose entry would be larger is parsed every time instead (a
  // 1,000,000-event file left a 121 MB entry); the directory keeps its most
  // recently used entries within the total.
  struct Limits {
    std::size_t minimum_bytes = kDefaultMinimumBytes;
    std::size_t entry_bytes = 64U << 20U;
    std::uintmax_t total_bytes = 256U << 20U;
  };

  explicit IcsCache(std::filesystem::path directory, std::size_t minimum_bytes = kDefaultMinimumBytes);
  IcsCache(std::filesystem::path directory, Limits limits);

  // The calendar saved for exactly `text` read with `floating_zone`, named
  // `path` in its messages; null when there is no usable entry.
  [[nodiscard]] std::shared_ptr<const IcsCalendar> find(std::string_view text, const std::string& path,
                                                        const Zone& floating_zone) const;
  // Saves `calendar`, parsed from `text`, for later runs. Best effort: never
  // throws, and leaves no partial entry behind.
  void store(std::string_view text, const Zone& floating_zone, const IcsCalendar& calendar) const noexcept;

  [[nodiscard]] const std::filesystem::path& directory() const { return m_directory; }

  // What this cache object did; for tests (not thread-safe, like the rest).
  struct Counters {
    std::size_t hits = 0;
    std::size_t misses = 0;    // no entry, or one that failed a check
    std::size_t rejected = 0;  // of the misses: an entry was there but failed a check
    std::size_t stores = 0;    // entries written
  };
  [[nodiscard]] const Counters& counters() const { return m_counters; }

 private:
  [[nodiscard]] bool worth_caching(std::string_view text) const;
  static std::string entry_name(std::string_view text, const Zone& floating_zone);
  void prune() const noexcept;

  std::filesystem::path m_directory;
  Limits m_limits;
  mutable Counters m_counters;
};

}  // namespace heinrich
