#pragma once
// `heinrich install`: puts the hook scripts in place without ever losing a
// hook that was there before.
#include <git2.h>

#include <optional>
#include <string>
#include <vector>

namespace heinrich::git {

struct InstallOptions {
  bool server = false;                // pre-receive for a server's (bare) repository
  bool hooks_path = false;            // the shared hooks/ folder + core.hooksPath
  bool force = false;                 // keep a foreign hook and chain it
  bool share_notes = false;           // pre-push pushes override records (heinrich.shareNotes = true)
  std::optional<std::string> policy;  // --server: recorded as heinrich.policy
  std::string heinrich;               // absolute path of the heinrich binary, baked into local hooks
};

// Installs and returns what was done, one line each; throws InputError when
// it refuses (a foreign hook without --force) before changing anything.
std::vector<std::string> install_hooks(git_repository* repo, const InstallOptions& options);

// The hook scripts, for tests and for the repository's own hooks/ folder.
std::string hook_script(const std::string& hook, const std::string& heinrich, bool chained);
std::string shared_shim(const std::string& hook);
inline constexpr const char* kManagedMarker = "# managed-by: heinrich install";

// Where git looks for hooks: core.hooksPath (relative to the work tree, or to
// the git directory of a bare repository), else <common dir>/hooks.
std::string hooks_directory(git_repository* repo);

}  // namespace heinrich::git
