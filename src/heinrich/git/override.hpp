#pragma once
// Break-glass overrides: a `Heinrich-Override: TICKET reason` trailer on the
// pushed tip commit, or HEINRICH_OVERRIDE for CI; the policy decides whether
// one is acceptable, and every accepted one is recorded as a git note.
#include <git2.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "heinrich/core/evaluator.hpp"
#include "heinrich/policy/policy.hpp"

namespace heinrich::git {

inline constexpr const char* kOverrideTrailer = "Heinrich-Override";
inline constexpr const char* kNotesRef = "refs/notes/heinrich";

struct OverrideRequest {
  std::string ticket;  // the first word: "INC-1234"
  std::string reason;  // the rest: why it cannot wait
  std::string source;  // "trailer" or "environment"
};

// "INC-1234 reason…" -> ticket and reason (both possibly empty).
OverrideRequest parse_override(std::string_view text, std::string source);
// The value of the last Heinrich-Override trailer of a commit message.
std::optional<std::string> override_trailer(const char* message);

// The rules among those that matched that forbid any override: named in
// `[override] never` or marked `overridable = false`, with why.
std::vector<std::string> unoverridable(const OverridePolicy& policy, const RuleSet& rules,
                                       const Assessment& assessment);
// Why `request` cannot turn this block into an allow; empty when it can.
std::vector<std::string> override_problems(const OverridePolicy& policy, const RuleSet& rules,
                                           const Assessment& assessment, const OverrideRequest& request);

// One audit record, one line of JSON in the note of the overridden commit.
struct OverrideRecord {
  std::string time;  // UTC, "2026-11-25T01:00:00Z"
  std::string who;   // committer e-mail (trailer) or `git config user.email` (environment)
  std::string ref;
  std::string oid;  // the tip commit
  std::string environment;
  std::string hook;  // "pre-push" or "pre-receive": where it was decided
  // "accepted": written after git accepted the push (post-receive);
  // "requested": written before the push was sent or accepted, which may
  // still have failed (pre-push; pre-receive without heinrich's
  // post-receive); "" in records written before this field existed.
  std::string status;
  std::string decision;  // before the override
  int score = 0;
  std::vector<std::string> reasons;  // the rules that matched
  std::string ticket;
  std::string reason;
  std::string source;  // "trailer" or "environment"
  std::string policy;

  [[nodiscard]] std::string to_json() const;
  static std::optional<OverrideRecord> from_json(std::string_view line);
};

// Appends `record` to the note of `target` under refs/notes/heinrich, keeping
// whatever the note held before; the notes ref moves by compare-and-swap, so a
// concurrent writer makes us retry instead of dropping its record. A record
// the note already holds, byte for byte, is not appended again: false.
bool append_override_note(git_repository* repo, const git_oid& target, const OverrideRecord& record);

struct NotedRecord {
  std::string commit;  // the annotated commit
  OverrideRecord record;
};
struct OverrideNotes {
  std::vector<NotedRecord> records;  // oldest first
  // The annotated commit of each note line that is not a record (someone
  // else's note text, or a damaged record), so a reader learns of it.
  std::vector<std::string> skipped;
};
// Everything under refs/notes/heinrich. A ref that is not a commit, or that
// names an object the repository lacks, is a GitError, not a crash.
OverrideNotes read_override_notes(git_repository* repo);

}  // namespace heinrich::git
