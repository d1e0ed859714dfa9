#include "heinrich/calendar/ics_zone.hpp"

#include <libical/ical.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <mutex>

#include "heinrich/util/diagnostic.hpp"
#include "heinrich/util/text.hpp"

namespace heinrich::ics {

namespace {

struct ComponentFree {
  void operator()(icalcomponent* component) const { icalcomponent_free(component); }
};
using ComponentPtr = std::unique_ptr<icalcomponent, ComponentFree>;

struct TimezoneFree {
  void operator()(icaltimezone* zone) const { icaltimezone_free(zone, 1); }
};
using TimezonePtr = std::unique_ptr<icaltimezone, TimezoneFree>;

class IanaZone final : public IcsZone {
 public:
  explicit IanaZone(const Zone& zone) : m_zone(zone) {}
  [[nodiscard]] Instant to_instant(LocalTime local) const override { return m_zone.to_instant(local); }
  [[nodiscard]] LocalTime to_local(Instant instant) const override { return m_zone.to_local(instant); }
  [[nodiscard]] std::string name() const override { return m_zone.name(); }
  [[nodiscard]] ZoneRecipe recipe() const override { return {ZoneKind::iana, m_zone.name(), {}}; }

 private:
  const Zone& m_zone;
};

// UTC needs no ICU call: most calendars are full of "…Z" times.
class UtcZone final : public IcsZone {
 public:
  [[nodiscard]] Instant to_instant(LocalTime local) const override {
    return Instant{local.time_since_epoch()};
  }
  [[nodiscard]] LocalTime to_local(Instant instant) const override {
    return LocalTime{instant.time_since_epoch()};
  }
  [[nodiscard]] std::string name() const override { return "UTC"; }
  [[nodiscard]] ZoneRecipe recipe() const override { return {ZoneKind::utc, "UTC", {}}; }
};

// A VTIMEZONE that names no IANA zone, through libical's own icaltimezone.
// libical resolves local times itself (icaltimezone_get_utc_offset), but in
// a gap it takes the offset after the gap and in an overlap the later
// instant, so local times are resolved here from UTC offsets instead.
class VtimezoneZone final : public IcsZone {
 public:
  VtimezoneZone(std::string tzid, TimezonePtr zone, std::string definition)
      : m_tzid(std::move(tzid)), m_zone(std::move(zone)), m_definition(std::move(definition)) {}

  [[nodiscard]] Instant to_instant(LocalTime local) const override {
    const Instant naive{local.time_since_epoch()};
    // Assumes at most one transition within a day either side, as every
    // real zone has.
    const Seconds before = offset_at(naive - days(1));
    const Seconds after = offset_at(naive + days(1));
    const Instant with_before = naive - before;
    const Instant with_after = naive - after;
    const bool before_fits = offset_at(with_before) == before;
    const bool after_fits = offset_at(with_after) == after;
    if (before_fits && after_fits) return std::min(with_before, with_after);  // overlap: the first instant
    if (after_fits) return with_after;
    return with_before;  // unique before the change, or in the gap: the offset before the gap
  }

  [[nodiscard]] LocalTime to_local(Instant instant) const override {
    return LocalTime{instant.time_since_epoch() + offset_at(instant)};
  }
  [[nodiscard]] std::string name() const override { return m_tzid; }
  [[nodiscard]] ZoneRecipe recipe() const override { return {ZoneKind::vtimezone, m_tzid, m_definition}; }

 private:
  [[nodiscard]] Seconds offset_at(Instant instant) const {
    icaltimetype utc = icaltime_from_timet_with_zone(static_cast<time_t>(instant.time_since_epoch().count()),
                                                     0, icaltimezone_get_utc_timezone());
    int is_daylight = 0;
    // libical extends the zone's table of changes on demand: not thread-safe.
    std::lock_guard lock(m_mutex);
    return Seconds{icaltimezone_get_utc_offset_of_utc_time(m_zone.get(), &utc, &is_daylight)};
  }

