#!/usr/bin/env python3
"""Whole-program tests of the CI-native formats of `check` and `audit`:
GitHub workflow commands checked line by line against the documented syntax
(and their escaping), the Markdown step summary, JUnit XML read by libxml2's
xmllint, SARIF 2.1.0 validated against the required fields of its schema,
--ci's choice of format and environment, and the README's pipeline snippets
run exactly as written."""
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ElementTree

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import BIN, DEFAULT, SOURCE_DIR, UTC_RE, child_env, heinrich  # noqa: E402

LINT = os.path.join(SOURCE_DIR, "tests", "data", "lint")
PLANS = os.path.join(SOURCE_DIR, "tests", "data", "plans")
EVERY = os.path.join(LINT, "every_mistake.toml")
PLAN = os.path.join(PLANS, "release-plan-200.csv")
XMLLINT = shutil.which("xmllint")

# https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions
# "::{command} {key}={value},{key}={value}::{message}"; values escape % CR LF
# : and ,; the message escapes % CR LF.
COMMAND_RE = re.compile(r"^::(?P<command>error|warning|notice)(?: (?P<properties>[^:]*))?::(?P<data>.*)$")
PROPERTY_KEYS = {"file", "line", "endLine", "col", "endColumn", "title"}


def unescape_data(text):
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def unescape_property(text):
    return unescape_data(text.replace("%3A", ":").replace("%2C", ","))


def parse_github(stdout):
    """The workflow commands of `stdout`, each checked against the syntax; the
    lines that are not commands are returned apart."""
    commands, other = [], []
    for line in stdout.split("\n")[:-1]:
        if not line.startswith("::"):
            other.append(line)
            continue
        match = COMMAND_RE.match(line)
        assert match, f"not a workflow command: {line!r}"
        data = match["data"]
        assert "\r" not in data and "\n" not in data
        assert re.fullmatch(r"([^%]|%25|%0D|%0A)*", data), f"bad escape in message: {data!r}"
        properties = {}
        for item in (match["properties"] or "").split(","):
            key, sep, value = item.partition("=")
            assert sep and key in PROPERTY_KEYS, f"bad property {item!r} in {line!r}"
            assert re.fullmatch(r"([^%:,]|%25|%0D|%0A|%3A|%2C)*", value), f"bad escape in {key}: {value!r}"
            properties[key] = unescape_property(value)
        for key in ("line", "col"):
            if key in properties:
                assert properties[key].isdigit() and int(properties[key]) >= 1, line
        commands.append({"command": match["command"], "properties": properties, "message": unescape_data(data)})
    return commands, other


def xmllint(path, *args):
    return subprocess.run([XMLLINT, *args, path], capture_output=True, text=True, timeout=30)


# The required properties (and the enumerations) of the SARIF 2.1.0 schema
# (sarif-schema-2.1.0.json) for every object heinrich writes.
SARIF_LEVELS = {"none", "note", "warning", "error"}


def check_sarif(test, log):
    test.assertEqual(log["version"], "2.1.0")
    test.assertIsInstance(log["runs"], list)
    test.assertTrue(log["runs"])
    for run in log["runs"]:
        driver = run["tool"]["driver"]
        test.assertIsInstance(driver["name"], str)
        rules = driver["rules"]
        test.assertIsInstance(rules, list)
        ids = [rule["id"] for rule in rules]
        test.assertEqual(len(ids), len(set(ids)))
        for rule in rules:
            test.assertIsInstance(rule["id"], str)
            if "shortDescription" in rule:
                test.assertIsInstance(rule["shortDescription"]["text"], str)
            if "defaultConfiguration" in rule:
                test.assertIn(rule["defaultConfiguration"]["level"], SARIF_LEVELS)
        if "columnKind" in run:
            test.assertIn(run["columnKind"], {"utf16CodeUnits", "unicodeCodePoints"})
        for result in run["results"]:
            message = result["message"]
            test.assertTrue("text" in message or "id" in message)
            test.assertIn(result.get("level", "warning"), SARIF_LEVELS)
            if "ruleIndex" in result:
                test.assertEqual(rules[result["ruleIndex"]]["id"], result["ruleId"])
            test.assertIn(result["ruleId"], ids)
            for location in result.get("locations", []) + result.get("relatedLocations", []):
                physical = location["physicalLocation"]
                test.assertIn("artifactLocation", physical)
                uri = physical["artifactLocation"]["uri"]
                test.assertRegex(uri, r"^[A-Za-z0-9/._~%:-]+$")
                if "region" in physical:
                    test.assertGreaterEqual(physical["region"]["startLine"], 1)
                    test.assertGreaterEqual(physical["region"].get("startColumn", 1), 1)
                if "id" in location:
                    test.assertGreaterEqual(location["id"], -1)


