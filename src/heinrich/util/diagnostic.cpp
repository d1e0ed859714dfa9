#include "heinrich/util/diagnostic.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "heinrich/util/text.hpp"

namespace heinrich {

namespace {

// The characters before the caret: tabs are kept so the caret lines up.
std::string caret_padding(std::string_view shown, int column) {
  std::string pad;
  int seen = 1;
  for (std::size_t i = 0; i < shown.size() && seen < column;) {
    const auto c = static_cast<unsigned char>(shown[i]);
    pad += c == '\t' ? '\t' : ' ';
    std::size_t step = 1;
    if (c >= 0xc0) step = (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : 4;
    i += step;
    ++seen;
  }
  while (seen < column) {
    pad += ' ';
    ++seen;
  }
  return pad;
}

// A long source line is shown as a window around the column ("…" marks the
// cuts), so an error in a 4 MB line prints a line, not the 4 MB.
struct ShownLine {
  std::string text;
  int column;
  int underline;
};

ShownLine window_around(const std::string& line, int column, int underline) {
  constexpr std::size_t kBefore = 60;
  constexpr std::size_t kWidth = 160;
  const std::size_t index = column > 0 ? static_cast<std::size_t>(column - 1) : 0;
  const std::size_t first = index > kBefore ? index - kBefore : 0;
  const std::size_t from = offset_of_characters(line, first);
  const std::size_t to = from + offset_of_characters(std::string_view(line).substr(from), kWidth);
  if (from == 0 && to >= line.size()) return {line, column, underline};
  ShownLine shown{(from > 0 ? "…" : "") + line.substr(from, to - from) + (to < line.size() ? "…" : ""),
                  column - static_cast<int>(first) + (from > 0 ? 1 : 0), underline};
  const int room = static_cast<int>(kWidth) - (column - static_cast<int>(first)) + 1;
  shown.underline = std::max(1, std::min(underline, room));
  return shown;
}

}  // namespace

SourceError::SourceError(SourceLocation where, std::string message, std::string source_line, std::string hint,
                         int underline)
    : InputError(where.format() + ": " + message),
      m_where(std::move(where)),
      m_message(std::move(message)),
      m_source_line(std::move(source_line)),
      m_hint(std::move(hint)),
      m_underline(underline < 1 ? 1 : underline) {}

std::string SourceError::render() const {
  // The message quotes the input; the source line keeps one character per
  // character so that the caret still lines up.
  std::string out =
      fmt::format("{}: error: {}\n", escape_control(m_where.format()), escape_control(m_message));
  // A line that is not known (an error found after loading, about a rule)
  // is not shown as an empty one.
  if (m_where.line > 0 && !m_source_line.empty()) {
    const ShownLine shown = window_around(replace_unprintable(m_source_line), m_where.column, m_underline);
    const std::string gutter = fmt::format("{:>5} | ", m_where.line);
    out += gutter + shown.text + "\n";
    out += std::string(gutter.size() - 2, ' ') + "| " + caret_padding(shown.text, shown.column) + "^" +
           std::string(static_cast<std::size_t>(shown.underline - 1), '~') + "\n";
  }
  if (!m_hint.empty()) out += "note: " + escape_control(m_hint) + "\n";
  return out;
}

SourceErrors::SourceErrors(std::vector<SourceError> errors, std::size_t not_shown)
    : SourceError(errors.front()), m_errors(std::move(errors)), m_not_shown(not_shown) {}

std::string SourceErrors::render() const {
  std::string out;
  for (const SourceError& error : m_errors) out += error.render();
  if (m_not_shown > 0) out += not_shown_line(m_not_shown) + "\n";
  return out;
}

std::vector<SourceError> errors_of(const SourceError& error) {
  if (const auto* all = dynamic_cast<const SourceErrors*>(&error)) return all->errors();
  return {error};
}

std::string not_shown_line(std::size_t count) {
  return fmt::format("{} more error{} not shown", count, count == 1 ? "" : "s");
}

std::string_view line_of(std::string_view text, int line) {
  if (line < 1) return {};
  std::size_t start = 0;
  for (int current = 1; current < line; ++current) {
    const auto newline = text.find('\n', start);
    if (newline == std::string_view::npos) return {};
    start = newline + 1;
  }
  auto end = text.find('\n', start);
  if (end == std::string_view::npos) end = text.size();
  std::string_view result = text.substr(start, end - start);
  if (!result.empty() && result.back() == '\r') result.remove_suffix(1);
  if (line == 1 && result.substr(0, 3) == "\xEF\xBB\xBF") result.remove_prefix(3);  // byte-order mark
  return result;
}

}  // namespace heinrich
