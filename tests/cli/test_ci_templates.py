#!/usr/bin/env python3
"""The CI templates run as their runners run them: the GitHub composite action
(action.yml) step by step, with `${{ ... }}` substituted the way the runner
does, each `run:` in `bash --noprofile --norc -eo pipefail`, GITHUB_OUTPUT and
GITHUB_STEP_SUMMARY files per step and the action's outputs read back from
the gate step's; the GitLab component (templates/heinrich.yml) with its
`$[[ inputs.x ]]` interpolated and its script in bash and in sh; the README's
Jenkins and plain-shell snippets. The clock is HEINRICH_NOW: a payday morning
blocks, an ordinary morning passes. The install step's choice (already
installed, a path, a URL, the release asset) runs for real, against stand-ins
for apt-get, curl, dpkg and sudo that log their arguments and "install" the
build tree's binary; the real apt-get never runs here (tests/package installs
the real package)."""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import BIN, DEFAULT, SOURCE_DIR, UTC_RE, child_env  # noqa: E402

ACTION = os.path.join(SOURCE_DIR, "action.yml")
COMPONENT = os.path.join(SOURCE_DIR, "templates", "heinrich.yml")
INSTALLER = os.path.join(SOURCE_DIR, "ci", "install-heinrich")
SHELLCHECK = shutil.which("shellcheck")
XMLLINT = shutil.which("xmllint")

PAYDAY = "2026-11-25T10:00:00+09:00"  # a Wednesday, the 25th: payday + morning peak block prod
ORDINARY = "2026-12-22T10:00:00+09:00"  # a Tuesday morning: allowed
CI_VARIABLES = ("GITHUB_ACTIONS", "GITHUB_REF", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITLAB_CI",
                "CI_ENVIRONMENT_NAME", "CI_COMMIT_TAG", "CI_COMMIT_BRANCH", "JENKINS_URL", "CI", "BRANCH_NAME",
                "TAG_NAME")


def project_version():
    with open(os.path.join(SOURCE_DIR, "CMakeLists.txt"), encoding="utf-8") as handle:
        return re.search(r"^project\(heinrich VERSION ([0-9.]+)", handle.read(), re.M)[1]


# Stand-ins on PATH. apt-get "installs" a .deb by linking the build tree's
# heinrich into the bin folder; curl writes a file for any URL; each logs
# its arguments, one line per call.
FAKES = {
    "apt-get": """#!/bin/sh
echo "apt-get $*" >> "$FAKE_LOG"
if [ "$1" = install ]; then
  for arg; do
    case $arg in
      *.deb) [ -f "$arg" ] || { echo "E: no $arg" >&2; exit 100; }; ln -sf "$FAKE_HEINRICH" "$FAKE_BIN/heinrich" ;;
    esac
  done
fi
""",
    "curl": """#!/bin/sh
echo "curl $*" >> "$FAKE_LOG"
while [ $# -gt 0 ]; do
  case $1 in
    --output) out=$2; shift ;;
  esac
  shift
done
echo "a .deb" > "$out"
""",
    "dpkg": """#!/bin/sh
[ "$1" = --print-architecture ] && echo amd64
""",
    "sudo": """#!/bin/sh
echo "sudo $*" >> "$FAKE_LOG"
[ "$1" = -n ] && shift
exec "$@"
""",
}


