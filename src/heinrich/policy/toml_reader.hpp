#pragma once
// Reading TOML with positions: every accessor checks the type and range of a
// value and fails with a SourceError that points at it. Shared by the policy
// loader, the holiday rule files and release plans.
#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "heinrich/core/day_span.hpp"
#include "heinrich/core/duration.hpp"
#include "heinrich/core/time_parse.hpp"
#include "heinrich/util/diagnostic.hpp"
#include "heinrich/util/text.hpp"

namespace heinrich {

using KeyList = std::vector<std::string>;

inline std::string_view type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a number";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    default:
      return "nothing";
  }
}

// The width of the token `at` covers (toml++ regions end just past the
// token, in characters), so the caret line marks all of it; 1 for a region
// that spans lines or has no end.
inline int token_width(const toml::source_region& at) {
  if (at.end.line != at.begin.line || at.end.column <= at.begin.column) return 1;
  return static_cast<int>(at.end.column - at.begin.column);
}

class TomlReader {
 public:
  TomlReader(std::string_view text, std::string path) : m_text(text), m_path(std::move(path)) {}

  // No line of a policy or holiday file is this long; and toml++ recurses
  // once per dotted key part (a 100 KB "[a.a.a…]" header overflowed its
  // stack), so an unquoted dot is allowed only so many times on a line.
  static constexpr std::size_t kMaxLineBytes = 8192;
  static constexpr std::size_t kMaxDotsPerLine = 128;

  toml::table parse() const {
    check_utf8();
    check_lines();
    try {
      return toml::parse(m_text, m_path);
    } catch (const toml::parse_error& error) {
      fail_with_parse_error(error);
    }
  }

