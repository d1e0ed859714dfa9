"""The pre-receive hook in a server's bare repository."""
import json
import os
import shutil
import unittest

from githarness import TEST_POLICY, PAYDAY, SAFE, GitTestCase

ALLOW_ALL = 'version = 1\ntimezone = "UTC"\n[push]\nrefs = { "refs/heads/main" = "prod" }\n'


class PreReceiveTest(GitTestCase):
    def setUp(self):
        super().setUp()
        # The clone has no pre-push hook: only the server decides here.
        self.setup_pair(install=False)
        self.heinrich("install", "--server", cwd=self.remote)

    def test_rejected_with_remote_lines_and_remote_unchanged(self):
        before = self.remote_rev("main")
        self.commit(self.work, "app.py", "x\n", "Feature")
        result = self.push("origin", "main", now=PAYDAY, expect=False)
        self.assertIn("remote: heinrich: BLOCK refs/heads/main -> prod", result.stderr)
        self.assertIn("remote:   +70   payday (event)", result.stderr)
        self.assertIn("main:heinrich.toml:", result.stderr)  # the policy of the server's default branch
        self.assertIn("pre-receive hook declined", result.stderr)
        self.assertNotIn("HEINRICH_OVERRIDE", result.stderr)  # the pusher's environment does not count here
        self.assertEqual(self.remote_rev("main"), before)

    def test_allowed_at_a_safe_time(self):
        tip = self.commit(self.work, "app.py", "x\n", "Feature")
        result = self.push("origin", "main", now=SAFE, expect=True)
        self.assertIn("remote: heinrich: allow refs/heads/main -> prod", result.stderr)
        self.assertEqual(self.remote_rev("main"), tip)

    def test_a_pushed_policy_edit_does_not_change_the_decision(self):
        before = self.remote_rev("main")
        with open(os.path.join(self.work, "heinrich.toml"), "w") as policy:
            policy.write(ALLOW_ALL)
        self.commit(self.work, "heinrich.toml", None, "Allow everything")
        result = self.push("origin", "main", now=PAYDAY, expect=False)
        self.assertIn("BLOCK refs/heads/main", result.stderr)
        self.assertEqual(self.remote_rev("main"), before)
        # Nor does the pusher's HEINRICH_POLICY or HEINRICH_OVERRIDE (a local push passes them through).
        allow_file = os.path.join(self.tmp, "allow.toml")
        with open(allow_file, "w") as out:
            out.write(ALLOW_ALL)
        env = dict(self.env, HEINRICH_POLICY=allow_file, HEINRICH_OVERRIDE="INC-1 let me")
        self.push("origin", "main", now=PAYDAY, env=env, expect=False)

    def test_policy_from_git_config(self):
        allow_file = os.path.join(self.tmp, "server-policy.toml")
        with open(allow_file, "w") as out:
            out.write(ALLOW_ALL)
        self.git("config", "heinrich.policy", allow_file, cwd=self.remote)
        self.commit(self.work, "app.py", "x\n", "Feature")
        result = self.push("origin", "main", now=PAYDAY, expect=True)
        self.assertIn("allow refs/heads/main -> prod", result.stderr)

    def test_install_server_with_policy_records_it(self):
        bad = os.path.join(self.tmp, "bad.toml")
        with open(bad, "w") as out:
            out.write("version = 1\ntimezone = 'Mars/Olympus'\n")
        refused = self.heinrich("install", "--server", "--policy", bad, cwd=self.remote)
        self.assertEqual(refused.returncode, 2)
        self.assertIn("bad.toml:2:", refused.stderr)
        self.assertEqual(self.git("config", "--get", "heinrich.policy", cwd=self.remote, check=False).stdout, "")
        done = self.heinrich("install", "--server", "--policy", TEST_POLICY, cwd=self.remote)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(self.git("config", "heinrich.policy", cwd=self.remote).stdout.strip(), TEST_POLICY)

    def test_override_trailer_on_the_server_writes_the_note_there(self):
        tip = self.commit(self.work, "fix.py", "fix\n", "Hotfix", trailer="Heinrich-Override: INC-88 outage fix")
        result = self.push("origin", "main", now=PAYDAY, expect=True)
        self.assertIn("remote: heinrich: OVERRIDE of a BLOCK", result.stderr)
        self.assertEqual(self.remote_rev("main"), tip)
        note = self.git("notes", "--ref", "heinrich", "show", tip, cwd=self.remote).stdout
        record = json.loads(note)
        self.assertEqual(record["hook"], "pre-receive")
        self.assertEqual(record["status"], "accepted")  # written by post-receive, after git updated main
        self.assertIn("remote: heinrich: recorded 1 override in refs/notes/heinrich", result.stderr)
        self.assertEqual(record["ticket"], "INC-88")
        self.assertEqual(self.git("fsck", "--no-progress", cwd=self.remote).returncode, 0)
        listing = self.heinrich("audit-overrides", cwd=self.remote)
        self.assertIn("INC-88", listing.stdout)
        self.assertIn("(via trailer, pre-receive, accepted)", listing.stdout)
        self.assertEqual(os.listdir(os.path.join(self.remote, "heinrich-pending")), [])

    def test_a_push_past_the_holiday_datas_horizon_warns(self):
        self.commit(self.work, "app.py", "x\n", "Feature")
        result = self.push("origin", "main", now="2028-02-15T11:00:00+09:00", expect=True)
        self.assertIn("remote: heinrich: warning: main:heinrich.toml:", result.stderr)
        self.assertIn("is verified only through 2027, and this asks about 2028-02-15", result.stderr)
        self.assertIn("[H113]", result.stderr)

    def test_without_heinrichs_post_receive_the_record_is_written_at_once_as_requested(self):
        os.remove(os.path.join(self.remote, "hooks", "post-receive"))
        tip = self.commit(self.work, "fix.py", "fix\n", "Hotfix", trailer="Heinrich-Override: INC-89 outage fix")
        self.push("origin", "main", now=PAYDAY, expect=True)
        record = json.loads(self.git("notes", "--ref", "heinrich", "show", tip, cwd=self.remote).stdout)
        self.assertEqual(record["status"], "requested")

    def test_a_post_receive_git_would_not_run_means_the_record_is_written_at_once(self):
        os.chmod(os.path.join(self.remote, "hooks", "post-receive"), 0o644)  # git skips it
        tip = self.commit(self.work, "fix.py", "fix\n", "Hotfix", trailer="Heinrich-Override: INC-90 outage fix")
        self.push("origin", "main", now=PAYDAY, expect=True)
        record = json.loads(self.git("notes", "--ref", "heinrich", "show", tip, cwd=self.remote).stdout)
        self.assertEqual((record["ticket"], record["status"]), ("INC-90", "requested"))

    def test_an_override_reason_too_long_to_record_is_refused(self):
        before = self.remote_rev("main")
        self.commit(self.work, "fix.py", "fix\n", "Hotfix", trailer="Heinrich-Override: INC-91 " + "x" * 3000)
        result = self.push("origin", "main", now=PAYDAY, expect=False)
        self.assertIn("the reason is 3000 characters long; at most 2000 are recorded", result.stderr)
        self.assertEqual(self.remote_rev("main"), before)
        self.assertIsNone(self.remote_rev("refs/notes/heinrich"))

    def test_a_parked_record_git_never_accepted_is_dropped_after_an_hour(self):
        pending = os.path.join(self.remote, "heinrich-pending")
        os.makedirs(pending, exist_ok=True)
        stale = os.path.join(pending, "0123456789abcdef.00000000deadbeef.records")
        with open(stale, "w") as out:
            out.write("refs/heads/main 0 0\n")
        os.utime(stale, (1, 1))
        self.commit(self.work, "a.py", "a\n", "Feature")
        self.push("origin", "main", now=SAFE, expect=True)
        self.assertFalse(os.path.exists(stale))

    def test_new_branch_counts_only_commits_the_server_lacks(self):
        self.git("switch", "-q", "-c", "release/3.0", cwd=self.work)
        self.commit(self.work, "r.py", "r\n", "Release work")
        result = self.push("origin", "release/3.0", now=SAFE, expect=True)
        self.assertIn("allow refs/heads/release/3.0 -> prod: score 0/100, 1 new commit", result.stderr)

    def test_empty_server_uses_the_installed_default_policy(self):
        remote = self.make_remote("empty.git")
        self.heinrich("install", "--server", cwd=remote)
        work = os.path.join(self.tmp, "fresh")
        self.git("init", "-q", work)
        self.commit(work, "a.txt", "a\n", "First")
        self.git("remote", "add", "origin", remote, cwd=work)
        result = self.push("origin", "main", cwd=work, now=PAYDAY, expect=False)
        self.assertIn("BLOCK refs/heads/main -> prod", result.stderr)
        self.push("origin", "main", cwd=work, now=SAFE, expect=True)

    def test_broken_server_policy_rejects_with_status_2_message(self):
        bad = os.path.join(self.tmp, "bad.toml")
        shutil.copy(TEST_POLICY, bad)
        with open(bad, "a") as out:
            out.write("\n[override]\nallowed = true\n")  # a duplicate table
        self.git("config", "heinrich.policy", bad, cwd=self.remote)
        self.commit(self.work, "app.py", "x\n", "Feature")
        result = self.push("origin", "main", now=SAFE, expect=False)
        self.assertRegex(result.stderr, r"remote: .*bad\.toml:\d+:\d+: error")
        # The pusher cannot open the server's gate with their environment ...
        env = dict(self.env, HEINRICH_HOOK_ON_ERROR="allow")
        self.push("origin", "main", now=SAFE, env=env, expect=False)
        # ... only the server's hook script can.
        hook = os.path.join(self.remote, "hooks", "pre-receive")
        with open(hook) as f:
            script = f.read()
        with open(hook, "w") as f:
            f.write(script.replace("hook pre-receive", "hook pre-receive --on-error allow"))
        result = self.push("origin", "main", now=SAFE, expect=True)
        self.assertIn("UNCHECKED", result.stderr)


if __name__ == "__main__":
    unittest.main()
