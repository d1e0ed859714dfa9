#include "heinrich/report/ics_writer.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "heinrich/util/text.hpp"

namespace heinrich {

std::string ics_text(std::string_view text) {
  // TEXT may carry no control character but HTAB (RFC 5545 3.1): newlines
  // become "\n", every other control the visible escape_control form.
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view piece = text.substr(start, end - start);
    if (!piece.empty() && piece.back() == '\r') piece.remove_suffix(1);
    if (start > 0) out += "\\n";
    for (char c : escape_control(piece)) {
      if (c == '\\' || c == ';' || c == ',') out += '\\';
      out += c;
    }
    start = end + 1;
  }
  return out;
}

std::string ics_utc(Instant instant) {
  const auto day = std::chrono::floor<std::chrono::days>(instant);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{instant - day};
  return fmt::format("{:04}{:02}{:02}T{:02}{:02}{:02}Z", int(ymd.year()), unsigned(ymd.month()),
                     unsigned(ymd.day()), hms.hours().count(), hms.minutes().count(), hms.seconds().count());
}

IcsWriter::IcsWriter(std::string_view prodid, std::string_view calendar_name) {
  line("BEGIN:VCALENDAR");
  line("VERSION:2.0");
  line("PRODID:" + std::string(prodid));
  line("CALSCALE:GREGORIAN");
  if (!calendar_name.empty()) text("X-WR-CALNAME", calendar_name);
}

// RFC 5545 3.1: lines longer than 75 octets are folded, never inside a
// UTF-8 sequence.
void IcsWriter::line(std::string_view content) {
  std::size_t width = 0;  // octets on the current physical line
  for (std::size_t i = 0; i < content.size();) {
    const auto c = static_cast<unsigned char>(content[i]);
    std::size_t length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : 4;
    length = std::min(length, content.size() - i);
    if (width + length > 75) {
      m_out += "\r\n ";
      width = 1;  // the leading space counts
    }
    m_out.append(content, i, length);
    width += length;
    i += length;
  }
  m_out += "\r\n";
}

void IcsWriter::text(std::string_view name, std::string_view value) {
  line(std::string(name) + ":" + ics_text(value));
}

std::string IcsWriter::finish() {
  line("END:VCALENDAR");
  return std::move(m_out);
}

}  // namespace heinrich
