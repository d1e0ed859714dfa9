#include "heinrich/git/change.hpp"

#include <algorithm>
#include <cstring>
#include <unordered_set>

#include "heinrich/git/git.hpp"
#include "heinrich/util/glob.hpp"
#include "heinrich/util/text.hpp"

namespace heinrich::git {

namespace {

struct OidHash {
  std::size_t operator()(const git_oid& oid) const {
    std::size_t value = 0;
    std::memcpy(&value, oid.id, sizeof value);  // object ids are uniformly distributed already
    return value;
  }
};
struct OidEqual {
  bool operator()(const git_oid& a, const git_oid& b) const { return git_oid_equal(&a, &b) == 1; }
};
using OidSet = std::unordered_set<git_oid, OidHash, OidEqual>;

Revwalk new_walk(git_repository* repo) {
  git_revwalk* raw = nullptr;
  check(git_revwalk_new(&raw, repo), "cannot start a revision walk");
  return Revwalk(raw);
}

Tree tree_of(git_repository* repo, const git_oid& commit_oid) {
  const Commit commit = lookup_commit(repo, commit_oid);
  git_tree* raw = nullptr;
  check(git_commit_tree(&raw, commit.get()), "cannot read the tree of " + to_hex(commit_oid));
  return Tree(raw);
}

// The first commit on the tip's first-parent line that is not being pushed.
std::optional<git_oid> first_known_ancestor(git_repository* repo, const git_oid& tip, const OidSet& pushed) {
  git_oid current = tip;
  while (pushed.count(current) != 0) {
    const Commit commit = lookup_commit(repo, current);
    if (git_commit_parentcount(commit.get()) == 0) return std::nullopt;
    const git_oid* parent = git_commit_parent_id(commit.get(), 0);
    // A shallow clone's boundary commit names a parent that is not here.
    if (parent == nullptr || !object_exists(repo, *parent)) return std::nullopt;
    current = *parent;
  }
  return current;
}

// The parents of a commit that are in this repository: a shallow clone's
// boundary commits name parents it never fetched.
std::vector<git_oid> present_parents(git_repository* repo, const git_oid& oid) {
  const Commit commit = lookup_commit(repo, oid);
  std::vector<git_oid> parents;
  for (unsigned i = 0; i < git_commit_parentcount(commit.get()); ++i) {
    const git_oid* parent = git_commit_parent_id(commit.get(), i);
    if (parent != nullptr && object_exists(repo, *parent)) parents.push_back(*parent);
  }
  return parents;
}

void add_ancestors(git_repository* repo, std::vector<git_oid> pending, const OidSet& stop, OidSet& into) {
  while (!pending.empty()) {
    const git_oid oid = pending.back();
    pending.pop_back();
    if (stop.count(oid) != 0 || !into.insert(oid).second) continue;
    for (const git_oid& parent : present_parents(repo, oid)) pending.push_back(parent);
  }
}

std::vector<git_oid> hidden_tips(git_repository* repo, const std::optional<git_oid>& old_commit,
                                 const std::vector<std::string>& globs) {
  std::vector<git_oid> tips;
  if (old_commit) {
    tips.push_back(*old_commit);
    return tips;
  }
  for (const std::string& glob : globs) {
    git_reference_iterator* raw_iterator = nullptr;
    check(git_reference_iterator_glob_new(&raw_iterator, repo, glob.c_str()), "cannot list " + glob);
    const std::unique_ptr<git_reference_iterator, Deleter<git_reference_iterator_free>> iterator(
        raw_iterator);
    git_reference* raw_ref = nullptr;
    for (;;) {
      const int code = git_reference_next(&raw_ref, iterator.get());
      if (code == GIT_ITEROVER) break;
      check(code, "cannot list " + glob);
      const Reference ref(raw_ref);
      git_object* raw_peeled = nullptr;
      if (git_reference_peel(&raw_peeled, ref.get(), GIT_OBJECT_COMMIT) < 0) {
        git_error_clear();  // a symbolic ref to nothing, a tag of a blob: hides nothing
        continue;
      }
      const Object peeled(raw_peeled);
      tips.push_back(*git_object_id(peeled.get()));
    }
  }
  return tips;
}

// libgit2 1.5 cannot walk past a shallow boundary (it fails on the missing
// parents), so a shallow repository is walked here: everything reachable
// from the hidden tips is known, the rest reachable from the tip is pushed.
// Linear in the local history, which a shallow clone keeps short.
OidSet walk_shallow(git_repository* repo, const git_oid& tip, const std::vector<git_oid>& hidden) {
  OidSet known;
  add_ancestors(repo, hidden, OidSet{}, known);
  OidSet pushed;
  add_ancestors(repo, {tip}, known, pushed);
  return pushed;
}

bool sensitive(const ChangeRisk& rules, const char* path) {
  if (path == nullptr) return false;
  return std::any_of(rules.sensitive_paths.begin(), rules.sensitive_paths.end(),
                     [&](const std::string& pattern) { return glob_match(pattern, path); });
}

}  // namespace

std::optional<PushedChange> analyse_push(git_repository* repo, const git_oid& new_oid,
                                         const KnownCommits& known, const ChangeRisk& rules) {
  const auto tip = peel_to_commit(repo, new_oid);
  if (!tip) return std::nullopt;
  PushedChange change;
  change.tip = *tip;

  std::optional<git_oid> old_commit;
  if (known.old_tip && object_exists(repo, *known.old_tip)) old_commit = peel_to_commit(repo, *known.old_tip);
  OidSet pushed;
  if (git_repository_is_shallow(repo) == 1) {
    pushed = walk_shallow(repo, *tip, hidden_tips(repo, old_commit, known.hide_globs));
  } else {
    const Revwalk walk = new_walk(repo);
    check(git_revwalk_sorting(walk.get(), GIT_SORT_NONE), "cannot set up the revision walk");
    check(git_revwalk_push(walk.get(), &*tip), "cannot walk from " + to_hex(*tip));
    if (old_commit) {
      check(git_revwalk_hide(walk.get(), &*old_commit), "cannot hide " + to_hex(*old_commit));
    } else {
      for (const std::string& glob : known.hide_globs) {
        const int code = git_revwalk_hide_glob(walk.get(), glob.c_str());
        if (code == GIT_ENOTFOUND) {
          git_error_clear();
          continue;
        }
        check(code, "cannot hide " + glob);
      }
    }
    git_oid oid;
    for (;;) {
      const int code = git_revwalk_next(&oid, walk.get());
      if (code == GIT_ITEROVER) break;
      check(code, "cannot walk the pushed commits");
      pushed.insert(oid);
    }
  }
  change.commits = pushed.size();

  std::optional<git_oid> base = old_commit;
  if (!base) base = first_known_ancestor(repo, *tip, pushed);
  if (base && git_oid_equal(&*base, &*tip) == 1) {
    change.base = "the receiver already has " + short_hex(*tip);
    change.lines_counted = rules.large_lines.has_value();
    return change;
  }
  change.base = base ? short_hex(*base) : std::string("the empty tree (no ancestor the receiver has)");

  const bool need_paths = !rules.sensitive_paths.empty() && rules.sensitive_risk > 0;
  const bool need_lines = rules.large_lines.has_value() && rules.large_risk > 0;
  change.lines_counted = need_lines;
  if (!need_paths && !need_lines) return change;  // no [change] rule: the diff would be wasted work
  const Tree new_tree = tree_of(repo, *tip);
  const Tree old_tree = base ? tree_of(repo, *base) : Tree();
  git_diff_options options = GIT_DIFF_OPTIONS_INIT;
  options.context_lines = 0;  // lines are counted, not shown
  git_diff* raw_diff = nullptr;
  check(git_diff_tree_to_tree(&raw_diff, repo, old_tree.get(), new_tree.get(), &options),
        "cannot diff " + change.base + " to " + short_hex(*tip));
  const Diff diff(raw_diff);
  // A moved file is one change, not a deletion and an addition of every line.
  git_diff_find_options find = GIT_DIFF_FIND_OPTIONS_INIT;
  find.flags = GIT_DIFF_FIND_RENAMES | GIT_DIFF_FIND_EXACT_MATCH_ONLY;
  check(git_diff_find_similar(diff.get(), &find), "cannot detect renames");

  const std::size_t deltas = git_diff_num_deltas(diff.get());
  change.files = deltas;
  for (std::size_t i = 0; i < deltas; ++i) {
    const git_diff_delta* delta = git_diff_get_delta(diff.get(), i);
    if (need_paths && (sensitive(rules, delta->new_file.path) ||
                       (delta->status == GIT_DELTA_RENAMED && sensitive(rules, delta->old_file.path))))
      change.sensitive.push_back(
          excerpt(delta->new_file.path, 200));  // a pusher names files: printed escaped
    if (!need_lines || delta->status == GIT_DELTA_RENAMED || (delta->flags & GIT_DIFF_FLAG_BINARY) != 0)
      continue;
    git_patch* raw_patch = nullptr;
    check(git_patch_from_diff(&raw_patch, diff.get(), i), std::string("cannot diff ") + delta->new_file.path);
    const Patch patch(raw_patch);
    if (patch == nullptr) continue;  // binary after all: no lines
    std::size_t added = 0;
    std::size_t removed = 0;
    check(git_patch_line_stats(nullptr, &added, &removed, patch.get()), "cannot count changed lines");
    change.lines += static_cast<long long>(added + removed);
  }
  return change;
}

std::string group_thousands(long long value) {
  // Appends rather than inserts: no negation (LLONG_MIN), and no
  // string::insert, which GCC 12 at -O3 warns about (-Wrestrict, a false alarm).
  const std::string digits = std::to_string(value);
  const std::size_t sign = value < 0 ? 1 : 0;
  const std::size_t count = digits.size() - sign;
  std::string out = digits.substr(0, sign);
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0 && (count - i) % 3 == 0) out += ',';
    out += digits[sign + i];
  }
  return out;
}