class GitHub(unittest.TestCase):
    maxDiff = None

    def test_lint_line_by_line(self):
        result = heinrich("audit", "--policy", EVERY, "--format", "github")
        self.assertEqual(result.returncode, 1)
        commands, other = parse_github(result.stdout)
        findings = json.loads(heinrich("audit", "--policy", EVERY, "--format", "json").stdout)["findings"]
        self.assertEqual(len(commands), len(findings))
        for command, finding in zip(commands, findings):
            self.assertEqual(command["command"], finding["severity"])
            self.assertEqual(command["properties"]["file"], EVERY)
            self.assertEqual(int(command["properties"]["line"]), finding["line"])
            self.assertEqual(int(command["properties"]["col"]), finding["column"])
            self.assertTrue(command["properties"]["title"].startswith("heinrich " + finding["code"]))
            self.assertEqual(command["message"], finding["message"] + "\nfix: " + finding["hint"])
        self.assertEqual(other, [f"heinrich audit: 6 errors, 5 warnings in {EVERY}"])

    def test_strict_turns_warnings_into_errors(self):
        result = heinrich("audit", "--policy", os.path.join(LINT, "warnings_only.toml"), "--format", "github",
                          "--strict")
        self.assertEqual(result.returncode, 1)
        commands, _ = parse_github(result.stdout)
        self.assertEqual([c["command"] for c in commands], ["error"])

    def test_escaping_of_percent_cr_lf_colon_and_comma(self):
        """A rule name and a path that need every escape. (A rule name cannot
        hold CR or LF, test_escaped_output.py; a directory name can.)"""
        name = "50% off, flash: sale"
        with tempfile.TemporaryDirectory() as tmp:
            folder = os.path.join(tmp, "a,b:c%d\r\ne")
            os.mkdir(folder)
            policy = os.path.join(folder, "p.toml")
            with open(policy, "w", encoding="utf-8") as handle:
                handle.write('version = 1\ntimezone = "Asia/Seoul"\n[[window]]\n'
                             f'name = "{name.encode("unicode_escape").decode()}"\n'
                             'start = 2026-12-24T00:00:00\nend = 2026-12-26T00:00:00\n')
            result = heinrich("check", "--policy", policy, "--at", "2026-12-24T10:00", "--format", "github")
        self.assertEqual(result.returncode, 1, result.stderr)
        raw = [line for line in result.stdout.split("\n") if line.startswith("::")]
        self.assertEqual(len(raw), 1)
        self.assertIn("file=" + folder.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
                      .replace(",", "%2C").replace(":", "%3A") + "/p.toml", raw[0])
        self.assertIn("title=heinrich check%3A BLOCK (score 0)", raw[0])
        self.assertIn("50%25 off, flash: sale", raw[0])
        commands, _ = parse_github(result.stdout)
        self.assertEqual(commands[0]["properties"]["file"], policy)
        self.assertEqual(commands[0]["properties"]["line"], "3")
        self.assertIn(f"block window '{name}'", commands[0]["message"])

    def test_check_allowed_prints_no_annotation(self):
        result = heinrich("check", "--policy", DEFAULT, "--at", "2026-12-22T10:00", "--format", "github")
        self.assertEqual(result.returncode, 0)
        commands, other = parse_github(result.stdout)
        self.assertEqual(commands, [])
        self.assertTrue(other[0].startswith("heinrich check: ALLOW"), other)

    def test_plan_annotations_point_at_plan_lines(self):
        result = heinrich("audit", "--policy", DEFAULT, "--plan", PLAN, "--format", "github")
        self.assertEqual(result.returncode, 1)
        commands, other = parse_github(result.stdout)
        data = json.loads(heinrich("audit", "--policy", DEFAULT, "--plan", PLAN, "--format", "json").stdout)
        flagged = [r for r in data["releases"] if r["decision"] != "allow"]
        self.assertEqual(len(commands), len(flagged))
        for command, release in zip(commands, flagged):
            self.assertEqual(command["command"], "error" if release["decision"] == "block" else "warning")
            self.assertEqual(f"{command['properties']['file']}:{command['properties']['line']}:1", release["source"])
        self.assertTrue(other[-1].startswith("heinrich audit: plan "), other)

    def test_step_summary_is_appended(self):
        with tempfile.TemporaryDirectory() as tmp:
            summary = os.path.join(tmp, "summary.md")
            with open(summary, "w", encoding="utf-8") as handle:
                handle.write("earlier step\n")
            env = child_env(GITHUB_STEP_SUMMARY=summary)
            result = heinrich("audit", "--policy", EVERY, "--format", "github", env=env)
            self.assertEqual(result.returncode, 1)
            heinrich("check", "--policy", DEFAULT, "--at", "2026-12-24T18:00", "--env", "prod", "--format", "github",
                     env=env)
            with open(summary, encoding="utf-8") as handle:
                text = handle.read()
        self.assertTrue(text.startswith("earlier step\n"))
        self.assertIn(f"### heinrich audit: 6 errors, 5 warnings in {EVERY}", text)
        self.assertIn("| | code | where | what |", text)
        self.assertEqual(text.count("| ❌ error | H1"), 6)
        self.assertIn("### heinrich check: BLOCK (score 75)", text)
        self.assertIn("| ❌ error | H301 |", text)

    def test_step_outputs_are_appended(self):
        with tempfile.TemporaryDirectory() as tmp:
            outputs = os.path.join(tmp, "output")
            with open(outputs, "w", encoding="utf-8") as handle:
                handle.write("earlier=step\n")
            env = child_env(GITHUB_OUTPUT=outputs)
            blocked = ("check", "--policy", DEFAULT, "--at", "2026-12-24T18:00", "--env", "prod")
            self.assertEqual(heinrich(*blocked, "--format", "github", env=env).returncode, 1)
            allowed = ("check", "--policy", DEFAULT, "--at", "2026-12-22T10:00", "--env", "prod")
            self.assertEqual(heinrich(*allowed, "--format", "github", env=env).returncode, 0)
            # audit has no decision to share; json is not a CI format.
            heinrich("audit", "--policy", EVERY, "--format", "github", env=env)
            heinrich(*blocked, "--format", "json", env=env)
            with open(outputs, encoding="utf-8") as handle:
                text = handle.read()
        block = json.loads(heinrich(*blocked, "--format", "json").stdout)
        allow = json.loads(heinrich(*allowed, "--format", "json").stdout)
        self.assertEqual((block["decision"], allow["decision"]), ("block", "allow"))
        self.assertRegex(block["next_safe"]["start"], UTC_RE)
        self.assertEqual(text, "earlier=step\n"
                         f"decision=block\nscore={block['score']}\nnext-safe={block['next_safe']['start']}\n"
                         f"decision=allow\nscore={allow['score']}\nnext-safe=\n")


