#include "heinrich/core/duration.hpp"

#include <cctype>
#include <limits>

#include "heinrich/util/error.hpp"
#include "heinrich/util/text.hpp"

namespace heinrich {

namespace {

constexpr std::int64_t kMaxSeconds = 3660LL * 86400;  // ten years is plenty for any window

std::int64_t unit_seconds(char unit) {
  switch (ascii_lower(unit)) {
    case 'w':
      return 7 * 86400;
    case 'd':
      return 86400;
    case 'h':
      return 3600;
    case 'm':
      return 60;
    case 's':
      return 1;
    default:
      return 0;
  }
}

[[noreturn]] void fail(std::string_view text, const std::string& why) {
  throw InputError("invalid duration '" + std::string(text) + "': " + why +
                   " (use e.g. 90m, 2h, 1h30m, 1d or PT1H30M)");
}

// The digits at `i`, which must be followed by a unit; `i` ends on the unit.
std::int64_t read_amount(std::string_view text, std::size_t& i) {
  std::int64_t value = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    value = value * 10 + (text[i] - '0');
    if (value > kMaxSeconds) fail(text, "too long");
    ++i;
  }
  if (i == text.size()) fail(text, "number without a unit");
  return value;
}

Seconds parse_iso(std::string_view text) {
  // P[nW][nD][T[nH][nM][nS]]
  std::int64_t total = 0;
  bool in_time = false;
  bool any = false;
  std::size_t i = 1;
  while (i < text.size()) {
    if (text[i] == 'T' || text[i] == 't') {
      if (in_time) fail(text, "repeated 'T'");
      in_time = true;
      ++i;
      continue;
    }
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) fail(text, "expected a number");
    const std::int64_t value = read_amount(text, i);
    const char unit = ascii_upper(text[i]);
    std::int64_t scale = 0;
    if (!in_time && unit == 'W')
      scale = 7 * 86400;
    else if (!in_time && unit == 'D')
      scale = 86400;
    else if (in_time && unit == 'H')
      scale = 3600;
    else if (in_time && unit == 'M')
      scale = 60;
    else if (in_time && unit == 'S')
      scale = 1;
    else
      fail(text, std::string("unexpected '") + text[i] + "' (years and months have no fixed length)");
    total += value * scale;
    if (total > kMaxSeconds) fail(text, "too long");
    any = true;
    ++i;
  }
  if (!any) fail(text, "no amount");
  return Seconds{total};
}

}  // namespace

Seconds parse_duration(std::string_view text) {
  if (text.empty()) fail(text, "empty");
  if (text[0] == 'P' || text[0] == 'p') return parse_iso(text);
  std::int64_t total = 0;
  std::int64_t last_scale = std::numeric_limits<std::int64_t>::max();
  std::size_t i = 0;
  while (i < text.size()) {
    if (!std::isdigit(static_cast<unsigned char>(text[i])))
      fail(text, std::string("unexpected '") + text[i] + "'");
    const std::int64_t value = read_amount(text, i);
    const std::int64_t scale = unit_seconds(text[i]);
    if (scale == 0) fail(text, std::string("unknown unit '") + text[i] + "'");
    if (scale >= last_scale) fail(text, "units must go from largest to smallest, each once");
    last_scale = scale;
    total += value * scale;
    if (total > kMaxSeconds) fail(text, "too long");
    ++i;
  }
  return Seconds{total};
}

std::string format_duration(Seconds duration) {
  auto remaining = duration.count();
  if (remaining == 0) return "0m";
  std::string out;
  if (remaining < 0) {
    out = "-";
    remaining = -remaining;
  }
  for (auto [scale, unit] : {std::pair{86400LL, 'd'}, {3600LL, 'h'}, {60LL, 'm'}, {1LL, 's'}}) {
    if (remaining >= scale) {
      out += std::to_string(remaining / scale) + unit;
      remaining %= scale;
    }
  }
  return out;
}

}  // namespace heinrich
