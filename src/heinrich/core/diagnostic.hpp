#pragma once
// Positioned errors in input files (policies, calendars): "file:line:col:
// error: …", the line, and a caret under the offending text.
#include <string>
#include <string_view>

#include "heinrich/core/error.hpp"
#include "heinrich/core/rule.hpp"

namespace heinrich {

class SourceError : public InputError {
 public:
  SourceError(SourceLocation where, std::string message, std::string source_line = {}, std::string hint = {},
              int underline = 1);

  [[nodiscard]] const SourceLocation& where() const { return m_where; }
  [[nodiscard]] const std::string& message() const { return m_message; }
  [[nodiscard]] const std::string& hint() const { return m_hint; }
  // The whole diagnostic, ready for stderr, ending in a newline.
  [[nodiscard]] std::string render() const;

 private:
  SourceLocation m_where;
  std::string m_message;
  std::string m_source_line;
  std::string m_hint;
  int m_underline;
};

// Policy files are where most of these come from.
using PolicyError = SourceError;

// Line `line` (1-based) of `text`, without its line ending; "" if absent.
std::string_view line_of(std::string_view text, int line);

}  // namespace heinrich
