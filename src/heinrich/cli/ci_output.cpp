#include "heinrich/cli/ci_output.hpp"

#include <ostream>

#include "heinrich/cli/output_file.hpp"
#include "heinrich/policy/environments.hpp"

namespace heinrich::cli {

namespace {

bool is_set(const GetEnv& getenv, const char* name) {
  const auto value = getenv(name);
  return value && !value->empty();
}

std::optional<std::string> value_of(const GetEnv& getenv, const char* name) {
  auto value = getenv(name);
  if (!value || value->empty()) return std::nullopt;
  return value;
}

void from_ref(CiSettings& settings, const PushMapping& push, const std::string& ref,
              const std::string& variable) {
  if (auto env = environment_for_ref(push, ref)) {
    settings.environment = env;
    settings.notes.push_back(settings.name + ": environment " + *env + " from " + variable + " (" + ref +
                             ") through [push] refs");
  } else {
    settings.not_a_deploy = CiSettings::UnmappedRef{variable, ref};
  }
}

}  // namespace

std::optional<CiSettings> detect_ci(const GetEnv& getenv, const PushMapping& push) {
  CiSettings settings;
  if (getenv("GITHUB_ACTIONS") == std::optional<std::string>("true")) {
    settings.name = "GitHub Actions";
    settings.format = "github";
    if (auto ref = value_of(getenv, "GITHUB_REF")) from_ref(settings, push, *ref, "GITHUB_REF");
    return settings;
  }
  if (getenv("GITLAB_CI") == std::optional<std::string>("true")) {
    settings.name = "GitLab CI";
    settings.format = "junit";
    if (auto env = value_of(getenv, "CI_ENVIRONMENT_NAME")) {
      settings.environment = env;
      settings.notes.push_back("GitLab CI: environment " + *env + " from CI_ENVIRONMENT_NAME");
    } else if (auto tag = value_of(getenv, "CI_COMMIT_TAG")) {
      from_ref(settings, push, "refs/tags/" + *tag, "CI_COMMIT_TAG");
    } else if (auto branch = value_of(getenv, "CI_COMMIT_BRANCH")) {
      from_ref(settings, push, "refs/heads/" + *branch, "CI_COMMIT_BRANCH");
    }
    return settings;
  }
  if (is_set(getenv, "JENKINS_URL")) {
    settings.name = "Jenkins";
    settings.format = "junit";
    if (auto tag = value_of(getenv, "TAG_NAME"))
      from_ref(settings, push, "refs/tags/" + *tag, "TAG_NAME");
    else if (auto branch = value_of(getenv, "BRANCH_NAME"))
      from_ref(settings, push, "refs/heads/" + *branch, "BRANCH_NAME");
    return settings;
  }
  if (is_set(getenv, "CI")) {
    settings.name = "CI";
    settings.format = "text";
    return settings;
  }
  return std::nullopt;
}

std::string render_ci(const std::string& format, const CiReport& report, const Io& io) {
  if (format == "junit") return render_junit(report);
  if (format == "sarif") return render_sarif(report);
  if (auto summary = value_of(io.getenv, "GITHUB_STEP_SUMMARY"))
    append_to_file(*summary, render_github_summary(report));
  // Step outputs (check's decision, score, next-safe) for later steps.
  if (auto outputs = value_of(io.getenv, "GITHUB_OUTPUT"); outputs && !report.outputs.empty())
    append_to_file(*outputs, render_github_outputs(report));
  return render_github(report);
}

void deliver_report(const Io& io, const std::optional<std::string>& output, const std::string& format,
                    const ReportRenderers& render) {
  if (format == "text") {
    if (output)
      write_file_atomically(*output, render.text(TextStyle{}));
    else
      io.out << render.text(text_style(io));
    return;
  }
  const std::string report = format == "json" ? render.json() : render_ci(format, render.ci(), io);
  if (!output) {
    io.out << report;
    return;
  }
  write_file_atomically(*output, report);
  io.out << render.text(text_style(io));
}

}  // namespace heinrich::cli
