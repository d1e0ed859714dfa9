#include "heinrich/calendar/ics_scan.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <optional>
#include <utility>

#include "heinrich/util/diagnostic.hpp"
#include "heinrich/util/text.hpp"

namespace heinrich::ics {

namespace {

// libical frees components recursively: a hostile file must not nest deeply.
constexpr std::size_t kMaxDepth = 32;
constexpr std::size_t kMaxParsedLineBytes = 64 * 1024;

struct PropName {
  std::string_view name;
  Prop prop;
};

constexpr std::array kProps{
    PropName{"DTSTART", Prop::dtstart},       PropName{"DTEND", Prop::dtend},
    PropName{"DURATION", Prop::duration},     PropName{"RRULE", Prop::rrule},
    PropName{"EXRULE", Prop::exrule},         PropName{"RDATE", Prop::rdate},
    PropName{"EXDATE", Prop::exdate},         PropName{"RECURRENCE-ID", Prop::recurrence_id},
    PropName{"STATUS", Prop::status},         PropName{"SUMMARY", Prop::summary},
    PropName{"CATEGORIES", Prop::categories}, PropName{"UID", Prop::uid},
    PropName{"SEQUENCE", Prop::sequence},     PropName{"X-HEINRICH-RISK", Prop::risk},
};

std::optional<Prop> classify(std::string_view name) {
  for (const auto& candidate : kProps)
    if (iequals(name, candidate.name)) return candidate.prop;
  return std::nullopt;
}

// Components that RFC 5545 allows only directly inside VCALENDAR.
bool is_top_level(std::string_view component) {
  for (std::string_view name : {"VEVENT", "VTODO", "VJOURNAL", "VFREEBUSY", "VTIMEZONE", "VAVAILABILITY"})
    if (component == name) return true;
  return false;
}

struct BadByte {
  int column;
  std::string what;
};

// RFC 5545 3.1: text is UTF-8 without control characters other than HTAB.
// The column counts characters, as the caret in diagnostics does.
std::optional<BadByte> check_bytes(std::string_view line) {
  const std::size_t bad = invalid_utf8_offset(line);
  const std::string_view valid = line.substr(0, bad);
  for (std::size_t i = 0; i < valid.size(); ++i) {
    const auto c = static_cast<unsigned char>(valid[i]);
    if ((c < 0x20 && c != '\t') || c == 0x7f) {
      char code[8];
      std::snprintf(code, sizeof code, "0x%02x", c);
      std::string what = c == 0 ? "NUL byte: this is binary data, not an iCalendar text file"
                                : std::string("control character ") + code + " (binary data?)";
      if (c == '\r') what += "; lines must end in CRLF or LF";
      return BadByte{static_cast<int>(character_count(valid.substr(0, i))) + 1, what};
    }
  }
  if (bad == std::string_view::npos) return std::nullopt;
  return BadByte{static_cast<int>(character_count(valid)) + 1,
                 "invalid UTF-8 (RFC 5545 3.1.4: iCalendar text is UTF-8)"};
}

class Scanner {
 public:
  Scanner(std::string_view text, const std::string& path) : m_text(text), m_path(path) {}

  Scan run() {
    std::size_t pos = 0;
    if (m_text.substr(0, 3) == "\xEF\xBB\xBF") pos = 3;  // byte-order mark
    std::string unfolded;
    while (pos < m_text.size()) {
      const std::size_t begin = pos;
      const int first_line = m_line + 1;
      std::string_view logical = next_physical(pos);
      if (pos < m_text.size() && (m_text[pos] == ' ' || m_text[pos] == '\t')) {
        unfolded.assign(logical);
        while (pos < m_text.size() && (m_text[pos] == ' ' || m_text[pos] == '\t'))
          unfolded.append(next_physical(pos).substr(1));
        logical = unfolded;
      }
      handle(logical, first_line, begin, pos);
    }
    if (!m_stack.empty()) {
      const Open& open = m_stack.back();
      fail(open.line,
           "BEGIN:" + open.name + " is never closed (the file ends at line " + std::to_string(m_line) + ")",
           "add END:" + open.name);
    }
    if (!m_seen_calendar)
      fail(1, "empty file: an iCalendar file starts with BEGIN:VCALENDAR",
           "a calendar without events is BEGIN:VCALENDAR, VERSION:2.0, PRODID:..., END:VCALENDAR");
    return std::move(m_scan);
  }

 private:
  struct Open {
    std::string name;
    int line;
    std::size_t begin;
  };

  [[noreturn]] void fail(int line, const std::string& message, const std::string& hint = {},
                         int column = 1) const {
    throw SourceError(SourceLocation{m_path, line, column}, message, std::string(line_of(m_text, line)),
                      hint);
  }

  // One physical line without its line ending; checks its bytes.
  std::string_view next_physical(std::size_t& pos) {
    const std::size_t newline = m_text.find('\n', pos);
    const std::size_t stop = newline == std::string_view::npos ? m_text.size() : newline;
    std::string_view line = m_text.substr(pos, stop - pos);
    pos = newline == std::string_view::npos ? m_text.size() : newline + 1;
    ++m_line;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (auto bad = check_bytes(line)) fail(m_line, bad->what, {}, bad->column);
    return line;
  }

