#!/usr/bin/env python3
"""Whole-program tests of `heinrich audit`: the policy lint (every lint kind
at its position, in text and JSON; exit statuses; strict loading unchanged),
release-plan audits (the 200-release plan in CSV, ICS and TOML gives the
same results; every blocked release gets a next safe start that `check`
allows; positioned errors in bad plans) and the --overrides hand-over."""
import csv
import json
import os
import re
import shutil
import stat
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import BIN, DEFAULT, POLICIES, SOURCE_DIR, child_env, heinrich  # noqa: E402

LINT = os.path.join(SOURCE_DIR, "tests", "data", "lint")
PLANS = os.path.join(SOURCE_DIR, "tests", "data", "plans")
EVERY = os.path.join(LINT, "every_mistake.toml")
HEADER_RE = re.compile(r"^(?P<file>.+):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning|note)"
                       r"\[(?P<code>H\d{3})\]: (?P<message>.*)$")


def table(path):
    with open(path, encoding="utf-8") as handle:
        rows = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(rows, delimiter="\t"))


def lint_json(policy, *args, status=None):
    result = heinrich("audit", "--policy", policy, "--format", "json", *args)
    data = json.loads(result.stdout)
    return data, result


class Lint(unittest.TestCase):
    maxDiff = None

    def test_every_mistake_text(self):
        result = heinrich("audit", "--policy", EVERY)
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        lines = result.stdout.split("\n")
        found = []
        for index, line in enumerate(lines):
            match = HEADER_RE.match(line)
            if not match:
                continue
            found.append(match)
            self.assertEqual(match["file"], EVERY)
            # The source line, then a caret under the column, then the fix.
            line_no, col = int(match["line"]), int(match["col"])
            gutter = f"{line_no:>5} | "
            self.assertTrue(lines[index + 1].startswith(gutter), lines[index + 1])
            caret = lines[index + 2]
            self.assertEqual(caret.index("^") - len(gutter), col - 1, f"caret of {match['code']}:\n{caret}")
            self.assertTrue(lines[index + 3].startswith("  fix: "), lines[index + 3])
        expected = table(os.path.join(LINT, "expected.tsv"))
        self.assertEqual([(int(m["line"]), int(m["col"]), m["severity"], m["code"]) for m in found],
                         [(int(e["line"]), int(e["col"]), e["severity"], e["code"]) for e in expected])
        for match, row in zip(found, expected):
            self.assertIn(row["message"], match["message"])
        self.assertIn(f"{EVERY}: 6 errors, 5 warnings", result.stdout)

    def test_every_mistake_json(self):
        data, result = lint_json(EVERY)
        self.assertEqual(result.returncode, 1)
        self.assertFalse(data["passed"])
        expected = table(os.path.join(LINT, "expected.tsv"))
        got = [(f["line"], f["column"], f["severity"], f["code"]) for f in data["findings"]]
        self.assertEqual(got, [(int(e["line"]), int(e["col"]), e["severity"], e["code"]) for e in expected])
        for finding, row in zip(data["findings"], expected):
            self.assertIn(row["message"], finding["message"])
            self.assertEqual(finding["file"], EVERY)
            self.assertEqual(finding["location"], f"{EVERY}:{finding['line']}:{finding['column']}")
            self.assertTrue(finding["hint"], finding)
        self.assertEqual(data["summary"], {"errors": 6, "warnings": 5})
        # One of each kind H101-H111.
        self.assertEqual(sorted(f["code"] for f in data["findings"]), [f"H{n}" for n in range(101, 112)])
        rules = {f["code"]: f["rule"] for f in data["findings"]}
        self.assertEqual(rules["H105"], "lunch-freeze")
        self.assertEqual(rules["H111"], "weekend")

    def test_default_policy_lints_clean(self):
        data, result = lint_json(DEFAULT)
        self.assertEqual(result.returncode, 0, result.stdout)
        self.assertEqual(data["findings"], [])
        self.assertTrue(data["passed"])
        text = heinrich("audit", "--policy", DEFAULT)
        self.assertEqual(text.returncode, 0)
        self.assertIn("no findings", text.stdout)
        strict = heinrich("audit", "--policy", DEFAULT, "--strict")
        self.assertEqual(strict.returncode, 0)

    def test_every_fixture_policy_loads_strictly_and_lints_without_errors(self):
        for name in sorted(n for n in os.listdir(POLICIES) if n.endswith(".toml")):  # not the calendars they name
            data, result = lint_json(os.path.join(POLICIES, name))
            errors = [f for f in data["findings"] if f["severity"] == "error"]
            self.assertEqual(errors, [], name)

    def test_warnings_exit_0_and_fail_with_strict(self):
        path = os.path.join(LINT, "warnings_only.toml")
        result = heinrich("audit", "--policy", path)
        self.assertEqual(result.returncode, 0, result.stdout)
        self.assertIn("warning[H104]", result.stdout)
        strict = heinrich("audit", "--policy", path, "--strict")
        self.assertEqual(strict.returncode, 1, strict.stdout)
        data, _ = lint_json(path, "--strict")
        self.assertFalse(data["passed"])

    def test_end_equal_to_start_is_zero_length(self):
        data, _ = lint_json(os.path.join(LINT, "end_equals_start.toml"))
        self.assertEqual([(f["code"], f["line"], f["column"]) for f in data["findings"]], [("H103", 8, 7)])

    def test_allow_window_wholly_inside_a_block(self):
        data, _ = lint_json(os.path.join(LINT, "allow_covered.toml"))
        codes = {f["code"]: f for f in data["findings"]}
        self.assertIn("wholly inside block window 'freeze'", codes["H105"]["message"])
        self.assertIn("H106", codes)

    def test_block_window_wholly_inside_another(self):
        path = os.path.join(LINT, "nested_blocks.toml")
        data, result = lint_json(path)
        self.assertEqual(result.returncode, 0, result.stdout)  # a warning
        nested = [(f["rule"], f["line"], f["column"], f["severity"]) for f in data["findings"] if f["code"] == "H115"]
        self.assertEqual(nested, [("christmas", 12, 1, "warning"), ("saturday-evening", 39, 1, "warning")])
        by_rule = {f["rule"]: f for f in data["findings"] if f["code"] == "H115"}
        self.assertIn("lies wholly inside block window 'year-end'", by_rule["christmas"]["message"])
        self.assertIn("lies wholly inside block window 'weekend'", by_rule["saturday-evening"]["message"])
        text = heinrich("audit", "--policy", path)
        self.assertIn(f"{path}:12:1: warning[H115]: block window 'christmas' lies wholly inside", text.stdout)
        self.assertIn("   12 | [[window]]\n      | ^" + "~" * 9 + "\n", text.stdout)  # the whole header
        self.assertEqual(heinrich("audit", "--policy", path, "--strict").returncode, 1)

    def test_a_policy_that_does_not_load_is_one_h100(self):
        path = os.path.join(SOURCE_DIR, "tests", "data", "bad", "syntax_missing_value.toml")
        data, result = lint_json(path)
        self.assertEqual(result.returncode, 1)
        self.assertEqual([(f["code"], f["line"], f["column"]) for f in data["findings"]], [("H100", 5, 7)])

    def test_strict_loading_still_refuses_what_lint_reports(self):
        for command in (["check"], ["next"]):
            result = heinrich(*command, "--policy", EVERY)
            self.assertEqual(result.returncode, 2, result.stdout)
            self.assertRegex(result.stderr, r"every_mistake\.toml:\d+:\d+: error: ")

    def test_unreadable_policy_is_a_usage_error(self):
        result = heinrich("audit", "--policy", os.path.join(LINT, "no-such-file.toml"))
        self.assertEqual(result.returncode, 2)
        self.assertIn("cannot read policy file", result.stderr)

    def test_misspelt_option(self):
        result = heinrich("audit", "--policy", DEFAULT, "--strcit")
        self.assertEqual(result.returncode, 2)
        self.assertIn("did you mean '--strict'?", result.stderr)

    def test_past_one_off_depends_on_the_clock(self):
        path = os.path.join(LINT, "warnings_only.toml")
        result = heinrich("audit", "--policy", path, env=child_env(now="2025-02-01T00:00:00+09:00"))
        self.assertEqual(result.returncode, 0)
        self.assertIn("no findings", result.stdout)


