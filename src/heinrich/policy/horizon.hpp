#pragma once
// Stale data must not pass silently (issue 10, item 6): a question about a
// time past a holiday calendar's verified horizon is answered, with a
// warning (code H113) that says which days may be missing.
#include <vector>

#include "heinrich/core/finding.hpp"
#include "heinrich/core/time.hpp"
#include "heinrich/policy/policy.hpp"

namespace heinrich {

// One warning per built-in holiday calendar of `policy` whose verified
// horizon ends before `asked` does.
std::vector<Finding> horizon_warnings(const Policy& policy, const Interval& asked);

// Everything an answer about `asked` should carry: what the policy's
// calendars were read with a guess (H114), then horizon_warnings.
std::vector<Finding> data_warnings(const Policy& policy, const Interval& asked);

}  // namespace heinrich
