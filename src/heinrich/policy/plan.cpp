#include "heinrich/policy/plan.hpp"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "heinrich/calendar/ics.hpp"
#include "heinrich/core/duration.hpp"
#include "heinrich/core/time_parse.hpp"
#include "heinrich/policy/toml_reader.hpp"
#include "heinrich/util/diagnostic.hpp"
#include "heinrich/util/file_io.hpp"
#include "heinrich/util/text.hpp"

namespace heinrich {

namespace {

struct ParsedStart {
  Instant instant;
  std::vector<std::string> notes;
};

// An absolute release start: ISO-8601 with an offset, or a local date-time
// read in `zone`. "now" and relative times mean nothing in a plan.
ParsedStart parse_start(std::string_view text, const Zone& zone) {
  const auto civil = parse_civil(text);
  if (!civil)
    throw InputError("'" + std::string(text) +
                     "' is not a date-time (use e.g. 2026-12-24T18:00 or 2026-12-24T18:00+09:00)");
  if (civil->offset) return {Instant{civil->local.time_since_epoch() - *civil->offset}, {}};
  ResolvedTime resolved = resolve_strict(civil->local, zone);
  return {resolved.instant, std::move(resolved.notes)};
}

Seconds parse_release_duration(std::string_view text) {
  const Seconds value = parse_duration(text);
  if (value <= Seconds{0}) throw InputError("a release duration must be longer than zero");
  return value;
}

struct CsvField {
  std::string text;
  int column = 1;  // 1-based, in characters, where the field starts
};

// One CSV record on one physical line. Quoted fields may hold commas and
// doubled quotes; a line break inside quotes is refused (plans are one
// release per line, and positions stay simple).
std::vector<CsvField> split_csv_line(std::string_view line, const std::string& path, int line_number) {
  std::vector<CsvField> fields;
  std::size_t i = 0;
  int column = 1;
  auto advance = [&](std::size_t count) {
    for (std::size_t k = 0; k < count; ++k, ++i)
      if ((static_cast<unsigned char>(line[i]) & 0xc0) != 0x80) ++column;
  };
  while (true) {
    CsvField field;
    field.column = column;
    if (i < line.size() && line[i] == '"') {
      advance(1);
      while (true) {
        if (i >= line.size())
          throw SourceError(SourceLocation{path, line_number, field.column},
                            "unterminated quoted field: the quote opened here does not close on this line",
                            std::string(line), "close it with '\"'; write a quote inside a field as '\"\"'");
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            field.text += '"';
            advance(2);
            continue;
          }
          advance(1);
          break;
        }
        field.text += line[i];
        advance(1);
      }
      if (i < line.size() && line[i] != ',')
        throw SourceError(SourceLocation{path, line_number, column}, "expected ',' after a quoted field",
                          std::string(line));
    } else {
      const std::size_t comma = line.find(',', i);
      const std::size_t end = comma == std::string_view::npos ? line.size() : comma;
      field.text = std::string(line.substr(i, end - i));
      advance(end - i);
    }
    fields.push_back(std::move(field));
    if (i >= line.size()) break;
    advance(1);  // the comma
  }
  return fields;
}

}  // namespace

