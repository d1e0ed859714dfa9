#include "heinrich/git/git.hpp"

#include <filesystem>

#include <algorithm>

namespace heinrich::git {

void check(int code, std::string_view what) {
  if (code >= 0) return;
  const git_error* error = git_error_last();
  std::string message(what);
  message += ": ";
  message += (error != nullptr && error->message != nullptr) ? error->message
                                                             : "libgit2 error " + std::to_string(code);
  throw GitError(message);
}

Library::Library() {
  check(git_libgit2_init(), "cannot initialise libgit2");
}

Library::~Library() {
  git_libgit2_shutdown();
}

void trust_only_the_server() {
  for (const int level : {GIT_CONFIG_LEVEL_GLOBAL, GIT_CONFIG_LEVEL_XDG})
    check(git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level, ""),
          "cannot set libgit2's configuration search path");
  check(git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0), "cannot set libgit2's owner validation");
}

Repository open_from_environment() {
  git_repository* raw = nullptr;
  check(git_repository_open_ext(&raw, nullptr, GIT_REPOSITORY_OPEN_FROM_ENV, nullptr),
        "not in a git repository");
  return Repository(raw);
}

Repository open_from_environment_if_any() {
  git_repository* raw = nullptr;
  const int code = git_repository_open_ext(&raw, nullptr, GIT_REPOSITORY_OPEN_FROM_ENV, nullptr);
  if (code == GIT_ENOTFOUND) {
    git_error_clear();
    return nullptr;
  }
  check(code, "cannot open the git repository");
  return Repository(raw);
}

Repository open_at(const std::string& git_dir) {
  git_repository* raw = nullptr;
  check(git_repository_open_ext(&raw, git_dir.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr),
        "cannot open the repository at " + git_dir);
  return Repository(raw);
}

bool is_zero(const git_oid& oid) {
  return git_oid_is_zero(&oid) == 1;
}

git_oid parse_oid(std::string_view hex, std::string_view what) {
  const bool well_formed =
      hex.size() == GIT_OID_HEXSZ && std::all_of(hex.begin(), hex.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      });
  if (!well_formed)
    throw InputError(std::string(what) + " '" + std::string(hex) +
                     "' is not a 40-digit object id (SHA-256 repositories are not supported)");
  git_oid oid;
  check(git_oid_fromstrn(&oid, hex.data(), hex.size()), what);
  return oid;
}

std::string to_hex(const git_oid& oid) {
  char text[GIT_OID_HEXSZ + 1] = {};
  git_oid_tostr(text, sizeof text, &oid);
  return text;
}

std::string short_hex(const git_oid& oid) {
  return to_hex(oid).substr(0, 12);
}

Commit lookup_commit(git_repository* repo, const git_oid& oid) {
  git_commit* raw = nullptr;
  check(git_commit_lookup(&raw, repo, &oid), "cannot read commit " + to_hex(oid));
  return Commit(raw);
}

std::optional<git_oid> peel_to_commit(git_repository* repo, const git_oid& oid) {
  git_object* raw = nullptr;
  check(git_object_lookup(&raw, repo, &oid, GIT_OBJECT_ANY), "cannot read object " + to_hex(oid));
  const Object object(raw);
  git_object* peeled_raw = nullptr;
  const int code = git_object_peel(&peeled_raw, object.get(), GIT_OBJECT_COMMIT);
  if (code == GIT_EINVALIDSPEC || code == GIT_EPEEL || code == GIT_ENOTFOUND) {
    git_error_clear();
    return std::nullopt;
  }
  check(code, "cannot peel " + to_hex(oid) + " to a commit");
  const Object peeled(peeled_raw);
  return *git_object_id(peeled.get());
}

bool object_exists(git_repository* repo, const git_oid& oid) {
  git_odb* raw = nullptr;
  check(git_repository_odb(&raw, repo), "cannot open the object database");
  const Odb odb(raw);
  return git_odb_exists(odb.get(), &oid) == 1;
}

namespace {

// One configuration value read by `get` (libgit2's string or path reader),
// or nullopt if unset.
std::optional<std::string> config_value(git_repository* repo, const char* name,
                                        int (*get)(git_buf*, const git_config*, const char*)) {
  git_config* raw = nullptr;
  check(git_repository_config_snapshot(&raw, repo), "cannot read the git configuration");
  const Config config(raw);
  Buffer value;
  const int code = get(value.get(), config.get(), name);
  if (code == GIT_ENOTFOUND) {
    git_error_clear();
    return std::nullopt;
  }
  check(code, std::string("cannot read git config ") + name);
  return value.str();
}

}  // namespace

std::optional<std::string> config_string(git_repository* repo, const char* name) {
  return config_value(repo, name, git_config_get_string_buf);
}

std::optional<std::string> config_path(git_repository* repo, const char* name, const std::string& base) {
  const auto value = config_value(repo, name, git_config_get_path);
  if (!value) return std::nullopt;
  const std::filesystem::path path(*value);
  return (path.is_absolute() ? path : std::filesystem::path(base) / path).lexically_normal().string();
}

}  // namespace heinrich::git
