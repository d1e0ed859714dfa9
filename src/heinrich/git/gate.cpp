#include "heinrich/git/gate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <tuple>

#include "heinrich/core/duration.hpp"
#include "heinrich/git/git.hpp"
#include "heinrich/git/trusted_policy.hpp"
#include "heinrich/policy/environments.hpp"
#include "heinrich/report/reports.hpp"
#include "heinrich/util/pattern.hpp"
#include "heinrich/util/text.hpp"

namespace heinrich::git {

namespace {

std::string committer_email(git_commit* commit) {
  const git_signature* committer = git_commit_committer(commit);
  if (committer == nullptr) return {};
  if (committer->email != nullptr && *committer->email != '\0') return committer->email;
  return committer->name != nullptr ? committer->name : "";
}

std::string shell_quote(std::string_view text) {
  std::string out = "'";
  for (const char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// A word as the shell reads it: quoted only when it has to be.
std::string shell_word(std::string_view text) {
  const bool plain = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
           std::string_view("_./:@%+=,-").find(c) != std::string_view::npos;
  });
  return plain ? std::string(text) : shell_quote(text);
}

// A ticket the hint can show that the policy's [override] ticket pattern
// accepts, so the printed command works once its reason is edited; empty
// when none of the usual shapes matches.
std::string example_ticket(const std::string& pattern) {
  static constexpr std::array kCandidates{"INC-1234", "CHG-1234", "OPS-1234", "JIRA-1234", "TICKET-1234",
                                          "1234",     "#1234",    "INC1234",  "ABC-123"};
  if (pattern.empty()) return kCandidates.front();
  const Pattern compiled = Pattern::compile(pattern);
  for (const char* candidate : kCandidates)
    if (compiled.search(candidate)) return candidate;
  return {};
}

std::string plural(std::size_t n, std::string_view word) {
  return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
}

// One line per reason: weight, what, when, where it is in the policy.
void render_reasons(std::string& out, const RefVerdict& verdict, const GateInput& input) {
  const RuleSet& rules = input.policy->rules;
  const Zone& zone = *input.zone;
  for (const Match& match : verdict.assessment.matches) {
    const Rule& rule = rules.rules[match.rule];
    const std::string weight = rule.action == Action::score ? fmt::format("+{}", match.contribution)
                                                            : std::string(to_string(rule.action));
    const std::string what = match.occurrence.label.empty() || match.occurrence.label == rule.name
                                 ? rule.name
                                 : rule.name + ": " + match.occurrence.label;
    out += fmt::format("  {:<6}{} ({}), {} to {}  [{}]\n", weight, what, to_string(rule.kind),
                       format_for_people(zone, match.occurrence.span.start),
                       format_for_people(zone, match.occurrence.span.end), rule.source.format());
  }
  for (const ExtraRisk& extra : verdict.assessment.extra)
    out += fmt::format("  {:<6}{} ({}), {}  [{}]\n", fmt::format("+{}", extra.risk), extra.name, extra.kind,
                       extra.detail, extra.source);
  if (!verdict.assessment.inside_allowed) {
    const auto& first = verdict.assessment.first_allow_rule;
    out += fmt::format("  {:<6}outside-allowed-windows: no allow window covers the deploy  [{}]\n", "block",
                       first ? rules.rules[*first].source.format() : input.policy->path);
  }
}

// Where a ref deploys, as the messages name it.
std::string destination(const RefVerdict& verdict) {
  if (verdict.environment) return *verdict.environment;
  return verdict.update.is_deletion() ? "every environment (deleting it removes the policy this server reads)"
                                      : "every environment (it changes the policy this server reads)";
}

std::string header(const RefVerdict& verdict, const GateInput& input, std::string_view label) {
  const Thresholds& thresholds = input.policy->rules.thresholds;
  const Decision decision = verdict.assessment.decision;
  const std::string limit = decision == Decision::warn ? fmt::format(" (warn at {})", thresholds.warn)
                                                       : fmt::format(" (block at {})", thresholds.block);
  return fmt::format("heinrich: {} {} -> {}: score {}/100{}, {}\n", label, verdict.update.ref,
                     destination(verdict), verdict.assessment.score, limit,
                     plural(verdict.change.commits, "new commit"));
}

void render_override_help(std::string& out, const RefVerdict& verdict, const GateInput& input) {
  const OverridePolicy& policy = input.policy->override_policy;
  if (verdict.override_request) {
    out += "  override refused (" + verdict.override_request->source + "):\n";
    for (const std::string& problem : verdict.override_problems) out += "    - " + problem + "\n";
  }
  if (verdict.update.is_deletion()) {
    out += "  a deletion carries no commit to put an override on: delete it when the policy allows\n";
    return;
  }
  const auto blockers = unoverridable(policy, input.policy->rules, verdict.assessment);
  if (!policy.allowed) {
    if (!verdict.override_request) out += "  no override: the policy does not allow them\n";
    return;
  }
  if (!blockers.empty()) {
    if (!verdict.override_request) {
      out += "  no override possible:";
      for (const std::string& blocker : blockers) out += " " + blocker;
      out += "\n";
    }
    return;
  }
  const std::string ticket = example_ticket(policy.ticket);
  const std::string value = (ticket.empty() ? "TICKET" : ticket) + " why it cannot wait";
  const std::string amend =
      "git commit --amend --no-edit --trailer " + shell_quote(std::string(kOverrideTrailer) + ": " + value);
  const std::string tip = short_hex(verdict.change.tip);
  const std::string pattern = policy.ticket.empty() ? "" : " (the ticket must match " + policy.ticket + ")";
  out += "  to override" + pattern + ", add a trailer to the tip commit " + tip + " and push again:\n";
  const std::string& local = verdict.update.local_ref;
  switch (verdict.tip_place) {
    case RefVerdict::TipPlace::head:
      out += "      " + amend + "\n";
      break;
    case RefVerdict::TipPlace::branch:
      out += "      git switch " + shell_word(local.substr(std::string_view("refs/heads/").size())) + " && " +
             amend + "\n";
      break;
    case RefVerdict::TipPlace::other:
      out += "      " + amend + "\n";
      out += "    with " + tip + " checked out; then " +
             (local.empty() ? std::string("push the amended commit")
                            : "point " + escape_control(local) + " at the amended commit and push that") +
             "\n";
      break;
  }
  if (ticket.empty())
    out += "    replace TICKET with a ticket that matches " + policy.ticket +
           " (heinrich found no example that does)\n";
  // The trailer is read from the pushed tip only; a trailer on an earlier
  // commit of the same push does not count.
  if (verdict.change.commits > 1)
    out += "    only the tip counts: the trailer goes on " + tip + ", the last of the " +
           std::to_string(verdict.change.commits) + " commits, and it must be the commit you push\n";
  if (input.kind == HookKind::pre_push)
    out += "  or, from CI: HEINRICH_OVERRIDE=" + shell_quote(value) + " git push …\n";
}

// After an override, where its record is and how it reaches the remote.
// A record is written only when the whole push goes ahead (`goes`).
void render_record_place(std::string& out, const RefVerdict& verdict, const GateInput& input, bool goes) {
  out += fmt::format("  this override is recorded in {} on {}{}\n", kNotesRef, short_hex(verdict.change.tip),
                     input.kind == HookKind::pre_receive ? " once git has accepted the push" : "");
  // pre-push writes the record in this clone only; with share_notes the
  // hook pushes it itself once the check is done.
  if (input.kind == HookKind::pre_push && !input.share_notes && goes)
    out += "  share the record: git push " + (input.remote.empty() ? "REMOTE" : shell_word(input.remote)) +
           " " + kNotesRef + "   (`heinrich install --share-notes` does it on every override)\n";
}

// Where the pushed tip is for the pusher (RefVerdict::TipPlace).
RefVerdict::TipPlace tip_place(git_repository* repo, const RefUpdate& update, const git_oid& tip) {
  git_reference* raw = nullptr;
  if (git_reference_lookup(&raw, repo, "HEAD") == 0) {
    const Reference head(raw);
    const bool names_head =
        update.local_ref == "HEAD" || (git_reference_type(head.get()) == GIT_REFERENCE_SYMBOLIC &&
                                       update.local_ref == git_reference_symbolic_target(head.get()));
    git_oid head_oid{};
    if (names_head && git_reference_name_to_id(&head_oid, repo, "HEAD") == 0 &&
        git_oid_equal(&head_oid, &tip) == 1)
      return RefVerdict::TipPlace::head;
  }
  if (update.local_ref.starts_with("refs/heads/")) return RefVerdict::TipPlace::branch;
  return RefVerdict::TipPlace::other;
}

}  // namespace

bool GateResult::blocked() const {
  return std::any_of(verdicts.begin(), verdicts.end(),
                     [](const RefVerdict& verdict) { return verdict.blocks(); });
}

std::string format_utc_seconds(Instant instant) {
  const auto day = std::chrono::floor<std::chrono::days>(instant);
  const std::chrono::year_month_day date{day};
  const std::chrono::hh_mm_ss time{instant - day};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                     time.hours().count(), time.minutes().count(), time.seconds().count());
}