Plan parse_plan_csv(std::string_view text, const std::string& path, const Zone& zone) {
  Plan plan{path, "csv", {}};
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  static const std::vector<std::string> kColumns{"service", "environment", "start", "duration"};
  std::vector<int> index_of(kColumns.size(), -1);  // column name -> field index
  bool have_header = false;
  std::size_t header_size = 0;
  int line_number = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const std::size_t newline = text.find('\n', pos);
    std::string_view line =
        text.substr(pos, newline == std::string_view::npos ? std::string_view::npos : newline - pos);
    pos = newline == std::string_view::npos ? text.size() + 1 : newline + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (trim(line).empty() || line.front() == '#') continue;
    // TOML and ICS are UTF-8 by definition; a CSV plan is held to the same,
    // so that every report (JSON, SARIF, JUnit XML) can carry its text.
    if (const std::size_t bad = invalid_utf8_offset(line); bad != std::string_view::npos) {
      const int column = static_cast<int>(character_count(line.substr(0, bad))) + 1;
      throw SourceError(
          SourceLocation{path, line_number, column},
          "invalid UTF-8 (byte 0x" + fmt::format("{:02x}", static_cast<unsigned char>(line[bad])) + ")",
          std::string(line), "save the plan as UTF-8");
    }
    const auto fields = split_csv_line(line, path, line_number);
    auto fail = [&](const CsvField& field, const std::string& message, const std::string& hint = {}) {
      throw SourceError(SourceLocation{path, line_number, field.column}, message, std::string(line), hint,
                        static_cast<int>(std::max<std::size_t>(1, field.text.size())));
    };
    if (!have_header) {
      for (std::size_t f = 0; f < fields.size(); ++f) {
        const std::string name = to_lower(trim(fields[f].text));
        const auto known = std::find(kColumns.begin(), kColumns.end(), name);
        if (known == kColumns.end()) {
          const std::string match = closest_match(name, kColumns);
          fail(fields[f],
               "unknown column '" + name + "' in the plan header" +
                   (match.empty() ? "" : "; did you mean '" + match + "'?"),
               "the columns are service, environment, start, duration");
        }
        auto& slot = index_of[static_cast<std::size_t>(known - kColumns.begin())];
        if (slot >= 0) fail(fields[f], "column '" + name + "' appears twice in the plan header");
        slot = static_cast<int>(f);
      }
      for (const char* required : {"service", "start"}) {
        const auto k = static_cast<std::size_t>(std::find(kColumns.begin(), kColumns.end(), required) -
                                                kColumns.begin());
        if (index_of[k] < 0)
          throw SourceError(SourceLocation{path, line_number, 1},
                            std::string("the plan header has no '") + required + "' column",
                            std::string(line),
                            "the first line names the columns: service,environment,start,duration");
      }
      have_header = true;
      header_size = fields.size();
      continue;
    }
    if (fields.size() != header_size) {
      const CsvField& at = fields.size() > header_size ? fields[header_size] : fields.back();
      fail(at, fmt::format("this release has {} field(s), the header {}", fields.size(), header_size),
           "one release per line: service,environment,start,duration as the header orders them");
    }
    auto field = [&](const char* name) -> const CsvField* {
      const auto k =
          static_cast<std::size_t>(std::find(kColumns.begin(), kColumns.end(), name) - kColumns.begin());
      const int at = index_of[k];
      return at >= 0 && static_cast<std::size_t>(at) < fields.size() ? &fields[static_cast<std::size_t>(at)]
                                                                     : nullptr;
    };
    PlannedRelease release;
    release.where = SourceLocation{path, line_number, 1};
    const CsvField* service = field("service");
    release.service = escape_control(trim(service->text));
    if (release.service.empty()) fail(*service, "a release needs a service name");
    if (const CsvField* env = field("environment"); env && !trim(env->text).empty())
      release.environment = std::string(trim(env->text));
    const CsvField* start = field("start");
    try {
      auto parsed = parse_start(trim(start->text), zone);
      release.start = parsed.instant;
      release.notes = std::move(parsed.notes);
    } catch (const InputError& error) {
      fail(*start, std::string("start: ") + error.what());
    }
    if (const CsvField* duration = field("duration"); duration && !trim(duration->text).empty()) {
      try {
        release.duration = parse_release_duration(trim(duration->text));
      } catch (const InputError& error) {
        fail(*duration, std::string("duration: ") + error.what());
      }
    }
    if (plan.releases.size() == kMaxPlanReleases)
      fail(*service, fmt::format("a plan lists at most {} releases; split it", kMaxPlanReleases));
    plan.releases.push_back(std::move(release));
  }
  if (!have_header)
    throw SourceError(SourceLocation{path, 0, 0},
                      "the plan is empty: expected a header line such as "
                      "service,environment,start,duration");
  return plan;
}

namespace {

const KeyList kPlanTopKeys{"version", "timezone", "release"};
const KeyList kReleaseKeys{"service", "environment", "start", "duration", "description"};

class PlanReader : private TomlReader {
 public:
  PlanReader(std::string_view text, std::string path) : TomlReader(text, std::move(path)) {}

  Plan read(const Zone& default_zone) {
    const toml::table root = parse();
    check_keys(root, kPlanTopKeys, "the plan");
    (void)integer_at(root, "version", 1, 1);  // optional; only 1 exists
    const Zone* zone = &default_zone;
    if (auto name = string_at(root, "timezone")) {
      try {
        zone = &Zone::get(*name);
      } catch (const UnknownZoneError& error) {
        fail(root.get("timezone")->source(), error.what());
      }
    }
    Plan plan{m_path, "toml", {}};
    const toml::node* releases = root.get("release");
    if (releases == nullptr) return plan;
    if (!releases->is_array_of_tables())
      fail(releases->source(), "'release' must be written as [[release]] tables");
    for (const toml::node& element : *releases->as_array()) {
      const toml::table& table = *element.as_table();
      check_keys(table, kReleaseKeys, "[[release]]");
      PlannedRelease release;
      release.where = location(table.source());
      const auto service = string_at(table, "service");
      if (!service || service->empty()) fail(table.source(), "[[release]] needs a non-empty 'service'");
      release.service = escape_control(*service);
      if (auto env = string_at(table, "environment"); env && !env->empty()) release.environment = *env;
      const toml::node* start = table.get("start");
      if (start == nullptr) fail(table.source(), "[[release]] '" + release.service + "' needs a 'start'");
      try {
        auto parsed = start_of(*start, *zone);
        release.start = parsed.instant;
        release.notes = std::move(parsed.notes);
      } catch (const SourceError&) {
        throw;
      } catch (const InputError& error) {
        fail(start->source(), std::string("'start': ") + error.what());
      }
      if (auto duration = duration_at(table, "duration")) {
        if (*duration <= Seconds{0})
          fail(table.get("duration")->source(), "'duration' must be longer than zero");
        release.duration = *duration;
      }
      if (plan.releases.size() == kMaxPlanReleases)
        fail(table.source(), fmt::format("a plan lists at most {} releases; split it", kMaxPlanReleases));
      plan.releases.push_back(std::move(release));
    }
    return plan;
  }

