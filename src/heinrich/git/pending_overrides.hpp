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
// A set's name says which update it is for, which push parked it (the
// receive-pack process both hooks of a push run under, push_identity.hpp)
// and its state: ".records" (parked; git may still refuse the update),
// ".accepted" (git made the update; to be written). Post-receive accepts
// exactly the sets its own push parked (before it takes any lock: no other
// run touches them while their push runs), and leaves a ".won" marker for
// each update another push's parked set also names; post-receive runs hold
// a lock on the directory while they settle other pushes' sets and write
// accepted ones, so each set is written by one run, once. A set
// that cannot be written now (the notes ref is damaged, the run was killed)
// stays ".accepted" and the next post-receive writes it. A parked set whose
// push is over was refused if a later marker says another push made its
// update, and accepted if its ref points at its commit (its post-receive
// never got to it). Parked sets and markers go after an hour; accepted sets
// are never dropped.
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

// Removes what was parked before for the `updates` of this push (not what
// git accepted): a push that carries no override must not have an earlier,
// refused push's records written for it. Every parked set for the same
// commit on the same ref (from any old value) whose push is over goes: that
// push was refused, or its records would have been accepted by its own
// post-receive.
void forget_parked(git_repository* repo, const std::vector<RefUpdate>& updates);

// Parks `records` (all for `update`) until post-receive sees the update. If
// the ref no longer points at the update's old value once they are parked,
// git will refuse the update, and they are removed again: a set left behind
// by a push that lost a race must never look accepted later.
// `push` is receive_pack_identity() ("" when unknown).
void park_overrides(git_repository* repo, const RefUpdate& update, const std::vector<OverrideRecord>& records,
                    const std::string& push);

struct RecordedOverrides {
  std::size_t written = 0;            // records appended to the notes
  std::size_t from_earlier = 0;       // of these, held back by an earlier push
  std::vector<std::string> problems;  // sets kept for the next run, and why
};

// For each update git made (`accepted`, from post-receive's input), accepts
// the set `push` parked for it (when there is none, or `push` is "": the
// oldest set for it that names no push) and marks the update won if
// another push parked a set for it; then, under the lock, settles the
// parked sets whose push is over (above) and appends every accepted set,
// this push's and earlier ones', to the notes of `writer`. A record already
// in the notes is not appended again.
RecordedOverrides record_parked_overrides(git_repository* repo, git_repository* writer,
                                          const std::vector<RefUpdate>& accepted, const std::string& push);

}  // namespace heinrich::git
