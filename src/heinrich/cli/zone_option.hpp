#pragma once
// The zone a --tz or --timezone option names (defined in common.cpp).
#include <string>

#include "heinrich/core/zone.hpp"

namespace heinrich::cli {

// The zone `name` names; an unknown one is an InputError with "did you mean".
const Zone& zone_named(const std::string& name);

}  // namespace heinrich::cli
