#include "heinrich/git/trusted_policy.hpp"

#include <filesystem>

#include "heinrich/git/git.hpp"
#include "heinrich/git/refs.hpp"
#include "heinrich/policy/discovery.hpp"

namespace heinrich::git {

namespace {

namespace fs = std::filesystem;

// The names looked for at the root of the default branch, in this order
// (as discover_policy looks for them in a directory).
constexpr const char* kPolicyNames[] = {"heinrich.toml", ".heinrich.toml"};

struct PolicyBlob {
  const char* name = nullptr;
  git_oid oid{};
};

// The policy file at the root of a commit's tree, if there is one.
std::optional<PolicyBlob> policy_blob(git_repository* repo, const git_oid& commitish) {
  const std::optional<git_oid> commit_oid = peel_to_commit(repo, commitish);
  if (!commit_oid) return std::nullopt;
  const Commit commit = lookup_commit(repo, *commit_oid);
  git_tree* raw_tree = nullptr;
  check(git_commit_tree(&raw_tree, commit.get()), "cannot read the tree of " + short_hex(*commit_oid));
  const Tree tree(raw_tree);
  for (const char* name : kPolicyNames) {
    const git_tree_entry* entry = git_tree_entry_byname(tree.get(), name);
    if (entry == nullptr || git_tree_entry_type(entry) != GIT_OBJECT_BLOB) continue;
    return PolicyBlob{name, *git_tree_entry_id(entry)};
  }
  return std::nullopt;
}

}  // namespace

TrustedPolicy trusted_policy(git_repository* repo, const std::optional<std::string>& server_policy) {
  if (server_policy) return {*server_policy, std::nullopt, std::nullopt};
  if (auto path = config_path(repo, "heinrich.policy", git_repository_path(repo)))
    return {std::move(*path), std::nullopt, std::nullopt};

  TrustedPolicy trusted;
  trusted.policy_ref = head_target(repo);  // the default branch, born or not
  // The default branch as it is now, before this push changes anything.
  if (trusted.policy_ref) {
    git_oid tip{};
    const int code = git_reference_name_to_id(&tip, repo, trusted.policy_ref->c_str());
    if (code == GIT_ENOTFOUND) {
      git_error_clear();  // unborn: the first push creates it
    } else {
      check(code, "cannot read the default branch " + *trusted.policy_ref);
      if (const auto blob = policy_blob(repo, tip)) {
        git_blob* raw_blob = nullptr;
        check(git_blob_lookup(&raw_blob, repo, &blob->oid), std::string("cannot read ") + blob->name);
        const Blob owned(raw_blob);
        trusted.blob_text.emplace(static_cast<const char*>(git_blob_rawcontent(owned.get())),
                                  static_cast<std::size_t>(git_blob_rawsize(owned.get())));
        std::string branch = *trusted.policy_ref;
        if (branch.rfind("refs/heads/", 0) == 0) branch.erase(0, 11);
        trusted.path = branch + ":" + blob->name;
        return trusted;
      }
    }
  }
  const GetEnv nothing = [](const char*) -> std::optional<std::string> { return std::nullopt; };
  trusted.path = discover_policy(std::nullopt, nothing, "");
  return trusted;
}

bool changes_policy(git_repository* repo, const RefUpdate& update) {
  const auto before = update.is_creation() ? std::nullopt : policy_blob(repo, update.old_oid);
  const auto after = update.is_deletion() ? std::nullopt : policy_blob(repo, update.new_oid);
  if (!before || !after) return before.has_value() || after.has_value();
  return std::string_view(before->name) != after->name || git_oid_cmp(&before->oid, &after->oid) != 0;
}

}  // namespace heinrich::git
