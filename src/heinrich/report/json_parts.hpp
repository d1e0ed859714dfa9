#pragma once
// Pieces more than one JSON renderer writes, written once.
#include <nlohmann/json.hpp>

#include "heinrich/report/reports.hpp"

namespace heinrich {

// [{"code", "message", "file", "line", "column"}] for context.warnings.
nlohmann::ordered_json warnings_json(const RunContext& context);

}  // namespace heinrich
