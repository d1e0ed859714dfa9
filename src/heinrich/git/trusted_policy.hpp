#pragma once
// Where a server hook's policy comes from, and whether a push changes it.
// The policy is read from trusted places only: a path the server names
// (`--policy` in its hook script, or `heinrich.policy` in the repository's
// own configuration), else `heinrich.toml` (or `.heinrich.toml`) at the root
// of the default branch as it is before the push, else the shipped default.
// Never from the pushed commits, never from the pusher's environment.
#include <git2.h>

#include <optional>
#include <string>

#include "heinrich/git/push.hpp"

namespace heinrich::git {

struct TrustedPolicy {
  std::string path;                      // a file, or "<branch>:heinrich.toml" for people
  std::optional<std::string> blob_text;  // the policy read from the default branch
  // The branch whose tree holds the policy ("refs/heads/main"), when the
  // server names no file: a push that changes the policy file there (adds,
  // edits, removes it, or deletes the branch) changes what judges every
  // later push, so it is judged itself (see run_gate).
  std::optional<std::string> policy_ref;
};

TrustedPolicy trusted_policy(git_repository* repo, const std::optional<std::string>& server_policy);

// Whether `update` gives the policy file a different content, or removes it.
bool changes_policy(git_repository* repo, const RefUpdate& update);

}  // namespace heinrich::git