 private:
  ParsedStart start_of(const toml::node& node, const Zone& zone) const {
    if (const auto* value = node.as_date_time()) {
      const toml::date_time& dt = value->get();
      check_year(node, "start", dt.date.year);
      const LocalTime local =
          make_local(dt.date.year, dt.date.month, dt.date.day, dt.time.hour, dt.time.minute, dt.time.second);
      if (dt.offset) return {Instant{local.time_since_epoch() - minutes(dt.offset->minutes)}, {}};
      ResolvedTime resolved = resolve_strict(local, zone);
      return {resolved.instant, std::move(resolved.notes)};
    }
    if (const auto* text = node.as_string()) return parse_start(text->get(), zone);
    fail(node.source(),
         "'start' must be a date-time such as 2026-12-24T18:00:00, not " + std::string(type_name(node)));
  }
};

std::string read_file(const std::string& path) {
  std::string why;
  auto text = read_whole_file(path, why);
  if (!text) throw InputError("cannot read plan '" + path + "': " + why);
  return std::move(*text);
}

}  // namespace

Plan parse_plan_toml(std::string_view text, const std::string& path, const Zone& zone) {
  return PlanReader(text, path).read(zone);
}

Plan plan_from_events(const std::vector<Occurrence>& events, const std::string& path, const Interval& range) {
  Plan plan{path, "ics", {}};
  for (const Occurrence& event : events) {
    if (event.span.start < range.start || event.span.start >= range.end) continue;
    PlannedRelease release;
    std::string summary(trim(event.label));
    // "[prod] payments 2.3": a leading bracket names the environment.
    if (summary.size() > 2 && summary.front() == '[') {
      const auto close = summary.find(']');
      if (close != std::string::npos && close > 1) {
        release.environment = std::string(trim(std::string_view(summary).substr(1, close - 1)));
        summary = std::string(trim(std::string_view(summary).substr(close + 1)));
      }
    }
    release.service = summary.empty() ? std::string("(untitled)") : summary;  // escaped by the ICS loader
    release.start = event.span.start;
    if (event.span.end > event.span.start) release.duration = event.span.end - event.span.start;
    release.where = SourceLocation{path, 0, 0};
    plan.releases.push_back(std::move(release));
  }
  std::stable_sort(plan.releases.begin(), plan.releases.end(),
                   [](const PlannedRelease& a, const PlannedRelease& b) { return a.start < b.start; });
  return plan;
}

Plan load_plan_file(const std::string& path, const Zone& zone, const Interval& ics_range) {
  const std::string extension = to_lower(std::filesystem::path(path).extension().string());
  if (extension == ".ics") {
    const auto calendar = IcsCalendar::load_file(path, zone);
    std::vector<Occurrence> events;
    // Asked a month at a time, so a minutely event stops at the cap rather
    // than after a year of instances.
    const bool all = for_each_occurrence(*calendar, ics_range, [&](Occurrence&& event) {
      if (event.span.start >= ics_range.start) events.push_back(std::move(event));
      return events.size() <= kMaxPlanReleases;
    });
    if (!all)
      throw InputError(
          fmt::format("plan '{}' has more than {} releases from {} to {}; split it or ask for a "
                      "shorter range with --from/--to",
                      path, kMaxPlanReleases, format_utc(ics_range.start), format_utc(ics_range.end)));
    return plan_from_events(events, path, ics_range);
  }
  if (extension != ".csv" && extension != ".toml")
    throw InputError("cannot tell the format of plan '" + path + "': name it .csv, .toml or .ics");
  const std::string text = read_file(path);
  return extension == ".csv" ? parse_plan_csv(text, path, zone) : parse_plan_toml(text, path, zone);
}

}  // namespace heinrich
