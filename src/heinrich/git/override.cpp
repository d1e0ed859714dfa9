#include "heinrich/git/override.hpp"

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "heinrich/git/git.hpp"
#include "heinrich/util/pattern.hpp"
#include "heinrich/util/text.hpp"

namespace heinrich::git {

namespace {

// post-receive writes the records of pushes that all finish at once, and a
// failure there cannot stop the push, only lose its record: about 14 s of
// retries (with 25, about 5 s, a loaded fresh-clone run once lost one of twenty records; contention is the
// likely cause).
constexpr int kNoteAttempts = 60;

bool listed(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

struct TrailerArray {
  git_message_trailer_array array{};
  ~TrailerArray() { git_message_trailer_array_free(&array); }
};

Signature note_signature(git_repository* repo) {
  git_signature* raw = nullptr;
  // A server account often has no user.name/user.email; the note is still written.
  if (git_signature_default(&raw, repo) < 0) {
    git_error_clear();
    check(git_signature_now(&raw, "heinrich", "heinrich@localhost"), "cannot make a signature for the note");
  }
  return Signature(raw);
}

}  // namespace

OverrideRequest parse_override(std::string_view text, std::string source) {
  text = trim(text);
  // A folded trailer continues on the next line: the ticket ends at any
  // white space, and the reason is one line with each run of white space
  // (newlines included) read as one space.
  const std::size_t space = text.find_first_of(" \t\r\n");
  OverrideRequest request;
  request.ticket = std::string(text.substr(0, space));
  if (space != std::string_view::npos) {
    std::string reason;
    for (char c : trim(text.substr(space))) {
      const bool blank = c == ' ' || c == '\t' || c == '\r' || c == '\n';
      if (!blank)
        reason += c;
      else if (reason.empty() || reason.back() != ' ')
        reason += ' ';
    }
    request.reason = escape_control(reason);  // the pusher's text reaches logs and terminals
  }
  request.source = std::move(source);
  return request;
}

std::optional<std::string> override_trailer(const char* message) {
  if (message == nullptr) return std::nullopt;
  TrailerArray trailers;
  if (git_message_trailers(&trailers.array, message) < 0) {
    git_error_clear();  // a message without a trailer block is not an error for us
    return std::nullopt;
  }
  std::optional<std::string> value;
  for (std::size_t i = 0; i < trailers.array.count; ++i) {
    const git_message_trailer& trailer = trailers.array.trailers[i];
    if (to_lower(trailer.key) == to_lower(kOverrideTrailer)) value = std::string(trim(trailer.value));
  }
  return value;
}

std::vector<std::string> unoverridable(const OverridePolicy& policy, const RuleSet& rules,
                                       const Assessment& assessment) {
  std::vector<std::string> found;
  auto note = [&](const std::string& name, bool overridable) {
    if (listed(policy.never, name))
      found.push_back(name + " (listed in [override] never)");
    else if (!overridable)
      found.push_back(name + " (overridable = false)");
  };
  for (const Match& match : assessment.matches) {
    const Rule& rule = rules.rules[match.rule];
    note(rule.name, rule.overridable);
  }
  for (const ExtraRisk& extra : assessment.extra) note(extra.name, true);
  if (!assessment.inside_allowed) {
    const bool overridable =
        !assessment.first_allow_rule || rules.rules[*assessment.first_allow_rule].overridable;
    note("outside-allowed-windows", overridable);
  }
  return found;
}

std::vector<std::string> override_problems(const OverridePolicy& policy, const RuleSet& rules,
                                           const Assessment& assessment, const OverrideRequest& request) {
  std::vector<std::string> problems;
  if (!policy.allowed) problems.push_back("the policy does not allow overrides ([override] allowed = false)");
  if (request.ticket.empty()) {
    problems.push_back("no ticket: write 'Heinrich-Override: TICKET reason'");
  } else if (has_unprintable(request.ticket)) {
    problems.push_back("the ticket '" + excerpt(request.ticket) + "' contains a control character");
  } else if (request.ticket.size() > Pattern::kMaxTextLength) {
    problems.push_back("the ticket is " + std::to_string(request.ticket.size()) +
                       " characters long; at most " + std::to_string(Pattern::kMaxTextLength) + " are read");
  } else if (!policy.ticket.empty() && !Pattern::compile(policy.ticket).search(request.ticket)) {
    problems.push_back("ticket '" + excerpt(request.ticket) +
                       "' does not match [override] ticket = " + policy.ticket);
  }
  if (request.reason.empty()) problems.push_back("no reason after the ticket: say why it cannot wait");
  // The record carries the reason; one that long is no reason a reviewer
  // reads, and it must fit the record that lets the push through.
  constexpr std::size_t kMaxReason = 2000;
  if (request.reason.size() > kMaxReason)
    problems.push_back("the reason is " + std::to_string(request.reason.size()) +
                       " characters long; at most " + std::to_string(kMaxReason) + " are recorded");
  for (const std::string& rule : unoverridable(policy, rules, assessment))
    problems.push_back("cannot override " + rule);
  return problems;
}

std::string OverrideRecord::to_json() const {
  const nlohmann::ordered_json object{{"time", time},
                                      {"who", who},
                                      {"ref", ref},
                                      {"oid", oid},
                                      {"environment", environment},
                                      {"hook", hook},
                                      {"status", status},
                                      {"decision", decision},
                                      {"score", score},
                                      {"reasons", reasons},
                                      {"ticket", ticket},
                                      {"reason", reason},
                                      {"source", source},
                                      {"policy", policy}};
  return object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<OverrideRecord> OverrideRecord::from_json(std::string_view line) {
  line = trim(line);
  if (line.empty() || line.front() != '{') return std::nullopt;
  const auto object = nlohmann::json::parse(line, nullptr, false);
  if (object.is_discarded() || !object.is_object() || !object.contains("ticket") || !object.contains("time"))
    return std::nullopt;
  auto text = [&](const char* key) {
    const auto found = object.find(key);
    // Notes can be written by anyone with push access to a client's clone:
    // what is printed from them is made printable.
    return found != object.end() && found->is_string() ? escape_control(found->get<std::string>())
                                                       : std::string();
  };
  OverrideRecord record;
  record.time = text("time");
  record.who = text("who");
  record.ref = text("ref");
  record.oid = text("oid");
  record.environment = text("environment");
  record.hook = text("hook");
  record.status = text("status");
  record.decision = text("decision");
  if (const auto score = object.find("score"); score != object.end() && score->is_number_integer())
    record.score = score->get<int>();
  if (const auto reasons = object.find("reasons"); reasons != object.end() && reasons->is_array())
    for (const auto& reason : *reasons)
      if (reason.is_string()) record.reasons.push_back(escape_control(reason.get<std::string>()));
  record.ticket = text("ticket");
  record.reason = text("reason");
  record.source = text("source");
  record.policy = text("policy");
  return record;
}

bool append_override_note(git_repository* repo, const git_oid& target, const OverrideRecord& record) {
  const std::string line = record.to_json();
  const Signature signature = note_signature(repo);
  // Parallel override pushes race for the one notes ref: each loser waits a
  // growing, jittered while (5 ms doubling to 250 ms, about 14 s in all) so
  // that twenty pushes at once all get through instead of colliding again.
  std::minstd_rand jitter{std::random_device{}()};
  for (int attempt = 0; attempt < kNoteAttempts; ++attempt) {
    if (attempt > 0) {
      const int ceiling = std::min(250, 5 << std::min(attempt - 1, 6));
      std::this_thread::sleep_for(
          std::chrono::milliseconds(std::uniform_int_distribution<int>(ceiling / 2, ceiling)(jitter)));
    }
    std::optional<git_oid> current;
    Commit notes_commit;
    git_oid current_oid;
    const int found = git_reference_name_to_id(&current_oid, repo, kNotesRef);
    if (found == GIT_ENOTFOUND) {
      git_error_clear();
    } else {
      check(found, std::string("cannot read ") + kNotesRef);
      current = current_oid;
      notes_commit = lookup_commit(repo, current_oid);
    }

    std::string text;
    if (notes_commit) {
      git_note* raw_note = nullptr;
      const int read = git_note_commit_read(&raw_note, repo, notes_commit.get(), &target);
      if (read == GIT_ENOTFOUND) {
        git_error_clear();
      } else {
        check(read, "cannot read the existing note of " + to_hex(target));
        const Note note(raw_note);
        text = git_note_message(note.get());
        if (!text.empty() && text.back() != '\n') text += '\n';
      }
    }
    // A run killed after writing a record and before removing what it
    // wrote it from would otherwise write it twice.
    if (text.rfind(line + "\n", 0) == 0 || text.find("\n" + line + "\n") != std::string::npos) return false;
    text += line + "\n";

    git_oid new_commit;
    git_oid new_blob;
    check(git_note_commit_create(&new_commit, &new_blob, repo, notes_commit.get(), signature.get(),
                                 signature.get(), &target, text.c_str(), 1),
          "cannot write the override note");
    git_reference* raw_ref = nullptr;
    const std::string log = "heinrich: override " + record.ticket + " on " + record.ref;
    const int moved = current ? git_reference_create_matching(&raw_ref, repo, kNotesRef, &new_commit, 1,
                                                              &*current, log.c_str())
                              : git_reference_create(&raw_ref, repo, kNotesRef, &new_commit, 0, log.c_str());
    if (moved == GIT_EMODIFIED || moved == GIT_EEXISTS || moved == GIT_ELOCKED) {
      git_error_clear();  // someone else wrote a note meanwhile: start again from theirs
      continue;
    }
    check(moved, std::string("cannot update ") + kNotesRef);
    const Reference ref(raw_ref);
    return true;
  }
  throw GitError(std::string("cannot update ") + kNotesRef + ": it kept changing under us");
}

OverrideNotes read_override_notes(git_repository* repo) {
  OverrideNotes notes;
  git_oid tip;
  const int resolved = git_reference_name_to_id(&tip, repo, kNotesRef);
  if (resolved == GIT_ENOTFOUND) {
    git_error_clear();
    return notes;
  }
  check(resolved, std::string("cannot read ") + kNotesRef);
  // libgit2's note iterator trusts the ref to name a commit; check first.
  git_object_t type = GIT_OBJECT_INVALID;
  {
    git_odb* raw_odb = nullptr;
    check(git_repository_odb(&raw_odb, repo), "cannot open the object database");
    std::size_t size = 0;
    const int header = git_odb_read_header(&size, &type, raw_odb, &tip);
    git_odb_free(raw_odb);
    if (header < 0) {
      git_error_clear();
      throw GitError(std::string(kNotesRef) + " names " + to_hex(tip) +
                     ", which is not in this repository; the override log is damaged");
    }
  }
  if (type != GIT_OBJECT_COMMIT)
    throw GitError(std::string(kNotesRef) + " points at a " + git_object_type2string(type) +
                   ", not a commit; the override log is damaged (restore it from the server)");
  std::vector<NotedRecord>& records = notes.records;
  git_note_iterator* raw_iterator = nullptr;
  const int opened = git_note_iterator_new(&raw_iterator, repo, kNotesRef);
  if (opened == GIT_ENOTFOUND) {
    git_error_clear();
    return notes;
  }
  check(opened, std::string("cannot read ") + kNotesRef);
  const NoteIterator iterator(raw_iterator);
  git_oid note_id;
  git_oid annotated;
  for (;;) {
    const int code = git_note_next(&note_id, &annotated, iterator.get());
    if (code == GIT_ITEROVER) break;
    check(code, std::string("cannot read ") + kNotesRef);
    git_blob* raw_blob = nullptr;
    check(git_blob_lookup(&raw_blob, repo, &note_id), "cannot read the note of " + to_hex(annotated));
    const Blob blob(raw_blob);
    const std::string_view content(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                                   static_cast<std::size_t>(git_blob_rawsize(blob.get())));
    std::size_t start = 0;
    while (start < content.size()) {
      std::size_t end = content.find('\n', start);
      if (end == std::string_view::npos) end = content.size();
      const std::string_view line = content.substr(start, end - start);
      if (auto record = OverrideRecord::from_json(line))
        records.push_back(NotedRecord{to_hex(annotated), std::move(*record)});
      else if (!trim(line).empty())
        notes.skipped.push_back(to_hex(annotated));
      start = end + 1;
    }
  }
  std::stable_sort(records.begin(), records.end(),
                   [](const NotedRecord& a, const NotedRecord& b) { return a.record.time < b.record.time; });
  return notes;
}

}  // namespace heinrich::git
