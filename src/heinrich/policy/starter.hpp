#pragma once
// `heinrich init`: the text of a commented starter heinrich.toml, and the
// [push] map guessed from a repository's branch and tag names. Pure text
// work (no libgit2): heinrich-git lists the refs, this decides and writes.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace heinrich {

// The countries with a built-in holiday calendar a starter can name.
inline constexpr const char* kStarterCountries[] = {"kr", "us"};

struct StarterOptions {
  std::string country = "kr";             // "kr" | "us"
  std::string timezone;                   // a zone Zone::get accepts (the caller checked it)
  std::optional<int> payday;              // monthly day: 1..31, or -1 for the last day
  std::vector<std::string> environments;  // from parse_environments; the first is production
};

// The IANA zone a country's starter uses when --timezone is not given: its
// capital's (or, for the US, its financial centre's) zone, never the
// machine's, so every laptop and CI runner that runs init writes the same file.
std::string default_timezone(std::string_view country);
// The payday a country's starter uses when --payday is not given: the 25th
// in Korea; none in the US (biweekly Fridays, the 15th and the last day are
// all common), where the starter shows the rule commented out.
std::optional<int> default_payday(std::string_view country);

// "25", "-1" (the last day) or "none"; InputError otherwise.
std::optional<int> parse_payday(std::string_view text);

// "prod,staging" into names, checked as a policy's environment names must
// be usable in reasons, hooks and shell completions: non-empty, at most
// kMaxEnvironmentName bytes, no control characters or invalid UTF-8, no
// leading or trailing blanks, no duplicates, at most kMaxEnvironments.
// InputError naming the bad one otherwise.
inline constexpr std::size_t kMaxEnvironments = 16;
inline constexpr std::size_t kMaxEnvironmentName = 64;
std::vector<std::string> parse_environments(std::string_view text);

// What init found in the repository. Ref names are full ("refs/heads/main",
// "refs/remotes/origin/release/1.2", "refs/tags/v1.0.0").
struct RepositoryRefs {
  bool in_repository = false;
  std::vector<std::string> names;
  std::optional<std::string> head_branch;  // the branch HEAD names, born or not
  std::size_t cap = 0;                     // how many refs were read at most
  bool truncated = false;                  // there were more than `cap`
};

// One [push] refs entry and, for the comment, what it was guessed from.
struct PushGuess {
  std::string pattern;      // "refs/heads/main"
  std::string environment;  // one of the starter's environments
  std::string because;      // "branch 'main' exists"
};

// The [push] map for `refs`: main and master (else HEAD's branch) to the
// production environment, release/* branches and v<digit>* tags to
// production when there are some, and a branch named like another
// environment (or `develop`, for staging) to that environment. Outside a
// repository: refs/heads/main to production, the common convention.
std::vector<PushGuess> guess_push_map(const RepositoryRefs& refs,
                                      const std::vector<std::string>& environments);

// The whole starter file.
std::string starter_policy(const StarterOptions& options, const RepositoryRefs& refs,
                           const std::vector<PushGuess>& push);

// `text` as a TOML basic string, quotes included: `"` and `\` escaped,
// control characters as \uXXXX.
std::string toml_string(std::string_view text);
// `key` bare when TOML allows it (A-Z a-z 0-9 _ -), else as a basic string.
std::string toml_key(std::string_view key);

}  // namespace heinrich
