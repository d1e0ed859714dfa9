#include "heinrich/core/diagnostic.hpp"

#include <fmt/format.h>

#include "heinrich/core/text.hpp"

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
  if (m_where.line > 0) {
    const std::string shown = replace_unprintable(m_source_line);
    const std::string gutter = fmt::format("{:>5} | ", m_where.line);
    out += gutter + shown + "\n";
    out += std::string(gutter.size() - 2, ' ') + "| " + caret_padding(shown, m_where.column) + "^" +
           std::string(static_cast<std::size_t>(m_underline - 1), '~') + "\n";
  }
  if (!m_hint.empty()) out += "note: " + escape_control(m_hint) + "\n";
  return out;
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
