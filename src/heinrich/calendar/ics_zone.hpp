#pragma once
// Time zones of an ICS file: every time value refers to one by index.
// Index 0 reads floating times and dates (the policy zone), index 1 is UTC;
// the others come from TZIDs, resolved once per distinct name.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "heinrich/calendar/ics_scan.hpp"
#include "heinrich/core/time.hpp"
#include "heinrich/core/zone.hpp"

namespace heinrich::ics {

// What it takes to make a zone again without its file: the parsed-calendar
// cache saves this. `definition` is the VTIMEZONE text of a file's own zone.
enum class ZoneKind : std::uint8_t { iana, utc, vtimezone };
struct ZoneRecipe {
  ZoneKind kind = ZoneKind::iana;
  std::string name;
  std::string definition;
};

class IcsZone {
 public:
  virtual ~IcsZone() = default;
  // RFC 5545 3.3.5: a local time in a DST gap takes the offset in force
  // before the gap; an ambiguous one is the earlier instant.
  [[nodiscard]] virtual Instant to_instant(LocalTime local) const = 0;
  [[nodiscard]] virtual LocalTime to_local(Instant instant) const = 0;
  [[nodiscard]] virtual std::string name() const = 0;
  [[nodiscard]] virtual ZoneRecipe recipe() const = 0;
};

using ZoneList = std::vector<std::unique_ptr<IcsZone>>;

constexpr std::uint32_t kFloatingZone = 0;
constexpr std::uint32_t kUtcZone = 1;

// The first two zones of every file: floating (in `floating_zone`) and UTC.
ZoneList base_zones(const Zone& floating_zone);
// A zone from its recipe; nullptr if it cannot be made here any more (an
// IANA name this ICU does not know, a definition libical rejects).
std::unique_ptr<IcsZone> make_zone(const ZoneRecipe& recipe);

// Resolves TZIDs while a file loads; owns the parsed VTIMEZONE components
// only until then.
class ZoneResolver {
 public:
  ZoneResolver(const Zone& floating_zone, std::string_view text, const std::vector<TimezoneBlock>& blocks,
               const std::string& path);
  ~ZoneResolver();
  ZoneResolver(const ZoneResolver&) = delete;
  ZoneResolver& operator=(const ZoneResolver&) = delete;

  // The zone index for a TZID, or nullopt if it names no zone at all: not
  // IANA, not a Windows name, and no VTIMEZONE in the file defines it.
  // Throws SourceError when the VTIMEZONE that must be used is broken.
  std::optional<std::uint32_t> resolve(const std::string& tzid);
  [[nodiscard]] const IcsZone& zone(std::uint32_t index) const { return *m_zones[index]; }
  // The zones, for the loaded calendar to keep.
  ZoneList take_zones() { return std::move(m_zones); }
  // What the last resolve() guessed (a display-name TZID), once; nullopt if
  // it read the TZID as written.
  std::optional<std::string> take_guess() { return std::exchange(m_guess, std::nullopt); }

 private:
  struct Vtimezone;
  std::uint32_t add(std::unique_ptr<IcsZone> zone);
  std::uint32_t add_iana(const Zone& zone);
  void parse_vtimezones();

  std::string_view m_text;
  const std::vector<TimezoneBlock>& m_blocks;
  const std::string& m_path;
  ZoneList m_zones;
  std::unordered_map<std::string, std::optional<std::uint32_t>> m_by_tzid;
  std::unordered_map<const Zone*, std::uint32_t> m_by_zone;
  std::vector<Vtimezone> m_vtimezones;
  bool m_vtimezones_parsed = false;
  std::optional<std::string> m_guess;
};

}  // namespace heinrich::ics