class Sandbox:
    """A checkout holding the default policy as heinrich.toml, a bin folder
    with the stand-ins (and heinrich, if `installed`), and the log."""

    def __init__(self, installed):
        self.tmp = tempfile.mkdtemp(prefix="heinrich-ci-")
        self.repo = os.path.join(self.tmp, "repo")
        self.bin = os.path.join(self.tmp, "bin")
        self.log = os.path.join(self.tmp, "log")
        os.mkdir(self.repo)
        os.mkdir(self.bin)
        shutil.copy(DEFAULT, os.path.join(self.repo, "heinrich.toml"))
        for name, text in FAKES.items():
            path = os.path.join(self.bin, name)
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.chmod(path, 0o755)
        if installed:
            os.symlink(BIN, os.path.join(self.bin, "heinrich"))
        open(self.log, "w", encoding="utf-8").close()

    def env(self, now, **variables):
        env = child_env(now=now)
        for name in CI_VARIABLES:
            env.pop(name, None)
        # Only the sandbox's bin and the system's: no heinrich of the host.
        env["PATH"] = self.bin + os.pathsep + "/usr/bin:/bin"
        env.update(FAKE_LOG=self.log, FAKE_BIN=self.bin, FAKE_HEINRICH=BIN)
        env.update(variables)
        return env

    def calls(self):
        with open(self.log, encoding="utf-8") as handle:
            return handle.read().splitlines()

    def file(self, name, text="a .deb\n"):
        path = os.path.join(self.repo, name)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        return path

    def close(self):
        shutil.rmtree(self.tmp)


def check_run(test, result):
    for marker in ("internal error", "AddressSanitizer", "runtime error:", "LeakSanitizer"):
        test.assertNotIn(marker, result.stderr)
    test.assertIn(result.returncode, (0, 1, 2), result.stdout + result.stderr)


# --- GitHub Actions ----------------------------------------------------------

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def substitute(text, context):
    """`${{ expr }}` as the runner expands it; only the context lookups the
    action uses (a.b or a.b.c.d); anything else fails the test."""
    def value(match):
        expr = match[1]
        if not re.fullmatch(r"[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)+", expr):
            raise AssertionError(f"expression the test cannot evaluate: {expr}")
        node = context
        for part in expr.split("."):
            if not isinstance(node, dict):
                raise AssertionError(f"unknown context in {expr}")
            if part not in node:
                # The runner gives '' for a missing property of a known
                # object (an output a failed step never set); an unknown
                # input is the action's own mistake.
                if node is context or node is context.get("inputs"):
                    raise AssertionError(f"unknown context in {expr}")
                return ""
            node = node[part]
        return "" if node is None else str(node)
    return EXPRESSION.sub(value, text)


def read_outputs(path):
    """GITHUB_OUTPUT as the runner reads it: name=value lines and
    name<<DELIMITER blocks."""
    outputs = {}
    with open(path, encoding="utf-8") as handle:
        lines = handle.read().split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line:
            continue
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            value = []
            while lines[index] != delimiter:
                value.append(lines[index])
                index += 1
            index += 1
            outputs[name] = "\n".join(value)
        else:
            name, sep, value = line.partition("=")
            assert sep, f"not an output line: {line!r}"
            outputs[name] = value
    return outputs


def run_action(sandbox, now, ref="refs/heads/main", repository="example/heinrich", **inputs):
    """Runs action.yml's steps; returns (status, outputs, summary, stdout)."""
    with open(ACTION, encoding="utf-8") as handle:
        action = yaml.safe_load(handle)
    assert action["runs"]["using"] == "composite"
    declared = action["inputs"]
    unknown = set(inputs) - set(declared)
    assert not unknown, f"not an input of the action: {unknown}"
    context = {
        "inputs": {name: inputs.get(name, spec.get("default", "")) for name, spec in declared.items()},
        "github": {"action_path": SOURCE_DIR, "action_repository": repository,
                   "server_url": "https://github.com"},
        "steps": {},
    }
    status, stdout, summary = 0, "", ""
    for number, step in enumerate(action["runs"]["steps"]):
        assert step["shell"] == "bash" and "uses" not in step
        outputs_file = os.path.join(sandbox.tmp, f"output_{number}")
        summary_file = os.path.join(sandbox.tmp, f"summary_{number}")
        for path in (outputs_file, summary_file):
            open(path, "w", encoding="utf-8").close()
        env = sandbox.env(now, GITHUB_ACTIONS="true", CI="true", GITHUB_REF=ref, GITHUB_OUTPUT=outputs_file,
                          GITHUB_STEP_SUMMARY=summary_file, GITHUB_ACTION_PATH=SOURCE_DIR,
                          GITHUB_SERVER_URL="https://github.com", GITHUB_WORKSPACE=sandbox.repo)
        env.update({name: substitute(str(value), context) for name, value in step.get("env", {}).items()})
        script = os.path.join(sandbox.tmp, f"step_{number}.sh")
        with open(script, "w", encoding="utf-8") as handle:
            handle.write(substitute(step["run"], context))
        # The runner's command for `shell: bash`.
        result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", script], cwd=sandbox.repo,
                                env=env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
        stdout += result.stdout + result.stderr
        with open(summary_file, encoding="utf-8") as handle:
            summary += handle.read()
        if "id" in step:
            context["steps"][step["id"]] = {"outputs": read_outputs(outputs_file)}
        if result.returncode != 0:
            status = result.returncode
            break
    outputs = {name: substitute(spec["value"], context) for name, spec in action["outputs"].items()}
    return status, outputs, summary, stdout


