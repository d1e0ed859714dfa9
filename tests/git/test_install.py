"""`heinrich install`: idempotent, never loses a hook, respects core.hooksPath."""
import os
import shutil
import stat
import subprocess
import unittest

from githarness import BIN, PAYDAY, SAFE, SOURCE_DIR, GitTestCase

FOREIGN = "#!/bin/sh\n# a linter the team already runs\necho \"foreign hook saw: $(cat)\" >&2\nexit ${FOREIGN_EXIT:-0}\n"


class InstallTest(GitTestCase):
    def setUp(self):
        super().setUp()
        self.remote = self.make_remote()
        self.work = self.make_clone(self.remote, install=False)
        self.hook = os.path.join(self.work, ".git", "hooks", "pre-push")

    def read(self, path):
        with open(path) as f:
            return f.read()

    def test_install_twice_is_a_no_op(self):
        first = self.heinrich("install", cwd=self.work)
        self.assertEqual(first.returncode, 0, first.stderr)
        self.assertIn("installed the pre-push hook at .git/hooks/pre-push", first.stdout)
        content = self.read(self.hook)
        self.assertIn('hook pre-push "$@"', content)
        self.assertTrue(os.stat(self.hook).st_mode & stat.S_IXUSR)
        mtime = os.stat(self.hook).st_mtime_ns
        second = self.heinrich("install", cwd=self.work)
        self.assertEqual(second.returncode, 0)
        self.assertIn("already installed", second.stdout)
        self.assertEqual(self.read(self.hook), content)
        self.assertEqual(os.stat(self.hook).st_mtime_ns, mtime)
        self.assertEqual(sorted(os.listdir(os.path.dirname(self.hook))),
                         sorted(n for n in os.listdir(os.path.dirname(self.hook)) if "heinrich-tmp" not in n))

    def test_from_a_subdirectory(self):
        sub = os.path.join(self.work, "src", "deep")
        os.makedirs(sub)
        result = self.heinrich("install", cwd=sub)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(os.path.exists(self.hook))

    def test_foreign_hook_is_refused_then_chained_with_force(self):
        with open(self.hook, "w") as out:
            out.write(FOREIGN)
        os.chmod(self.hook, 0o755)
        refused = self.heinrich("install", cwd=self.work)
        self.assertEqual(refused.returncode, 2)
        self.assertIn("already exists and is not heinrich's", refused.stderr)
        self.assertIn("--force", refused.stderr)
        self.assertIn("so it was left alone.\n  run `heinrich install --force`", refused.stderr)  # lines kept
        self.assertEqual(self.read(self.hook), FOREIGN)

        forced = self.heinrich("install", "--force", cwd=self.work)
        self.assertEqual(forced.returncode, 0, forced.stderr)
        self.assertEqual(self.read(self.hook + ".heinrich-chained"), FOREIGN)
        self.assertIn("pre-push.heinrich-chained", self.read(self.hook))
        again = self.heinrich("install", cwd=self.work)
        self.assertIn("already installed", again.stdout)

        # Both run: the old hook sees git's lines, heinrich still decides.
        self.commit(self.work, "a.py", "a\n", "A")
        ok = self.push("origin", "main", now=SAFE, expect=True)
        self.assertIn("foreign hook saw: refs/heads/main", ok.stderr)
        self.assertIn("heinrich: allow refs/heads/main", ok.stderr)
        self.commit(self.work, "b.py", "b\n", "B")
        self.push("origin", "main", now=PAYDAY, expect=False)
        vetoed = self.push("origin", "main", now=SAFE, env=dict(self.env, FOREIGN_EXIT="1"), expect=False)
        self.assertNotIn("heinrich: allow", vetoed.stderr)

    def test_core_hooks_path_is_respected(self):
        self.git("config", "core.hooksPath", ".githooks", cwd=self.work)
        result = self.heinrich("install", cwd=self.work)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(".githooks/pre-push", result.stdout)
        self.assertTrue(os.path.exists(os.path.join(self.work, ".githooks", "pre-push")))
        self.assertFalse(os.path.exists(self.hook))
        self.push("origin", "main", now=SAFE, expect=True)
        self.commit(self.work, "a.py", "a\n", "A")
        self.push("origin", "main", now=PAYDAY, expect=False)

    def test_hooks_path_sets_up_the_shared_folder(self):
        result = self.heinrich("install", "--hooks-path", cwd=self.work)
        self.assertEqual(result.returncode, 0, result.stderr)
        shim = os.path.join(self.work, "hooks", "pre-push")
        self.assertEqual(self.git("config", "core.hooksPath", cwd=self.work).stdout.strip(), "hooks")
        # The same shim as this project's own hooks/pre-push.
        self.assertEqual(self.read(shim), self.read(os.path.join(SOURCE_DIR, "hooks", "pre-push")))
        self.assertIn("already there", self.heinrich("install", "--hooks-path", cwd=self.work).stdout)
        # The shim runs `heinrich` from PATH.
        env = dict(self.env, PATH=os.path.dirname(BIN) + os.pathsep + self.env["PATH"])
        self.commit(self.work, "a.py", "a\n", "A")
        self.push("origin", "main", now=PAYDAY, env=env, expect=False)
        self.push("origin", "main", now=SAFE, env=env, expect=True)
        # Without heinrich on PATH the shim stops the push rather than open the gate.
        bare_path = os.path.join(self.tmp, "only-git")
        os.makedirs(bare_path)
        os.symlink(shutil.which("git"), os.path.join(bare_path, "git"))
        env = dict(self.env, PATH=bare_path)
        self.commit(self.work, "b.py", "b\n", "B")
        stopped = self.push("origin", "main", now=SAFE, env=env, expect=False)
        self.assertIn("heinrich: not installed", stopped.stderr)

    def test_hooks_path_refuses_to_redirect_another_hooks_path(self):
        self.git("config", "core.hooksPath", ".husky", cwd=self.work)
        result = self.heinrich("install", "--hooks-path", cwd=self.work)
        self.assertEqual(result.returncode, 2)
        self.assertIn("core.hooksPath is already '.husky'", result.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.work, "hooks", "pre-push")))

    def test_repository_shims_run_from_path(self):
        for hook in ("pre-push", "pre-receive", "post-receive"):
            path = os.path.join(SOURCE_DIR, "hooks", hook)
            self.assertTrue(os.access(path, os.X_OK), path)
            self.assertIn(f'exec heinrich hook {hook} "$@"', self.read(path))

    def test_server_install_is_idempotent_and_chains(self):
        hook = os.path.join(self.remote, "hooks", "pre-receive")
        with open(hook, "w") as out:
            out.write(FOREIGN)
        os.chmod(hook, 0o755)
        self.assertEqual(self.heinrich("install", "--server", cwd=self.remote).returncode, 2)
        self.assertEqual(self.heinrich("install", "--server", "--force", cwd=self.remote).returncode, 0)
        self.assertIn("already installed", self.heinrich("install", "--server", cwd=self.remote).stdout)
        self.commit(self.work, "a.py", "a\n", "A")
        result = self.push("origin", "main", now=PAYDAY, expect=False)
        self.assertIn("remote: foreign hook saw:", result.stderr)
        self.assertIn("remote: heinrich: BLOCK", result.stderr)

    def test_outside_a_repository(self):
        outside = os.path.join(self.tmp, "plain")
        os.makedirs(outside)
        env = dict(self.env, GIT_CEILING_DIRECTORIES=self.tmp)
        result = self.heinrich("install", cwd=outside, env=env)
        self.assertEqual(result.returncode, 2)
        self.assertIn("not in a git repository", result.stderr)

    def test_missing_heinrich_git_is_a_clear_error(self):
        lonely = os.path.join(self.tmp, "bin")
        os.makedirs(lonely)
        shutil.copy(BIN, os.path.join(lonely, "heinrich"))
        result = subprocess.run([os.path.join(lonely, "heinrich"), "install"], cwd=self.work, env=self.env,
                                capture_output=True, text=True)
        self.assertEqual(result.returncode, 3)
        self.assertIn("heinrich-git, which could not be started", result.stderr)
        self.assertIn(os.path.join(lonely, "heinrich-git"), result.stderr)


if __name__ == "__main__":
    unittest.main()
