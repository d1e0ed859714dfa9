#pragma once
// Override records a server holds back until git has accepted the push.
//
// pre-receive decides before git updates any ref, and git may still refuse
// the update afterwards (a racing push moved the ref, a later hook said no):
// ten racing pushes to one new branch recorded ten overrides where git
// accepted one. So pre-receive parks the records of an allowed push under
// $GIT_DIR/heinrich-pending/, keyed by (ref, old, new), and post-receive,
// which git runs with the updates it did make, writes them to
// refs/notes/heinrich with status "accepted".
//
// A set's state is the suffix of its file name: ".records" (parked; git may
// still refuse the update), ".accepted" (git made the update; to be
// written). Post-receive runs hold a lock on the directory while they move
// sets on and write them, so each set is written by one run, once; a set
// that cannot be written now (the notes ref is damaged, the run was killed)
// stays ".accepted" and the next post-receive writes it. A parked set whose
// ref already points at its commit was accepted by git too, even if its own
// post-receive never got to it. Parked sets git never accepted go after an
// hour; accepted ones are never dropped.
#include <git2.h>

#include <string>
#include <vector>

#include "heinrich/git/override.hpp"
#include "heinrich/git/push.hpp"

namespace heinrich::git {

// Whether this repository's post-receive hook is heinrich's (installed by
// `heinrich install --server`): only then may pre-receive park records, or
// they would never be written.
bool post_receive_records(git_repository* repo);

// Removes what was parked for `update` before (not what git accepted): a
// push of it that carries no override must not have an earlier, refused
// push's records written for it.
void forget_parked(git_repository* repo, const RefUpdate& update);

// Parks `records` (all for `update`) until post-receive sees the update. If
// the ref no longer points at the update's old value once they are parked,
// git will refuse the update, and they are removed again: a set left behind
// by a push that lost a race must never look accepted later.
void park_overrides(git_repository* repo, const RefUpdate& update,
                    const std::vector<OverrideRecord>& records);

struct RecordedOverrides {
  std::size_t written = 0;            // records appended to the notes
  std::size_t from_earlier = 0;       // of these, held back by an earlier push
  std::vector<std::string> problems;  // sets kept for the next run, and why
};

// For each update git made (`accepted`, from post-receive's input), and for
// each parked set whose ref already points at its commit, accepts the first
// set parked for that update and drops the others (racing pushes of one
// update park the same commit's records; git made it once); then appends
// every accepted set, this push's and earlier ones', to the notes of
// `writer`. A record already in the notes is not appended again.
RecordedOverrides record_parked_overrides(git_repository* repo, git_repository* writer,
                                          const std::vector<RefUpdate>& accepted);

}  // namespace heinrich::git