GateResult run_gate(git_repository* repo, const GateInput& input) {
  const Policy& policy = *input.policy;
  GateResult result;
  for (const RefUpdate& update : input.updates) {
    const bool policy_change =
        input.policy_ref && update.ref == *input.policy_ref && changes_policy(repo, update);
    const auto environment = environment_for_ref(policy.push, update.ref);
    // Nothing is deployed by removing a ref, or by a ref that maps to no
    // environment, unless it changes the policy.
    if (!policy_change && (update.is_deletion() || !environment)) {
      ++result.ignored;
      continue;
    }
    RefVerdict verdict;
    verdict.update = update;
    verdict.policy_change = policy_change;
    // A policy change decides every environment's later pushes: every rule
    // applies to it.
    if (!policy_change) verdict.environment = environment;
    if (!update.is_deletion()) {
      KnownCommits known;
      if (!update.is_creation()) known.old_tip = update.old_oid;
      known.hide_globs = input.hide_globs;
      if (auto change = analyse_push(repo, update.new_oid, known, policy.change))
        verdict.change = std::move(*change);
    }

    Request request{input.now, policy.defaults.duration, policy.defaults.watch, verdict.environment,
                    change_risks(policy.change, verdict.change)};
    verdict.assessment = evaluate(policy.rules, request);
    // A policy change decides for every environment: the strictest of them
    // judges it. Without an environment every rule applies, but allow
    // windows are then joined, and one environment's window would open the
    // gate for all.
    if (policy_change)
      for (const std::string& name : policy.environments.names) {
        Request scoped = request;
        scoped.environment = name;
        Assessment strict = evaluate(policy.rules, scoped);
        if (std::tie(strict.decision, strict.score) >
            std::tie(verdict.assessment.decision, verdict.assessment.score))
          verdict.assessment = std::move(strict);
      }

    std::optional<std::string> trailer;
    if (!is_zero(verdict.change.tip)) {
      const Commit tip = lookup_commit(repo, verdict.change.tip);
      verdict.committer_email = committer_email(tip.get());
      trailer = override_trailer(git_commit_message(tip.get()));
      if (input.kind == HookKind::pre_push) verdict.tip_place = tip_place(repo, update, verdict.change.tip);
    }
    if (verdict.assessment.decision == Decision::block) {
      NextRequest next{
          input.now,    policy.defaults.duration, policy.defaults.watch, verdict.environment, days(90), 1,
          request.extra};
      const auto windows = find_safe_windows(policy.rules, next);
      if (!windows.empty()) verdict.next_safe = windows.front();
      // The commit's own trailer wins: it travels with what is deployed.
      if (trailer)
        verdict.override_request = parse_override(*trailer, "trailer");
      else if (input.environment_override && !input.environment_override->empty())
        verdict.override_request = parse_override(*input.environment_override, "HEINRICH_OVERRIDE");
      if (verdict.override_request) {
        verdict.override_problems = override_problems(policy.override_policy, policy.rules,
                                                      verdict.assessment, *verdict.override_request);
        verdict.overridden = verdict.override_problems.empty();
      }
    }
    result.verdicts.push_back(std::move(verdict));
  }
  return result;
}