class GitHubAction(unittest.TestCase):
    def setUp(self):
        self.sandbox = Sandbox(installed=True)
        self.addCleanup(self.sandbox.close)

    def test_payday_morning_blocks_and_sets_the_outputs(self):
        status, outputs, summary, stdout = run_action(self.sandbox, PAYDAY, duration="45m")
        self.assertEqual(status, 1, stdout)
        self.assertEqual(outputs["decision"], "block")
        self.assertGreaterEqual(int(outputs["score"]), 70)
        self.assertRegex(outputs["next-safe"], UTC_RE)
        self.assertGreater(outputs["next-safe"], "2026-11-25T01:00:00Z")
        self.assertIn(f"### heinrich check: BLOCK (score {outputs['score']})", summary)
        self.assertIn("| ❌ error | H301 |", summary)
        self.assertIn("payday", summary)
        self.assertIn("::error ", stdout)
        self.assertIn("heinrich 0.1.0 is already installed".replace("0.1.0", project_version()), stdout)
        self.assertEqual(self.sandbox.calls(), [])  # nothing installed, nothing downloaded

    def test_ordinary_morning_allows(self):
        status, outputs, summary, stdout = run_action(self.sandbox, ORDINARY, duration="45m")
        self.assertEqual(status, 0, stdout)
        self.assertEqual(outputs["decision"], "allow")
        self.assertEqual(outputs["next-safe"], "")
        self.assertIn("### heinrich check: ALLOW", summary)
        self.assertIn("to prod", summary)  # GITHUB_REF refs/heads/main through [push]

    def test_inputs_reach_heinrich(self):
        # staging has no payday rule; --fail-on warn makes a Saturday's warn fail.
        status, outputs, _, stdout = run_action(self.sandbox, PAYDAY, env="staging")
        self.assertEqual((status, outputs["decision"]), (0, "allow"), stdout)
        status, outputs, _, stdout = run_action(self.sandbox, "2026-12-19T10:00:00+09:00", **{"fail-on": "warn"})
        self.assertEqual((status, outputs["decision"]), (1, "warn"), stdout)
        self.assertRegex(outputs["next-safe"], UTC_RE)
        policy = self.sandbox.file("other.toml", "version = 1\ntimezone = \"UTC\"\n")
        status, outputs, _, stdout = run_action(self.sandbox, PAYDAY, policy=policy, args="--duration 2h")
        self.assertEqual((status, outputs["decision"]), (0, "allow"), stdout)
        self.assertIn(f"heinrich check --ci --policy {policy} --duration 2h", stdout)

    def test_wrong_inputs_stop_before_heinrich_runs(self):
        status, outputs, _, stdout = run_action(self.sandbox, ORDINARY, command="deploy")
        self.assertEqual(status, 2)
        self.assertIn("::error title=heinrich action::command 'deploy': give check or wait", stdout)
        self.assertEqual(outputs["decision"], "")
        status, _, _, stdout = run_action(self.sandbox, ORDINARY, **{"max-wait": "1h"})
        self.assertEqual(status, 2)
        self.assertIn("max-wait is for command: wait", stdout)
        status, _, _, stdout = run_action(self.sandbox, ORDINARY, env="prdo")
        self.assertEqual(status, 2)
        self.assertIn("did you mean", stdout)

    def test_installs_a_package_from_a_path(self):
        sandbox = Sandbox(installed=False)
        self.addCleanup(sandbox.close)
        sandbox.file("heinrich_9.deb")
        status, outputs, _, stdout = run_action(sandbox, PAYDAY, package="heinrich_9.deb")
        self.assertEqual((status, outputs["decision"]), (1, "block"), stdout)
        self.assertEqual(sandbox.calls(), [
            "apt-get update -q", "apt-get install -y -q --no-install-recommends ./heinrich_9.deb"])

    def test_installs_a_package_from_a_url(self):
        sandbox = Sandbox(installed=False)
        self.addCleanup(sandbox.close)
        url = "https://example.org/dist/heinrich_9_amd64.deb"
        status, outputs, _, stdout = run_action(sandbox, ORDINARY, package=url)
        self.assertEqual((status, outputs["decision"]), (0, "allow"), stdout)
        calls = sandbox.calls()
        self.assertEqual(len(calls), 3, calls)
        self.assertTrue(calls[0].startswith("curl --fail ") and calls[0].endswith(" " + url), calls)
        self.assertIn("--proto =https --proto-redir =https", calls[0])  # no downgrade to http on a redirect
        self.assertEqual(calls[1], "apt-get update -q")
        self.assertRegex(calls[2], r"^apt-get install -y -q --no-install-recommends /\S+/heinrich\.deb$")

    def test_installs_the_release_asset_of_the_action_version(self):
        sandbox = Sandbox(installed=False)
        self.addCleanup(sandbox.close)
        version = project_version()
        status, outputs, _, stdout = run_action(sandbox, ORDINARY)
        self.assertEqual((status, outputs["decision"]), (0, "allow"), stdout)
        url = f"https://github.com/example/heinrich/releases/download/v{version}/heinrich_{version}_amd64.deb"
        self.assertTrue(sandbox.calls()[0].endswith(" " + url), sandbox.calls())
        # An explicit location and version win; a heinrich of another version
        # on PATH is replaced, and an install that does not give the version
        # asked for fails.
        status, _, _, stdout = run_action(self.sandbox, ORDINARY, version="9.9.9",
                                          releases="https://mirror.example.org/heinrich/")
        self.assertEqual(status, 2, stdout)
        self.assertTrue(self.sandbox.calls()[0].endswith(
            " https://mirror.example.org/heinrich/v9.9.9/heinrich_9.9.9_amd64.deb"), self.sandbox.calls())
        self.assertIn(f"installed heinrich {version}, not 9.9.9", stdout)

    def test_the_installer_says_what_is_missing(self):
        sandbox = Sandbox(installed=False)
        self.addCleanup(sandbox.close)
        for inputs, message in (({"package": "nowhere.deb"}, "package 'nowhere.deb': no such file"),
                                ({"package": "ftp://example.org/h.deb"},
                                 "package 'ftp://example.org/h.deb': only a path or an https URL"),
                                ({"package": "http://example.org/h.deb"},
                                 "package 'http://example.org/h.deb': only a path or an https URL"),
                                ({"version": "1.0;rm"}, "version '1.0;rm': not a package version")):
            status, _, _, stdout = run_action(sandbox, ORDINARY, **inputs)
            self.assertEqual(status, 2, stdout)
            self.assertIn("install-heinrich: error: " + message, stdout)
        status, _, _, stdout = run_action(sandbox, ORDINARY, repository="")  # the runner left it empty
        self.assertEqual(status, 2, stdout)
        self.assertIn(f"no release location to download heinrich {project_version()} from", stdout)
        self.assertEqual(sandbox.calls(), [])

    @unittest.skipUnless(SHELLCHECK, "shellcheck is not installed")
    def test_steps_pass_shellcheck(self):
        with open(ACTION, encoding="utf-8") as handle:
            steps = yaml.safe_load(handle)["runs"]["steps"]
        for step in steps:
            result = subprocess.run([SHELLCHECK, "-s", "bash", "-"], input=step["run"], capture_output=True,
                                    text=True, timeout=60)
            self.assertEqual(result.returncode, 0, result.stdout)
        result = subprocess.run([SHELLCHECK, INSTALLER], capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stdout)


