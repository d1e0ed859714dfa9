#include "heinrich/policy/starter.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <set>

#include "heinrich/util/error.hpp"
#include "heinrich/util/text.hpp"

namespace heinrich {

namespace {

constexpr std::string_view kHeadsPrefix = "refs/heads/";
constexpr std::string_view kRemotesPrefix = "refs/remotes/";
constexpr std::string_view kTagsPrefix = "refs/tags/";

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// Branch names, local and remote-tracking (a fresh clone has only main
// locally; its release branches are origin's), and tag names.
struct RefNames {
  std::set<std::string> branches;
  std::set<std::string> tags;
};

RefNames split_refs(const std::vector<std::string>& names) {
  RefNames out;
  for (const std::string& name : names) {
    const std::string_view ref(name);
    if (starts_with(ref, kHeadsPrefix)) {
      out.branches.emplace(ref.substr(kHeadsPrefix.size()));
    } else if (starts_with(ref, kRemotesPrefix)) {
      const std::string_view rest = ref.substr(kRemotesPrefix.size());
      const std::size_t slash = rest.find('/');
      if (slash == std::string_view::npos) continue;
      const std::string_view branch = rest.substr(slash + 1);
      if (branch != "HEAD" && !branch.empty()) out.branches.emplace(branch);
    } else if (starts_with(ref, kTagsPrefix)) {
      out.tags.emplace(ref.substr(kTagsPrefix.size()));
    }
  }
  return out;
}

std::string quoted(std::string_view name) {
  return "'" + escape_control(name) + "'";
}

struct Country {
  std::string_view code;
  std::string_view timezone;
  std::string_view calendar_name;
  std::string_view builtin;
  std::string_view holidays_comment;
};

constexpr Country kCountries[] = {
    {"kr", "Asia/Seoul", "kr-holidays", "kr-public-holidays",
     "Korean public holidays, computed from the law's rules: Seollal, Chuseok and Buddha's\n"
     "# Birthday (lunar, via ICU), substitute days and election days (policies/holidays/kr-*.toml)."},
    {"us", "America/New_York", "us-holidays", "us-federal-holidays",
     "US federal holidays (5 U.S.C. 6103), computed from their rules: nth-weekday holidays,\n"
     "# Saturday ones observed on Friday, Sunday ones on Monday "
     "(policies/holidays/us-federal-holidays.toml)."},
};

const Country& country_named(std::string_view code) {
  for (const Country& country : kCountries)
    if (country.code == code) return country;
  throw InputError("unknown country '" + excerpt(code) + "' (known: kr, us)");
}

std::string string_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i == 0 ? "" : ", ") + toml_string(items[i]);
  return out + "]";
}

// The aliases CI systems and people commonly use for an environment, minus
// any name the starter already uses (`--environments prod,production`).
std::vector<std::string> aliases_of(const std::string& name, const std::vector<std::string>& names) {
  std::vector<std::string> candidates;
  if (name == "prod") candidates = {"production", "prd"};
  if (name == "staging") candidates = {"stage", "stg"};
  if (name == "dev") candidates = {"development"};
  std::vector<std::string> out;
  for (const std::string& alias : candidates)
    if (std::find(names.begin(), names.end(), alias) == names.end()) out.push_back(alias);
  return out;
}

}  // namespace

std::string default_timezone(std::string_view country) {
  return std::string(country_named(country).timezone);
}

std::optional<int> default_payday(std::string_view country) {
  if (country_named(country).code == "kr") return 25;
  return std::nullopt;
}

std::optional<int> parse_payday(std::string_view text) {
  if (text == "none") return std::nullopt;
  int day = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, error] = std::from_chars(text.data(), end, day);
  if (text.empty() || error != std::errc() || ptr != end || day == 0 || day < -1 || day > 31)
    throw InputError("--payday must be a day of the month, 1 to 31, -1 for the last day, or none; not '" +
                     excerpt(text) + "'");
  return day;
}

std::vector<std::string> parse_environments(std::string_view text) {
  std::vector<std::string> names;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    const std::string_view name = text.substr(start, comma == std::string_view::npos ? comma : comma - start);
    const std::string shown = "--environments: environment " + quoted(excerpt(name, 40));
    if (name.empty())
      throw InputError("--environments: an empty environment name in '" + excerpt(text) +
                       "'; give names separated by commas, e.g. prod,staging");
    if (has_unprintable(name)) throw InputError(shown + " contains a control character or is not UTF-8");
    if (trim(name).size() != name.size())
      throw InputError(shown + " starts or ends with a blank; write it without");
    if (name.size() > kMaxEnvironmentName)
      throw InputError(fmt::format("{} is longer than {} bytes", shown, kMaxEnvironmentName));
    if (std::find(names.begin(), names.end(), name) != names.end())
      throw InputError(shown + " is given twice");
    names.emplace_back(name);
    if (names.size() > kMaxEnvironments)
      throw InputError(fmt::format("--environments: more than {} environments", kMaxEnvironments));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return names;
}