  std::string m_tzid;
  TimezonePtr m_zone;
  std::string m_definition;
  mutable std::mutex m_mutex;
};

ComponentPtr parse_component(const std::string& text) {
  icalerror_clear_errno();
  ComponentPtr component(icalparser_parse_string(text.c_str()));
  icalerror_clear_errno();
  return component;
}

// Takes the component over on success.
TimezonePtr timezone_from(ComponentPtr& component) {
  TimezonePtr zone(icaltimezone_new());
  if (!zone) return nullptr;
  if (icaltimezone_set_component(zone.get(), component.get()) == 0) {
    icalerror_clear_errno();
    return nullptr;
  }
  static_cast<void>(component.release());
  return zone;
}

const Zone* find_iana(std::string_view name) {
  return name.empty() ? nullptr : Zone::find(name);
}

// Outlook writes Windows zone names ("W. Europe Standard Time"); ICU maps
// them with CLDR's windowsZones table (territory 001 = the primary zone).
const Zone* find_windows(const std::string& name) {
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString iana;
  icu::TimeZone::getIDForWindowsID(icu::UnicodeString::fromUTF8(name), nullptr, iana, status);
  if (U_FAILURE(status) || iana.isEmpty()) return nullptr;
  std::string id;
  iana.toUTF8String(id);
  return find_iana(id);
}

// Outlook and Exchange write display names as TZIDs, "(UTC-05:00) Eastern
// Time (US & Canada)" (older ones "(GMT-05:00) …"), with no VTIMEZONE. ICU
// knows the Windows IDs, not these names: a generated table maps them.
struct DisplayName {
  std::string_view text;
  std::string_view windows_id;
};
constexpr DisplayName kDisplayNames[] = {
#include "heinrich/calendar/windows_display_names.inc"
};

std::string normalized_display_name(std::string_view name) {
  std::string text(trim(name));
  if (text.rfind("(GMT", 0) == 0) text.replace(1, 3, "UTC");
  for (const char* zero : {"(UTC+00:00)", "(UTC-00:00)"})
    if (text.rfind(zero, 0) == 0) text.replace(0, 11, "(UTC)");
  return to_lower(text);
}

const DisplayName* find_display_name(std::string_view tzid) {
  if (tzid.empty() || tzid.front() != '(' || tzid.size() > 200) return nullptr;
  const std::string wanted = normalized_display_name(tzid);
  for (const DisplayName& entry : kDisplayNames)
    if (normalized_display_name(entry.text) == wanted) return &entry;
  return nullptr;
}

}  // namespace

struct ZoneResolver::Vtimezone {
  int line = 0;
  std::string_view text;
  std::string tzid;
  std::string location;  // X-LIC-LOCATION
  std::string error;     // why it cannot be used as a zone; "" if it can
  ComponentPtr component;
};

ZoneList base_zones(const Zone& floating_zone) {
  ZoneList zones;
  zones.push_back(std::make_unique<IanaZone>(floating_zone));
  zones.push_back(std::make_unique<UtcZone>());
  return zones;
}

std::unique_ptr<IcsZone> make_zone(const ZoneRecipe& recipe) {
  switch (recipe.kind) {
    case ZoneKind::utc:
      return std::make_unique<UtcZone>();
    case ZoneKind::iana:
      if (const Zone* zone = find_iana(recipe.name)) return std::make_unique<IanaZone>(*zone);
      return nullptr;
    case ZoneKind::vtimezone: {
      ComponentPtr component = parse_component(recipe.definition);
      if (!component || icalcomponent_isa(component.get()) != ICAL_VTIMEZONE_COMPONENT) return nullptr;
      TimezonePtr zone = timezone_from(component);
      if (!zone) return nullptr;
      return std::make_unique<VtimezoneZone>(recipe.name, std::move(zone), recipe.definition);
    }
  }
  return nullptr;
}

ZoneResolver::ZoneResolver(const Zone& floating_zone, std::string_view text,
                           const std::vector<TimezoneBlock>& blocks, const std::string& path)
    : m_text(text), m_blocks(blocks), m_path(path), m_zones(base_zones(floating_zone)) {}

ZoneResolver::~ZoneResolver() = default;

std::uint32_t ZoneResolver::add(std::unique_ptr<IcsZone> zone) {
  m_zones.push_back(std::move(zone));
  return static_cast<std::uint32_t>(m_zones.size() - 1);
}

std::uint32_t ZoneResolver::add_iana(const Zone& zone) {
  if (const auto found = m_by_zone.find(&zone); found != m_by_zone.end()) return found->second;
  const std::uint32_t index = add(std::make_unique<IanaZone>(zone));
  m_by_zone.emplace(&zone, index);
  return index;
}

void ZoneResolver::parse_vtimezones() {
  m_vtimezones_parsed = true;
  for (const auto& block : m_blocks) {
    Vtimezone parsed;
    parsed.line = block.begin_line;
    parsed.text = m_text.substr(block.begin, block.end - block.begin);
    parsed.component = parse_component(std::string(parsed.text));
    icalcomponent* component = parsed.component.get();
    if (component == nullptr || icalcomponent_isa(component) != ICAL_VTIMEZONE_COMPONENT) continue;
    for (icalproperty* p = icalcomponent_get_first_property(component, ICAL_ANY_PROPERTY); p != nullptr;
         p = icalcomponent_get_next_property(component, ICAL_ANY_PROPERTY)) {
      const icalproperty_kind kind = icalproperty_isa(p);
      if (kind == ICAL_TZID_PROPERTY && parsed.tzid.empty()) {
        if (const char* tzid = icalproperty_get_tzid(p)) parsed.tzid = tzid;
      } else if (kind == ICAL_X_PROPERTY) {
        const char* name = icalproperty_get_x_name(p);
        const char* value = icalproperty_get_x(p);
        if (name != nullptr && value != nullptr && iequals(name, "X-LIC-LOCATION")) parsed.location = value;
      } else if (kind == ICAL_XLICERROR_PROPERTY && parsed.error.empty()) {
        const char* why = icalproperty_get_xlicerror(p);
        parsed.error = why != nullptr ? why : "libical could not parse it";
      }
    }
    // Each observance needs a start and the offset it switches to.
    int observances = 0;
    for (icalcomponent_kind kind : {ICAL_XSTANDARD_COMPONENT, ICAL_XDAYLIGHT_COMPONENT}) {
      for (icalcomponent* rule = icalcomponent_get_first_component(component, kind); rule != nullptr;
           rule = icalcomponent_get_next_component(component, kind)) {
        ++observances;
        if (icalcomponent_get_first_property(rule, ICAL_DTSTART_PROPERTY) == nullptr ||
            icalcomponent_get_first_property(rule, ICAL_TZOFFSETTO_PROPERTY) == nullptr)
          if (parsed.error.empty()) parsed.error = "a STANDARD or DAYLIGHT rule lacks DTSTART or TZOFFSETTO";
        if (icalcomponent_get_first_property(rule, ICAL_XLICERROR_PROPERTY) != nullptr &&
            parsed.error.empty())
          parsed.error =
              icalproperty_get_xlicerror(icalcomponent_get_first_property(rule, ICAL_XLICERROR_PROPERTY));
        // libical expands every change of a zone up to the year asked for,
        // one by one: a minutely observance took over a minute (issue 11,
        // item 11). Real zones change at most a few times a year.
        for (icalproperty* recurrence = icalcomponent_get_first_property(rule, ICAL_RRULE_PROPERTY);
             recurrence != nullptr && parsed.error.empty();
             recurrence = icalcomponent_get_next_property(rule, ICAL_RRULE_PROPERTY)) {
          const icalrecurrencetype_frequency freq = icalproperty_get_rrule(recurrence).freq;
          if (freq == ICAL_YEARLY_RECURRENCE || freq == ICAL_MONTHLY_RECURRENCE) continue;
          const char* name = freq == ICAL_NO_RECURRENCE ? nullptr : icalrecur_freq_to_string(freq);
          parsed.error = std::string("a STANDARD or DAYLIGHT rule has ") +
                         (name != nullptr ? std::string("FREQ=") + name : std::string("no valid FREQ")) +
                         "; a zone's offset changes at most monthly (FREQ=YEARLY in every real zone)";
        }
      }
    }
    if (observances == 0 && parsed.error.empty()) parsed.error = "it has no STANDARD or DAYLIGHT rule";
    if (!parsed.tzid.empty()) m_vtimezones.push_back(std::move(parsed));
  }
}

std::optional<std::uint32_t> ZoneResolver::resolve(const std::string& tzid) {
  if (const auto found = m_by_tzid.find(tzid); found != m_by_tzid.end()) return found->second;

  std::optional<std::uint32_t> result;
  if (const Zone* iana = find_iana(tzid)) {
    result = add_iana(*iana);
  } else if (const Zone* windows = find_windows(tzid)) {
    result = add_iana(*windows);
  } else {
    if (!m_vtimezones_parsed) parse_vtimezones();
    // The first VTIMEZONE with this TZID wins, as in libical.
    const auto vtimezone = std::find_if(m_vtimezones.begin(), m_vtimezones.end(),
                                        [&](const Vtimezone& v) { return v.tzid == tzid; });
    if (vtimezone != m_vtimezones.end()) {
      if (const Zone* located = find_iana(vtimezone->location)) {
        result = add_iana(*located);
      } else {
        const SourceLocation where{m_path, vtimezone->line, 1};
        const std::string source_line(line_of(m_text, vtimezone->line));
        if (!vtimezone->error.empty())
          throw SourceError(where, "VTIMEZONE '" + excerpt(tzid) + "' cannot be used: " + vtimezone->error,
                            source_line);
        TimezonePtr zone = timezone_from(vtimezone->component);
        if (!zone)
          throw SourceError(where, "libical rejected VTIMEZONE '" + excerpt(tzid) + "'", source_line);
        result = add(std::make_unique<VtimezoneZone>(tzid, std::move(zone), std::string(vtimezone->text)));
      }
    } else if (const DisplayName* display = find_display_name(tzid)) {
      // The file's own VTIMEZONE would have won; without one, the name is
      // clear enough to read, and the reader is told.
      if (const Zone* zone = find_windows(std::string(display->windows_id))) {
        result = add_iana(*zone);
        m_guess = "TZID '" + excerpt(tzid) +
                  "' is a Windows display name without a VTIMEZONE: read as the "
                  "Windows zone '" +
                  std::string(display->windows_id) + "' (" + zone->name() + ")";
      }
    }
  }
  m_by_tzid.emplace(tzid, result);
  return result;
}

}  // namespace heinrich::ics
