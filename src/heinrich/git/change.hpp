#pragma once
// The commits a push sends and the change they make (libgit2 revwalk and
// diff), and the risk that change adds under `[change]`.
#include <git2.h>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "heinrich/core/evaluator.hpp"
#include "heinrich/policy/policy.hpp"

namespace heinrich::git {

// What the receiving side already has, so those commits are not counted.
struct KnownCommits {
  std::optional<git_oid> old_tip;       // the ref's current value there, if any and if present here
  std::vector<std::string> hide_globs;  // otherwise: refs that mirror the receiver ("refs/remotes/origin/*")
};

struct PushedChange {
  git_oid tip{};                       // the commit the ref will point at (annotated tags peeled)
  std::size_t commits = 0;             // commits new to the receiving side
  std::size_t files = 0;               // files that differ between base and tip
  long long lines = 0;                 // lines added plus lines removed, base to tip
  bool lines_counted = false;          // false when no `large_lines` rule needs them
  std::vector<std::string> sensitive;  // changed paths matching `sensitive_paths`, each once
  std::string base;                    // what the change is measured from, for people
};

// Walks the commits reachable from `new_oid` and not from `known` (push the
// tip, hide the rest), then diffs base -> tip once. The base is the ref's old
// value when the receiver has one; for a new ref it is the first commit on the
// tip's first-parent line that the receiver already has (the empty tree if
// there is none). So each changed file counts once, however many pushed
// commits touch it, and the figures are what the deploy itself changes.
// Returns nullopt when `new_oid` names no commit (a tag of a tree or a blob).
std::optional<PushedChange> analyse_push(git_repository* repo, const git_oid& new_oid,
                                         const KnownCommits& known, const ChangeRisk& rules);

// `[change]` risks of one push: "large-change" past `large_lines`,
// "sensitive-paths" once however many files match; each names where the
// `[change]` table is ("heinrich.toml:95:1").
std::vector<ExtraRisk> change_risks(const ChangeRisk& rules, const PushedChange& change);

// "1,234"
std::string group_thousands(long long value);

}  // namespace heinrich::git
