#pragma once
// Override records a server holds back until git has accepted the push.
//
// pre-receive decides before git updates any ref, and git may still refuse
// the update afterwards (a racing push moved the ref, a later hook said no):
// ten racing pushes to one new branch recorded ten overrides where git
// accepted one. So pre-receive parks the records of an allowed push under
// $GIT_DIR/heinrich-pending/, keyed by (ref, old, new), and post-receive,
// which git runs with the updates it did make, writes the matching ones to
// refs/notes/heinrich with status "accepted" and removes the rest within the hour.
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

// Removes what was parked for `update` before: a push of it that carries no
// override must not have an earlier, refused push's records written for it.
void forget_parked(git_repository* repo, const RefUpdate& update);

// Parks `records` (all for `update`) until post-receive sees the update.
void park_overrides(git_repository* repo, const RefUpdate& update,
                    const std::vector<OverrideRecord>& records);

// For each update git made, appends the records parked for exactly it to
// the notes of `writer` (one set per update, whoever parked more), then
// removes what is parked for it and anything parked over an hour ago. Returns
// how many records were written.
std::size_t record_parked_overrides(git_repository* repo, git_repository* writer,
                                    const std::vector<RefUpdate>& accepted);

}  // namespace heinrich::git
