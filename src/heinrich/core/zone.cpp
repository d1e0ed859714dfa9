#include "heinrich/core/zone.hpp"

#include <unicode/basictz.h>
#include <unicode/strenum.h>
#include <unicode/timezone.h>
#include <unicode/tzrule.h>
#include <unicode/tztrans.h>
#include <unicode/ucal.h>

#include <map>
#include <mutex>
#include <vector>

#include "heinrich/util/text.hpp"

namespace heinrich {

struct Zone::Impl {
  std::unique_ptr<icu::BasicTimeZone> zone;
};

namespace {

constexpr double kMsPerSecond = 1000.0;

UDate to_udate(std::int64_t seconds) {
  return static_cast<double>(seconds) * kMsPerSecond;
}

std::string to_utf8(const icu::UnicodeString& text) {
  std::string out;
  text.toUTF8String(out);
  return out;
}

}  // namespace

UnknownZoneError::UnknownZoneError(std::string_view name) : UnknownZoneError(name, Zone::suggest(name)) {}

UnknownZoneError::UnknownZoneError(std::string_view name, std::string suggestion)
    : InputError("unknown time zone '" + excerpt(name) + "'" +
                 (suggestion.empty() ? "" : "; did you mean '" + suggestion + "'?")),
      m_suggestion(std::move(suggestion)) {}

Zone::Zone(std::string name, std::unique_ptr<Impl> impl) : m_name(std::move(name)), m_impl(std::move(impl)) {}

Zone::~Zone() = default;

const Zone& Zone::get(std::string_view iana_name) {
  if (const Zone* zone = find(iana_name)) return *zone;
  throw UnknownZoneError(iana_name);
}

const Zone* Zone::find(std::string_view iana_name) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<Zone>, std::less<>> cache;
  std::lock_guard lock(mutex);
  if (auto found = cache.find(iana_name); found != cache.end()) return found->second.get();

  const auto id = icu::UnicodeString::fromUTF8(
      icu::StringPiece(iana_name.data(), static_cast<int32_t>(iana_name.size())));
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString canonical;
  UBool is_system_id = false;
  icu::TimeZone::getCanonicalID(id, canonical, is_system_id, status);
  if (U_FAILURE(status) || !is_system_id) return nullptr;

  std::unique_ptr<icu::TimeZone> zone(icu::TimeZone::createTimeZone(id));
  auto* basic = dynamic_cast<icu::BasicTimeZone*>(zone.get());
  if (basic == nullptr) return nullptr;
  zone.release();
  auto impl = std::make_unique<Impl>();
  impl->zone.reset(basic);
  auto [it, inserted] = cache.emplace(
      std::string(iana_name), std::unique_ptr<Zone>(new Zone(std::string(iana_name), std::move(impl))));
  return it->second.get();
}

const Zone& Zone::utc() {
  return get("UTC");
}

std::string Zone::suggest(std::string_view misspelt) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::StringEnumeration> ids(
      icu::TimeZone::createTimeZoneIDEnumeration(UCAL_ZONE_TYPE_CANONICAL, nullptr, nullptr, status));
  if (U_FAILURE(status) || !ids) return {};
  std::vector<std::string> names;
  while (const icu::UnicodeString* id = ids->snext(status)) {
    if (U_FAILURE(status)) break;
    names.push_back(to_utf8(*id));
  }
  // Case-only differences ("asia/seoul") are the commonest mistake.
  for (const auto& name : names)
    if (name.size() == misspelt.size() && to_lower(name) == to_lower(misspelt)) return name;
  return closest_match(misspelt, names);
}

Seconds Zone::offset_at(Instant instant) const {
  int32_t raw = 0;
  int32_t dst = 0;
  UErrorCode status = U_ZERO_ERROR;
  m_impl->zone->getOffset(to_udate(instant.time_since_epoch().count()), false, raw, dst, status);
  return Seconds{(raw + dst) / 1000};
}

LocalTime Zone::to_local(Instant instant) const {
  return LocalTime{instant.time_since_epoch() + offset_at(instant)};
}

LocalResolution Zone::resolve(LocalTime local) const {
  const auto local_seconds = local.time_since_epoch().count();
  auto offset_with = [&](UTimeZoneLocalOption option) {
    int32_t raw = 0;
    int32_t dst = 0;
    UErrorCode status = U_ZERO_ERROR;
    m_impl->zone->getOffsetFromLocal(to_udate(local_seconds), option, option, raw, dst, status);
    return Seconds{(raw + dst) / 1000};
  };
  const Seconds former = offset_with(UCAL_TZ_LOCAL_FORMER);
  const Seconds latter = offset_with(UCAL_TZ_LOCAL_LATTER);
  LocalResolution result;
  result.earlier = Instant{Seconds{local_seconds} - former};
  result.later = result.earlier;
  if (former == latter) return result;

  const Instant with_former = Instant{Seconds{local_seconds} - former};
  const Instant with_latter = Instant{Seconds{local_seconds} - latter};
  const bool both_valid = to_local(with_former) == local && to_local(with_latter) == local;
  result.kind = both_valid ? LocalKind::ambiguous : LocalKind::gap;
  result.earlier = both_valid ? std::min(with_former, with_latter) : with_former;
  result.later = both_valid ? std::max(with_former, with_latter) : with_former;

  // Locate the transition to describe the skipped or repeated wall-clock span.
  icu::TimeZoneTransition transition;
  const Instant search_from = std::min(with_former, with_latter) - hours(30);
  if (m_impl->zone->getNextTransition(to_udate(search_from.time_since_epoch().count()), false, transition)) {
    const auto at = Seconds{static_cast<std::int64_t>(transition.getTime() / kMsPerSecond)};
    const auto before = transition.getFrom()->getRawOffset() + transition.getFrom()->getDSTSavings();
    const auto after = transition.getTo()->getRawOffset() + transition.getTo()->getDSTSavings();
    const LocalTime at_before = LocalTime{at + Seconds{before / 1000}};
    const LocalTime at_after = LocalTime{at + Seconds{after / 1000}};
    result.transition_local_from = std::min(at_before, at_after);
    result.transition_local_to = std::max(at_before, at_after);
  }
  return result;
}

std::string Zone::format(Instant instant) const {
  const Seconds offset = offset_at(instant);
  return format_local(LocalTime{instant.time_since_epoch() + offset}) + format_offset(offset);
}

}  // namespace heinrich
