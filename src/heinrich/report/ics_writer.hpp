#pragma once
// RFC 5545 output shared by every ICS export (`events`, `calendar`): line
// folding, TEXT escaping and UTC date-times, written once.
#include <string>
#include <string_view>

#include "heinrich/core/time.hpp"

namespace heinrich {

// RFC 5545 3.3.11: backslash, semicolon, comma and newlines escaped.
std::string ics_text(std::string_view text);
// RFC 5545 3.3.5 UTC form: "20261224T090000Z".
std::string ics_utc(Instant instant);

// Builds a calendar line by line; every line is folded at 75 octets (never
// inside a UTF-8 sequence) and ends in CRLF.
class IcsWriter {
 public:
  // BEGIN:VCALENDAR, VERSION, PRODID ("-//heinrich//heinrich events//EN"),
  // CALSCALE and, if not empty, X-WR-CALNAME.
  IcsWriter(std::string_view prodid, std::string_view calendar_name);
  // A raw content line, already escaped: "SUMMARY:" + ics_text(name).
  void line(std::string_view content);
  // NAME:VALUE with VALUE escaped as TEXT.
  void text(std::string_view name, std::string_view value);
  // END:VCALENDAR and the whole calendar.
  std::string finish();

 private:
  std::string m_out;
};

}  // namespace heinrich
