#pragma once
// `heinrich schema NAME` (cli/command_schema.cpp).
#include "heinrich/cli/commands.hpp"

namespace heinrich::cli {

Command make_schema_command();

}  // namespace heinrich::cli
