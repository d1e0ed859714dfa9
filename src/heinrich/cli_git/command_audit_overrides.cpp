// `heinrich audit-overrides [--since DATE] [--format text|json]`: the
// break-glass overrides recorded under refs/notes/heinrich, oldest first.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <nlohmann/json.hpp>
#include <ostream>

#include "heinrich/cli/git_commands.hpp"
#include "heinrich/cli_git/git_command_support.hpp"
#include "heinrich/core/time_parse.hpp"
#include "heinrich/git/gate.hpp"
#include "heinrich/git/git.hpp"
#include "heinrich/git/override.hpp"
#include "heinrich/util/error.hpp"

namespace heinrich::cli {

namespace {

struct AuditOptions {
  PolicyOptions common;
  std::optional<std::string> since;
};

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

int run_audit_overrides(const AuditOptions& options, const Io& io) {
  std::optional<std::string> since_utc;
  if (options.since) {
    // Only --since needs a zone and a clock: the policy's, as for every TIME.
    Session session = open_session(options.common, io);
    since_utc =
        git::format_utc_seconds(parse_time_argument(*options.since, *session.zone, *session.clock).instant);
  }
  const git::Library library;
  const git::Repository repo = git::open_from_environment();
  git::OverrideNotes notes = git::read_override_notes(repo.get());
  std::vector<git::NotedRecord>& records = notes.records;
  if (since_utc)
    std::erase_if(records, [&](const git::NotedRecord& noted) { return noted.record.time < *since_utc; });

  if (options.common.format == "json") {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& noted : records) {
      auto object = nlohmann::ordered_json::parse(noted.record.to_json());
      object["commit"] = noted.commit;
      list.push_back(std::move(object));
    }
    nlohmann::ordered_json out{{"notes_ref", git::kNotesRef},
                               {"since", since_utc ? nlohmann::ordered_json(*since_utc) : nullptr},
                               {"overrides", list},
                               {"skipped_lines", notes.skipped}};
    io.out << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return kAllowed;
  }
  // Lines that are not records are named, so "no overrides" is never said
  // of a log that holds something else.
  std::string skipped;
  if (!notes.skipped.empty()) {
    std::vector<std::string> commits;
    for (const std::string& commit : notes.skipped)
      if (std::find(commits.begin(), commits.end(), commit.substr(0, 12)) == commits.end())
        commits.push_back(commit.substr(0, 12));
    skipped = fmt::format("{} note line{} that {} not an override record (on {})\n", notes.skipped.size(),
                          notes.skipped.size() == 1 ? "" : "s", notes.skipped.size() == 1 ? "is" : "are",
                          join(commits));
  }
  if (records.empty()) {
    io.out << skipped;
    if (skipped.empty())
      io.out << "no overrides recorded in " << git::kNotesRef << (since_utc ? " since " + *since_utc : "")
             << "\n";
    else
      io.out << "0 overrides in " << git::kNotesRef << (since_utc ? " since " + *since_utc : "") << "\n";
    return kAllowed;
  }
  for (const auto& noted : records) {
    const git::OverrideRecord& r = noted.record;
    io.out << fmt::format("{}  {}  {}  {} -> {}  {}  {} score {}: {}\n", r.time, r.ticket, r.who, r.ref,
                          r.environment, noted.commit.substr(0, 12), r.decision, r.score, join(r.reasons));
    // "requested": written before the push was accepted, which may still
    // have failed (pre-push always; pre-receive without post-receive).
    io.out << fmt::format("    {} (via {}, {}{})\n", r.reason, r.source, r.hook,
                          r.status.empty() ? std::string() : ", " + r.status);
  }
  io.out << skipped;
  io.out << fmt::format("{} override{} in {}\n", records.size(), records.size() == 1 ? "" : "s",
                        git::kNotesRef);
  return kAllowed;
}

}  // namespace

Command make_audit_overrides_command_in_process() {
  return Command{
      "audit-overrides", kAuditOverridesSummary, [](CLI::App& app) -> std::function<int(const Io&)> {
        auto options = std::make_shared<AuditOptions>();
        add_policy_options(app, options->common, {"text", "json"});
        app.add_option("--since", options->since,
                       "only overrides from this time on (TIME or DATE, in the policy's zone)")
            ->type_name("TIME");
        app.footer(
            "Reads the override records the server hook wrote to refs/notes/heinrich and lists who\n"
            "broke glass, when, with which ticket and reason. Run it in the server's repository.");
        return [options](const Io& io) { return run_audit_overrides(*options, io); };
      }};
}

}  // namespace heinrich::cli