def wait_exists():
    result = subprocess.run([BIN, "wait", "--help"], capture_output=True, text=True, timeout=30,
                            env=child_env(), stdin=subprocess.DEVNULL)
    return result.returncode == 0


@unittest.skipUnless(wait_exists(), "this heinrich has no `wait` command yet")
class GitHubActionWait(unittest.TestCase):
    """command: wait. A deploy allowed now passes at once; one that cannot
    start within max-wait fails at once, with the outputs set."""

    def setUp(self):
        self.sandbox = Sandbox(installed=True)
        self.addCleanup(self.sandbox.close)

    def test_wait(self):
        status, outputs, summary, stdout = run_action(self.sandbox, ORDINARY, command="wait", duration="45m")
        self.assertEqual((status, outputs["decision"]), (0, "allow"), stdout)
        status, outputs, summary, stdout = run_action(self.sandbox, PAYDAY, command="wait", duration="45m",
                                                      **{"max-wait": "1m"})
        self.assertEqual((status, outputs["decision"]), (1, "block"), stdout)
        self.assertRegex(outputs["next-safe"], UTC_RE)
        self.assertIn("BLOCK", summary)


# --- GitLab CI -----------------------------------------------------------------

INPUT = re.compile(r"\$\[\[\s*inputs\.([\w-]+)\s*\]\]")


