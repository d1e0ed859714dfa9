#pragma once
// What a push changes, as git tells the hooks, and which refs are deploys.
#include <git2.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "heinrich/policy/policy.hpp"

namespace heinrich::git {

struct RefUpdate {
  std::string ref;        // the ref being updated on the receiving side
  git_oid old_oid{};      // what it points at there now; zero for a new ref
  git_oid new_oid{};      // what it will point at; zero for a deletion
  std::string local_ref;  // pre-push only: the local ref (or expression) pushed

  [[nodiscard]] bool is_deletion() const;
  [[nodiscard]] bool is_creation() const;
};

// "<local ref> SP <local oid> SP <remote ref> SP <remote oid>" lines. The
// local ref is whatever was typed (it may hold spaces), so the line is split
// from the right. Blank lines are skipped; anything else malformed is an
// InputError naming the line.
std::vector<RefUpdate> parse_pre_push(std::string_view input);
// "<old oid> SP <new oid> SP <ref>" lines.
std::vector<RefUpdate> parse_pre_receive(std::string_view input);

}  // namespace heinrich::git