std::string render_gate(const GateResult& result, const GateInput& input) {
  std::string out;
  const Zone& zone = *input.zone;
  std::size_t blocked = 0;
  for (const RefVerdict& verdict : result.verdicts) {
    const Decision decision = verdict.assessment.decision;
    if (verdict.overridden) {
      const OverrideRequest& request = *verdict.override_request;
      out += header(verdict, input, "OVERRIDE of a BLOCK for");
      render_reasons(out, verdict, input);
      out += fmt::format(
          "  allowed by {} {} ({}, {}): {}\n", request.ticket,
          request.source == "trailer" ? "from the tip commit's trailer" : "from HEINRICH_OVERRIDE",
          verdict.update.ref, short_hex(verdict.change.tip), request.reason);
      render_record_place(out, verdict, input, !result.blocked());
    } else if (decision == Decision::block) {
      ++blocked;
      out += header(verdict, input, "BLOCK");
      out += fmt::format("  deploying now, {}, for {} and {} of watch\n", format_for_people(zone, input.now),
                         format_duration(input.policy->defaults.duration),
                         format_duration(input.policy->defaults.watch));
      render_reasons(out, verdict, input);
      if (verdict.next_safe)
        out += fmt::format("  next safe window: {} (score {}); `heinrich next{}` lists more\n",
                           format_for_people(zone, verdict.next_safe->start), verdict.next_safe->score,
                           verdict.environment ? " --env " + *verdict.environment : std::string());
      else
        out += "  no safe window within 90 days\n";
      render_override_help(out, verdict, input);
    } else if (decision == Decision::warn) {
      out += header(verdict, input, "WARN");
      render_reasons(out, verdict, input);
      out += "  pushing anyway: a warning does not stop a push\n";
    } else {
      out += fmt::format("heinrich: allow {} -> {}: score {}/100, {}\n", verdict.update.ref,
                         destination(verdict), verdict.assessment.score,
                         plural(verdict.change.commits, "new commit"));
      render_reasons(out, verdict, input);
    }
  }
  if (blocked > 0) {
    out += fmt::format("heinrich: {}: {} of {} blocked{}\n",
                       input.kind == HookKind::pre_push ? "push stopped" : "push rejected", blocked,
                       plural(result.verdicts.size(), "deploying ref"),
                       input.kind == HookKind::pre_push ? "; nothing was sent" : "; nothing was updated");
  }
  if (!result.verdicts.empty())
    for (const Finding& warning : input.warnings) out += "heinrich: " + warning_line(warning) + "\n";
  if (input.clock_overridden && !result.verdicts.empty())
    out += "heinrich: note: the clock is overridden by HEINRICH_NOW (" + format_for_people(zone, input.now) +
           ")\n";
  return out;
}