def load_component(**given):
    """templates/heinrich.yml with its inputs interpolated: (job name, job)."""
    with open(COMPONENT, encoding="utf-8") as handle:
        header, body = yaml.safe_load_all(handle)
    declared = header["spec"]["inputs"]
    unknown = set(given) - set(declared)
    assert not unknown, f"not an input of the component: {unknown}"
    values = {}
    for name, spec in declared.items():
        value = given.get(name, spec.get("default"))
        assert value is not None, f"input {name} is required"
        if "options" in spec:
            assert value in spec["options"], f"{name}: {value!r} is not one of {spec['options']}"
        values[name] = value

    def interpolate(node):
        if isinstance(node, dict):
            return {interpolate(key): interpolate(value) for key, value in node.items()}
        if isinstance(node, list):
            return [interpolate(item) for item in node]
        if isinstance(node, str):
            return INPUT.sub(lambda match: str(values[match[1]]), node)
        return node

    [(name, job)] = interpolate(body).items()
    assert "$[[" not in repr(job)
    return name, job


def read_dotenv(path):
    """A dotenv report as GitLab reads it: KEY=VALUE lines, keys of
    [A-Za-z0-9_], no line breaks in a value."""
    variables = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle.read().splitlines():
            key, sep, value = line.partition("=")
            assert sep and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key), f"not a dotenv line: {line!r}"
            variables[key] = value
    return variables


def run_component(sandbox, now, shell, variables=None, **inputs):
    """The job's script as the runner runs it: one shell, the items in order,
    stopping at the first that fails."""
    _, job = load_component(**inputs)
    env = sandbox.env(now, GITLAB_CI="true", CI="true", CI_PROJECT_DIR=sandbox.repo, **(variables or {}))
    env.update({name: str(value) for name, value in job["variables"].items()})
    script = "\n".join(job["script"])
    command = ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script] if shell == "bash" else \
        ["sh", "-e", "-c", script]
    result = subprocess.run(command, cwd=sandbox.repo, env=env, capture_output=True, text=True, timeout=60,
                            stdin=subprocess.DEVNULL)
    return result, job