  void check_lines() const {
    int line = 1;
    std::size_t start = 0;
    while (start <= m_text.size()) {
      std::size_t end = m_text.find('\n', start);
      if (end == std::string_view::npos) end = m_text.size();
      const std::string_view text = m_text.substr(start, end - start);
      if (text.size() > kMaxLineBytes)
        throw PolicyError(SourceLocation{m_path, line, 1},
                          fmt::format("line {} is {} bytes long; at most {} are allowed", line, text.size(),
                                      kMaxLineBytes));
      std::size_t dots = 0;
      char quote = 0;
      for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quote != 0) {
          if (c == '\\' && quote == '"')
            ++i;
          else if (c == quote)
            quote = 0;
        } else if (c == '"' || c == '\'') {
          quote = c;
        } else if (c == '#') {
          break;
        } else if (c == '.' && ++dots > kMaxDotsPerLine) {
          throw PolicyError(SourceLocation{m_path, line, static_cast<int>(i) + 1},
                            fmt::format("more than {} dots outside strings on one line (a key of that many "
                                        "dotted parts is not a policy)",
                                        kMaxDotsPerLine),
                            std::string(text.substr(0, std::min<std::size_t>(text.size(), 200))));
        }
      }
      ++line;
      start = end + 1;
    }
  }

  // toml++ stops one character early on bad UTF-8; finding it ourselves puts
  // the caret on the offending byte and names it. It is the one UTF-8 check
  // (util/text), so overlong forms and surrogates are refused here as
  // everywhere else.
  void check_utf8() const {
    const std::size_t bad = invalid_utf8_offset(m_text);
    if (bad == std::string_view::npos) return;
    const std::size_t newline = bad == 0 ? std::string_view::npos : m_text.rfind('\n', bad - 1);
    const std::size_t first = newline == std::string_view::npos ? 0 : newline + 1;
    const auto before = m_text.substr(0, first);
    const int line = static_cast<int>(std::count(before.begin(), before.end(), '\n')) + 1;
    // Columns count characters; a leading byte-order mark is not a column.
    std::size_t from = first;
    if (first == 0 && m_text.substr(0, 3) == "\xEF\xBB\xBF" && bad >= 3) from = 3;
    const int column = static_cast<int>(character_count(m_text.substr(from, bad - from))) + 1;
    throw PolicyError(SourceLocation{m_path, line, column},
                      fmt::format("invalid utf-8 sequence (byte 0x{:02X}); a policy must be UTF-8 text",
                                  static_cast<unsigned char>(m_text[bad])),
                      std::string(line_of(m_text, line)));
  }

  // toml++ reports some errors just past the offending text; move the caret
  // to where a person would look.
  [[noreturn]] void fail_with_parse_error(const toml::parse_error& error) const {
    const std::string description(error.description());
    toml::source_region region = error.source();
    const std::string_view line = line_of(m_text, static_cast<int>(region.begin.line));
    const auto index = static_cast<std::size_t>(region.begin.column) - 1;  // ASCII in these cases
    auto is_word = [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '+' || c == '.';
    };
    const bool value_error = description.find("while parsing date") != std::string::npos ||
                             description.find("while parsing time") != std::string::npos ||
                             description.find("integer") != std::string::npos ||
                             description.find("floating-point") != std::string::npos;
    if (value_error && index <= line.size() && index > 0 && is_word(line[index - 1])) {
      std::size_t start = index;
      while (start > 0 && is_word(line[start - 1])) --start;
      region.begin.column = static_cast<toml::source_index>(start + 1);
    } else if (description.find("cannot redefine existing") != std::string::npos) {
      const auto key = line.find_first_not_of(" \t");
      if (key != std::string_view::npos) region.begin.column = static_cast<toml::source_index>(key + 1);
    } else if (description.find("while parsing string") != std::string::npos && index >= line.size()) {
      const auto equals = line.find('=');
      const auto quote = line.find_first_of("\"'", equals == std::string_view::npos ? 0 : equals);
      if (quote != std::string_view::npos) {
        region.begin.column = static_cast<toml::source_index>(quote + 1);
        fail(region, "unterminated string: the string opened here does not end on this line",
             "close it with the same quote; multi-line strings use three quotes");
      }
    }
    fail(region, description);
  }

  [[nodiscard]] SourceLocation location(const toml::source_region& at) const {
    return SourceLocation{m_path, static_cast<int>(at.begin.line), static_cast<int>(at.begin.column)};
  }

  [[nodiscard]] PolicyError error_at(const toml::source_region& at, const std::string& message,
                                     const std::string& hint = {}) const {
    const auto where = location(at);
    return PolicyError(where, message, std::string(line_of(m_text, where.line)), hint, token_width(at));
  }

  [[noreturn]] void fail(const toml::source_region& at, const std::string& message,
                         const std::string& hint = {}) const {
    throw error_at(at, message, hint);
  }

  // Every unknown key of the table, not only the first: a misspelt key is
  // the commonest mistake, and each is independent of the others. At most
  // kMaxKeyErrors are spelt out (a hostile table may hold many thousands);
  // the rest are counted.
  static constexpr std::size_t kMaxKeyErrors = 50;

  void check_keys(const toml::table& table, const KeyList& known, std::string_view where) const {
    std::vector<std::pair<const toml::key*, const toml::node*>> unknown;
    for (auto&& [key, node] : table)
      if (std::find(known.begin(), known.end(), key.str()) == known.end()) unknown.emplace_back(&key, &node);
    if (unknown.empty()) return;
    // toml++ keeps a table's keys sorted; report them as they stand.
    auto region_of = [](const auto& entry) -> const toml::source_region& {
      return entry.first->source().begin.line ? entry.first->source() : entry.second->source();
    };
    std::stable_sort(unknown.begin(), unknown.end(), [&](const auto& a, const auto& b) {
      const auto& x = region_of(a).begin;
      const auto& y = region_of(b).begin;
      return x.line != y.line ? x.line < y.line : x.column < y.column;
    });
    std::vector<SourceError> errors;
    for (std::size_t i = 0; i < unknown.size() && i < kMaxKeyErrors; ++i) {
      const std::string_view name = unknown[i].first->str();
      const std::string suggestion = closest_match(name, known);
      std::string hint;
      if (suggestion.empty()) {
        hint = "known keys here: ";
        for (std::size_t k = 0; k < known.size(); ++k) hint += (k ? ", " : "") + known[k];
      }
      errors.push_back(error_at(region_of(unknown[i]),
                                "unknown key '" + std::string(name) + "' in " + std::string(where) +
                                    (suggestion.empty() ? "" : "; did you mean '" + suggestion + "'?"),
                                hint));
    }
    if (unknown.size() == 1) throw errors.front();
    throw SourceErrors(std::move(errors), unknown.size() - std::min(unknown.size(), kMaxKeyErrors));
  }

  const toml::table* table_at(const toml::table& parent, std::string_view key) const {
    const toml::node* node = parent.get(key);
    if (node == nullptr) return nullptr;
    if (const auto* table = node->as_table()) return table;
    fail(node->source(), "'" + std::string(key) + "' must be a table, not " + std::string(type_name(*node)));
  }

  const toml::node* expect(const toml::table& table, std::string_view key, toml::node_type type,
                           std::string_view what) const {
    const toml::node* node = table.get(key);
    if (node == nullptr) return nullptr;
    if (node->type() != type)
      fail(node->source(), "'" + std::string(key) + "' must be " + std::string(what) + ", not " +
                               std::string(type_name(*node)));
    return node;
  }

  // A name is printed in reasons, hooks and calendars: it may not carry a
  // control character. `what` says whose name it is ("[[window]]").
  void check_printable_name(const toml::table& table, const std::string& name, std::string_view what) const {
    if (has_unprintable(name))
      fail(table.get("name")->source(),
           std::string(what) + " name '" + excerpt(name) + "' contains a control character",
           "a name is printed in reasons, hooks and calendars; write it without control characters");
  }

  // TOML's own dates reach the years 0 to 9999; heinrich answers for fewer.
  void check_year(const toml::node& node, std::string_view key, int year) const {
    try {
      check_supported_year(year, "'" + std::string(key) + "'");
    } catch (const InputError& error) {
      fail(node.source(), error.what());
    }
  }

  std::optional<std::string> string_at(const toml::table& table, std::string_view key) const {
    const auto* node = expect(table, key, toml::node_type::string, "a string");
    if (node == nullptr) return std::nullopt;
    return node->as_string()->get();
  }

  std::optional<long long> integer_at(const toml::table& table, std::string_view key, long long min,
                                      long long max) const {
    const toml::node* node = table.get(key);
    if (node == nullptr) return std::nullopt;
    if (!node->is_integer())
      fail(node->source(), "'" + std::string(key) + "' must be an integer from " + std::to_string(min) +
                               " to " + std::to_string(max) + ", not " + std::string(type_name(*node)));
    const long long value = node->as_integer()->get();
    if (value < min || value > max)
      fail(node->source(), "'" + std::string(key) + "' = " + std::to_string(value) + " is out of range " +
                               std::to_string(min) + "-" + std::to_string(max));
    return value;
  }

  std::optional<bool> bool_at(const toml::table& table, std::string_view key) const {
    const auto* node = expect(table, key, toml::node_type::boolean, "true or false");
    if (node == nullptr) return std::nullopt;
    return node->as_boolean()->get();
  }

  std::optional<Seconds> duration_at(const toml::table& table, std::string_view key) const {
    const auto* node = expect(table, key, toml::node_type::string, "a duration string such as \"2h\"");
    if (node == nullptr) return std::nullopt;
    try {
      return parse_duration(node->as_string()->get());
    } catch (const InputError& error) {
      fail(node->source(), "'" + std::string(key) + "': " + error.what());
    }
  }

  std::vector<std::string> strings_at(const toml::table& table, std::string_view key) const {
    std::vector<std::string> out;
    const auto* node = expect(table, key, toml::node_type::array, "an array of strings");
    if (node == nullptr) return out;
    for (const toml::node& element : *node->as_array()) {
      if (!element.is_string())
        fail(element.source(),
             "'" + std::string(key) + "' must hold strings, not " + std::string(type_name(element)));
      const std::string& text = element.as_string()->get();
      if (text.empty()) fail(element.source(), "'" + std::string(key) + "' holds an empty string");
      out.push_back(text);
    }
    return out;
  }

  WeekdaySet days_at(const toml::table& table, std::string_view key = "days") const {
    WeekdaySet days{};
    const toml::node* node = table.get(key);
    if (node == nullptr) return days;
    const auto names = strings_at(table, key);
    const auto* array = node->as_array();
    if (names.empty())
      fail(node->source(), "'" + std::string(key) + "' is empty; leave it out to mean every day");
    for (std::size_t i = 0; i < names.size(); ++i) {
      const std::string& name = names[i];
      const auto dash = name.find('-');
      const int first = parse_weekday(name.substr(0, dash));
      const int last = dash == std::string::npos ? first : parse_weekday(name.substr(dash + 1));
      if (first < 0 || last < 0)
        fail((*array)[i].source(), "'" + name + "' is not a weekday",
             "use mon, tue, wed, thu, fri, sat, sun or a range such as mon-fri");
      for (int day = first;; day = (day + 1) % 7) {
        days[static_cast<std::size_t>(day)] = true;
        if (day == last) break;
      }
    }
    return days;
  }

  // Puts the caret on the character inside a string value that is wrong.
  [[noreturn]] void fail_in_string(const toml::node& node, std::size_t offset,
                                   const std::string& message) const {
    fail(inside_string(node, offset), message);
  }

  // The region of character `offset` inside a string value on one line: a
  // parser of the string's own syntax (cron, RRULE) knows only that column.
  static toml::source_region inside_string(const toml::node& node, std::size_t offset) {
    toml::source_region region = node.source();
    if (region.begin.line == region.end.line) {
      region.begin.column += static_cast<toml::source_index>(offset + 1);
      region.end = region.begin;
      ++region.end.column;
    }
    return region;
  }

  [[nodiscard]] const std::string& path() const { return m_path; }

 protected:
  std::string_view m_text;
  std::string m_path;
};

}  // namespace heinrich