@unittest.skipUnless(XMLLINT, "xmllint (libxml2-utils) is not installed")
class JUnit(unittest.TestCase):
    def junit(self, *args, status=None):
        result = heinrich(*args, "--format", "junit")
        if status is not None:
            self.assertEqual(result.returncode, status, result.stdout + result.stderr)
        with tempfile.NamedTemporaryFile("w", suffix=".xml", delete=False, encoding="utf-8") as handle:
            handle.write(result.stdout)
        self.addCleanup(os.unlink, handle.name)
        parsed = xmllint(handle.name, "--noout")
        self.assertEqual(parsed.returncode, 0, parsed.stderr)
        return handle.name, ElementTree.fromstring(result.stdout.encode("utf-8"))

    def xpath(self, path, expression):
        result = xmllint(path, "--xpath", expression)
        self.assertEqual(result.returncode, 0, result.stderr)
        return result.stdout.strip()

    def test_lint_one_testcase_per_finding(self):
        path, root = self.junit("audit", "--policy", EVERY, status=1)
        self.assertEqual(self.xpath(path, "count(//testcase)"), "11")
        self.assertEqual(self.xpath(path, "count(//testcase/failure)"), "6")
        self.assertEqual(self.xpath(path, "string(/testsuites/@failures)"), "6")
        self.assertEqual(self.xpath(path, "string(//testsuite/@tests)"), "11")
        self.assertEqual(self.xpath(path, "count(//testcase/system-out)"), "5")
        failure = root.find(".//failure[@type='H110']")
        self.assertIn("lunch-freez", failure.get("message"))
        case = root.find(".//testcase[@classname='heinrich.lint.H110']")
        self.assertEqual((case.get("file"), case.get("line")), (EVERY, "74"))

    def test_strict_warnings_fail(self):
        path, _ = self.junit("audit", "--policy", os.path.join(LINT, "warnings_only.toml"), "--strict", status=1)
        self.assertEqual(self.xpath(path, "count(//testcase/failure)"), "1")

    def test_clean_policy_is_one_passing_testcase(self):
        path, _ = self.junit("audit", "--policy", DEFAULT, status=0)
        self.assertEqual(self.xpath(path, "count(//testcase)"), "1")
        self.assertEqual(self.xpath(path, "count(//failure)"), "0")

    def test_plan_one_testcase_per_release(self):
        path, root = self.junit("audit", "--policy", DEFAULT, "--plan", PLAN, status=1)
        data = json.loads(heinrich("audit", "--policy", DEFAULT, "--plan", PLAN, "--format", "json").stdout)
        self.assertEqual(self.xpath(path, "count(//testcase)"), "200")
        self.assertEqual(self.xpath(path, "count(//failure)"), str(data["summary"]["block"]))
        names = [case.get("name") for case in root.iter("testcase")]
        self.assertEqual(len(names), len(set(names)))
        for failure in root.iter("failure"):
            self.assertIn("next safe start:", failure.text)

    def test_check_one_testcase(self):
        path, root = self.junit("check", "--policy", DEFAULT, "--at", "2026-12-24T18:00", "--env", "prod", status=1)
        self.assertEqual(self.xpath(path, "count(//testcase)"), "1")
        self.assertEqual(root.find(".//failure").get("type"), "H301")
        path, _ = self.junit("check", "--policy", DEFAULT, "--at", "2026-12-22T10:00", status=0)
        self.assertEqual(self.xpath(path, "count(//failure)"), "0")

    def test_markup_in_names_is_escaped(self):
        with tempfile.TemporaryDirectory() as tmp:
            policy = os.path.join(tmp, "p.toml")
            with open(policy, "w", encoding="utf-8") as handle:
                handle.write('version = 1\ntimezone = "Asia/Seoul"\n[[window]]\nname = "<b>&\'\\"x"\n'
                             'start = 2026-12-24T00:00:00\nend = 2026-12-26T00:00:00\n')
            path, root = self.junit("check", "--policy", policy, "--at", "2026-12-24T10:00", status=1)
        self.assertIn("block window '<b>&'\"x'", root.find(".//failure").text)


