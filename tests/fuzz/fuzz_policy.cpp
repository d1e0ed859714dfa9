// libFuzzer target: any bytes as a policy must give a Policy or a
// SourceError/InputError, never a crash, a hang or a sanitizer report.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "heinrich/core/evaluator.hpp"
#include "heinrich/policy/policy.hpp"
#include "heinrich/util/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const heinrich::Policy policy = heinrich::parse_policy(text, "fuzz.toml");
    // Evaluate once so schedules built from odd input are exercised too.
    const auto at = heinrich::Instant{std::chrono::seconds{1'790'000'000}};
    (void)heinrich::evaluate(policy.rules,
                             heinrich::Request{at, heinrich::minutes(30), heinrich::hours(2), {}});
  } catch (const heinrich::InputError&) {
  }
  return 0;
}
