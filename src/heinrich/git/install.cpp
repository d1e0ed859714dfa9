#include "heinrich/git/install.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "heinrich/git/git.hpp"
#include "heinrich/git/override.hpp"
#include "heinrich/git/share_notes.hpp"
#include "heinrich/policy/policy.hpp"
#include "heinrich/util/error.hpp"
#include "heinrich/util/file_io.hpp"

namespace heinrich::git {

namespace fs = std::filesystem;

namespace {

constexpr const char* kChainedSuffix = ".heinrich-chained";

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (const char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The file's bytes; nullopt if there is no file (a dangling link counts as one).
std::optional<std::string> read_file(const fs::path& path) {
  std::error_code error;
  if (!fs::exists(fs::symlink_status(path, error)) && !fs::exists(path, error)) return std::nullopt;
  std::string why;
  auto text = read_whole_file(path.string(), why);
  if (!text) throw InputError("cannot read " + path.string() + ": " + why);
  return text;
}

mode_t mode_of(const fs::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return 0755;
  return info.st_mode & 07777;
}

bool is_ours(const std::string& content) {
  return content.find(kManagedMarker) != std::string::npos;
}

// A path relative to the current directory when it is below it, for messages.
std::string for_people(const fs::path& path) {
  std::error_code error;
  const fs::path cwd = fs::current_path(error);
  if (error) return path.string();
  const fs::path relative = path.lexically_relative(cwd);
  if (relative.empty() || *relative.begin() == "..") return path.string();
  return relative.string();
}

std::string install_one(const fs::path& directory, const std::string& hook, const std::string& heinrich,
                        bool force, std::vector<std::string>& done) {
  std::error_code error;
  fs::create_directories(directory, error);
  if (error) throw InputError("cannot create " + directory.string() + ": " + error.message());
  const fs::path path = directory / hook;
  const fs::path chained = path.string() + kChainedSuffix;
  const auto existing = read_file(path);
  const bool has_chained = read_file(chained).has_value();

  if (!existing || is_ours(*existing)) {
    const std::string wanted = hook_script(hook, heinrich, has_chained);
    if (existing && *existing == wanted) {
      done.push_back("the " + hook + " hook is already installed at " + for_people(path) + "; nothing to do");
      return path.string();
    }
    write_file_atomically(path.string(), wanted, 0755);
    done.push_back((existing ? "updated the " : "installed the ") + hook + " hook at " + for_people(path) +
                   (has_chained ? " (it runs " + for_people(chained) + " first)" : ""));
    return path.string();
  }

  // Somebody else's hook: never overwritten, only chained when asked.
  if (!force)
    throw InputError(for_people(path) + " already exists and is not heinrich's, so it was left alone.\n" +
                     "  run `heinrich install" + std::string(hook != "pre-push" ? " --server" : "") +
                     " --force` to keep it as " + chained.filename().string() +
                     " and run it before heinrich's check,\n  or call `heinrich hook " + hook +
                     (hook == "pre-push" ? " \"$@\"" : "") + "` from it yourself");
  if (has_chained && *read_file(chained) != *existing)
    throw InputError(for_people(chained) + " already exists; move it or " + for_people(path) +
                     " away first, so neither hook is lost");
  // Copy, not move: the old hook stays in place until the new one replaces it.
  write_file_atomically(chained.string(), *existing, mode_of(path));
  write_file_atomically(path.string(), hook_script(hook, heinrich, true), 0755);
  done.push_back("installed the " + hook + " hook at " + for_people(path) +
                 "; the previous hook is kept as " + for_people(chained) + " and runs first");
  return path.string();
}

void set_local_config(git_repository* repo, const char* name, const std::string& value) {
  git_config* raw = nullptr;
  check(git_repository_config(&raw, repo), "cannot open the git configuration");
  const Config config(raw);
  git_config* raw_local = nullptr;
  check(git_config_open_level(&raw_local, config.get(), GIT_CONFIG_LEVEL_LOCAL),
        "cannot open the repository's own git configuration");
  const Config local(raw_local);
  check(git_config_set_string(local.get(), name, value.c_str()), std::string("cannot set ") + name);
}

}  // namespace

std::string hook_script(const std::string& hook, const std::string& heinrich, bool chained) {
  const bool receive = hook == "pre-receive";
  const bool post_receive = hook == "post-receive";
  std::string out = "#!/bin/sh\n";
  out += receive ? "# heinrich pre-receive hook: rejects a push that would deploy in a risky window;\n"
                   "# the pusher sees why (remote: ...).\n"
         : post_receive
             ? "# heinrich post-receive hook: once git has accepted a push, writes the override\n"
               "# records pre-receive held back to refs/notes/heinrich.\n"
             : "# heinrich pre-push hook: stops a push that would deploy in a risky window.\n"
               "# Skipping it once (`git push --no-verify`) skips the check; a server's pre-receive "
               "still runs.\n";
  out += std::string(kManagedMarker) + " (re-run it to update; it never overwrites a foreign hook)\n";
  out += "heinrich=" + shell_quote(heinrich) + "\n";
  out += "[ -x \"$heinrich\" ] || heinrich=heinrich\n";
  if (!chained) return out + "exec \"$heinrich\" hook " + hook + " \"$@\"\n";
  out += "# The hook that was here before runs first, with the same arguments and input.\n";
  out += "input=$(cat)\n";
  out += "feed() { [ -z \"$input\" ] || printf '%s\\n' \"$input\"; }\n";
  out += "chained=\"$(dirname \"$0\")/" + hook + kChainedSuffix + "\"\n";
  // A failing earlier post-receive cannot undo the push: the records are
  // written all the same.
  out += std::string("if [ -x \"$chained\" ]; then\n  feed | \"$chained\" \"$@\"") +
         (post_receive ? "" : " || exit $?") + "\nfi\n";
  out += "feed | \"$heinrich\" hook " + hook + " \"$@\"\n";
  return out;
}

std::string shared_shim(const std::string& hook) {
  std::string out = "#!/bin/sh\n";
  out += "# heinrich " + hook + " shim: `git config core.hooksPath hooks` runs it.\n";
  out += std::string(kManagedMarker) + " --hooks-path\n";
  out += "command -v heinrich >/dev/null 2>&1 || {\n";
  const std::string consequence = hook == "pre-receive"    ? "push rejected"
                                  : hook == "post-receive" ? "this push's override records are not written"
                                                           : "push stopped";
  out += "  echo \"heinrich: not installed (see its README); " + consequence + "\" >&2\n  exit 2\n}\n";
  out += "exec heinrich hook " + hook + " \"$@\"\n";
  return out;
}

std::string hooks_directory(git_repository* repo) {
  const char* workdir = git_repository_workdir(repo);
  const std::string base = workdir != nullptr ? workdir : git_repository_path(repo);
  if (auto configured = config_path(repo, "core.hooksPath", base)) return *configured;
  return (fs::path(git_repository_commondir(repo)) / "hooks").lexically_normal().string();
}

namespace {

// A setting of this clone, not a push refspec: remote.<name>.push would
// change what every plain `git push` sends. pre-push pushes the notes ref on
// its own, and only after it wrote an override record.
void enable_share_notes(git_repository* repo, std::vector<std::string>& done) {
  if (share_notes_enabled(repo)) {
    done.push_back(std::string(kShareNotesConfig) + " is already true");
    return;
  }
  set_local_config(repo, kShareNotesConfig, "true");
  done.push_back(std::string("set ") + kShareNotesConfig + " = true: after an override, pre-push pushes " +
                 kNotesRef + " to the push's remote, merging the records already there");
}

}  // namespace

std::vector<std::string> install_hooks(git_repository* repo, const InstallOptions& options) {
  std::vector<std::string> done;
  const bool bare = git_repository_is_bare(repo) == 1;
  if (options.server && options.hooks_path)
    throw InputError(
        "--server and --hooks-path do not go together: a server runs the hooks of its own repository");
  if (options.policy && !options.server)
    throw InputError("--policy is for --server (recorded as heinrich.policy)");
  if (options.share_notes && options.server)
    throw InputError(
        "--share-notes is for a clone's pre-push: a server's hooks write the records into its own "
        "repository");

  if (options.hooks_path) {
    const char* workdir = git_repository_workdir(repo);
    if (workdir == nullptr) throw InputError("--hooks-path needs a work tree; this repository is bare");
    const auto current = config_string(repo, "core.hooksPath");
    if (current && fs::path(*current).lexically_normal() != fs::path("hooks"))
      throw InputError("core.hooksPath is already '" + *current +
                       "'; heinrich will not redirect it (the hooks there would stop running).\n"
                       "  run `heinrich install` without --hooks-path to add heinrich's hook in '" +
                       *current + "'");
    const fs::path directory = fs::path(workdir) / "hooks";
    const fs::path path = directory / "pre-push";
    const auto existing = read_file(path);
    const std::string wanted = shared_shim("pre-push");
    if (existing && *existing != wanted)
      throw InputError(for_people(path) + " already exists and differs from heinrich's shim; left alone.\n" +
                       "  add `heinrich hook pre-push \"$@\"` to it, or remove it and run this again");
    if (!existing) {
      std::error_code error;
      fs::create_directories(directory, error);
      if (error) throw InputError("cannot create " + directory.string() + ": " + error.message());
      write_file_atomically(path.string(), wanted, 0755);
      done.push_back("wrote the shared shim " + for_people(path) + " (commit it)");
    } else {
      done.push_back("the shared shim " + for_people(path) + " is already there");
    }
    if (!current) {
      try {
        set_local_config(repo, "core.hooksPath", "hooks");
      } catch (...) {
        if (!existing) ::unlink(path.c_str());  // leave the repository as it was
        throw;
      }
      done.push_back("set core.hooksPath = hooks; each clone runs `git config core.hooksPath hooks` once");
    } else {
      done.push_back("core.hooksPath is already hooks; nothing to do");
    }
    if (options.share_notes) enable_share_notes(repo, done);
    return done;
  }

  if (options.server) {
    std::optional<std::string> policy_path;
    if (options.policy) {
      // Refuse a broken policy now, not at the first push.
      policy_path = fs::absolute(*options.policy).lexically_normal().string();
      (void)load_policy_file(*policy_path);
    }
    if (!bare) done.push_back("note: this repository is not bare; pre-receive runs only for pushes into it");
    // pre-receive decides; post-receive records the overrides of the updates
    // git then made. A foreign hook refuses the install before either is
    // written.
    const std::string directory = hooks_directory(repo);
    for (const char* hook : {"pre-receive", "post-receive"}) {
      const auto existing = read_file(fs::path(directory) / hook);
      if (existing && !is_ours(*existing) && !options.force)
        install_one(directory, hook, options.heinrich, options.force, done);  // throws its message
    }
    install_one(directory, "pre-receive", options.heinrich, options.force, done);
    install_one(directory, "post-receive", options.heinrich, options.force, done);
    if (policy_path) {
      set_local_config(repo, "heinrich.policy", *policy_path);
      done.push_back("set heinrich.policy = " + *policy_path);
    }
    return done;
  }

  install_one(hooks_directory(repo), "pre-push", options.heinrich, options.force, done);
  if (options.share_notes) enable_share_notes(repo, done);
  return done;
}

}  // namespace heinrich::git
