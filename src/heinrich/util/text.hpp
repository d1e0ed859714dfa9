#pragma once
// Small text helpers shared by every layer ("did you mean …").
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace heinrich {

std::size_t edit_distance(std::string_view a, std::string_view b);
// The candidate closest to `word`, if it is close enough to be a plausible
// misspelling; otherwise "".
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);
// Without leading and trailing spaces, tabs, carriage returns and newlines.
std::string_view trim(std::string_view text);
// ASCII case, whatever the C locale: keywords of RRULE, cron, ICS and our
// own output are ASCII, and a UTF-8 byte must never be changed.
constexpr char ascii_upper(char c) {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}
constexpr char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}
std::string to_lower(std::string_view text);
std::string to_upper(std::string_view text);
// Equal (iequals), or `prefix` starts `text` (istarts_with), ignoring ASCII
// case.
bool iequals(std::string_view a, std::string_view b);
bool istarts_with(std::string_view text, std::string_view prefix);

// Text from a policy, a calendar, a plan or a pusher made safe to print:
// control characters (C0, DEL, C1), the bidirectional and line-separator
// controls, and bytes that are not UTF-8 become visible escapes ("\n",
// "\x1b", "\u{202e}"). Without this a calendar entry could move the cursor,
// retitle a terminal or start a line that GitHub Actions runs as a workflow
// command. A backslash is kept as it is. The result is valid UTF-8.
std::string escape_control(std::string_view text);
// escape_control line by line, keeping the newlines: for messages of our
// own that are written on several lines.
std::string escape_control_lines(std::string_view text);
// escape_control, then cut to about `limit` characters with "…", for quoting
// input inside a message (a 1 MB time-zone name is not echoed in full).
std::string excerpt(std::string_view text, std::size_t limit = 80);
// The same characters each replaced by one '?', so that a caret counted in
// characters still lines up under a source line.
std::string replace_unprintable(std::string_view line);
// Whether escape_control would change `text`.
bool has_unprintable(std::string_view text);
// The byte offset just past the first `count` characters of `text` (a byte
// that is not UTF-8 counts as one character), or its size.
std::size_t offset_of_characters(std::string_view text, std::size_t count);
// The characters of `text`, counted as offset_of_characters counts them: the
// column just after `text` is character_count(text) + 1.
std::size_t character_count(std::string_view text);
// The byte offset of the first byte that is not part of valid UTF-8, or npos.
std::size_t invalid_utf8_offset(std::string_view text);

}  // namespace heinrich
