"""Shared pieces of the git whole-program tests: real `git` in temporary
directories, isolated from the user's configuration, and the heinrich
binaries named by HEINRICH_BIN / HEINRICH_GIT_BIN."""
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.environ.get("HEINRICH_SOURCE_DIR") or os.path.dirname(os.path.dirname(HERE))
BIN = os.path.abspath(os.environ.get("HEINRICH_BIN") or os.path.join(SOURCE_DIR, "build-git", "src", "heinrich"))
GIT_BIN = os.path.abspath(os.environ.get("HEINRICH_GIT_BIN") or os.path.join(os.path.dirname(BIN), "heinrich-git"))
# Every --format json document is validated against `heinrich schema`, as in
# the CLI suites (tests/cli/harness.py).
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "cli"))
from harness import validate_json_output  # noqa: E402

# The tests' own policy (the shipped default without the example ICS calendar),
# so they do not move when the shipped default does.
TEST_POLICY = os.path.join(HERE, "data", "policy.toml")

# Times in Seoul (the default policy's zone).
SAFE = "2026-12-15T11:00:00+09:00"       # a Tuesday late morning: score 0
PAYDAY = "2026-11-25T10:00:00+09:00"     # payday morning: block, overridable
HOLIDAY = "2026-09-25T11:00:00+09:00"    # Chuseok: block, overridable
FREEZE = "2026-12-24T18:00:00+09:00"     # year-end freeze: block, listed in [override] never
CRASH_MARKERS = ("internal error", "AddressSanitizer", "LeakSanitizer", "UndefinedBehaviorSanitizer",
                 "runtime error:", "terminate called")
ZERO = "0" * 40


class GitTestCase(unittest.TestCase):
    """Each test gets a fresh temporary HOME, so no user or system git
    configuration leaks in, and a clock fixed by HEINRICH_NOW (for servers:
    their `heinrich.now`, set by push())."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="heinrich-git-")
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        home = os.path.join(self.tmp, "home")
        os.makedirs(home)
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("GIT_", "HEINRICH_", "PRE_COMMIT"))}
        env.update({
            "HOME": home, "XDG_CONFIG_HOME": os.path.join(home, ".config"),
            "XDG_CACHE_HOME": os.path.join(home, ".cache"), "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "Ada Author", "GIT_AUTHOR_EMAIL": "ada@example.com",
            "GIT_COMMITTER_NAME": "Cy Committer", "GIT_COMMITTER_EMAIL": "cy@example.com",
            "GIT_AUTHOR_DATE": "2026-11-20T10:00:00+09:00", "GIT_COMMITTER_DATE": "2026-11-20T10:00:00+09:00",
            "NO_COLOR": "1", "HEINRICH_NOW": SAFE, "LC_ALL": "C",
            "ASAN_OPTIONS": os.environ.get("ASAN_OPTIONS", ""),
        })
        self.env = env
        with open(os.path.join(home, ".gitconfig"), "w") as config:
            config.write("[init]\n\tdefaultBranch = main\n[user]\n\tname = Pat Pusher\n\temail = pat@example.com\n"
                         "[advice]\n\tdetachedHead = false\n[protocol \"file\"]\n\tallow = always\n")

    # --- running things ---------------------------------------------------
    def run_cmd(self, args, cwd=None, env=None, input=None, check=True):
        result = subprocess.run(args, cwd=cwd or self.tmp, env=env or self.env, input=input,
                                capture_output=True, text=True, timeout=120)
        if check and result.returncode != 0:
            raise AssertionError(f"{args} failed with {result.returncode}:\n{result.stdout}\n{result.stderr}")
        return result

    def git(self, *args, cwd=None, env=None, input=None, check=True):
        return self.run_cmd(["git", *args], cwd=cwd, env=env, input=input, check=check)

    def heinrich(self, *args, cwd=None, env=None, input=None, binary=None):
        result = subprocess.run([binary or BIN, *args], cwd=cwd or self.tmp, env=env or self.env,
                                input=input, capture_output=True, text=True, timeout=120)
        self.assert_clean(result, args)
        validate_json_output(args, result.stdout)
        return result

    def assert_clean(self, result, what=""):
        for marker in CRASH_MARKERS:
            self.assertNotIn(marker, result.stderr, f"{what}: {result.stderr}")
        self.assertIn(result.returncode, (0, 1, 2), f"{what}: status outside the contract\n{result.stderr}")

    def push(self, *args, cwd=None, now=None, env=None, expect=None, server_now=None):
        """git push; `now` is the pusher's clock (HEINRICH_NOW, read by
        pre-push) and, unless `server_now` says otherwise, the receiving
        server's too (its own `heinrich.now`: a server hook never reads the
        pusher's environment)."""
        env = dict(env or self.env)
        if now is not None:
            env["HEINRICH_NOW"] = now
        self.set_server_clock(args, cwd or self.work, server_now or env.get("HEINRICH_NOW"))
        result = self.git("push", *args, cwd=cwd or self.work, env=env, check=False)
        self.assert_clean(result, "git push " + " ".join(args))
        # The hooks a push runs are descendants this process waits for: the
        # largest resident set among them may not pass 1 GiB.
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        self.assertLess(peak, 1 << 20, f"a process held {peak >> 10} MiB during git push {' '.join(args)}")
        if expect is not None:
            ok = result.returncode == 0
            self.assertEqual(ok, expect, f"git push {' '.join(args)}:\n{result.stdout}\n{result.stderr}")
        return result

    def set_server_clock(self, push_args, cwd, now):
        remote = next((a for a in push_args if not a.startswith("-")), None)
        if remote is None or now is None:
            return
        url = self.git("remote", "get-url", remote, cwd=cwd, check=False).stdout.strip() or remote
        path = url[len("file://"):] if url.startswith("file://") else url
        if os.path.isfile(os.path.join(path, "config")):
            self.git("config", "--file", os.path.join(path, "config"), "heinrich.now", now)

    # --- building repositories -------------------------------------------
    def make_remote(self, name="remote.git"):
        path = os.path.join(self.tmp, name)
        self.git("init", "-q", "--bare", path)
        return path

    def make_clone(self, remote, name="work", policy=TEST_POLICY, install=True):
        path = os.path.join(self.tmp, name)
        self.git("clone", "-q", remote, path)
        if policy:
            shutil.copy(policy, os.path.join(path, "heinrich.toml"))
            self.commit(path, "heinrich.toml", None, "Add the heinrich policy")
        if install:
            self.heinrich("install", cwd=path)
        return path

    def setup_pair(self, **kwargs):
        """A bare remote with main pushed (at a safe time) and a clone with the hook."""
        self.remote = self.make_remote()
        self.work = self.make_clone(self.remote, **kwargs)
        self.push("-q", "origin", "main", expect=True)
        return self.work

    def write(self, repo, path, content):
        full = os.path.join(repo, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w") as out:
            out.write(content)

    def commit(self, repo, path, content, message, trailer=None):
        if content is not None:
            self.write(repo, path, content)
        self.git("add", "--", path, cwd=repo)
        args = ["commit", "-q", "-m", message]
        if trailer:
            args += ["--trailer", trailer]
        self.git(*args, cwd=repo)
        return self.rev(repo, "HEAD")

    def rev(self, repo, spec):
        return self.git("rev-parse", spec, cwd=repo).stdout.strip()

    def remote_rev(self, ref, remote=None):
        result = self.git("rev-parse", "--verify", "-q", ref, cwd=remote or self.remote, check=False)
        return result.stdout.strip() or None
