#include "heinrich/util/glob.hpp"

#include <cstddef>
#include <vector>

namespace heinrich {

namespace {

std::vector<std::string_view> split(std::string_view text) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '/') {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

// Length of the UTF-8 sequence that starts with `lead`, so `?` takes one
// character of "ü", not one byte.
std::size_t sequence_length(unsigned char lead) {
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

// Matches `[...]` at pattern[p] against the byte c; sets `end` past the `]`.
// A `[` without its `]` is a literal.
bool match_class(std::string_view pattern, std::size_t p, unsigned char c, std::size_t& end, bool& valid) {
  std::size_t i = p + 1;
  bool negate = false;
  if (i < pattern.size() && (pattern[i] == '!' || pattern[i] == '^')) {
    negate = true;
    ++i;
  }
  bool found = false;
  bool first = true;
  while (i < pattern.size() && (first || pattern[i] != ']')) {
    first = false;
    unsigned char low = static_cast<unsigned char>(pattern[i]);
    if (low == '\\' && i + 1 < pattern.size()) low = static_cast<unsigned char>(pattern[++i]);
    unsigned char high = low;
    if (i + 2 < pattern.size() && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
      high = static_cast<unsigned char>(pattern[i + 2]);
      i += 2;
    }
    if (low <= c && c <= high) found = true;
    ++i;
  }
  valid = i < pattern.size();
  end = i + 1;
  return found != negate;
}

// One segment, no `/` on either side: classic wildcard matching where a later
// `*` forgets the backtracking point of an earlier one, so it stays linear.
bool match_segment(std::string_view pattern, std::string_view text) {
  std::size_t p = 0;
  std::size_t t = 0;
  std::size_t star_p = std::string_view::npos;
  std::size_t star_t = 0;
  while (t < text.size()) {
    if (p < pattern.size()) {
      const char token = pattern[p];
      if (token == '*') {
        while (p < pattern.size() && pattern[p] == '*') ++p;
        star_p = p;
        star_t = t;
        continue;
      }
      if (token == '?') {
        ++p;
        t += sequence_length(static_cast<unsigned char>(text[t]));
        continue;
      }
      if (token == '[') {
        std::size_t end = 0;
        bool valid = false;
        const bool hit = match_class(pattern, p, static_cast<unsigned char>(text[t]), end, valid);
        if (valid) {
          if (hit) {
            p = end;
            ++t;
            continue;
          }
        } else if (text[t] == '[') {
          ++p;
          ++t;
          continue;
        }
      } else {
        char literal = token;
        std::size_t width = 1;
        if (token == '\\' && p + 1 < pattern.size()) {
          literal = pattern[p + 1];
          width = 2;
        }
        if (literal == text[t]) {
          p += width;
          ++t;
          continue;
        }
      }
    }
    if (star_p == std::string_view::npos) return false;
    p = star_p;
    t = ++star_t;
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view path) {
  const auto parts = split(pattern);
  const auto segments = split(path);
  // reachable[j]: the pattern parts so far can consume exactly the first j segments.
  std::vector<char> reachable(segments.size() + 1, 0);
  reachable[0] = 1;
  for (const std::string_view part : parts) {
    std::vector<char> next(segments.size() + 1, 0);
    if (part == "**") {
      bool any = false;
      for (std::size_t j = 0; j <= segments.size(); ++j) {
        any = any || reachable[j] != 0;
        next[j] = any ? 1 : 0;
      }
    } else {
      for (std::size_t j = 0; j < segments.size(); ++j)
        if (reachable[j] && match_segment(part, segments[j])) next[j + 1] = 1;
    }
    reachable.swap(next);
  }
  return reachable[segments.size()] != 0;
}

}  // namespace heinrich
