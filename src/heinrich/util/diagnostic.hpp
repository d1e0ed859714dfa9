#pragma once
// Positioned errors in input files (policies, calendars): "file:line:col:
// error: …", the line, and a caret under the offending text.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "heinrich/util/error.hpp"
#include "heinrich/util/source_location.hpp"

namespace heinrich {

class SourceError : public InputError {
 public:
  SourceError(SourceLocation where, std::string message, std::string source_line = {}, std::string hint = {},
              int underline = 1);

  [[nodiscard]] const SourceLocation& where() const { return m_where; }
  [[nodiscard]] const std::string& message() const { return m_message; }
  [[nodiscard]] const std::string& hint() const { return m_hint; }
  [[nodiscard]] const std::string& source_line() const { return m_source_line; }
  // How many characters the caret line marks: the whole offending token.
  [[nodiscard]] int underline() const { return m_underline; }
  // The whole diagnostic, ready for stderr, ending in a newline.
  [[nodiscard]] virtual std::string render() const;

 private:
  SourceLocation m_where;
  std::string m_message;
  std::string m_source_line;
  std::string m_hint;
  int m_underline;
};

// Policy files are where most of these come from.
using PolicyError = SourceError;

// Every error found in one pass over an input file, in file order, as a
// compiler reports them. It is itself the first error, so a caller that
// handles one SourceError still sees a positioned one; render() shows all.
class SourceErrors : public SourceError {
 public:
  // `errors` is not empty; `not_shown` counts those past a cap.
  SourceErrors(std::vector<SourceError> errors, std::size_t not_shown);

  [[nodiscard]] const std::vector<SourceError>& errors() const { return m_errors; }
  [[nodiscard]] std::size_t not_shown() const { return m_not_shown; }
  [[nodiscard]] std::string render() const override;

 private:
  std::vector<SourceError> m_errors;
  std::size_t m_not_shown;
};

// The errors `error` stands for: all of a SourceErrors, else itself.
std::vector<SourceError> errors_of(const SourceError& error);

// "3 more errors not shown": the line that ends a capped list.
std::string not_shown_line(std::size_t count);

// Line `line` (1-based) of `text`, without its line ending; "" if absent.
std::string_view line_of(std::string_view text, int line);

}  // namespace heinrich
