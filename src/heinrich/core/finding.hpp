#pragma once
// A finding of `heinrich audit` (a policy mistake, a risky planned release):
// what every audit renderer, text or CI-native, reads.
#include <string>
#include <string_view>

#include "heinrich/core/rule.hpp"

namespace heinrich {

// Errors fail an audit; warnings fail it only with --strict; notes never do.
enum class Severity { error, warning, note };

inline std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::error:
      return "error";
    case Severity::warning:
      return "warning";
    case Severity::note:
      return "note";
  }
  return "?";
}

struct Finding {
  std::string code;  // "H102"
  Severity severity = Severity::error;
  SourceLocation where;
  std::string message;
  std::string hint;         // how to fix it
  std::string source_line;  // the line at `where`, for the caret display
  std::string rule;         // the policy rule it is about; "" if none
  int underline = 1;        // characters of source_line the caret line marks, from where.column
};

}  // namespace heinrich
