#pragma once
// The keys the policy loader accepts, table by table: "" is the root,
// "window[]" each [[window]], "event[].monthly" an event's monthly table,
// "environments.*" each environment. schemas/policy.schema.json lists the
// same keys (tests/unit/test_report_schemas.cpp compares them).
#include <string>
#include <vector>

namespace heinrich {

struct PolicyTableKeys {
  std::string table;
  std::vector<std::string> keys;
};

// Defined in policy/loader.cpp beside the lists it checks keys with.
std::vector<PolicyTableKeys> policy_table_keys();

}  // namespace heinrich
