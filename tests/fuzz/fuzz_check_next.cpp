// libFuzzer target: (policy, request) through check and next. The input is
// the policy; a hash of it picks the request (when, how long, watched how
// long, which environment). Besides never crashing or hanging,
// the two answers must agree: every start `next` proposes is allowed by
// `check` at that instant, and `check` allows nothing before the first one.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "heinrich/core/evaluator.hpp"
#include "heinrich/policy/policy.hpp"
#include "heinrich/util/error.hpp"

namespace {

// The request comes from a hash of the whole input, so every byte is policy
// text (seed policies parse as they are) and any mutation moves the request.
std::uint64_t fnv1a(std::string_view bytes) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (const char c : bytes) hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  return hash;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace heinrich;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const std::uint64_t hash = fnv1a(bytes);
  const auto when = static_cast<std::uint32_t>(hash);
  const auto lengths = static_cast<std::uint32_t>(hash >> 32U);
  const auto choice = static_cast<std::uint32_t>(hash >> 48U);
  try {
    const Policy policy = parse_policy(bytes, "fuzz.toml");
    // 2026 to 2036, on the minute; up to a day of deploy and of watch.
    const Instant at{std::chrono::seconds{1'767'225'600 + static_cast<std::int64_t>(when % 5'256'000) * 60}};
    const Seconds duration = minutes(lengths % 1441);
    const Seconds watch = minutes((lengths >> 16U) % 1441);
    std::optional<std::string> environment;
    if (!policy.environments.names.empty() && choice % 2 == 1)
      environment = policy.environments.names[(choice / 2) % policy.environments.names.size()];
    NextRequest next{at, duration, watch, environment, days(7), 3};
    const auto windows = find_safe_windows(policy.rules, next);
    for (const SafeWindow& window : windows)
      if (evaluate(policy.rules, Request{window.start, duration, watch, environment}).decision !=
          Decision::allow)
        __builtin_trap();
    // Nothing on the minute grid before the first proposal (or in the whole
    // week, without one) is allowed.
    const Instant first = windows.empty() ? at + days(7) : windows.front().start;
    int probes = 0;
    for (Instant t = at; t < first && probes < 200; t += minutes(37), ++probes)
      if (evaluate(policy.rules, Request{t, duration, watch, environment}).decision == Decision::allow)
        __builtin_trap();
  } catch (const InputError&) {
  }
  return 0;
}