def plan_json(path, *args, policy=DEFAULT):
    result = heinrich("audit", "--policy", policy, "--plan", path, "--format", "json", *args)
    try:
        return json.loads(result.stdout), result
    except json.JSONDecodeError:
        raise AssertionError(result.stdout + result.stderr)


class Plan(unittest.TestCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        cls.forms = {}
        for form in ("csv", "ics", "toml"):
            data, result = plan_json(os.path.join(PLANS, f"release-plan-200.{form}"))
            cls.forms[form] = (data, result)

    def test_three_forms_give_identical_results(self):
        def comparable(data):
            return [{k: v for k, v in r.items() if k != "source"} for r in data["releases"]]
        csv_data = self.forms["csv"][0]
        self.assertEqual(len(csv_data["releases"]), 200)
        for form in ("ics", "toml"):
            data = self.forms[form][0]
            self.assertEqual(data["format"], form)
            self.assertEqual(comparable(data), comparable(csv_data), form)
            self.assertEqual(data["summary"], csv_data["summary"], form)

    def test_every_decision_occurs(self):
        summary = self.forms["csv"][0]["summary"]
        self.assertEqual(summary["releases"], 200)
        self.assertEqual(summary["allow"] + summary["warn"] + summary["block"], 200)
        for key in ("allow", "warn", "block"):
            self.assertGreater(summary[key], 5, summary)
        self.assertEqual(self.forms["csv"][1].returncode, 1)  # some are blocked

    def test_blocked_releases_have_a_safe_alternative_that_check_allows(self):
        data = self.forms["csv"][0]
        blocked = [r for r in data["releases"] if r["decision"] == "block"]
        self.assertEqual(data["summary"]["blocked_without_alternative"], 0)
        for release in blocked:
            alternative = release["alternative"]
            self.assertIsNotNone(alternative, release)
            self.assertGreater(alternative["start"], release["start"])
            self.assertTrue(release["reasons"], release)
        for release in blocked[::6]:
            check = heinrich("check", "--policy", DEFAULT, "--at", release["alternative"]["start"], "--duration",
                             release["duration"], "--env", release["environment"])
            self.assertEqual(check.returncode, 0, check.stdout)
        for release in [r for r in data["releases"] if r["decision"] != "block"][::20]:
            self.assertIsNone(release["alternative"])

    def test_each_release_agrees_with_check(self):
        for release in self.forms["csv"][0]["releases"][::17]:
            check = heinrich("check", "--policy", DEFAULT, "--at", release["start"], "--duration",
                             release["duration"], "--env", release["environment"], "--format", "json")
            data = json.loads(check.stdout)
            self.assertEqual((data["decision"], data["score"]), (release["decision"], release["score"]), release)

    def test_csv_sources_are_lines(self):
        releases = self.forms["csv"][0]["releases"]
        self.assertTrue(releases[0]["source"].endswith("release-plan-200.csv:3:1"), releases[0]["source"])
        self.assertTrue(self.forms["toml"][0]["releases"][0]["source"].endswith("release-plan-200.toml:5:1"))

    def test_text_report_and_summary(self):
        result = heinrich("audit", "--policy", DEFAULT, "--plan", os.path.join(PLANS, "release-plan-200.csv"))
        self.assertEqual(result.returncode, 1)
        summary = self.forms["csv"][0]["summary"]
        self.assertIn(f"summary: 200 releases: {summary['allow']} allow, {summary['warn']} warn, "
                      f"{summary['block']} block ({summary['block']} with a next safe alternative)", result.stdout)
        self.assertEqual(result.stdout.count("next safe start: "), summary["block"])
        self.assertIn("block window 'year-end-freeze'", result.stdout)

    def test_exit_status_and_fail_on_warn(self):
        with tempfile.TemporaryDirectory() as tmp:
            plan = os.path.join(tmp, "plan.csv")
            with open(plan, "w", encoding="utf-8") as handle:
                handle.write("service,start,environment\napi,2027-01-05T10:00,prod\napi,2027-01-09T10:00,prod\n")
            data, result = plan_json(plan)
            self.assertEqual([r["decision"] for r in data["releases"]], ["allow", "warn"])
            self.assertEqual(result.returncode, 0)
            self.assertEqual(heinrich("audit", "--policy", DEFAULT, "--plan", plan, "--fail-on", "warn").returncode, 1)

    def test_default_environment_and_env_option(self):
        with tempfile.TemporaryDirectory() as tmp:
            plan = os.path.join(tmp, "plan.csv")
            with open(plan, "w", encoding="utf-8") as handle:
                handle.write("service,start\napi,2027-01-05T10:00\n")
            data, _ = plan_json(plan)
            self.assertIsNone(data["releases"][0]["environment"])
            data, _ = plan_json(plan, "--env", "staging")
            self.assertEqual(data["releases"][0]["environment"], "staging")

    def test_ics_summary_names_the_environment(self):
        with tempfile.TemporaryDirectory() as tmp:
            plan = os.path.join(tmp, "plan.ics")
            with open(plan, "w", encoding="utf-8", newline="") as handle:
                handle.write("\r\n".join([
                    "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//t//EN",
                    "BEGIN:VEVENT", "UID:a@t", "DTSTAMP:20261201T000000Z", "DTSTART:20270105T010000Z",
                    "DTEND:20270105T020000Z", "SUMMARY:[staging] ledger 1.2", "END:VEVENT",
                    "BEGIN:VEVENT", "UID:b@t", "DTSTAMP:20261201T000000Z", "DTSTART:20270106T010000Z",
                    "DTEND:20270106T013000Z", "SUMMARY:ledger 1.3", "END:VEVENT",
                    "END:VCALENDAR"]) + "\r\n")
            data, result = plan_json(plan, "--env", "prod")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual([(r["service"], r["environment"], r["duration"]) for r in data["releases"]],
                         [("ledger 1.2", "staging", "1h"), ("ledger 1.3", "prod", "30m")])

    def test_from_and_to_bound_the_releases(self):
        data, _ = plan_json(os.path.join(PLANS, "release-plan-200.csv"), "--from", "2027-01-01", "--to",
                            "2027-01-31")
        starts = [r["local_start"] for r in data["releases"]]
        self.assertTrue(starts)
        self.assertTrue(all("2027-01-01" <= s[:10] <= "2027-01-31" for s in starts), starts)

    def test_positioned_errors_in_bad_plans(self):
        bad = os.path.join(PLANS, "bad")
        for row in table(os.path.join(bad, "expected.tsv")):
            policy = os.path.join(POLICIES, row.get("policy") or "check_basic.toml")
            path = os.path.join(bad, row["file"])
            result = heinrich("audit", "--policy", policy, "--plan", path)
            self.assertEqual(result.returncode, 2, f"{row['file']}: {result.stdout}{result.stderr}")
            lines = result.stderr.split("\n")
            self.assertTrue(lines[0].startswith(f"{path}:{row['line']}:{row['col']}: error: "),
                            f"{row['file']}:\n{result.stderr}")
            self.assertIn(row["message"], lines[0])
            gutter = f"{int(row['line']):>5} | "
            self.assertTrue(lines[1].startswith(gutter), result.stderr)
            self.assertEqual(lines[2].index("^") - len(gutter), int(row["col"]) - 1, result.stderr)

    def test_unknown_plan_format(self):
        result = heinrich("audit", "--policy", DEFAULT, "--plan", os.path.join(PLANS, "make_plans.py"))
        self.assertEqual(result.returncode, 2)
        self.assertIn(".csv, .toml or .ics", result.stderr)


class Overrides(unittest.TestCase):
    """`audit --overrides` is heinrich-git's `audit-overrides`."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.copy = os.path.join(self.tmp, "heinrich")
        shutil.copy2(BIN, self.copy)

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def run_copy(self, *args):
        import subprocess
        return subprocess.run([self.copy, *args], capture_output=True, text=True, env=child_env(), timeout=30,
                              stdin=subprocess.DEVNULL)

    def test_without_heinrich_git_it_says_so(self):
        result = self.run_copy("audit", "--overrides")
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("needs heinrich-git", result.stderr)

    def test_arguments_are_handed_over(self):
        helper = os.path.join(self.tmp, "heinrich-git")
        with open(helper, "w", encoding="utf-8") as handle:
            handle.write('#!/bin/sh\nprintf "%s\\n" "$@"\n')
        os.chmod(helper, os.stat(helper).st_mode | stat.S_IXUSR)
        result = self.run_copy("audit", "--overrides", "--since", "30d", "--format", "json")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.split("\n")[:-1], ["audit-overrides", "--since", "30d", "--format", "json"])


if __name__ == "__main__":
    unittest.main()