class Sarif(unittest.TestCase):
    def sarif(self, *args):
        result = heinrich(*args, "--format", "sarif")
        return json.loads(result.stdout), result

    def test_lint(self):
        log, result = self.sarif("audit", "--policy", EVERY)
        self.assertEqual(result.returncode, 1)
        check_sarif(self, log)
        run = log["runs"][0]
        self.assertEqual([r["id"] for r in run["tool"]["driver"]["rules"]], [f"H{n}" for n in range(100, 116)])
        self.assertEqual(len(run["results"]), 11)
        first = run["results"][0]
        self.assertEqual(first["ruleId"], "H109")
        self.assertEqual(first["level"], "error")
        region = first["locations"][0]["physicalLocation"]["region"]
        self.assertEqual((region["startLine"], region["startColumn"]), (11, 8))
        uri = first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        self.assertEqual(uri, "file://" + EVERY)

    def test_relative_paths_stay_relative(self):
        result = heinrich("audit", "--policy", "tests/data/lint/every_mistake.toml", "--format", "sarif",
                          cwd=SOURCE_DIR)
        log = json.loads(result.stdout)
        uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        self.assertEqual(uri, "tests/data/lint/every_mistake.toml")

    def test_plan_and_check(self):
        log, result = self.sarif("audit", "--policy", DEFAULT, "--plan", PLAN)
        check_sarif(self, log)
        results = log["runs"][0]["results"]
        self.assertTrue(all(r["ruleId"] in ("H201", "H202") for r in results))
        self.assertTrue(all(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(
            "release-plan-200.csv") for r in results))
        self.assertTrue(any(r.get("relatedLocations") for r in results))
        log, result = self.sarif("check", "--policy", DEFAULT, "--at", "2026-12-24T18:00", "--env", "prod")
        self.assertEqual(result.returncode, 1)
        check_sarif(self, log)
        [only] = log["runs"][0]["results"]
        self.assertEqual(only["ruleId"], "H301")
        with open(DEFAULT, encoding="utf-8") as policy:
            freeze_line = next(i for i, line in enumerate(policy, 1) if line.startswith("[[window]]"))
        self.assertEqual(only["locations"][0]["physicalLocation"]["region"]["startLine"], freeze_line)
        log, _ = self.sarif("check", "--policy", DEFAULT, "--at", "2026-12-22T10:00")
        check_sarif(self, log)
        self.assertEqual(log["runs"][0]["results"], [])

    def test_unloadable_policy_is_a_result(self):
        log, result = self.sarif("audit", "--policy", os.path.join(SOURCE_DIR, "tests", "data", "bad",
                                                                   "syntax_missing_value.toml"))
        self.assertEqual(result.returncode, 1)
        check_sarif(self, log)
        self.assertEqual([r["ruleId"] for r in log["runs"][0]["results"]], ["H100"])


