#pragma once
// `heinrich.shareNotes`: pre-push sends the override records it wrote to the
// remote of the push, as a push of refs/notes/heinrich alone. The remote's
// records are never overwritten: when it has records this clone lacks, they
// are fetched and merged (`git notes merge -s cat_sort_uniq`, one JSON line
// per record) and the push is tried again. Every git command runs under one
// deadline, so a remote that does not answer cannot hang the push.
#include <git2.h>

#include <chrono>
#include <string>
#include <vector>

namespace heinrich::git {

inline constexpr const char* kShareNotesConfig = "heinrich.shareNotes";
inline constexpr const char* kShareNotesTimeoutConfig = "heinrich.shareNotesTimeout";
inline constexpr std::chrono::seconds kShareNotesDefaultTimeout{30};

// heinrich.shareNotes as a git boolean (unset: false); InputError if it is
// not one.
bool share_notes_enabled(git_repository* repo);
// heinrich.shareNotesTimeout in whole seconds, 1 to 600 (unset: 30);
// InputError otherwise.
std::chrono::seconds share_notes_timeout(git_repository* repo);

struct ShareOutcome {
  bool shared = false;  // the remote's refs/notes/heinrich now holds this clone's records
  // The remote refuses the notes ref because heinrich's pre-receive writes
  // its own records there: nothing to share.
  bool remote_records_itself = false;
  int merges = 0;                  // how often the remote's records were merged in first
  std::vector<std::string> lines;  // what went wrong, git's own words included (escaped)
};

// Pushes refs/notes/heinrich to `remote` (a name or URL) with `git push
// --no-verify` (the push carries notes commits only, and must not run this
// hook again), merging the remote's records in when it has some this clone
// lacks; at most three rounds, all within `timeout`. Never throws for what
// git or the remote does: the outcome says it.
ShareOutcome share_notes(const std::string& remote, std::chrono::seconds timeout);

}  // namespace heinrich::git
