// `heinrich hook pre-push REMOTE URL` and `heinrich hook pre-receive`: the
// gate git runs before a push leaves the machine, and before a server accepts it.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <ostream>

#include "heinrich/cli/git_commands.hpp"
#include "heinrich/cli_git/git_command_support.hpp"
#include "heinrich/core/zone.hpp"
#include "heinrich/git/gate.hpp"
#include "heinrich/git/git.hpp"
#include "heinrich/git/pending_overrides.hpp"
#include "heinrich/git/push_identity.hpp"
#include "heinrich/git/share_notes.hpp"
#include "heinrich/git/trusted_policy.hpp"
#include "heinrich/policy/horizon.hpp"
#include "heinrich/util/diagnostic.hpp"
#include "heinrich/util/error.hpp"
#include "heinrich/util/text.hpp"

namespace heinrich::cli {

namespace {

namespace fs = std::filesystem;

struct HookOptions {
  PolicyOptions common;
  std::string kind;
  std::vector<std::string> arguments;   // pre-push: REMOTE URL
  std::optional<std::string> on_error;  // allow | block
};

std::string read_standard_input() {
  return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
}

git_oid resolve(git_repository* repo, const std::string& spec, const char* variable) {
  git_object* raw = nullptr;
  git::check(git_revparse_single(&raw, repo, spec.c_str()),
             std::string(variable) + " = '" + spec + "' names nothing in this repository");
  const git::Object object(raw);
  return *git_object_id(object.get());
}

// The pre-commit framework reads git's lines itself and passes one ref on in
// PRE_COMMIT_* variables (its hooks get no standard input).
std::optional<git::RefUpdate> pre_commit_update(git_repository* repo, const Io& io) {
  const auto remote_branch = io.getenv("PRE_COMMIT_REMOTE_BRANCH");
  if (!remote_branch || remote_branch->empty()) return std::nullopt;
  git::RefUpdate update;
  update.ref = *remote_branch;
  if (auto to = io.getenv("PRE_COMMIT_TO_REF"); to && !to->empty())
    update.new_oid = resolve(repo, *to, "PRE_COMMIT_TO_REF");
  else if (auto local = io.getenv("PRE_COMMIT_LOCAL_BRANCH"); local && !local->empty())
    update.new_oid = resolve(repo, *local, "PRE_COMMIT_LOCAL_BRANCH");
  else
    throw InputError(
        "PRE_COMMIT_REMOTE_BRANCH is set but neither PRE_COMMIT_TO_REF nor PRE_COMMIT_LOCAL_BRANCH");
  if (auto from = io.getenv("PRE_COMMIT_FROM_REF"); from && !from->empty())
    update.old_oid = resolve(repo, *from, "PRE_COMMIT_FROM_REF");
  update.local_ref = io.getenv("PRE_COMMIT_LOCAL_BRANCH").value_or("");
  return update;
}

// `recorded`, if given, learns how many override records were written.
int finish(git_repository* read_repo, git_repository* write_repo, git::GateInput input, const Io& io,
           std::size_t* recorded = nullptr) {
  const Policy& policy = *input.policy;
  input.warnings = data_warnings(
      policy, Interval{input.now, input.now + policy.defaults.duration + policy.defaults.watch});
  const git::GateResult result = git::run_gate(read_repo, input);
  if (!result.blocked()) {
    // The audit record is part of the override: without it, no allow. A
    // server with heinrich's post-receive writes it once git has accepted
    // the update (git may still refuse it); otherwise it is written now,
    // with status "requested".
    const bool park = input.kind == git::HookKind::pre_receive && git::post_receive_records(write_repo);
    // Nothing parked by an earlier, refused push of the same commit to the
    // same ref may be written for this one.
    std::string push;  // the receive-pack both hooks of this push run under
    if (park) {
      std::vector<git::RefUpdate> updates;
      for (const git::RefVerdict& verdict : result.verdicts) updates.push_back(verdict.update);
      git::forget_parked(write_repo, updates);
      push = git::receive_pack_identity();
    }
    for (const git::OverrideRecord& record : git::override_records(result, input)) {
      if (!park) {
        git::append_override_note(write_repo, git::parse_oid(record.oid, "override target"), record);
        if (recorded != nullptr) ++*recorded;
        continue;
      }
      const auto verdict = std::find_if(result.verdicts.begin(), result.verdicts.end(),
                                        [&](const git::RefVerdict& v) { return v.update.ref == record.ref; });
      git::park_overrides(write_repo, verdict->update, {record}, push);
    }
  }
  io.err << git::render_gate(result, input);
  return result.blocked() ? kBlocked : kAllowed;
}

// heinrich.shareNotes: the records this push wrote go to its remote now,
// before git sends the push (a hook cannot add to the push it runs in, and
// nothing runs after it). A record says "requested", so it is true even if
// the push then fails. Sharing never stops the push: the record is kept
// here, and the pusher is told how to share it by hand.
void share_records(const std::string& remote, std::chrono::seconds timeout, const Io& io) {
  io.err.flush();
  const git::ShareOutcome outcome = git::share_notes(remote, timeout);
  const std::string where = escape_control(remote);
  if (outcome.shared) {
    io.err << "heinrich: shared the override record: " << git::kNotesRef << " -> " << where;
    if (outcome.merges > 0) io.err << " (merged with the records already there)";
    io.err << "\n";
    return;
  }
  if (outcome.remote_records_itself) {
    io.err << "heinrich: " << where << " runs heinrich's pre-receive, which records overrides itself; "
           << "this clone's record stays here\n";
    return;
  }
  io.err << "heinrich: WARNING: the override record was NOT shared with " << where
         << "; the push goes on, and the record stays in this clone:\n";
  for (const std::string& line : outcome.lines) io.err << "heinrich:   " << line << "\n";
  io.err << "heinrich: share it later: git push " << where << " " << git::kNotesRef << "\n";
}

int run_pre_push(const HookOptions& options, const Io& io) {
  Session session = open_session(options.common, io);
  const git::Library library;
  const git::Repository repo = git::open_from_environment();

  git::GateInput input;
  input.kind = git::HookKind::pre_push;
  input.policy = &session.policy;
  input.now = session.clock->now();
  input.zone = session.zone;
  input.clock_overridden = session.context.clock_overridden;
  input.environment_override = io.getenv("HEINRICH_OVERRIDE");
  input.user_email = git::config_string(repo.get(), "user.email").value_or("");

  // git passes REMOTE and URL and writes the refs to standard input; the
  // pre-commit framework passes no arguments and one ref in PRE_COMMIT_*.
  std::string remote;
  if (!options.arguments.empty()) {
    remote = options.arguments.front();
    input.updates = git::parse_pre_push(read_standard_input());
  } else if (auto update = pre_commit_update(repo.get(), io)) {
    input.updates.push_back(*update);
    remote = io.getenv("PRE_COMMIT_REMOTE_NAME").value_or("");
  } else {
    throw InputError(
        "hook pre-push: expected REMOTE and URL, as git passes them (install it with `heinrich install`)");
  }
  // A named remote mirrors what the receiver has in refs/remotes/<name>/; a
  // bare URL has no such refs, and every commit not on the receiver counts.
  int valid = 0;
  if (!remote.empty() && git_remote_name_is_valid(&valid, remote.c_str()) == 0 && valid == 1 &&
      git::config_string(repo.get(), ("remote." + remote + ".url").c_str()))
    input.hide_globs.push_back("refs/remotes/" + remote + "/*");
  input.remote = remote;
  input.share_notes = !remote.empty() && git::share_notes_enabled(repo.get());
  const auto timeout = input.share_notes ? git::share_notes_timeout(repo.get()) : std::chrono::seconds(0);
  std::size_t recorded = 0;
  const int status = finish(repo.get(), repo.get(), input, io, &recorded);
  if (recorded > 0 && input.share_notes) share_records(remote, timeout, io);
  return status;
}

// What a server hook may read (README, "Server-side hook"): the repository's
// own configuration and the system's, the server's clock and files, policy
// from trusted places. A push over the file system hands the pusher's whole
// environment to the hook, so the process environment is not read at all:
// the only variables heinrich sees are the ones this builds from the
// server's configuration, `heinrich.now` (a fixed clock, for tests and
// what-if runs) and `heinrich.cacheDir` (the parsed-calendar cache; none
// without it).
GetEnv server_environment(git_repository* repo) {
  const auto now = git::config_string(repo, "heinrich.now");
  const auto cache = git::config_string(repo, "heinrich.cacheDir");
  return [now, cache](const char* name) -> std::optional<std::string> {
    if (std::string_view(name) == "HEINRICH_NOW") return now;
    if (std::string_view(name) == "HEINRICH_CACHE_DIR") return cache;
    return std::nullopt;
  };
}

// The repository a server hook runs in, opened as the server sees it.
// Libraries read some variables themselves: ICU its time-zone data
// (ICU_TIMEZONE_FILES_DIR, ICU_DATA, TZ), libgit2 the namespace and search
// ceiling. None of them may come from the pusher; git's own GIT_DIR and
// quarantine variables stay.
struct ServerRepository {
  struct Scrubbed {
    Scrubbed() {
      for (const char* name :
           {"ICU_TIMEZONE_FILES_DIR", "ICU_DATA", "TZ", "GIT_NAMESPACE", "GIT_CEILING_DIRECTORIES"})
        ::unsetenv(name);
    }
  };
  ServerRepository() {
    git::trust_only_the_server();
    repo = git::open_from_environment();
  }
  // Members are made in this order and undone in reverse: the environment
  // is scrubbed before libgit2 starts, and libgit2 outlives the repository.
  Scrubbed scrubbed;
  git::Library library;
  git::Repository repo;
};

int run_pre_receive(const HookOptions& options, const Io& pusher_io) {
  const ServerRepository server;
  const git::Repository& repo = server.repo;
  const Io io{pusher_io.out,
              pusher_io.err,
              pusher_io.out_is_tty,
              server_environment(repo.get()),
              pusher_io.working_directory,
              pusher_io.err_is_tty,
              pusher_io.args};
  const git::TrustedPolicy trusted = git::trusted_policy(repo.get(), options.common.policy);
  const std::optional<IcsCache> cache = calendar_cache(io);
  const LoadOptions load{LoadMode::strict, cache ? &*cache : nullptr};
  const Policy policy = trusted.blob_text ? parse_policy(*trusted.blob_text, trusted.path, load)
                                          : load_policy_file(trusted.path, load);
  const Zone* zone = options.common.tz ? &Zone::get(*options.common.tz) : policy.zone;
  bool overridden = false;
  const auto clock = clock_from_environment(io, *zone, overridden);

  git::GateInput input;
  input.kind = git::HookKind::pre_receive;
  input.policy = &policy;
  input.policy_ref = trusted.policy_ref;
  input.now = clock->now();
  input.zone = zone;
  input.clock_overridden = overridden;
  input.updates = git::parse_pre_receive(read_standard_input());
  input.hide_globs.push_back("refs/*");  // everything the server has is known to it
  // The audit log of overrides is the server's: a pusher may neither delete
  // nor replace it (the hook itself writes it after accepting a push).
  for (const git::RefUpdate& update : input.updates) {
    if (update.ref != git::kNotesRef) continue;
    io.err << "heinrich: BLOCK " << update.ref
           << ": the override audit log is written by this server's hook only;\n"
           << "heinrich: a push may not " << (update.is_deletion() ? "delete" : "change") << " it\n";
    return kBlocked;
  }
  // The pushed objects sit in git's quarantine until this hook says yes; the
  // note goes to the repository proper, so it cannot point into a quarantine
  // that git throws away.
  const git::Repository writer = git::open_at(git_repository_path(repo.get()));
  return finish(repo.get(), writer.get(), input, io);
}

// After git has updated the refs it accepted (standard input: one
// '<old> <new> <ref>' line per update made): the override records pre-receive
// parked for exactly those updates go to refs/notes/heinrich, and so do any
// an earlier push accepted but could not record. Nothing is decided here, so
// no policy is read; git ignores this hook's status.
int run_post_receive(const Io& io) {
  const ServerRepository server;
  const git::Repository& repo = server.repo;
  const std::vector<git::RefUpdate> accepted = git::parse_pre_receive(read_standard_input());
  const git::RecordedOverrides recorded =
      git::record_parked_overrides(repo.get(), repo.get(), accepted, git::receive_pack_identity());
  if (recorded.written > 0) {
    io.err << "heinrich: recorded " << recorded.written << " override" << (recorded.written == 1 ? "" : "s")
           << " in " << git::kNotesRef;
    if (recorded.from_earlier > 0)
      io.err << " (" << recorded.from_earlier << " held back by an earlier push)";
    io.err << "\n";
  }
  for (const std::string& problem : recorded.problems) io.err << "heinrich: error: " << problem << "\n";
  return recorded.problems.empty() ? kAllowed : kUsage;
}

int run_hook(const HookOptions& options, const Io& io) {
  if (options.kind == "post-receive") return run_post_receive(io);
  // A server takes this only from its hook script: a push over the local
  // file system hands the pusher's environment to pre-receive.
  auto on_error = options.on_error;
  if (!on_error && options.kind == "pre-push") on_error = io.getenv("HEINRICH_HOOK_ON_ERROR");
  const bool open_on_error = on_error && *on_error == "allow";
  auto let_through = [&]() {
    io.err << "heinrich: on-error = allow: the push goes through UNCHECKED despite the error above\n";
    return kAllowed;
  };
  try {
    return options.kind == "pre-push" ? run_pre_push(options, io) : run_pre_receive(options, io);
  } catch (const PolicyError& error) {
    if (!open_on_error) throw;
    io.err << error.render();
    return let_through();
  } catch (const InputError& error) {
    if (!open_on_error) throw;
    io.err << "heinrich: error: " << escape_control(error.what()) << "\n";
    return let_through();
  } catch (const std::exception& error) {
    if (!open_on_error) throw;
    io.err << "heinrich: internal error: " << escape_control(error.what()) << "\n";
    return let_through();
  }
}

}  // namespace

Command make_hook_command_in_process() {
  return Command{
      "hook", kHookSummary, [](CLI::App& app) -> std::function<int(const Io&)> {
        auto options = std::make_shared<HookOptions>();
        add_policy_options(app, options->common, {"text"});
        app.add_option("kind", options->kind, "pre-push, pre-receive or post-receive")
            ->required()
            ->check(choices({"pre-push", "pre-receive", "post-receive"}));
        app.add_option("arguments", options->arguments, "pre-push: REMOTE URL, as git passes them");
        app.add_option("--on-error", options->on_error,
                       "when the check itself fails: block (default) or allow; pre-push also "
                       "reads HEINRICH_HOOK_ON_ERROR")
            ->type_name("ACTION")
            ->check(choices({"allow", "block"}));
        app.footer(
            "pre-push reads '<local ref> <local oid> <remote ref> <remote oid>' lines, pre-receive\n"
            "'<old oid> <new oid> <ref>' lines. Exit status 1 stops the push. post-receive (same\n"
            "lines, after git updated the refs) writes the override records pre-receive held back.\n"
            "HEINRICH_OVERRIDE='TICKET reason' (pre-push) or a 'Heinrich-Override: TICKET reason'\n"
            "trailer on the tip commit asks for a break-glass override. When the check itself fails\n"
            "the push stops (status 2) unless --on-error allow (or, for pre-push,\n"
            "HEINRICH_HOOK_ON_ERROR=allow).");
        return [options](const Io& io) { return run_hook(*options, io); };
      }};
}

}  // namespace heinrich::cli