std::vector<PushGuess> guess_push_map(const RepositoryRefs& refs,
                                      const std::vector<std::string>& environments) {
  std::vector<PushGuess> out;
  if (environments.empty()) return out;
  const std::string& production = environments.front();
  if (!refs.in_repository) {
    out.push_back({"refs/heads/main", production, "no git repository here: the common convention"});
    return out;
  }
  const RefNames names = split_refs(refs.names);
  auto add = [&](const std::string& pattern, const std::string& environment, const std::string& because) {
    const bool known =
        std::any_of(out.begin(), out.end(), [&](const auto& g) { return g.pattern == pattern; });
    if (!known) out.push_back({pattern, environment, because});
  };
  // Both when both exist: a gate that misses the branch that deploys is
  // worse than one that also watches a stale one.
  for (const char* branch : {"main", "master"})
    if (names.branches.count(branch) != 0)
      add(std::string(kHeadsPrefix) + branch, production, "branch " + quoted(branch) + " exists");
  if (out.empty() && refs.head_branch)
    add(std::string(kHeadsPrefix) + *refs.head_branch, production,
        "HEAD names branch " + quoted(*refs.head_branch) + " (there is no main or master)");

  const auto release = std::count_if(names.branches.begin(), names.branches.end(),
                                     [](const std::string& b) { return starts_with(b, "release/"); });
  if (release > 0) add("refs/heads/release/*", production, fmt::format("{} release/* branch(es)", release));
  const auto versions = std::count_if(names.tags.begin(), names.tags.end(), [](const std::string& t) {
    return t.size() > 1 && t[0] == 'v' && t[1] >= '0' && t[1] <= '9';
  });
  if (versions > 0) add("refs/tags/v*", production, fmt::format("{} version tag(s) like v1.2.3", versions));

  for (std::size_t i = 1; i < environments.size(); ++i) {
    const std::string& environment = environments[i];
    if (names.branches.count(environment) != 0)
      add(std::string(kHeadsPrefix) + environment, environment,
          "branch " + quoted(environment) + " is named like the environment");
    const bool staging = environment == "staging" || environment == "stage" || environment == "stg";
    if (staging && names.branches.count("develop") != 0)
      add("refs/heads/develop", environment, "branch 'develop' usually deploys to staging");
  }
  return out;
}