std::vector<OverrideRecord> override_records(const GateResult& result, const GateInput& input) {
  std::vector<OverrideRecord> records;
  for (const RefVerdict& verdict : result.verdicts) {
    if (!verdict.overridden) continue;
    const OverrideRequest& request = *verdict.override_request;
    OverrideRecord record;
    record.time = format_utc_seconds(input.now);
    // A trailer speaks for whoever committed it; the environment for whoever runs the push.
    if (request.source == "trailer")
      record.who = !verdict.committer_email.empty() ? verdict.committer_email : input.user_email;
    else
      record.who = !input.user_email.empty() ? input.user_email : verdict.committer_email;
    record.ref = verdict.update.ref;
    record.oid = to_hex(verdict.change.tip);
    record.environment = verdict.environment.value_or("*");  // a policy change: every environment
    record.hook = input.kind == HookKind::pre_push ? "pre-push" : "pre-receive";
    record.status = "requested";  // post-receive makes it "accepted" once git has made the update
    record.decision = std::string(to_string(verdict.assessment.decision));
    record.score = verdict.assessment.score;
    for (const Match& match : verdict.assessment.matches)
      record.reasons.push_back(input.policy->rules.rules[match.rule].name);
    for (const ExtraRisk& extra : verdict.assessment.extra) record.reasons.push_back(extra.name);
    if (!verdict.assessment.inside_allowed) record.reasons.emplace_back("outside-allowed-windows");
    record.ticket = request.ticket;
    record.reason = request.reason;
    record.source = request.source == "trailer" ? "trailer" : "environment";
    record.policy = input.policy->path;
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace heinrich::git