class Dotenv(unittest.TestCase):
    """--dotenv FILE: the decision for later jobs (GitLab's
    artifacts:reports:dotenv), whatever the report's format."""

    def read(self, path):
        with open(path, encoding="utf-8") as handle:
            return handle.read()

    def test_every_format_writes_the_same_variables(self):
        blocked = ("check", "--policy", DEFAULT, "--at", "2026-12-24T18:00", "--env", "prod")
        block = json.loads(heinrich(*blocked, "--format", "json").stdout)
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "heinrich.env")
            for form in ("text", "json", "github", "junit", "sarif"):
                with self.subTest(format=form):
                    result = heinrich(*blocked, "--format", form, "--dotenv", path)
                    self.assertEqual(result.returncode, 1, result.stderr)
                    self.assertEqual(self.read(path), f"HEINRICH_DECISION=block\nHEINRICH_SCORE={block['score']}\n"
                                                      f"HEINRICH_NEXT_SAFE={block['next_safe']['start']}\n")
            result = heinrich("check", "--policy", DEFAULT, "--at", "2026-12-22T10:00", "--env", "prod",
                              "--dotenv", path)
            self.assertEqual(result.returncode, 0)
            self.assertRegex(self.read(path), r"^HEINRICH_DECISION=allow\nHEINRICH_SCORE=\d+\nHEINRICH_NEXT_SAFE=\n$")
            self.assertEqual(os.listdir(tmp), ["heinrich.env"])  # written by rename, no temporary left

    def test_a_build_that_is_not_a_deploy_says_skip(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "heinrich.env")
            env = child_env(GITLAB_CI="true", CI_COMMIT_BRANCH="feature/x")
            env.pop("GITHUB_ACTIONS", None)
            result = heinrich("check", "--policy", DEFAULT, "--at", "2026-12-24T18:00", "--ci", "--dotenv", path,
                              env=env)
            self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
            self.assertEqual(self.read(path), "HEINRICH_DECISION=skip\nHEINRICH_SCORE=0\nHEINRICH_NEXT_SAFE=\n")

    def test_a_file_that_cannot_be_written_is_an_error(self):
        with tempfile.TemporaryDirectory() as tmp:
            result = heinrich("check", "--policy", DEFAULT, "--at", "2026-12-24T18:00", "--env", "prod",
                              "--dotenv", os.path.join(tmp, "missing", "heinrich.env"))
            self.assertEqual(result.returncode, 2, result.stdout)
            self.assertIn("heinrich.env", result.stderr)


