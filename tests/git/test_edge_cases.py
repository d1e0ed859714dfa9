"""Repositories that are not the happy path: empty, detached, shallow,
worktrees, submodules, odd ref names, a 10,000-commit push, pre-commit."""
import os
import time
import unittest

from githarness import PAYDAY, SAFE, TEST_POLICY, ZERO, GitTestCase


def fast_import_stream(commits, ref="refs/heads/main", files_per_commit=1, file_space=100, parent=None):
    """A git fast-import stream of `commits` linear commits, each changing
    `files_per_commit` small files out of `file_space`, 100 to a directory
    (small trees keep fast-import fast)."""
    out = []
    for i in range(1, commits + 1):
        out.append(f"commit {ref}\nmark :{i}\ncommitter Bot <bot@example.com> {1700000000 + i} +0000\n")
        message = f"change {i}"
        out.append(f"data {len(message)}\n{message}\n")
        if i == 1 and parent:
            out.append(f"from {parent}\n")
        for f in range(files_per_commit):
            body = f"commit {i} file {f}\n"
            n = (i * files_per_commit + f) % file_space
            out.append(f"M 644 inline src/d{n // 100}/f{n}.txt\ndata {len(body)}\n{body}")
        out.append("\n")
    return "".join(out)


class EdgeCaseTest(GitTestCase):
    def test_repository_with_no_commits(self):
        work = os.path.join(self.tmp, "empty")
        self.git("init", "-q", work)
        result = self.heinrich("install", cwd=work)
        self.assertEqual(result.returncode, 0, result.stderr)
        remote = self.make_remote()
        self.git("remote", "add", "origin", remote, cwd=work)
        # Nothing to push: git refuses before any hook runs; heinrich is not involved.
        nothing = self.push("origin", "--all", cwd=work, now=PAYDAY)
        self.assertNotIn("heinrich:", nothing.stderr)
        policy = os.path.join(self.tmp, "policy.toml")
        with open(TEST_POLICY) as f:
            self.write(self.tmp, "policy.toml", f.read())
        empty = self.heinrich("hook", "pre-push", "origin", remote, cwd=work, input="",
                              env=dict(self.env, HEINRICH_POLICY=policy, HEINRICH_NOW=PAYDAY))
        self.assertEqual(empty.returncode, 0, empty.stderr)
        direct = self.heinrich("hook", "pre-push", "origin", remote, cwd=work, input="",
                               env=dict(self.env, HEINRICH_POLICY=os.path.join(self.tmp, "missing.toml")))
        self.assertEqual(direct.returncode, 2, "a missing policy is an error, not an open gate")
        audit = self.heinrich("audit-overrides", cwd=work)
        self.assertIn("no overrides recorded", audit.stdout)

    def test_detached_head(self):
        self.setup_pair()
        self.git("switch", "-q", "--detach", "HEAD", cwd=self.work)
        self.commit(self.work, "d.py", "d\n", "Detached work")
        self.push("origin", "HEAD:refs/heads/main", now=PAYDAY, expect=False)
        result = self.push("origin", "HEAD:refs/heads/main", now=SAFE, expect=True)
        self.assertIn("allow refs/heads/main -> prod: score 0/100, 1 new commit", result.stderr)

    def test_shallow_clone(self):
        self.setup_pair()
        for i in range(5):
            self.commit(self.work, "h.txt", f"{i}\n", f"History {i}")
        self.push("origin", "main", now=SAFE, expect=True)
        shallow = os.path.join(self.tmp, "shallow")
        self.git("clone", "-q", "--depth", "1", "file://" + self.remote, shallow)
        self.heinrich("install", cwd=shallow)
        self.commit(shallow, "s.txt", "s\n", "From a shallow clone")
        self.push("origin", "main", cwd=shallow, now=PAYDAY, expect=False)
        result = self.push("origin", "main", cwd=shallow, now=SAFE, expect=True)
        self.assertIn("1 new commit", result.stderr)
        # A new branch whose history is cut off: counted up to the shallow boundary, no crash.
        self.git("switch", "-q", "-c", "release/shallow", cwd=shallow)
        self.git("update-ref", "-d", "refs/remotes/origin/main", cwd=shallow)
        result = self.push("origin", "release/shallow", cwd=shallow, now=SAFE, expect=True)
        self.assertIn("allow refs/heads/release/shallow", result.stderr)

    def test_worktree(self):
        self.setup_pair()
        tree = os.path.join(self.tmp, "tree")
        self.git("worktree", "add", "-q", "-b", "release/wt", tree, cwd=self.work)
        self.assertIn("already installed", self.heinrich("install", cwd=tree).stdout)
        self.commit(tree, "w.txt", "w\n", "Worktree change")
        self.push("origin", "release/wt", cwd=tree, now=PAYDAY, expect=False)
        self.push("origin", "release/wt", cwd=tree, now=SAFE, expect=True)

    def test_submodule(self):
        self.setup_pair()
        lib_remote = self.make_remote("lib.git")
        lib_seed = self.make_clone(lib_remote, name="lib-seed", install=False)
        self.push("origin", "main", cwd=lib_seed, now=SAFE, expect=True)
        self.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", lib_remote, "lib", cwd=self.work)
        self.git("commit", "-q", "-m", "Add lib", cwd=self.work)
        sub = os.path.join(self.work, "lib")
        result = self.heinrich("install", cwd=sub)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(os.path.exists(os.path.join(self.work, ".git", "modules", "lib", "hooks", "pre-push")))
        self.commit(sub, "l.txt", "l\n", "Lib change")
        self.push("origin", "main", cwd=sub, now=PAYDAY, expect=False)
        self.push("origin", "main", cwd=sub, now=SAFE, expect=True)

    def test_unusual_ref_names(self):
        self.setup_pair()
        odd = "release/ünï'co\"de;$(x)&y#1"
        self.git("switch", "-q", "-c", odd, cwd=self.work)
        self.commit(self.work, "o.txt", "o\n", "Odd")
        blocked = self.push("origin", odd, now=PAYDAY, expect=False)
        self.assertIn(f"BLOCK refs/heads/{odd} -> prod", blocked.stderr)
        self.push("origin", odd, now=SAFE, expect=True)
        self.assertIsNotNone(self.remote_rev(f"refs/heads/{odd}"))

    def test_ten_thousand_new_commits(self):
        remote = self.make_remote()
        work = os.path.join(self.tmp, "big")
        self.git("init", "-q", work)
        self.git("fast-import", "--quiet", cwd=work, input=fast_import_stream(10000))
        self.git("reset", "-q", "--hard", "main", cwd=work)
        with open(TEST_POLICY) as f:
            self.write(work, "heinrich.toml", f.read())
        self.commit(work, "heinrich.toml", None, "Policy")
        self.git("remote", "add", "origin", remote, cwd=work)
        head = self.rev(work, "HEAD")
        lines = f"refs/heads/main {head} refs/heads/main {ZERO}\n"
        started = time.monotonic()
        result = self.heinrich("hook", "pre-push", "origin", remote, cwd=work, input=lines)
        elapsed = time.monotonic() - started
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("10001 new commits", result.stderr)
        self.assertLess(elapsed, 20, "a 10,000-commit push must not take long")
        self.heinrich("install", cwd=work)
        self.push("-q", "origin", "main", cwd=work, now=SAFE, expect=True)

    def test_pre_commit_framework_variables(self):
        self.setup_pair()
        base = self.rev(self.work, "HEAD")
        tip = self.commit(self.work, "p.txt", "p\n", "Via pre-commit")
        env = dict(self.env, PRE_COMMIT="1", PRE_COMMIT_HOOK_STAGE="pre-push", PRE_COMMIT_REMOTE_NAME="origin",
                   PRE_COMMIT_REMOTE_URL=self.remote, PRE_COMMIT_REMOTE_BRANCH="refs/heads/main",
                   PRE_COMMIT_LOCAL_BRANCH="refs/heads/main", PRE_COMMIT_FROM_REF=base, PRE_COMMIT_TO_REF=tip)
        blocked = self.heinrich("hook", "pre-push", cwd=self.work, env=dict(env, HEINRICH_NOW=PAYDAY))
        self.assertEqual(blocked.returncode, 1, blocked.stderr)
        self.assertIn("BLOCK refs/heads/main -> prod: score 70/100 (block at 70), 1 new commit", blocked.stderr)
        allowed = self.heinrich("hook", "pre-push", cwd=self.work, env=env)
        self.assertEqual(allowed.returncode, 0, allowed.stderr)
        # A new branch with all of its history new: only LOCAL_BRANCH is set.
        del env["PRE_COMMIT_FROM_REF"], env["PRE_COMMIT_TO_REF"]
        new = self.heinrich("hook", "pre-push", cwd=self.work, env=dict(env, HEINRICH_NOW=PAYDAY))
        self.assertEqual(new.returncode, 1, new.stderr)


if __name__ == "__main__":
    unittest.main()
