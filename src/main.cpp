#include "heinrich/cli/commands.hpp"

int main(int argc, char** argv) {
  return heinrich::cli::run_process(argc, argv);
}
