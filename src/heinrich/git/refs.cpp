#include "heinrich/git/refs.hpp"

#include <string_view>

#include "heinrich/git/git.hpp"

namespace heinrich::git {

namespace {

using ReferenceIterator = std::unique_ptr<git_reference_iterator, Deleter<git_reference_iterator_free>>;

}  // namespace

RefNames list_ref_names(git_repository* repo, std::size_t cap) {
  git_reference_iterator* raw = nullptr;
  check(git_reference_iterator_new(&raw, repo), "cannot list the repository's refs");
  const ReferenceIterator iterator(raw);
  RefNames out;
  const char* name = nullptr;
  while (true) {
    const int code = git_reference_next_name(&name, iterator.get());
    if (code == GIT_ITEROVER) break;
    check(code, "cannot list the repository's refs");
    if (out.names.size() == cap) {
      out.truncated = true;
      break;
    }
    out.names.emplace_back(name);
  }
  git_error_clear();
  return out;
}

std::optional<std::string> head_target(git_repository* repo) {
  git_reference* raw = nullptr;
  const int code = git_reference_lookup(&raw, repo, "HEAD");
  if (code == GIT_ENOTFOUND) {
    git_error_clear();
    return std::nullopt;
  }
  check(code, "cannot read HEAD");
  const Reference head(raw);
  if (git_reference_type(head.get()) != GIT_REFERENCE_SYMBOLIC) return std::nullopt;
  return std::string(git_reference_symbolic_target(head.get()));
}

std::optional<std::string> head_branch(git_repository* repo) {
  const auto target = head_target(repo);
  constexpr std::string_view kHeads = "refs/heads/";
  if (!target || target->compare(0, kHeads.size(), kHeads) != 0) return std::nullopt;
  return target->substr(kHeads.size());
}

}  // namespace heinrich::git
