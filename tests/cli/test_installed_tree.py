"""`cmake --install` into a fresh prefix, then the installed binaries: the
layout (heinrich in bin/, its helper heinrich-git in lib/heinrich/, the data,
the manual pages and the completions), and that the installed heinrich finds
its helper and its data, and the helper finds heinrich, from that prefix
alone (not from the build tree, not from /usr/local)."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

from harness import BIN, child_env

BUILD_DIR = os.path.dirname(os.path.dirname(BIN))


class InstalledTree(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.prefix = tempfile.mkdtemp(prefix="heinrich-prefix-")
        cls.install = subprocess.run(["cmake", "--install", BUILD_DIR, "--prefix", cls.prefix],
                                     capture_output=True, text=True, timeout=300)
        cls.bin = os.path.join(cls.prefix, "bin", "heinrich")
        cls.helper = os.path.join(cls.prefix, "lib", "heinrich", "heinrich-git")
        cls.scratch = tempfile.mkdtemp(prefix="heinrich-installed-cwd-")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.prefix, ignore_errors=True)
        shutil.rmtree(cls.scratch, ignore_errors=True)

    def run_installed(self, *args, binary=None, cwd=None):
        env = child_env()
        env["PATH"] = "/usr/bin:/bin"  # neither the build tree nor /usr/local
        result = subprocess.run([binary or self.bin, *args], capture_output=True, text=True, env=env,
                                cwd=cwd or self.scratch, stdin=subprocess.DEVNULL, timeout=60)
        self.assertNotIn("Sanitizer", result.stderr)
        return result

    def test_install_succeeds(self):
        self.assertEqual(self.install.returncode, 0, self.install.stderr)

    def test_layout(self):
        expected = ["bin/heinrich", "lib/heinrich/heinrich-git",
                    "share/heinrich/policies/default.toml",
                    "share/heinrich/policies/holidays/kr-public-holidays.toml",
                    "share/heinrich/hooks/pre-push", "share/heinrich/hooks/pre-receive",
                    "share/heinrich/hooks/post-receive",
                    "share/man/man1/heinrich.1", "share/man/man1/heinrich-check.1",
                    "share/man/man1/heinrich-hook.1",
                    "share/bash-completion/completions/heinrich",
                    "share/zsh/vendor-completions/_heinrich",
                    "share/fish/vendor_completions.d/heinrich.fish"]
        for path in expected:
            self.assertTrue(os.path.isfile(os.path.join(self.prefix, path)), path)
        # The helper is not a command on $PATH.
        self.assertFalse(os.path.exists(os.path.join(self.prefix, "bin", "heinrich-git")))

    def test_installed_check_reads_the_installed_default_policy(self):
        # Payday (Friday 2026-12-25 is Christmas, so the 24th) morning: blocked.
        result = self.run_installed("check", "--at", "2026-12-24T09:30", "--env", "prod", "--format", "json")
        self.assertEqual(result.returncode, 1, result.stderr)
        data = json.loads(result.stdout)
        self.assertEqual(data["decision"], "block")
        self.assertEqual(os.path.realpath(data["policy"]),
                         os.path.realpath(os.path.join(self.prefix, "share/heinrich/policies/default.toml")))

    def test_installed_heinrich_runs_the_installed_helper(self):
        result = self.run_installed("help", "--format", "man", "hook")
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(os.path.join(self.prefix, "share/man/man1/heinrich-hook.1"), encoding="utf-8") as page:
            self.assertEqual(result.stdout, page.read())

    def test_a_stale_helper_beside_heinrich_does_not_win(self):
        # An older install put heinrich-git in bin/; the new one is in lib/heinrich/.
        stale = os.path.join(self.prefix, "bin", "heinrich-git")
        with open(stale, "w", encoding="utf-8") as script:
            script.write("#!/bin/sh\necho stale heinrich-git >&2\nexit 3\n")
        os.chmod(stale, 0o755)
        try:
            result = self.run_installed("help", "--format", "man", "hook")
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertNotIn("stale", result.stderr)
        finally:
            os.remove(stale)

    def test_helper_finds_the_installed_data(self):
        result = self.run_installed("version", "--format", "json", binary=self.helper)
        self.assertEqual(result.returncode, 0, result.stderr)
        for entry in json.loads(result.stdout)["holidays"]:
            self.assertTrue(os.path.realpath(entry["file"]).startswith(os.path.realpath(self.prefix)), entry)

    def test_install_writes_a_hook_that_runs_the_installed_heinrich(self):
        repo = os.path.join(self.scratch, "repo")
        subprocess.run(["git", "init", "-q", repo], check=True, timeout=30)
        result = self.run_installed("install", cwd=repo)
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(os.path.join(repo, ".git", "hooks", "pre-push"), encoding="utf-8") as hook:
            self.assertIn(f"heinrich='{self.bin}'", hook.read())

    def test_man_finds_the_pages_under_the_prefix(self):
        result = subprocess.run(["man", "-w", "heinrich-check"], capture_output=True, text=True, timeout=30,
                                env=dict(os.environ, MANPATH=os.path.join(self.prefix, "share", "man")))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip(), os.path.join(self.prefix, "share/man/man1/heinrich-check.1"))


if __name__ == "__main__":
    if not os.access(BIN, os.X_OK):
        sys.exit(f"HEINRICH_BIN={BIN} is not an executable")
    unittest.main()
