"""The pre-push hook with a real `git push` to a local bare remote."""
import json
import os
import unittest

from githarness import (BIN, FREEZE, GIT_BIN, HOLIDAY, PAYDAY, SAFE, ZERO, GitTestCase)


class PrePushTest(GitTestCase):
    def setUp(self):
        super().setUp()
        self.setup_pair()

    def test_allowed_at_a_safe_time(self):
        self.commit(self.work, "app.py", "print('hi')\n", "Feature")
        result = self.push("origin", "main", now=SAFE, expect=True)
        self.assertIn("heinrich: allow refs/heads/main -> prod: score 0/100, 1 new commit", result.stderr)
        self.assertEqual(self.remote_rev("main"), self.rev(self.work, "HEAD"))

    def test_refused_on_payday_with_reason_and_next_window(self):
        before = self.remote_rev("main")
        self.commit(self.work, "app.py", "x = 1\n", "Feature")
        result = self.push("origin", "main", now=PAYDAY, expect=False)
        self.assertIn("heinrich: BLOCK refs/heads/main -> prod", result.stderr)
        self.assertIn("payday (event)", result.stderr)
        self.assertIn("next safe window: Wed 2026-11-25 14:00 +09:00", result.stderr)
        self.assertIn("Heinrich-Override: INC-1234", result.stderr)
        self.assertIn("push stopped: 1 of 1 deploying ref blocked", result.stderr)
        self.assertEqual(self.remote_rev("main"), before, "the remote must be unchanged")

    def test_refused_on_a_holiday(self):
        before = self.remote_rev("main")
        self.commit(self.work, "app.py", "x = 2\n", "Feature")
        result = self.push("origin", "main", now=HOLIDAY, expect=False)
        self.assertIn("kr-holidays: Chuseok", result.stderr)
        self.assertEqual(self.remote_rev("main"), before)

    def test_refused_in_the_freeze_without_override_help(self):
        self.commit(self.work, "app.py", "x = 3\n", "Feature")
        result = self.push("origin", "main", now=FREEZE, expect=False)
        self.assertIn("year-end-freeze (window)", result.stderr)
        self.assertIn("no override possible: year-end-freeze (listed in [override] never)", result.stderr)
        self.assertNotIn("git commit --amend", result.stderr)

    def test_tag_push_is_a_deploy(self):
        self.git("tag", "-a", "v1.0", "-m", "Release 1.0", cwd=self.work)
        result = self.push("origin", "v1.0", now=PAYDAY, expect=False)
        self.assertIn("BLOCK refs/tags/v1.0 -> prod", result.stderr)
        self.assertIn("0 new commits", result.stderr)  # main already has the commit
        self.assertIsNone(self.remote_rev("refs/tags/v1.0"))
        self.push("origin", "v1.0", now=SAFE, expect=True)
        self.assertIsNotNone(self.remote_rev("refs/tags/v1.0"))

    def test_a_tag_that_deploys_nowhere_is_not_checked(self):
        self.git("tag", "nightly-1", cwd=self.work)
        result = self.push("origin", "nightly-1", now=PAYDAY, expect=True)
        self.assertNotIn("BLOCK", result.stderr)

    def test_branch_deletion_is_not_a_deploy(self):
        self.git("push", "-q", "--no-verify", "origin", "main:refs/heads/release/old", cwd=self.work)
        result = self.push("origin", "--delete", "release/old", now=FREEZE, expect=True)
        self.assertNotIn("BLOCK", result.stderr)
        self.assertIsNone(self.remote_rev("refs/heads/release/old"))

    def test_non_deploying_branch(self):
        self.git("switch", "-q", "-c", "feature/login", cwd=self.work)
        self.commit(self.work, "login.py", "pass\n", "Login")
        result = self.push("origin", "feature/login", now=FREEZE, expect=True)
        self.assertEqual(result.stderr.count("heinrich:"), 0, result.stderr)

    def test_release_glob_and_one_blocked_ref_blocks_the_push(self):
        self.git("switch", "-q", "-c", "feature/a", cwd=self.work)
        self.commit(self.work, "a.py", "a\n", "A")
        result = self.push("origin", "feature/a", "feature/a:refs/heads/release/2.0", now=PAYDAY, expect=False)
        self.assertIn("BLOCK refs/heads/release/2.0 -> prod", result.stderr)
        self.assertIsNone(self.remote_rev("refs/heads/feature/a"), "nothing is sent when one ref is blocked")

    def test_staging_maps_to_its_environment(self):
        # payday applies to prod only: a staging push on payday is fine.
        self.commit(self.work, "s.py", "s\n", "S")
        result = self.push("origin", "main:refs/heads/staging", now=PAYDAY, expect=True)
        self.assertIn("allow refs/heads/staging -> staging", result.stderr)

    def test_change_risk_large_and_sensitive(self):
        self.write(self.work, "db/migrations/001_accounts.sql", "CREATE TABLE a (id int);\n")
        self.write(self.work, "src/payment/api.py", "".join(f"line {i}\n" for i in range(900)))
        self.git("add", ".", cwd=self.work)
        self.git("commit", "-q", "-m", "Big", cwd=self.work)
        self.commit(self.work, "src/payment/api.py", "".join(f"line {i}\n" for i in range(901)), "Bigger")
        result = self.push("origin", "main", now=SAFE, expect=True)
        # 20 and 25 combine to 40: a warning, which does not stop the push.
        self.assertIn("WARN refs/heads/main -> prod: score 40/100 (warn at 40), 2 new commits", result.stderr)
        self.assertIn("large-change (change), 902 lines changed in 2 files (large_lines = 800)", result.stderr)
        self.assertIn("2 files match sensitive_paths: db/migrations/001_accounts.sql, src/payment/api.py",
                      result.stderr)
        self.assertEqual(result.stderr.count("sensitive-paths"), 1, "counted once per push")
        self.assertEqual(result.stderr.count("heinrich.toml:90:1]"), 2, "each names the [change] table")

    def test_change_risk_tips_payday_over_and_is_measured_from_the_remote(self):
        self.commit(self.work, "db/migrations/002.sql", "x\n", "Migration")
        self.push("origin", "main", now=SAFE, expect=True)
        self.commit(self.work, "README", "docs\n", "Docs only")
        result = self.push("origin", "main", now=SAFE, expect=True)
        self.assertNotIn("sensitive-paths", result.stderr, "already-pushed commits do not count again")

    def test_accepted_override_from_trailer_writes_a_note(self):
        self.git("notes", "--ref", "heinrich", "add", "-m", "an older note", "HEAD", cwd=self.work)
        tip = self.commit(self.work, "fix.py", "fix\n", "Hotfix",
                          trailer="Heinrich-Override: INC-1234 payments are down, fix now")
        self.git("notes", "--ref", "heinrich", "add", "-m", "a note someone wrote first", tip, cwd=self.work)
        result = self.push("origin", "main", now=PAYDAY, expect=True)
        self.assertIn("OVERRIDE of a BLOCK for refs/heads/main", result.stderr)
        self.assertIn("allowed by INC-1234", result.stderr)
        self.assertEqual(self.remote_rev("main"), tip)
        note = self.git("notes", "--ref", "heinrich", "show", tip, cwd=self.work).stdout
        self.assertTrue(note.startswith("a note someone wrote first\n"), "an existing note is kept")
        record = json.loads(note.splitlines()[-1])
        self.assertEqual(record["ticket"], "INC-1234")
        self.assertEqual(record["reason"], "payments are down, fix now")
        self.assertEqual(record["who"], "cy@example.com")  # the committer of the trailer
        self.assertEqual(record["ref"], "refs/heads/main")
        self.assertEqual(record["oid"], tip)
        self.assertEqual(record["decision"], "block")
        self.assertIn("payday", record["reasons"])
        self.assertEqual(record["time"], "2026-11-25T01:00:00Z")
        self.assertEqual(record["source"], "trailer")
        # The other commit's note is untouched.
        older = self.git("notes", "--ref", "heinrich", "show", "HEAD~1", cwd=self.work).stdout
        self.assertEqual(older, "an older note\n")

        listing = self.heinrich("audit-overrides", cwd=self.work)
        self.assertEqual(listing.returncode, 0, listing.stderr)
        self.assertIn("INC-1234  cy@example.com  refs/heads/main -> prod", listing.stdout)
        listed = json.loads(self.heinrich("audit-overrides", "--format", "json", cwd=self.work).stdout)
        self.assertEqual([r["ticket"] for r in listed["overrides"]], ["INC-1234"])
        self.assertEqual(listed["overrides"][0]["commit"], tip)
        later = json.loads(self.heinrich("audit-overrides", "--format", "json", "--since", "2026-11-26",
                                         cwd=self.work).stdout)
        self.assertEqual(later["overrides"], [])

    def test_accepted_override_from_environment(self):
        tip = self.commit(self.work, "fix.py", "fix\n", "Hotfix")
        env = dict(self.env, HEINRICH_OVERRIDE="CHG-77 approved change window exception")
        result = self.push("origin", "main", now=PAYDAY, env=env, expect=True)
        self.assertIn("allowed by CHG-77 from HEINRICH_OVERRIDE", result.stderr)
        record = json.loads(self.git("notes", "--ref", "heinrich", "show", tip, cwd=self.work).stdout)
        self.assertEqual(record["who"], "pat@example.com")  # git config user.email of the pusher
        self.assertEqual(record["source"], "environment")

    def test_override_without_a_valid_ticket_is_refused(self):
        before = self.remote_rev("main")
        self.commit(self.work, "fix.py", "fix\n", "Hotfix", trailer="Heinrich-Override: urgent please")
        result = self.push("origin", "main", now=PAYDAY, expect=False)
        self.assertIn("override refused (trailer)", result.stderr)
        self.assertIn("ticket 'urgent' does not match", result.stderr)
        self.assertEqual(self.remote_rev("main"), before)
        self.assertEqual(self.git("notes", "--ref", "heinrich", "list", cwd=self.work).stdout, "")

    def test_override_of_a_never_rule_is_refused(self):
        self.commit(self.work, "fix.py", "fix\n", "Hotfix", trailer="Heinrich-Override: INC-9 it is urgent")
        result = self.push("origin", "main", now=FREEZE, expect=False)
        self.assertIn("cannot override year-end-freeze (listed in [override] never)", result.stderr)
        self.assertEqual(self.git("notes", "--ref", "heinrich", "list", cwd=self.work).stdout, "")

    def test_override_needs_a_reason(self):
        self.commit(self.work, "fix.py", "fix\n", "Hotfix", trailer="Heinrich-Override: INC-9")
        result = self.push("origin", "main", now=PAYDAY, expect=False)
        self.assertIn("no reason after the ticket", result.stderr)

    def test_no_record_when_another_ref_blocks_the_push(self):
        tip = self.commit(self.work, "fix.py", "fix\n", "Hotfix", trailer="Heinrich-Override: INC-5 must go")
        self.git("tag", "v9", "HEAD~1", cwd=self.work)  # a tag of an older commit: blocked, no trailer
        result = self.push("origin", "main", "v9", now=PAYDAY, expect=False)
        self.assertIn("OVERRIDE of a BLOCK for refs/heads/main", result.stderr)
        self.assertIn("BLOCK refs/tags/v9", result.stderr)
        self.assertEqual(self.git("notes", "--ref", "heinrich", "list", cwd=self.work).stdout, "")
        self.assertNotEqual(self.remote_rev("main"), tip)

    def test_broken_policy_stops_the_push_with_status_2(self):
        with open(os.path.join(self.work, "heinrich.toml"), "a") as policy:
            policy.write("\n[thresholds]\nwarm = 10\n")
        self.commit(self.work, "heinrich.toml", None, "Typo")
        before = self.remote_rev("main")
        result = self.push("origin", "main", now=SAFE, expect=False)
        self.assertRegex(result.stderr, r"heinrich\.toml:\d+:\d+: error: ")
        self.assertEqual(self.remote_rev("main"), before)
        direct = self.heinrich("hook", "pre-push", "origin", self.remote, cwd=self.work,
                               input=f"refs/heads/main {self.rev(self.work, 'HEAD')} refs/heads/main {before}\n")
        self.assertEqual(direct.returncode, 2)
        env = dict(self.env, HEINRICH_HOOK_ON_ERROR="allow")
        result = self.push("origin", "main", now=SAFE, env=env, expect=True)
        self.assertIn("UNCHECKED", result.stderr)

    def test_direct_invocation_and_bad_input(self):
        head = self.rev(self.work, "HEAD")
        ok = self.heinrich("hook", "pre-push", "origin", self.remote, cwd=self.work, input="")
        self.assertEqual(ok.returncode, 0)
        bad = self.heinrich("hook", "pre-push", "origin", self.remote, cwd=self.work, input="garbage\n")
        self.assertEqual(bad.returncode, 2)
        self.assertIn("pre-push: expected", bad.stderr)
        deletion = self.heinrich("hook", "pre-push", "origin", self.remote, cwd=self.work,
                                 input=f"(delete) {ZERO} refs/heads/main {head}\n",
                                 env=dict(self.env, HEINRICH_NOW=FREEZE))
        self.assertEqual(deletion.returncode, 0)
        missing = self.heinrich("hook", "pre-push", cwd=self.work, input="")
        self.assertEqual(missing.returncode, 2)

    def test_heinrich_binary_does_not_link_libgit2(self):
        import subprocess
        self.assertNotIn("libgit2", subprocess.run(["ldd", BIN], capture_output=True, text=True).stdout)
        self.assertIn("libgit2", subprocess.run(["ldd", GIT_BIN], capture_output=True, text=True).stdout)
        # heinrich-git runs the same CLI: the same check, and the hook without the exec.
        args = ("check", "--policy", os.path.join(self.work, "heinrich.toml"), "--at", PAYDAY, "--env", "prod",
                "--format", "json")
        self.assertEqual(self.heinrich(*args).stdout, self.heinrich(*args, binary=GIT_BIN).stdout)
        head = self.rev(self.work, "HEAD")
        direct = self.heinrich("hook", "pre-push", "origin", self.remote, cwd=self.work, binary=GIT_BIN,
                               input=f"refs/heads/main {head} refs/heads/main {ZERO}\n",
                               env=dict(self.env, HEINRICH_NOW=PAYDAY))
        self.assertEqual(direct.returncode, 1, direct.stderr)


if __name__ == "__main__":
    unittest.main()
