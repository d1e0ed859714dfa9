"""`heinrich schema`: the JSON Schemas of the policy file and of each command's
--format json output. The harness validates every JSON document the CLI suites
print against them; this suite checks the schemas themselves, the shipped
policies and the test fixtures against the policy schema, and that the schema
refuses what it can tell is wrong."""
import glob
import json
import os
import sys
import tempfile
import tomllib
import unittest

import harness
from harness import BIN, DEFAULT, POLICIES, SOURCE_DIR, heinrich, schema_errors, toml_as_json

NAMES = ["audit", "check", "events", "next", "policy"]
SCHEMA_DIR = os.path.join(SOURCE_DIR, "schemas")
BUILD_SCHEMAS = os.path.join(os.path.dirname(os.path.dirname(BIN)), "share", "heinrich", "schemas")
BAD_DIR = os.path.join(SOURCE_DIR, "tests", "data", "bad")

# Malformed policies in tests/data/bad/ whose mistake is one of structure,
# type, range or form, which the schema states: an editor flags them as you
# type. The others are TOML syntax errors, or need what only heinrich
# knows (a cron that never fires, a zone or built-in calendar that does not
# exist, duplicate names, end before start, a bad regular expression).
SCHEMA_REJECTS = {
    "action_typo_blok.toml", "binary_crlf_wrong_type.toml", "calendar_builtin_and_ics.toml",
    "days_bad_weekday.toml", "duration_bad_unit.toml", "empty_rule_name.toml", "event_monthly_bad_roll.toml",
    "event_monthly_day_zero.toml", "factor_missing_risk.toml", "missing_timezone.toml", "missing_version.toml",
    "range_risk_1000.toml", "several_mistakes.toml", "syntax_deep_nesting.toml", "syntax_integer_overflow.toml", "time_out_of_range.toml",
    "type_days_string.toml", "type_environments_element_utf8.toml", "type_environments_string.toml",
    "type_overridable_string.toml", "type_risk_string.toml", "type_risk_tab_indented.toml",
    "type_threshold_float.toml", "unknown_key_bufer_before.toml", "unknown_table_windows.toml",
    "unknown_threshold_key.toml", "version_2.toml", "window_not_array_of_tables.toml",
}


def load_toml(path):
    with open(path, "rb") as handle:
        return toml_as_json(tomllib.load(handle))


def shipped_policies():
    """policies/**/*.toml that are policies (policies/holidays/ holds holiday rule files)."""
    paths = glob.glob(os.path.join(SOURCE_DIR, "policies", "**", "*.toml"), recursive=True)
    return sorted(p for p in paths if os.sep + "holidays" + os.sep not in p)


class SchemaCommand(unittest.TestCase):
    def test_each_schema_is_the_shipped_file_and_a_valid_draft_2020_12_schema(self):
        import jsonschema
        for name in NAMES:
            with self.subTest(schema=name):
                result = heinrich("schema", name)
                self.assertEqual((result.returncode, result.stderr), (0, ""))
                with open(os.path.join(SCHEMA_DIR, f"{name}.schema.json"), encoding="utf-8") as handle:
                    self.assertEqual(result.stdout, handle.read())
                document = json.loads(result.stdout)
                self.assertEqual(document["$schema"], "https://json-schema.org/draft/2020-12/schema")
                jsonschema.Draft202012Validator.check_schema(document)

    def test_build_tree_ships_the_same_files(self):
        if not os.path.isdir(BUILD_SCHEMAS):
            self.skipTest(f"{BUILD_SCHEMAS} not built (HEINRICH_BIN is not a CMake build tree)")
        self.assertEqual(sorted(os.listdir(BUILD_SCHEMAS)), sorted(f"{name}.schema.json" for name in NAMES))
        for name in NAMES:
            with open(os.path.join(BUILD_SCHEMAS, f"{name}.schema.json"), encoding="utf-8") as handle:
                self.assertEqual(handle.read(), heinrich("schema", name).stdout)

    def test_unknown_name_is_a_usage_error_with_a_suggestion(self):
        result = heinrich("schema", "polcy")
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stdout, "")
        self.assertIn("did you mean 'policy'", result.stderr)
        self.assertEqual(heinrich("schema").returncode, 2)

    def test_an_error_under_format_json_matches_the_command_schema(self):
        result = heinrich("check", "--policy", DEFAULT, "--env", "prdo", "--format", "json")
        self.assertEqual(result.returncode, 2)
        self.assertEqual(schema_errors("check", json.loads(result.stdout)), [])
        # and the error object is not a check report, nor the other way round
        self.assertNotEqual(schema_errors("check", {"error": {"message": "x", "exit": 1}}), [])
        self.assertNotEqual(schema_errors("check", {"decision": "allow"}), [])