  void handle(std::string_view logical, int line, std::size_t begin, std::size_t end) {
    if (logical.empty()) return;  // blank lines are not RFC 5545 but are common; libical skips them too
    const std::size_t name_end = logical.find_first_of(";:");
    if (name_end == std::string_view::npos || logical.find(':') == std::string_view::npos)
      fail(line, "not an iCalendar content line: expected NAME:value");
    const std::string_view name = logical.substr(0, name_end);
    if (name.empty()) fail(line, "not an iCalendar content line: the property name is missing");
    for (std::size_t i = 0; i < name.size(); ++i) {
      const char c = name[i];
      const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
      if (!ok)
        fail(line, "invalid character in property name '" + excerpt(name) + "'", {}, static_cast<int>(i) + 1);
    }

    if (iequals(name, "BEGIN")) return begin_component(to_upper(trim(value_of(logical))), line, begin);
    if (iequals(name, "END")) return end_component(to_upper(trim(value_of(logical))), line, end);

    if (m_stack.empty())
      fail(line,
           m_seen_calendar ? "text after END:VCALENDAR"
                           : "expected BEGIN:VCALENDAR, found '" + excerpt(name) + "'",
           m_seen_calendar ? "" : "an iCalendar file starts with BEGIN:VCALENDAR");
    const bool in_timezone = std::any_of(m_stack.begin(), m_stack.end(),
                                         [](const Open& open) { return open.name == "VTIMEZONE"; });
    const auto prop = m_stack.size() == 2 && m_stack.back().name == "VEVENT" ? classify(name) : std::nullopt;
    // libical reads a content line in time that grows with its length (a
    // 4 MB SUMMARY took seconds): the lines it is given are capped. Skipped
    // properties (DESCRIPTION, ATTACH) never reach it and may be long.
    if ((prop || in_timezone) && logical.size() > kMaxParsedLineBytes)
      fail(line, "the " + excerpt(name, 40) + " line is " + std::to_string(logical.size()) +
                     " bytes long unfolded; at most " + std::to_string(kMaxParsedLineBytes) + " are read");
    if (prop) m_scan.lines.push_back({*prop, line, begin, end});
  }

  void begin_component(const std::string& component, int line, std::size_t begin) {
    if (component.empty()) fail(line, "BEGIN without a component name");
    if (m_stack.empty() && component != "VCALENDAR")
      fail(line, "expected BEGIN:VCALENDAR, found BEGIN:" + component,
           "an iCalendar file starts with BEGIN:VCALENDAR");
    const bool misplaced =
        !m_stack.empty() && (component == "VCALENDAR" || (is_top_level(component) && m_stack.size() != 1));
    if (misplaced) {
      const Open& open = m_stack.back();
      fail(open.line,
           "BEGIN:" + open.name + " is never closed: BEGIN:" + component + " at line " +
               std::to_string(line) + " comes first",
           "add END:" + open.name + " before line " + std::to_string(line));
    }
    // A misspelt BEGIN:VEVENT would otherwise drop the event without a word.
    if (m_stack.size() == 1 && !is_top_level(component) && component != "VPOLL" &&
        component.rfind("X-", 0) != 0)
      fail(line, "unknown component BEGIN:" + component,
           "a calendar holds VEVENT, VTODO, VJOURNAL, VFREEBUSY, VTIMEZONE, VAVAILABILITY or X- components");
    if (m_stack.size() >= kMaxDepth)
      fail(line, "components nested more than " + std::to_string(kMaxDepth) + " deep");
    if (component == "VCALENDAR") m_seen_calendar = true;
    if (m_stack.size() == 1 && component == "VEVENT")
      m_scan.events.push_back({line, m_scan.lines.size(), m_scan.lines.size()});
    m_stack.push_back({component, line, begin});
  }

  void end_component(const std::string& component, int line, std::size_t end) {
    if (m_stack.empty()) fail(line, "END:" + component + " without a matching BEGIN:" + component);
    const Open& open = m_stack.back();
    if (open.name != component) {
      const bool closes_outer = std::any_of(m_stack.begin(), m_stack.end(),
                                            [&](const Open& outer) { return outer.name == component; });
      if (closes_outer)
        fail(open.line,
             "BEGIN:" + open.name + " is never closed: END:" + component + " at line " +
                 std::to_string(line) + " comes first",
             "add END:" + open.name + " before line " + std::to_string(line));
      fail(line, "END:" + component + " does not match BEGIN:" + open.name + " at line " +
                     std::to_string(open.line));
    }
    if (m_stack.size() == 2 && component == "VEVENT") m_scan.events.back().last_line = m_scan.lines.size();
    if (m_stack.size() == 2 && component == "VTIMEZONE")
      m_scan.timezones.push_back({open.line, open.begin, end});
    m_stack.pop_back();
  }

  std::string_view m_text;
  const std::string& m_path;
  int m_line = 0;
  bool m_seen_calendar = false;
  std::vector<Open> m_stack;
  Scan m_scan;
};

}  // namespace

Scan scan(std::string_view text, const std::string& path) {
  return Scanner(text, path).run();
}

std::string unfold(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\r' && i + 1 < raw.size() && raw[i + 1] == '\n') continue;
    if (raw[i] == '\n') {
      if (i + 1 < raw.size() && (raw[i + 1] == ' ' || raw[i + 1] == '\t')) ++i;  // drop the fold's space
      continue;
    }
    out += raw[i];
  }
  if (!out.empty() && out.back() == '\r') out.pop_back();
  return out;
}

std::string_view value_of(std::string_view unfolded) {
  bool quoted = false;
  for (std::size_t i = 0; i < unfolded.size(); ++i) {
    if (unfolded[i] == '"') quoted = !quoted;
    if (unfolded[i] == ':' && !quoted) return unfolded.substr(i + 1);
  }
  return {};
}

}  // namespace heinrich::ics