class CiDetection(unittest.TestCase):
    def run_ci(self, *args, **variables):
        env = child_env(**variables)
        for name in ("GITHUB_ACTIONS", "GITLAB_CI", "JENKINS_URL", "CI", "GITHUB_STEP_SUMMARY"):
            if name not in variables:
                env.pop(name, None)
        return heinrich(*args, "--ci", env=env)

    def test_github_actions_maps_the_ref_through_push(self):
        result = self.run_ci("check", "--policy", DEFAULT, "--at", "2026-12-24T18:00", GITHUB_ACTIONS="true",
                             GITHUB_REF="refs/tags/v1.2.3")
        self.assertEqual(result.returncode, 1)
        commands, other = parse_github(result.stdout)
        self.assertEqual(commands[0]["command"], "error")
        self.assertIn("to prod", commands[0]["message"])

    def test_a_ref_that_maps_nowhere_is_not_a_deploy_in_every_format(self):
        """A pull-request build in the year-end freeze: nothing is deployed, so
        it passes and every format says why (it used to judge every rule and
        block the build)."""
        pr = dict(GITHUB_ACTIONS="true", GITHUB_REF="refs/pull/7/merge")
        at = ("check", "--policy", DEFAULT, "--at", "2026-12-24T18:00")
        result = self.run_ci(*at, "--format", "json", **pr)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        data = json.loads(result.stdout)
        self.assertEqual((data["decision"], data["deploy"], data["ref"], data["ref_variable"]),
                         ("skip", False, "refs/pull/7/merge", "GITHUB_REF"))
        self.assertIsNone(data["environment"])
        self.assertEqual(data["reasons"], [])
        self.assertIn("maps to no environment in [push] refs", data["reason"])
        self.assertEqual(data["at"], "2026-12-24T09:00:00Z")

        result = self.run_ci(*at, **pr)  # --ci's own format: workflow commands
        self.assertEqual(result.returncode, 0)
        commands, _ = parse_github(result.stdout)
        self.assertEqual([c["command"] for c in commands], ["notice"])
        self.assertIn("not a deploy", commands[0]["message"])
        self.assertIn("refs/pull/7/merge", commands[0]["message"])

        result = self.run_ci(*at, "--format", "text", **pr)
        self.assertEqual(result.returncode, 0)
        self.assertTrue(result.stdout.startswith("SKIP   not a deploy: GITHUB_REF refs/pull/7/merge"), result.stdout)
        self.assertNotIn("BLOCK", result.stdout)

        result = self.run_ci(*at, "--format", "sarif", **pr)
        self.assertEqual(result.returncode, 0)
        log = json.loads(result.stdout)
        check_sarif(self, log)
        [finding] = log["runs"][0]["results"]
        self.assertEqual((finding["ruleId"], finding["kind"], finding["level"]), ("H303", "notApplicable", "none"))

        # GitLab: a feature-branch pipeline, JUnit with one skipped testcase.
        result = self.run_ci(*at, GITLAB_CI="true", CI_COMMIT_BRANCH="feature/x")
        self.assertEqual(result.returncode, 0, result.stdout)
        root = ElementTree.fromstring(result.stdout.encode("utf-8"))
        self.assertEqual(root.get("skipped"), "1")
        self.assertEqual(root.get("failures"), "0")
        skipped = root.find(".//testcase/skipped")
        self.assertIsNotNone(skipped)
        self.assertIn("CI_COMMIT_BRANCH refs/heads/feature/x", skipped.get("message"))

        # Jenkins, and an explicit --env still checks the build as a deploy.
        result = self.run_ci(*at, "--format", "json", JENKINS_URL="http://127.0.0.1:8080/", BRANCH_NAME="feature/x")
        self.assertEqual(json.loads(result.stdout)["decision"], "skip")
        result = self.run_ci(*at, "--format", "json", "--env", "prod", **pr)
        self.assertEqual(result.returncode, 1)
        self.assertEqual(json.loads(result.stdout)["decision"], "block")
        # A ref that does map is judged.
        result = self.run_ci(*at, "--format", "json", GITHUB_ACTIONS="true", GITHUB_REF="refs/heads/main")
        self.assertEqual((result.returncode, json.loads(result.stdout)["decision"]), (1, "block"))

    def test_without_a_push_map_or_with_a_default_environment_every_build_is_judged(self):
        """Only a [push] map says which refs deploy: a policy without one (a CI-only
        gate) judges a pull-request build by every rule, and so does one with a
        [defaults] environment; a bad option is exit 2 even where the build would
        be skipped."""
        weekend = os.path.join(SOURCE_DIR, "tests", "data", "policies", "weekend_freeze.toml")
        pr = dict(GITHUB_ACTIONS="true", GITHUB_REF="refs/pull/7/merge")
        result = self.run_ci("check", "--policy", weekend, "--at", "2026-12-26T10:00", "--format", "json", **pr)
        self.assertEqual((result.returncode, json.loads(result.stdout)["decision"]), (1, "block"))
        self.assertIn("the policy has no [push] map: the build is judged as a deploy",
                      " ".join(json.loads(result.stdout)["notes"]))
        with tempfile.TemporaryDirectory() as tmp:
            policy = os.path.join(tmp, "heinrich.toml")
            with open(weekend, encoding="utf-8") as source, open(policy, "w", encoding="utf-8") as out:
                text = source.read().replace('watch = "1h"', 'watch = "1h"\nenvironment = "prod"')
                out.write(text + '\n[push]\nrefs = { "refs/heads/main" = "prod" }\n')
            result = self.run_ci("check", "--policy", policy, "--at", "2026-12-26T10:00", "--format", "json", **pr)
            self.assertEqual((result.returncode, json.loads(result.stdout)["decision"]), (1, "block"))
        for bad in (["--duration", "bogus"], ["--hours", "25:00-26:00"], ["--service", "x"]):
            result = self.run_ci("check", "--policy", DEFAULT, "--at", "2026-12-24T18:00", *bad, **pr)
            self.assertEqual(result.returncode, 2, (bad, result.stdout, result.stderr))

    def test_gitlab_uses_the_environment_name_then_the_tag(self):
        result = self.run_ci("check", "--policy", DEFAULT, "--at", "2026-12-24T18:00", GITLAB_CI="true",
                             CI_ENVIRONMENT_NAME="staging")
        root = ElementTree.fromstring(result.stdout.encode("utf-8"))
        self.assertEqual(root.tag, "testsuites")
        self.assertIn("staging", root.find(".//testcase").get("name"))
        self.assertEqual(result.returncode, 0)  # the freeze is prod's
        result = self.run_ci("check", "--policy", DEFAULT, "--at", "2026-12-24T18:00", "--format", "json",
                             GITLAB_CI="true", CI_COMMIT_TAG="v2.0.0")
        self.assertEqual(json.loads(result.stdout)["environment"], "prod")
        self.assertEqual(result.returncode, 1)

    def test_explicit_options_win(self):
        result = self.run_ci("check", "--policy", DEFAULT, "--at", "2026-12-24T18:00", "--env", "staging",
                             "--format", "text", GITHUB_ACTIONS="true", GITHUB_REF="refs/heads/main")
        self.assertEqual(result.returncode, 0)
        self.assertIn("scope   environment staging", result.stdout)

    def test_jenkins_and_plain_ci_and_none(self):
        result = self.run_ci("audit", "--policy", DEFAULT, JENKINS_URL="http://127.0.0.1:8080/")
        self.assertTrue(result.stdout.startswith("<?xml"), result.stdout)
        result = self.run_ci("audit", "--policy", DEFAULT, CI="true")
        self.assertIn("no findings", result.stdout)
        result = self.run_ci("check", "--policy", DEFAULT, "--at", "2026-12-22T10:00")
        self.assertIn("--ci: no CI detected", result.stdout)

    def test_output_file_and_text_on_stdout(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "report.xml")
            result = heinrich("audit", "--policy", EVERY, "--format", "junit", "-o", out)
            self.assertEqual(result.returncode, 1)
            self.assertIn("error[H110]", result.stdout)
            with open(out, encoding="utf-8") as handle:
                self.assertTrue(handle.read().startswith("<?xml"))
            self.assertEqual(os.listdir(tmp), ["report.xml"])  # no temporary left behind


