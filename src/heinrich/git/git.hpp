#pragma once
// Thin RAII over libgit2: every git_* object lives in a std::unique_ptr with
// its own deleter, and every return code goes through check(), which turns a
// failure into a GitError carrying git_error_last().
#include <git2.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "heinrich/util/error.hpp"

namespace heinrich::git {

// A repository that cannot be read is bad input to the hook (exit status 2),
// and a hook that cannot read its repository must not let the push through.
class GitError : public InputError {
 public:
  using InputError::InputError;
};

// Throws GitError("<what>: <libgit2's message>") when `code` < 0.
void check(int code, std::string_view what);

// git_libgit2_init() for the lifetime of the object. Only the commands that
// read a repository create one: the call costs milliseconds.
class Library {
 public:
  Library();
  ~Library();
  Library(const Library&) = delete;
  Library& operator=(const Library&) = delete;
};

template <auto Free>
struct Deleter {
  template <typename T>
  void operator()(T* object) const {
    Free(object);
  }
};

using Repository = std::unique_ptr<git_repository, Deleter<git_repository_free>>;
using Object = std::unique_ptr<git_object, Deleter<git_object_free>>;
using Commit = std::unique_ptr<git_commit, Deleter<git_commit_free>>;
using Tree = std::unique_ptr<git_tree, Deleter<git_tree_free>>;
using Blob = std::unique_ptr<git_blob, Deleter<git_blob_free>>;
using Reference = std::unique_ptr<git_reference, Deleter<git_reference_free>>;
using Revwalk = std::unique_ptr<git_revwalk, Deleter<git_revwalk_free>>;
using Diff = std::unique_ptr<git_diff, Deleter<git_diff_free>>;
using Patch = std::unique_ptr<git_patch, Deleter<git_patch_free>>;
using Config = std::unique_ptr<git_config, Deleter<git_config_free>>;
using Note = std::unique_ptr<git_note, Deleter<git_note_free>>;
using NoteIterator = std::unique_ptr<git_note_iterator, Deleter<git_note_iterator_free>>;
using Signature = std::unique_ptr<git_signature, Deleter<git_signature_free>>;
using Odb = std::unique_ptr<git_odb, Deleter<git_odb_free>>;

// A git_buf that frees itself.
class Buffer {
 public:
  Buffer() = default;
  ~Buffer() { git_buf_dispose(&m_buf); }
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  git_buf* get() { return &m_buf; }
  [[nodiscard]] std::string str() const {
    return m_buf.ptr ? std::string(m_buf.ptr, m_buf.size) : std::string();
  }

 private:
  git_buf m_buf = GIT_BUF_INIT;
};

// Opens the repository git runs a hook in, honouring GIT_DIR,
// GIT_OBJECT_DIRECTORY and GIT_ALTERNATE_OBJECT_DIRECTORIES (in pre-receive
// the pushed objects are in a quarantine directory only these name), or
// searching up from the working directory.
Repository open_from_environment();
// The same, or nullptr when there is no repository here or above (other
// failures still throw).
Repository open_from_environment_if_any();
// For a server hook: from here on, libgit2 reads no global or XDG git
// configuration (on a push over the file system, those are the pusher's
// HOME), and it does not redo the ownership check git itself made before it
// ran the hook (libgit2 1.5 does not know safe.directory = *). Call after
// Library's construction, before opening the repository.
void trust_only_the_server();
// Opens the repository at `git_dir` exactly, ignoring the environment.
Repository open_at(const std::string& git_dir);

[[nodiscard]] bool is_zero(const git_oid& oid);
// Parses 40 hex digits; throws InputError naming `what` otherwise.
git_oid parse_oid(std::string_view hex, std::string_view what);
std::string to_hex(const git_oid& oid);
std::string short_hex(const git_oid& oid);  // 12 digits, for people

Commit lookup_commit(git_repository* repo, const git_oid& oid);
// The commit an object id leads to, peeling annotated tags; nullopt if the id
// names no commit (a tag of a tree or a blob).
std::optional<git_oid> peel_to_commit(git_repository* repo, const git_oid& oid);
[[nodiscard]] bool object_exists(git_repository* repo, const git_oid& oid);

// A configuration value of the repository (with the global and system files),
// or nullopt if unset.
std::optional<std::string> config_string(git_repository* repo, const char* name);
// A path from the configuration ("~/" expanded, as git does), made absolute
// against `base` when it is relative; nullopt if unset.
std::optional<std::string> config_path(git_repository* repo, const char* name, const std::string& base);

}  // namespace heinrich::git
