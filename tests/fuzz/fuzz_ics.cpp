// libFuzzer target: any bytes as an ICS calendar must load or fail with a
// SourceError/InputError, and a loaded one must expand without crashing.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "heinrich/calendar/ics.hpp"
#include "heinrich/util/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto calendar = heinrich::IcsCalendar::parse(text, "fuzz.ics", heinrich::Zone::get("Asia/Seoul"));
    std::vector<heinrich::Occurrence> found;
    const auto from = heinrich::Instant{std::chrono::seconds{1'750'000'000}};
    calendar->occurrences(heinrich::Interval{from, from + heinrich::days(30)}, found);
  } catch (const heinrich::InputError&) {
  }
  return 0;
}