class GitLabComponent(unittest.TestCase):
    def setUp(self):
        self.sandbox = Sandbox(installed=True)
        self.addCleanup(self.sandbox.close)

    def test_the_installer_is_the_same_text(self):
        _, job = load_component()
        match = re.fullmatch(r"sh <<'INSTALL_HEINRICH'\n(.*)INSTALL_HEINRICH\n", job["script"][0], re.S)
        self.assertTrue(match, job["script"][0][:200])
        with open(INSTALLER, encoding="utf-8") as handle:
            self.assertEqual(match[1], handle.read().split("\n", 1)[1])

    def test_job_shape(self):
        name, job = load_component(**{"job-name": "deploy-window", "stage": "gate"})
        self.assertEqual((name, job["stage"], job["image"]), ("deploy-window", "gate", "debian:12-slim"))
        self.assertEqual(job["artifacts"], {"when": "always", "reports": {"junit": "heinrich-junit.xml",
                                                                          "dotenv": "heinrich.env"}})

    @unittest.skipUnless(XMLLINT, "xmllint (libxml2-utils) is not installed")
    def test_payday_blocks_and_an_ordinary_morning_passes(self):
        report = os.path.join(self.sandbox.repo, "heinrich-junit.xml")
        for shell in ("bash", "sh"):
            for now, status, failures in ((PAYDAY, 1, "1"), (ORDINARY, 0, "0")):
                with self.subTest(shell=shell, now=now):
                    result, _ = run_component(self.sandbox, now, shell, {"CI_COMMIT_BRANCH": "main"},
                                              duration="45m")
                    check_run(self, result)
                    self.assertEqual(result.returncode, status, result.stdout + result.stderr)
                    self.assertIn("scope   environment prod", result.stdout)  # main -> prod through [push]
                    self.assertIn("heinrich check --ci -o heinrich-junit.xml --dotenv heinrich.env --fail-on block "
                                  "--duration 45m",
                                  result.stdout)
                    failed = subprocess.run([XMLLINT, "--xpath", "string(/testsuites/@failures)", report],
                                            capture_output=True, text=True, timeout=30)
                    self.assertEqual(failed.stdout.strip(), failures)
                    os.unlink(report)
                    # What later jobs read (artifacts:reports:dotenv), as GitLab parses it.
                    variables = read_dotenv(os.path.join(self.sandbox.repo, "heinrich.env"))
                    if status:
                        self.assertEqual(variables["HEINRICH_DECISION"], "block")
                        self.assertGreaterEqual(int(variables["HEINRICH_SCORE"]), 70)
                        self.assertRegex(variables["HEINRICH_NEXT_SAFE"], r"^2026-\d\d-\d\dT\d\d:\d\d:00Z$")
                    else:
                        self.assertEqual(variables, {"HEINRICH_DECISION": "allow",
                                                     "HEINRICH_SCORE": variables["HEINRICH_SCORE"],
                                                     "HEINRICH_NEXT_SAFE": ""})
                    os.unlink(os.path.join(self.sandbox.repo, "heinrich.env"))

    def test_inputs_and_the_install_step(self):
        sandbox = Sandbox(installed=False)
        self.addCleanup(sandbox.close)
        sandbox.file("heinrich.deb")
        result, _ = run_component(sandbox, PAYDAY, "sh", {"CI_ENVIRONMENT_NAME": "prod"}, package="heinrich.deb",
                                  environment="staging")
        check_run(self, result)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)  # staging has no payday rule
        self.assertIn("scope   environment staging", result.stdout)
        self.assertEqual(sandbox.calls(), [
            "apt-get update -q", "apt-get install -y -q --no-install-recommends ./heinrich.deb"])
        result, _ = run_component(sandbox, PAYDAY, "sh", {"CI_ENVIRONMENT_NAME": "prod"}, **{"max-wait": "1h"})
        self.assertEqual(result.returncode, 2)
        self.assertIn("max-wait is for command: wait", result.stderr)
        empty = Sandbox(installed=False)
        self.addCleanup(empty.close)
        result, _ = run_component(empty, ORDINARY, "sh")
        self.assertEqual(result.returncode, 2)
        self.assertIn("heinrich is not installed: give a package (path or URL) or a version", result.stderr)

    @unittest.skipUnless(wait_exists(), "this heinrich has no `wait` command yet")
    def test_wait(self):
        result, _ = run_component(self.sandbox, ORDINARY, "sh", {"CI_COMMIT_BRANCH": "main"}, command="wait")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        result, _ = run_component(self.sandbox, PAYDAY, "sh", {"CI_COMMIT_BRANCH": "main"}, command="wait",
                                  **{"max-wait": "1m"})
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)


