#include "heinrich/util/text.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>

#include <fmt/format.h>

namespace heinrich {

namespace {

// One decoded character: its code point and length in bytes; length 1 and
// valid false for a byte that does not start a well-formed UTF-8 sequence
// (overlong forms, surrogates and values past U+10FFFF included).
struct Decoded {
  char32_t code = 0;
  std::size_t length = 1;
  bool valid = false;
};

Decoded decode_at(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
  const unsigned char first = byte(0);
  if (first < 0x80) return {first, 1, true};
  std::size_t length = 0;
  char32_t code = 0;
  char32_t smallest = 0;
  if ((first & 0xe0) == 0xc0) {
    length = 2, code = first & 0x1f, smallest = 0x80;
  } else if ((first & 0xf0) == 0xe0) {
    length = 3, code = first & 0x0f, smallest = 0x800;
  } else if ((first & 0xf8) == 0xf0) {
    length = 4, code = first & 0x07, smallest = 0x10000;
  } else {
    return {};
  }
  if (i + length > text.size()) return {};
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(k) & 0xc0) != 0x80) return {};
    code = (code << 6) | (byte(k) & 0x3f);
  }
  if (code < smallest || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return {};
  return {code, length, true};
}

bool unprintable(char32_t code) {
  return code < 0x20 || code == 0x7f || (code >= 0x80 && code <= 0x9f) ||  // C0, DEL, C1
         code == 0x061c || code == 0x200e || code == 0x200f ||             // bidirectional marks
         (code >= 0x2028 && code <= 0x202e) ||                             // separators, embeddings
         (code >= 0x2066 && code <= 0x2069);                               // isolates
}

}  // namespace

std::string escape_control(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const Decoded d = decode_at(text, i);
    if (!d.valid) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(text[i]));
    } else if (!unprintable(d.code)) {
      out.append(text.substr(i, d.length));
    } else if (d.code == '\n') {
      out += "\\n";
    } else if (d.code == '\r') {
      out += "\\r";
    } else if (d.code == '\t') {
      out += "\\t";
    } else if (d.code < 0x80) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned>(d.code));
    } else {
      out += fmt::format("\\u{{{:04x}}}", static_cast<std::uint32_t>(d.code));
    }
    i += d.length;
  }
  return out;
}

std::string escape_control_lines(std::string_view text) {
  std::string out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = text.find('\n', start);
    out += escape_control(
        text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return out;
    out += '\n';
    start = end + 1;
  }
}

std::size_t offset_of_characters(std::string_view text, std::size_t count) {
  std::size_t offset = 0;
  for (std::size_t seen = 0; offset < text.size() && seen < count; ++seen)
    offset += decode_at(text, offset).length;
  return offset;
}

std::size_t character_count(std::string_view text) {
  std::size_t count = 0;
  for (std::size_t offset = 0; offset < text.size(); ++count) offset += decode_at(text, offset).length;
  return count;
}

std::string excerpt(std::string_view text, std::size_t limit) {
  // Cut before escaping, at a character boundary, so the work is bounded too.
  const std::size_t cut = offset_of_characters(text, limit);
  std::string out = escape_control(text.substr(0, cut));
  if (cut < text.size()) out += "…";
  return out;
}

std::string replace_unprintable(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  for (std::size_t i = 0; i < line.size();) {
    const Decoded d = decode_at(line, i);
    if (d.valid && (d.code == '\t' || !unprintable(d.code)))
      out.append(line.substr(i, d.length));
    else
      out += '?';
    i += d.length;
  }
  return out;
}

bool has_unprintable(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const Decoded d = decode_at(text, i);
    if (!d.valid || unprintable(d.code)) return true;
    i += d.length;
  }
  return false;
}

std::size_t invalid_utf8_offset(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const Decoded d = decode_at(text, i);
    if (!d.valid) return i;
    i += d.length;
  }
  return std::string_view::npos;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Optimal-string-alignment distance: a transposition counts as one edit,
  // which is the commonest typo in keys ("buffer_befroe").
  const std::size_t n = a.size();
  const std::size_t m = b.size();
  std::vector<std::size_t> prev2(m + 1), prev(m + 1), cur(m + 1);
  for (std::size_t j = 0; j <= m; ++j) prev[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= m; ++j) {
      const char ca = ascii_lower(a[i - 1]);
      const char cb = ascii_lower(b[j - 1]);
      const std::size_t cost = ca == cb ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
    }
    prev2.swap(prev);
    prev.swap(cur);
  }
  return prev[m];
}

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  // Hostile input (a 10 MB `timezone` value) must not buy quadratic work:
  // no name people type is this long, and a candidate whose length differs
  // by more than the allowed distance cannot be within it.
  constexpr std::size_t kLongestWord = 256;
  if (word.size() > kLongestWord) return {};
  auto allowed_for = [&](std::size_t other) {
    return std::max<std::size_t>(1, std::max(word.size(), other) / 3);
  };
  std::string best;
  std::size_t best_distance = std::string::npos;
  for (const auto& candidate : candidates) {
    const std::size_t gap =
        candidate.size() > word.size() ? candidate.size() - word.size() : word.size() - candidate.size();
    if (gap > allowed_for(candidate.size())) continue;
    const std::size_t d = edit_distance(word, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best_distance <= allowed_for(best.size()) ? best : std::string{};
}

std::string_view trim(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const std::size_t last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

std::string to_lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = ascii_lower(c);
  return out;
}

std::string to_upper(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = ascii_upper(c);
  return out;
}

bool istarts_with(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (ascii_upper(text[i]) != ascii_upper(prefix[i])) return false;
  return true;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && istarts_with(a, b);
}

}  // namespace heinrich
