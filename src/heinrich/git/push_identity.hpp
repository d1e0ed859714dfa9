#pragma once
// Which push a server hook runs for. git runs pre-receive and post-receive
// from the same receive-pack process, so that process (its pid and start
// time, which together never repeat) names the push: post-receive takes
// exactly the override records its own pre-receive parked, and a record
// parked by a push whose receive-pack is gone can no longer be claimed by
// its own post-receive.
#include <string>
#include <string_view>

namespace heinrich::git {

// "p<pid>t<start time in clock ticks>b<boot id>" of the nearest
// git-receive-pack (or `git [options] receive-pack`) among this process's
// ancestors (Linux /proc), looked for up to 16 levels up; "" when there is
// none (another platform, a hook runner that detaches): callers then fall
// back to what the update alone says.
std::string receive_pack_identity();

// Whether the process an identity names still runs (its pid is there with
// the same start time). A process of another boot or machine cannot be
// looked up and counts as running. "" or a malformed identity: false.
bool push_is_running(std::string_view identity);

}  // namespace heinrich::git