def readme_snippets():
    """name -> the fenced block after each '<!-- ci-snippet: NAME -->' marker."""
    with open(os.path.join(SOURCE_DIR, "README.md"), encoding="utf-8") as handle:
        text = handle.read()
    return {m[1]: m[2] for m in re.finditer(r"<!-- ci-snippet: (\w+) -->\n```\w*\n(.*?)```", text, re.S)}


def yaml_commands(block):
    """The shell lines of `run:` keys and `script:` items of a YAML snippet."""
    commands = []
    for line in block.split("\n"):
        match = re.match(r"^\s*(?:- )?run: (.*)$", line) or re.match(r"^\s+- (heinrich .*)$", line)
        if match:
            commands.append(match[1])
    return commands


class ReadmeSnippets(unittest.TestCase):
    """Each pipeline snippet of the README, run as written in a checkout that
    holds the default policy as heinrich.toml, with `heinrich` on PATH."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.repo = os.path.join(self.tmp, "repo")
        bin_dir = os.path.join(self.tmp, "bin")
        os.mkdir(self.repo)
        os.mkdir(bin_dir)
        os.symlink(BIN, os.path.join(bin_dir, "heinrich"))
        shutil.copy(DEFAULT, os.path.join(self.repo, "heinrich.toml"))
        self.path = bin_dir + os.pathsep + os.environ.get("PATH", "")
        self.snippets = readme_snippets()

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def shell(self, command, now, **variables):
        env = child_env(now=now, PATH=self.path, **variables)
        for name in ("GITHUB_ACTIONS", "GITLAB_CI", "JENKINS_URL", "CI", "GITHUB_STEP_SUMMARY"):
            if name not in variables:
                env.pop(name, None)
        result = subprocess.run(["sh", "-c", command], cwd=self.repo, env=env, capture_output=True, text=True,
                                timeout=60, stdin=subprocess.DEVNULL)
        for marker in ("internal error", "AddressSanitizer", "runtime error:"):
            self.assertNotIn(marker, result.stderr)
        return result

    def test_all_three_are_there(self):
        self.assertEqual(sorted(self.snippets), ["github", "gitlab", "shell"])

    def test_github_actions(self):
        commands = yaml_commands(self.snippets["github"])
        self.assertEqual(len(commands), 2)
        summary = os.path.join(self.tmp, "summary.md")
        github = {"GITHUB_ACTIONS": "true", "GITHUB_REF": "refs/heads/main", "GITHUB_STEP_SUMMARY": summary}
        for now, status in (("2026-12-22T10:00:00+09:00", 0), ("2026-12-24T18:00:00+09:00", 1)):
            lint = self.shell(commands[0], now, **github)
            self.assertEqual(lint.returncode, 0, lint.stdout + lint.stderr)
            self.assertTrue(lint.stdout.startswith("heinrich audit: 0 errors, 0 warnings"), lint.stdout)
            check = self.shell(commands[1], now, **github)
            self.assertEqual(check.returncode, status, check.stdout + check.stderr)
            commands_seen, _ = parse_github(check.stdout)
            self.assertEqual(len(commands_seen), status)
            if status:
                self.assertIn("for 45m to prod", commands_seen[0]["message"])
        with open(summary, encoding="utf-8") as handle:
            self.assertEqual(handle.read().count("### heinrich check"), 2)

    @unittest.skipUnless(XMLLINT, "xmllint (libxml2-utils) is not installed")
    def test_gitlab_ci(self):
        [command] = yaml_commands(self.snippets["gitlab"])
        self.assertIn("environment: prod", self.snippets["gitlab"])
        report = re.search(r"junit: (\S+)", self.snippets["gitlab"])[1]
        gitlab = {"GITLAB_CI": "true", "CI_ENVIRONMENT_NAME": "prod", "CI_COMMIT_BRANCH": "main"}
        for now, status, failures in (("2026-12-22T10:00:00+09:00", 0, "0"), ("2026-12-24T18:00:00+09:00", 1, "1")):
            result = self.shell(command, now, **gitlab)
            self.assertEqual(result.returncode, status, result.stdout + result.stderr)
            self.assertIn("scope   environment prod", result.stdout)  # the log shows the text
            path = os.path.join(self.repo, report)
            self.assertEqual(xmllint(path, "--noout").returncode, 0)
            self.assertEqual(xmllint(path, "--xpath", "string(/testsuites/@failures)").stdout.strip(), failures)

    def test_plain_shell(self):
        block = self.snippets["shell"]
        deploy = os.path.join(self.repo, "deploy.sh")
        with open(deploy, "w", encoding="utf-8") as handle:
            handle.write("#!/bin/sh\necho deployed\n")
        os.chmod(deploy, 0o755)
        allowed = self.shell(block, "2026-12-22T10:00:00+09:00")
        self.assertEqual(allowed.returncode, 0, allowed.stdout + allowed.stderr)
        self.assertTrue(allowed.stdout.endswith("deployed\n"), allowed.stdout)
        for now in ("2026-12-24T18:00:00+09:00", "2026-12-26T10:00:00+09:00"):
            held = self.shell(block, now)
            self.assertEqual(held.returncode, 1, held.stdout)
            self.assertNotIn("deployed", held.stdout)
            self.assertIn("deploy postponed", held.stderr)
        warned = self.shell(block, "2026-12-19T10:00:00+09:00")  # a Saturday: warn, and --fail-on warn
        self.assertEqual(warned.returncode, 1, warned.stdout)
        self.assertIn("WARN", warned.stdout)


if __name__ == "__main__":
    unittest.main()