std::vector<ExtraRisk> change_risks(const ChangeRisk& rules, const PushedChange& change) {
  const std::string source = rules.where.format();
  std::vector<ExtraRisk> risks;
  if (rules.large_lines && rules.large_risk > 0 && change.lines_counted &&
      change.lines > *rules.large_lines) {
    risks.push_back(ExtraRisk{"large-change", "change",
                              group_thousands(change.lines) + " lines changed in " +
                                  group_thousands(static_cast<long long>(change.files)) +
                                  " files (large_lines = " + group_thousands(*rules.large_lines) + ")",
                              source, rules.large_risk});
  }
  if (rules.sensitive_risk > 0 && !change.sensitive.empty()) {
    std::string detail;
    const std::size_t shown = std::min<std::size_t>(change.sensitive.size(), 3);
    for (std::size_t i = 0; i < shown; ++i) detail += (i ? ", " : "") + change.sensitive[i];
    if (change.sensitive.size() > shown)
      detail += " and " + std::to_string(change.sensitive.size() - shown) + " more";
    risks.push_back(ExtraRisk{"sensitive-paths", "change",
                              std::to_string(change.sensitive.size()) +
                                  (change.sensitive.size() == 1 ? " file matches" : " files match") +
                                  " sensitive_paths: " + detail,
                              source, rules.sensitive_risk});
  }
  return risks;
}

}  // namespace heinrich::git
