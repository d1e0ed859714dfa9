#pragma once
// `heinrich audit --plan FILE`: every planned release assessed like `check`,
// with the next safe start for each blocked one.
#include <optional>
#include <string>

#include "heinrich/policy/plan.hpp"
#include "heinrich/policy/policy.hpp"
#include "heinrich/report/audit_report.hpp"

namespace heinrich::cli {

// A release without an environment gets `environment` (nullopt: every rule
// applies); without a duration, the policy's. Rows keep the plan's order.
PlanReport audit_plan(const Policy& policy, const Plan& plan, const std::optional<std::string>& environment,
                      Seconds search = days(90));

}  // namespace heinrich::cli