class PolicySchema(unittest.TestCase):
    def test_shipped_policies_are_valid(self):
        paths = shipped_policies()
        self.assertIn(DEFAULT, paths)
        for path in paths:
            with self.subTest(policy=os.path.relpath(path, SOURCE_DIR)):
                harness.assert_valid("policy", load_toml(path), path)

    def test_valid_fixtures_are_valid(self):
        paths = sorted(glob.glob(os.path.join(POLICIES, "*.toml")))
        paths.append(os.path.join(SOURCE_DIR, "tests", "git", "data", "policy.toml"))
        self.assertGreater(len(paths), 3)
        for path in paths:
            with self.subTest(policy=os.path.relpath(path, SOURCE_DIR)):
                self.assertIn(heinrich("check", "--policy", path).returncode, (0, 1))  # heinrich loads it
                harness.assert_valid("policy", load_toml(path), path)

    def test_bad_fixtures_are_rejected_where_the_schema_can_tell(self):
        rejected = set()
        for path in sorted(glob.glob(os.path.join(BAD_DIR, "*.toml"))):
            try:
                document = load_toml(path)
            except (tomllib.TOMLDecodeError, UnicodeDecodeError):
                continue  # not TOML: no schema applies
            if schema_errors("policy", document):
                rejected.add(os.path.basename(path))
        self.assertEqual(rejected, SCHEMA_REJECTS)

    def test_an_unknown_key_fails_the_schema_as_it_fails_heinrich(self):
        document = load_toml(DEFAULT)
        self.assertEqual(schema_errors("policy", document), [])
        for where in ("root", "defaults", "window", "monthly", "environment"):
            with self.subTest(table=where):
                bad = json.loads(json.dumps(document))
                target = {"root": bad, "defaults": bad["defaults"], "window": bad["window"][0],
                          "monthly": bad["event"][0]["monthly"], "environment": bad["environments"]["prod"]}[where]
                target["bufer_before"] = "1h"
                errors = schema_errors("policy", bad)
                self.assertEqual(len(errors), 1)
                self.assertIn("'bufer_before' was unexpected", errors[0].message)
        with tempfile.TemporaryDirectory() as scratch:
            path = os.path.join(scratch, "heinrich.toml")
            with open(path, "w", encoding="utf-8") as handle:
                handle.write('version = 1\ntimezone = "UTC"\ncolour = "red"\n')
            self.assertNotEqual(schema_errors("policy", load_toml(path)), [])
            result = heinrich("check", "--policy", path)
            self.assertEqual(result.returncode, 2)
            self.assertIn("unknown key 'colour'", result.stderr)

    def test_values_the_loader_refuses_the_schema_refuses(self):
        base = {"version": 1, "timezone": "UTC"}
        cases = {
            "duration": {"defaults": {"duration": "2x"}},
            "iso duration without amount": {"defaults": {"watch": "PT"}},
            "hours out of range": {"defaults": {"hours": "09:00-25:00"}},
            "span starting at 24:00": {"factor": [{"name": "f", "time": "24:00-01:00", "risk": 1}]},
            "weekday": {"factor": [{"name": "f", "days": ["fun"], "risk": 1}]},
            "action": {"window": [{"name": "w", "days": ["sat"], "action": "deny"}]},
            "risk on a window": {"window": [{"name": "w", "days": ["sat"], "risk": 5}]},
            "score calendar without risk": {"calendar": [{"name": "c", "builtin": "kr-public-holidays"}]},
            "monthly with two forms": {"event": [{"name": "e", "risk": 1, "monthly": {"day": 1, "business_day": 1}}]},
            "weekday without nth": {"event": [{"name": "e", "risk": 1, "monthly": {"weekday": "fri"}}]},
            "yearly without month": {"event": [{"name": "e", "risk": 1, "yearly": {"day": 1}}]},
            "threshold": {"thresholds": {"warn": 101}},
            "empty environment name": {"window": [{"name": "w", "days": ["sat"], "environments": [""]}]},
            "push value": {"push": {"refs": {"refs/heads/main": 1}}},
        }
        for what, extra in cases.items():
            with self.subTest(case=what):
                self.assertNotEqual(schema_errors("policy", {**base, **extra}), [])
        good = {"defaults": {"duration": "1h30m", "watch": "PT2H", "hours": "22:00-07:00"},
                "factor": [{"name": "f", "days": ["Mon-FRIDAY", "sun"], "time": "15:00-24:00", "risk": 0}],
                "calendar": [{"name": "c", "builtin": "kr-public-holidays", "action": "block"}],
                "event": [{"name": "e", "risk": 1, "monthly": {"weekday": "fri", "nth": -1}}]}
        self.assertEqual(schema_errors("policy", {**base, **good}), [])


if __name__ == "__main__":
    if not os.access(BIN, os.X_OK):
        sys.exit(f"HEINRICH_BIN={BIN} is not an executable")
    unittest.main()
