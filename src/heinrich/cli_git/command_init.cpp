// `heinrich init [--country kr|us] [--timezone Z] [--payday DAY]
// [--environments a,b] [--hooks]`: a commented starter heinrich.toml at the
// repository's top level (outside a repository: in the working directory),
// with the [push] map guessed from the repository's branches and tags.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <ostream>

#include "heinrich/cli/git_commands.hpp"
#include "heinrich/cli_git/git_command_support.hpp"
#include "heinrich/core/zone.hpp"
#include "heinrich/git/git.hpp"
#include "heinrich/git/install.hpp"
#include "heinrich/git/refs.hpp"
#include "heinrich/policy/starter.hpp"
#include "heinrich/util/error.hpp"
#include "heinrich/util/file_io.hpp"
#include "heinrich/util/text.hpp"

namespace heinrich::cli {

namespace {

// Refs init reads at most: enough for any branch layout a person keeps, and
// a repository with a million tags answers in milliseconds, not minutes.
constexpr std::size_t kMaxRefs = 10000;

struct InitOptions {
  std::string country = "kr";
  std::optional<std::string> timezone;
  std::optional<std::string> payday;
  std::string environments = "prod,staging";
  bool hooks = false;
};

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + escape_control(item);
  return out;
}

// The directory the starter goes in: the work tree's top level, or the
// working directory when there is no repository.
std::filesystem::path target_directory(git_repository* repo, const Io& io) {
  if (repo == nullptr) return io.working_directory;
  const char* workdir = git_repository_workdir(repo);
  if (workdir == nullptr)
    throw InputError(
        "this is a bare repository, which has no work tree to hold heinrich.toml; run `heinrich init` in "
        "a clone and push the policy (a server reads it from the default branch)");
  return std::filesystem::path(workdir).lexically_normal();
}

// An existing policy is never replaced, whichever of the two names it has
// (discovery reads either; two would make one silently ignored).
void refuse_existing(const std::filesystem::path& directory) {
  for (const char* name : {"heinrich.toml", ".heinrich.toml"}) {
    const std::filesystem::path path = directory / name;
    std::error_code error;
    const auto status = std::filesystem::symlink_status(path, error);
    if (error && error != std::errc::no_such_file_or_directory)
      throw InputError("cannot check '" + path.string() + "': " + error.message());
    if (std::filesystem::exists(status))
      throw InputError("'" + path.string() +
                       "' already exists; heinrich init never overwrites a policy: edit it, or move it "
                       "away and run heinrich init again");
  }
}

int run_init(const InitOptions& given, const Io& io) {
  StarterOptions starter;
  starter.country = given.country;
  starter.timezone = given.timezone ? Zone::get(*given.timezone).name() : default_timezone(given.country);
  starter.payday = given.payday ? parse_payday(*given.payday) : default_payday(given.country);
  starter.environments = parse_environments(given.environments);

  const git::Library library;
  const git::Repository repo = git::open_from_environment_if_any();
  if (given.hooks && repo == nullptr)
    throw InputError("--hooks: not in a git repository, so there is nowhere to install the hook");
  const std::filesystem::path directory = target_directory(repo.get(), io);
  refuse_existing(directory);

  RepositoryRefs refs;
  refs.cap = kMaxRefs;
  if (repo != nullptr) {
    refs.in_repository = true;
    git::RefNames listed = git::list_ref_names(repo.get(), kMaxRefs);
    refs.names = std::move(listed.names);
    refs.truncated = listed.truncated;
    refs.head_branch = git::head_branch(repo.get());
  }
  const std::vector<PushGuess> push = guess_push_map(refs, starter.environments);
  const std::filesystem::path path = directory / "heinrich.toml";
  // refuse_existing said what exists; Existing::refuse keeps a file made
  // since (another init, an editor) from being replaced.
  write_file_atomically(path.string(), starter_policy(starter, refs, push), 0644, Existing::refuse);

  io.out << "heinrich: wrote " << escape_control(path.string()) << " (" << starter.country << ", "
         << starter.timezone << ", payday "
         << (starter.payday ? std::to_string(*starter.payday) : std::string("none")) << ", environments "
         << join(starter.environments) << "; production: " << escape_control(starter.environments.front())
         << ")\n";
  for (const PushGuess& guess : push)
    io.out << "heinrich: [push] " << escape_control(guess.pattern) << " -> "
           << escape_control(guess.environment) << " (" << guess.because << ")\n";
  if (refs.truncated) io.out << "heinrich: looked at the first " << kMaxRefs << " refs only\n";
  if (given.hooks) {
    git::InstallOptions install;
    install.heinrich = heinrich_binary();
    for (const std::string& line : git::install_hooks(repo.get(), install))
      io.out << "heinrich: " << line << "\n";
  }
  io.out << "heinrich: next: review it, run `heinrich audit --strict`, and commit it"
         << (given.hooks || repo == nullptr ? "" : "; `heinrich install` adds the pre-push hook") << "\n";
  return kAllowed;
}

}  // namespace

Command make_init_command_in_process() {
  return Command{
      "init", kInitSummary, [](CLI::App& app) -> std::function<int(const Io&)> {
        auto options = std::make_shared<InitOptions>();
        app.add_option("--country", options->country,
                       "the built-in holiday calendar: kr (Korean public holidays) or us (US federal) "
                       "(default: kr)")
            ->type_name("COUNTRY")
            ->check(choices({std::begin(kStarterCountries), std::end(kStarterCountries)}));
        app.add_option("--timezone", options->timezone,
                       "IANA zone the policy's local times are read in (default: the country's, "
                       "Asia/Seoul or America/New_York)")
            ->type_name("ZONE");
        app.add_option("--payday", options->payday,
                       "monthly payday: 1 to 31, -1 for the last day, or none; moved to the business day "
                       "before when it is not one (default: 25 for kr, none for us)")
            ->type_name("DAY");
        app.add_option("--environments", options->environments,
                       "the environments, comma-separated; the rules apply to the first (default: "
                       "prod,staging)")
            ->type_name("LIST");
        app.add_flag("--hooks", options->hooks,
                     "also install the pre-push hook (as `heinrich install` does)");
        app.footer(
            "Writes heinrich.toml at the repository's top level (outside a repository: in the working\n"
            "directory) and refuses (exit 2) when heinrich.toml or .heinrich.toml is already there.\n"
            "The [push] map is guessed from the branches and tags (the first 10000 refs): main and\n"
            "master, release/* and v* tags deploy to the first environment; a branch named like\n"
            "another environment (or develop, for staging) to that one. A comment says what came\n"
            "from what. The starter passes `heinrich audit --strict`.");
        return [options](const Io& io) { return run_init(*options, io); };
      }};
}

}  // namespace heinrich::cli
