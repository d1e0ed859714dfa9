#pragma once
// The check both hooks run: for every deploying ref of a push, the commits it
// sends, their change risk, the policy's verdict now, and any override.
#include <git2.h>

#include <optional>
#include <string>
#include <vector>

#include "heinrich/core/evaluator.hpp"
#include "heinrich/core/finding.hpp"
#include "heinrich/git/change.hpp"
#include "heinrich/git/override.hpp"
#include "heinrich/git/push.hpp"
#include "heinrich/policy/policy.hpp"

namespace heinrich::git {

enum class HookKind { pre_push, pre_receive };

struct GateInput {
  HookKind kind = HookKind::pre_push;
  const Policy* policy = nullptr;
  Instant now;
  const Zone* zone = nullptr;  // the zone times are shown in
  bool clock_overridden = false;
  std::vector<RefUpdate> updates;
  // What the receiver already has when a ref is new to it: pre-push hides the
  // remote's tracking refs, pre-receive every ref of the server.
  std::vector<std::string> hide_globs;
  // pre-receive: the branch the server reads its policy from. A push that
  // changes the policy file there is judged as a deploy to every
  // environment, by the policy in force before it (README, "Server-side
  // hook"), so a permissive policy cannot be slipped onto a branch that
  // deploys nowhere and then judge the next tag.
  std::optional<std::string> policy_ref;
  std::optional<std::string> environment_override;  // HEINRICH_OVERRIDE
  std::string user_email;                           // git config user.email, for environment overrides
  // pre-push: the remote (name or URL) git pushes to, for the hint that
  // shares the override record; share_notes: heinrich.shareNotes is on, so
  // the hook shares it itself.
  std::string remote;
  bool share_notes = false;
  std::vector<Finding> warnings;  // H113: data past its verified horizon
};

struct RefVerdict {
  RefUpdate update;
  std::optional<std::string> environment;  // nullopt: every environment (a policy change)
  bool policy_change = false;              // the push changes the policy the server reads
  PushedChange change;
  Assessment assessment;
  std::optional<SafeWindow> next_safe;
  std::optional<OverrideRequest> override_request;
  std::vector<std::string> override_problems;  // why the request was refused
  bool overridden = false;                     // an accepted override turned a block into an allow
  std::string committer_email;                 // of the tip commit
  // Where the tip is in the pusher's repository, so the override hint is a
  // command that amends the right commit: HEAD (the checked-out branch, or
  // `git push … HEAD:ref`), another local branch, or something else (a tag,
  // an expression). pre-receive cannot know and says head.
  enum class TipPlace { head, branch, other } tip_place = TipPlace::head;

  [[nodiscard]] bool blocks() const { return assessment.decision == Decision::block && !overridden; }
};

struct GateResult {
  std::vector<RefVerdict> verdicts;  // deploying refs only, in input order
  std::size_t ignored = 0;           // deletions and refs that deploy nowhere (and change no policy)
  [[nodiscard]] bool blocked() const;
};

GateResult run_gate(git_repository* repo, const GateInput& input);

// The compact message for stderr: per ref what is risky and why, the next
// safe window and how to override; then the overall answer.
std::string render_gate(const GateResult& result, const GateInput& input);

// The audit records of the accepted overrides of an allowed push.
std::vector<OverrideRecord> override_records(const GateResult& result, const GateInput& input);

// "2026-11-25T01:00:00Z", seconds always shown so records sort as text.
std::string format_utc_seconds(Instant instant);

}  // namespace heinrich::git