# --- README: Jenkins and plain shell ---------------------------------------------

def readme_templates():
    """name -> the fenced block after each '<!-- ci-template: NAME -->'."""
    with open(os.path.join(SOURCE_DIR, "README.md"), encoding="utf-8") as handle:
        text = handle.read()
    return {m[1]: m[2] for m in re.finditer(r"<!-- ci-template: (\w+) -->\n```\w*\n(.*?)```", text, re.S)}


class ReadmeTemplates(unittest.TestCase):
    def setUp(self):
        self.sandbox = Sandbox(installed=True)
        self.addCleanup(self.sandbox.close)
        self.blocks = readme_templates()

    def shell(self, command, now, **variables):
        result = subprocess.run(["sh", "-ec", command], cwd=self.sandbox.repo, env=self.sandbox.env(now, **variables),
                                capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
        check_run(self, result)
        return result

    def test_they_are_there(self):
        self.assertEqual(sorted(self.blocks), ["github_action", "gitlab_component", "jenkins", "shell_wait"])

    def test_github_action_usage_names_real_inputs_and_outputs(self):
        with open(ACTION, encoding="utf-8") as handle:
            action = yaml.safe_load(handle)
        usage = yaml.safe_load(self.blocks["github_action"])
        step = next(s for s in usage if s.get("uses", "").startswith("your-org/heinrich@"))
        self.assertTrue(set(step.get("with", {})) <= set(action["inputs"]), step)
        for output in re.findall(r"steps\.\w+\.outputs\.([\w-]+)", self.blocks["github_action"]):
            self.assertIn(output, action["outputs"])
        status, outputs, _, stdout = run_action(self.sandbox, PAYDAY, **step["with"])
        self.assertEqual((status, outputs["decision"]), (1, "block"), stdout)

    def test_gitlab_include_names_real_inputs(self):
        include = yaml.safe_load(self.blocks["gitlab_component"])["include"][0]
        self.assertTrue(include["component"].endswith("/heinrich@" + project_version()), include)
        load_component(**include["inputs"])

    def test_jenkins(self):
        commands = re.findall(r"^\s*sh '(.*)'$", self.blocks["jenkins"], re.M)
        self.assertEqual(len(commands), 1)
        report = re.search(r"junit '(\S+)'", self.blocks["jenkins"])[1]
        jenkins = {"JENKINS_URL": "http://127.0.0.1:8080/", "BRANCH_NAME": "main"}
        for now, status in ((PAYDAY, 1), (ORDINARY, 0)):
            result = self.shell(commands[0], now, **jenkins)
            self.assertEqual(result.returncode, status, result.stdout + result.stderr)
            self.assertIn("scope   environment prod", result.stdout)
            with open(os.path.join(self.sandbox.repo, report), encoding="utf-8") as handle:
                self.assertIn(f'failures="{status}"', handle.read())

    @unittest.skipUnless(wait_exists(), "this heinrich has no `wait` command yet")
    def test_shell_wait(self):
        deploy = self.sandbox.file("deploy.sh", "#!/bin/sh\necho deployed\n")
        os.chmod(deploy, 0o755)
        result = self.shell(self.blocks["shell_wait"], ORDINARY)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertTrue(result.stdout.endswith("deployed\n"), result.stdout)


if __name__ == "__main__":
    unittest.main()
