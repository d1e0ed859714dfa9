#pragma once
// Policy lint (`heinrich audit --policy FILE`): the mistakes that make a
// policy say something its author did not mean, found before they bite.
#include <string>
#include <string_view>
#include <vector>

#include "heinrich/core/finding.hpp"
#include "heinrich/policy/policy.hpp"
#include "heinrich/util/diagnostic.hpp"

namespace heinrich {

// One kind of mistake. Codes are stable: CI configurations and SARIF
// consumers key on them.
struct LintCheck {
  std::string_view code;     // "H101"
  std::string_view name;     // "cron-never-fires"
  Severity severity;         // the usual severity; a finding may differ
  std::string_view summary;  // one line, for SARIF rule descriptions and the README
};

// H100-H115, in code order.
const std::vector<LintCheck>& lint_checks();
const LintCheck* find_lint_check(std::string_view code);

struct LintOptions {
  Instant now;
  Seconds horizon = days(365);      // "no events in the next 12 months", overlap search
  Seconds allow_search = days(30);  // "`next` finds nothing within 30 days"
};

// Lints `policy`, which was loaded from `text` with LoadMode::lenient (its
// recorded problems become findings too). Findings are sorted by position.
std::vector<Finding> lint_policy(const Policy& policy, std::string_view text, const LintOptions& options);

// A policy that does not load at all (syntax, types, unknown keys) is an
// H100 finding for each of its errors (a PolicyErrors holds them all, and
// the problems lenient loading recorded before, with their own codes);
// `text` is the file, for the source lines.
std::vector<Finding> unloadable_policy(const SourceError& error, std::string_view text);

}  // namespace heinrich