std::string toml_string(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20 || byte == 0x7f) {
      out += fmt::format("\\u{:04X}", static_cast<unsigned>(byte));
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string toml_key(std::string_view key) {
  const bool bare = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
  return bare ? std::string(key) : toml_string(key);
}

std::string starter_policy(const StarterOptions& options, const RepositoryRefs& refs,
                           const std::vector<PushGuess>& push) {
  const Country& country = country_named(options.country);
  if (options.environments.empty()) throw InputError("a starter policy needs at least one environment");
  const std::string production = string_list({options.environments.front()});
  std::string out;
  auto line = [&out](std::string_view text) {
    out += text;
    out += '\n';
  };
  line("# heinrich policy, written by `heinrich init`: a starter to adapt, then commit.");
  line("#");
  line("# Every rule below is a predictable high-traffic or thin-staffing time, taken from");
  line("# heinrich's default policy for a Korean bank (a deploy on payday morning took mobile");
  line("# banking down while the whole country checked its salary). Try it:");
  line("#   heinrich check            is it safe to deploy now?");
  line("#   heinrich next             when is the next safe start?");
  line("#   heinrich audit --strict   lint this file (run it in CI when the file changes)");
  line("# The schema is in `man heinrich.toml` and the README's \"Policy\" section.");
  line("");
  line("version = 1");
  out += fmt::format("timezone = {:<22} # IANA zone every local time below is read in\n",
                     toml_string(options.timezone));
  line("");
  line("[defaults]");
  line("duration = \"30m\"                 # assumed deploy duration when --duration is not given");
  line("watch = \"2h\"                     # after a deploy ends, the time in which it can still hurt");
  line("hours = \"09:00-18:00\"            # staffed hours: `next` only proposes starts in them");
  line("");
  line("[thresholds]");
  line("warn = 40                        # score >= 40: warn (exit 0 unless --fail-on warn)");
  line("block = 70                       # score >= 70: block (exit 1)");
  line("");
  line("[environments]");
  line("# The closed set of environment names: --env, CI variables and [push] must use one of");
  out += fmt::format("# these or an alias. The rules below apply to {} (production).\n",
                     escape_control(options.environments.front()));
  for (const std::string& environment : options.environments)
    out += fmt::format("{} = {{ aliases = {} }}\n", toml_key(environment),
                       string_list(aliases_of(environment, options.environments)));
  line("");
  line("# --- Freezes ------------------------------------------------------------------");
  line("# action = \"block\" stops a deploy whenever [start, start+duration+watch) touches the");
  line("# window. Add one-off freezes with start = 2027-02-01T00:00:00 and end = ...");
  line("");
  line("[[window]]");
  line("name = \"year-end-freeze\"         # year-end settlement, holidays, skeleton crews");
  line("rrule = \"FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=24\"   # every 24 December, 00:00 ...");
  line("duration = \"11d9h\"               # ... until 4 January 09:00");
  line("action = \"block\"");
  line("overridable = false              # no break-glass: this freeze needs a policy change");
  out += fmt::format("environments = {}\n", production);
  line("");
  line("# --- Risk factors -------------------------------------------------------------");
  line("# Matching factors combine as 100*(1 - prod(1 - r/100)): two 45s make 70 and block.");
  line("");
  line("[[factor]]");
  line("name = \"weekend\"                 # on-call only; a failure waits for Monday's team");
  line("days = [\"sat\", \"sun\"]");
  line("risk = 45                        # alone it warns");
  line("");
  line("[[factor]]");
  line("name = \"friday-afternoon\"        # a failure found at 18:00 on Friday is a weekend incident");
  line("days = [\"fri\"]");
  line("time = \"15:00-24:00\"");
  line("risk = 45                        # alone it warns; with the night it blocks");
  line("");
  line("[[factor]]");
  line("name = \"night\"                   # thin staffing, slow escalation");
  line("time = \"22:00-07:00\"             # every day, across midnight");
  line("risk = 45                        # alone it warns; a weekend night blocks");
  line("");
  line("# --- Holidays and paydays -----------------------------------------------------");
  line("");
  line("[[calendar]]");
  out += fmt::format("name = {}\n", toml_string(country.calendar_name));
  out += fmt::format("builtin = {}   # {}\n", toml_string(country.builtin), country.holidays_comment);
  line("risk = 75                        # alone it blocks");
  line(
      "buffer_before = \"6h\"             # from 18:00 the evening before (people leave, traffic shifts) "
      "...");
  line("buffer_after = \"12h\"             # ... until noon the day after (the backlog arrives)");
  out += fmt::format("environments = {}\n", production);
  line("# Your own days off, added to the built-in ones:");
  line("# holidays = [{ date = 2027-03-03, name = \"Company foundation day\" }]");
  line("");
  const std::optional<int> payday = options.payday;
  const std::string day = payday ? std::to_string(*payday) : "25";
  const std::string prefix = payday ? "" : "# ";
  if (!payday) line("# A monthly payday; uncomment and set the day (-1: the last day of the month).");
  line(prefix + "[[event]]");
  line(prefix + "name = \"payday\"                  # the morning everybody checks their account");
  out += fmt::format("{}monthly = {{ day = {}, roll = \"previous-business-day\" }}   # {}\n", prefix, day,
                     "on a weekend or holiday: the business day before");
  line(prefix + "time = \"06:00-14:00\"");
  line(prefix + "risk = 70                        # alone it blocks");
  out += fmt::format("{}environments = {}\n", prefix, production);
  line("");
  line("[[event]]");
  line("name = \"month-end-close\"         # books close on the last business day: batch jobs, high load");
  line("monthly = { business_day = -1 }");
  line("time = \"15:00-24:00\"");
  line("risk = 40                        # alone it warns");
  out += fmt::format("environments = {}\n", production);
  line("");
  line("# --- Pushes, change risk and overrides (used by the git hooks) ----------------");
  line("");
  line("[push]");
  line("# Which pushed refs deploy, and where; the first pattern that matches wins, other refs");
  line("# are not checked. Guessed by `heinrich init` from this repository:");
  for (const PushGuess& guess : push)
    out += fmt::format("#   {} -> {}: {}\n", escape_control(guess.pattern), escape_control(guess.environment),
                       guess.because);
  if (push.empty()) line("#   nothing (no branch or tag to go by): add your deploy branches");
  if (refs.truncated) out += fmt::format("#   (only the first {} refs were looked at)\n", refs.cap);
  out += "refs = {";
  for (std::size_t i = 0; i < push.size(); ++i)
    out += fmt::format("{} {} = {}", i == 0 ? "" : ",", toml_string(push[i].pattern),
                       toml_string(push[i].environment));
  out += push.empty() ? "}\n" : " }\n";
  line("");
  line("[change]");
  line("large_lines = 800                # a push changing more lines than this ...");
  line("large_risk = 20                  # ... adds this risk");
  line("sensitive_paths = [\"db/migrations/**\"]");
  line("sensitive_risk = 25              # a push touching these paths adds this risk");
  line("");
  line("[override]");
  line("allowed = true                   # break-glass is possible ...");
  line("ticket = \"^(INC|CHG)-[0-9]+$\"    # ... citing an incident or change ticket");
  line("never = [\"year-end-freeze\"]      # ... but never for these rules");
  return out;
}

}  // namespace heinrich
