#pragma once
// A repository's ref names, bounded: `heinrich init` guesses the [push] map
// from them, and a repository with millions of refs must not hang it.
#include <git2.h>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace heinrich::git {

struct RefNames {
  std::vector<std::string> names;  // full names, in libgit2's order (loose, then packed)
  bool truncated = false;          // there were more than the cap
};

// At most `cap` ref names of `repo`.
RefNames list_ref_names(git_repository* repo, std::size_t cap);

// The full name of the ref HEAD names ("refs/heads/main"), also when it has
// no commit yet; nullopt on a detached HEAD or without HEAD.
std::optional<std::string> head_target(git_repository* repo);

// The branch HEAD names ("main"); nullopt when head_target is not a branch.
std::optional<std::string> head_branch(git_repository* repo);

}  // namespace heinrich::git
