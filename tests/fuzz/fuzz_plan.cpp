// libFuzzer target: any bytes as a CSV or TOML release plan must give a Plan
// or an InputError, never a crash, a hang or a sanitizer report; a plan is
// never longer than kMaxPlanReleases.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "heinrich/core/zone.hpp"
#include "heinrich/policy/plan.hpp"
#include "heinrich/util/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const heinrich::Zone& zone = heinrich::Zone::get("Asia/Seoul");
  for (const bool csv : {true, false}) {
    try {
      const heinrich::Plan plan = csv ? heinrich::parse_plan_csv(text, "fuzz.csv", zone)
                                      : heinrich::parse_plan_toml(text, "fuzz.toml", zone);
      if (plan.releases.size() > heinrich::kMaxPlanReleases) __builtin_trap();
    } catch (const heinrich::InputError&) {
    }
  }
  return 0;
}
