// heinrich-git: the same CLI as heinrich, with the commands that read a git
// repository running in process. heinrich execs it for those commands, so
// only they pay for loading libgit2.
#include "heinrich/cli/commands.hpp"
#include "heinrich/cli/git_commands.hpp"

int main(int argc, char** argv) {
  heinrich::cli::use_git_commands();
  return heinrich::cli::run_process(argc, argv);
}
