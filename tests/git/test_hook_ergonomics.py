"""The refusal's override hint is a command that works when pasted, an
override says how its record is shared, and `install --share-notes` shares it
without changing what a plain `git push` sends. Real pushes to local bare
repositories."""
import json
import os
import re
import subprocess
import time
import unittest

from githarness import PAYDAY, SAFE, GitTestCase

NOTES = "refs/notes/heinrich"


class HookErgonomicsTest(GitTestCase):
    def setUp(self):
        super().setUp()
        self.setup_pair()

    # --- helpers ----------------------------------------------------------
    def hint_command(self, stderr):
        """The command line the refusal tells the pusher to paste."""
        lines = [line.strip() for line in stderr.splitlines() if "git commit --amend --no-edit --trailer" in line]
        self.assertEqual(len(lines), 1, stderr)
        return lines[0]

    def paste(self, command, cwd=None):
        """Runs a hint line the way a user pastes it into a shell."""
        return self.run_cmd(["sh", "-c", command], cwd=cwd or self.work)

    def notes_on_remote(self, remote=None):
        """commit -> note text of refs/notes/heinrich in a bare repository."""
        remote = remote or self.remote
        if self.remote_rev(NOTES, remote) is None:
            return {}
        listing = self.git("notes", "--ref", "heinrich", "list", cwd=remote).stdout.split()
        return {commit: self.git("notes", "--ref", "heinrich", "show", commit, cwd=remote).stdout
                for _, commit in zip(listing[::2], listing[1::2])}

    def set_ticket_pattern(self, pattern):
        path = os.path.join(self.work, "heinrich.toml")
        with open(path) as policy:
            text = policy.read()
        text = re.sub(r'(?m)^ticket = "[^"]*"', lambda _: f'ticket = "{pattern}"', text)
        self.commit(self.work, "heinrich.toml", text, "Ticket pattern")
        self.push("-q", "origin", "main", now=SAFE, expect=True)

    # --- the refusal's hint -----------------------------------------------
    def test_pasted_hint_makes_the_next_push_pass_and_record_the_override(self):
        self.commit(self.work, "fix.py", "fix\n", "Hotfix")
        refused = self.push("origin", "main", now=PAYDAY, expect=False)
        command = self.hint_command(refused.stderr)
        self.assertEqual(command, "git commit --amend --no-edit --trailer "
                                  "'Heinrich-Override: INC-1234 why it cannot wait'")
        self.assertIn("(the ticket must match ^(INC|CHG)-[0-9]+$), add a trailer to the tip commit", refused.stderr)
        self.assertNotIn("only the tip counts", refused.stderr, "one commit: nothing to explain")
        # No editor may open: the test has no terminal, and EDITOR fails if run.
        env = dict(self.env, GIT_EDITOR="false", EDITOR="false")
        self.run_cmd(["sh", "-c", command.replace("why it cannot wait", "payments are down")],
                     cwd=self.work, env=env)
        tip = self.rev(self.work, "HEAD")
        passed = self.push("origin", "main", now=PAYDAY, expect=True)
        self.assertIn("OVERRIDE of a BLOCK for refs/heads/main", passed.stderr)
        self.assertEqual(self.remote_rev("main"), tip)
        record = json.loads(self.git("notes", "--ref", "heinrich", "show", tip, cwd=self.work).stdout)
        self.assertEqual((record["ticket"], record["reason"], record["status"]),
                         ("INC-1234", "payments are down", "requested"))
        # Not shared by default: the hook says how, with this push's remote.
        self.assertIn(f"  share the record: git push origin {NOTES}", passed.stderr)
        self.assertEqual(self.notes_on_remote(), {})
        self.git("push", "origin", NOTES, cwd=self.work)
        self.assertIn(tip, self.notes_on_remote())

    def test_several_commits_say_the_trailer_goes_on_the_pushed_tip(self):
        for n in range(3):
            self.commit(self.work, f"f{n}.py", f"{n}\n", f"Change {n}")
        tip = self.rev(self.work, "HEAD")
        refused = self.push("origin", "main", now=PAYDAY, expect=False)
        self.assertIn(f"only the tip counts: the trailer goes on {tip[:12]}, the last of the 3 commits, "
                      "and it must be the commit you push", refused.stderr)
        self.paste(self.hint_command(refused.stderr))
        self.push("origin", "main", now=PAYDAY, expect=True)

    def test_a_branch_that_is_not_checked_out_is_switched_to_first(self):
        self.git("switch", "-q", "-c", "hotfix", cwd=self.work)
        self.commit(self.work, "fix.py", "fix\n", "Hotfix")
        self.git("switch", "-q", "main", cwd=self.work)
        refused = self.push("origin", "hotfix:main", now=PAYDAY, expect=False)
        command = self.hint_command(refused.stderr)
        self.assertTrue(command.startswith("git switch hotfix && git commit --amend --no-edit"), command)
        self.paste(command)
        self.push("origin", "hotfix:main", now=PAYDAY, expect=True)
        self.assertEqual(self.remote_rev("main"), self.rev(self.work, "hotfix"))

    def test_the_example_ticket_matches_the_policy_or_says_what_is_needed(self):
        self.set_ticket_pattern("^CHG-[0-9]+$")
        self.commit(self.work, "fix.py", "fix\n", "Hotfix")
        refused = self.push("origin", "main", now=PAYDAY, expect=False)
        self.assertIn("'Heinrich-Override: CHG-1234 why it cannot wait'", self.hint_command(refused.stderr))
        self.assertIn("HEINRICH_OVERRIDE='CHG-1234 why it cannot wait' git push", refused.stderr)

        self.set_ticket_pattern("^SEC[0-9]{6}$")  # pushes the hotfix too, at a safe time
        self.commit(self.work, "fix2.py", "fix\n", "Another hotfix")
        refused = self.push("origin", "main", now=PAYDAY, expect=False)
        self.assertIn("'Heinrich-Override: TICKET why it cannot wait'", self.hint_command(refused.stderr))
        self.assertIn("replace TICKET with a ticket that matches ^SEC[0-9]{6}$", refused.stderr)
        self.paste(self.hint_command(refused.stderr).replace("TICKET", "SEC123456"))
        self.push("origin", "main", now=PAYDAY, expect=True)

    # --- install --share-notes --------------------------------------------
    def test_share_notes_pushes_the_record_to_the_remote_of_the_push(self):
        installed = self.heinrich("install", "--share-notes", cwd=self.work)
        self.assertEqual(installed.returncode, 0, installed.stderr)
        self.assertIn("set heinrich.shareNotes = true", installed.stdout)
        self.assertIn("heinrich.shareNotes is already true",
                      self.heinrich("install", "--share-notes", cwd=self.work).stdout)
        tip = self.commit(self.work, "fix.py", "fix\n", "Hotfix",
                          trailer="Heinrich-Override: INC-7 payments are down")
        result = self.push("origin", "main", now=PAYDAY, expect=True)
        self.assertIn(f"heinrich: shared the override record: {NOTES} -> origin", result.stderr)
        self.assertNotIn("share the record: git push", result.stderr)
        notes = self.notes_on_remote()
        self.assertEqual(list(notes), [tip])
        self.assertEqual(json.loads(notes[tip])["ticket"], "INC-7")
        self.assertEqual(self.remote_rev("main"), tip)

    def test_share_notes_does_not_change_what_a_plain_push_sends(self):
        # A local note that a changed push configuration would send along.
        self.git("notes", "--ref", "heinrich", "add", "-m", "local only", "HEAD", cwd=self.work)
        self.commit(self.work, "a.py", "a\n", "A")

        def dry_runs():
            return [self.git("push", "--dry-run", "--porcelain", *args, cwd=self.work).stdout
                    for args in ([], ["origin"], ["--all"], ["origin", "main"])]
        before = dry_runs()
        config_before = self.git("config", "--local", "--list", cwd=self.work).stdout.splitlines()
        self.heinrich("install", "--share-notes", cwd=self.work)
        self.assertEqual(dry_runs(), before)
        config_after = self.git("config", "--local", "--list", cwd=self.work).stdout.splitlines()
        self.assertEqual(sorted(set(config_after) - set(config_before)), ["heinrich.sharenotes=true"])
        # A real plain push: the remote gets the branch and nothing else.
        refs_before = self.git("for-each-ref", "--format=%(refname)", cwd=self.remote).stdout
        result = self.push(now=SAFE, expect=True)
        self.assertNotIn("shared", result.stderr)
        self.assertEqual(self.git("for-each-ref", "--format=%(refname)", cwd=self.remote).stdout, refs_before)
        self.assertEqual(self.remote_rev("main"), self.rev(self.work, "HEAD"))

    def test_a_second_clone_merges_its_record_with_the_first(self):
        first = self.work
        second = self.make_clone(self.remote, name="second", policy=None)
        for clone in (first, second):
            self.heinrich("install", "--share-notes", cwd=clone)
        tip_a = self.commit(first, "a.py", "a\n", "A", trailer="Heinrich-Override: INC-1 first fix")
        self.push("origin", "main", cwd=first, now=PAYDAY, expect=True)
        # The second clone has neither the first's commit nor its record;
        # it also annotates that commit itself once it has it.
        self.git("pull", "-q", "--ff-only", cwd=second)
        self.git("notes", "--ref", "heinrich", "add", "-m", "seen by the second clone", tip_a, cwd=second)
        tip_b = self.commit(second, "b.py", "b\n", "B", trailer="Heinrich-Override: CHG-2 second fix")
        result = self.push("origin", "main", cwd=second, now=PAYDAY, expect=True)
        self.assertIn("shared the override record: refs/notes/heinrich -> origin "
                      "(merged with the records already there)", result.stderr)
        notes = self.notes_on_remote()
        self.assertEqual(sorted(notes), sorted([tip_a, tip_b]))
        lines_a = notes[tip_a].splitlines()
        self.assertIn("seen by the second clone", lines_a)
        self.assertEqual([json.loads(line)["ticket"] for line in lines_a if line.startswith("{")], ["INC-1"])
        self.assertEqual(json.loads(notes[tip_b])["ticket"], "CHG-2")
        # The second clone's own notes now hold both records too.
        self.assertIn("INC-1", self.git("notes", "--ref", "heinrich", "show", tip_a, cwd=second).stdout)
        self.assertEqual(self.git("for-each-ref", "refs/notes/", "--format=%(refname)", cwd=second).stdout,
                         NOTES + "\n", "the incoming ref is removed")

    def test_a_remote_that_does_not_answer_cannot_hang_the_push(self):
        # The remote's receive-pack answers the push at once but hangs for the
        # second connection, the one that shares the notes.
        script = os.path.join(self.tmp, "receive-pack")
        counter = os.path.join(self.tmp, "connections")
        with open(script, "w") as out:
            out.write("#!/bin/sh\necho x >> '%s'\n"
                      "if [ \"$(wc -l < '%s')\" -eq 2 ]; then sleep 67; fi\n"
                      "exec git-receive-pack \"$@\"\n" % (counter, counter))
        os.chmod(script, 0o755)
        self.git("config", "remote.origin.receivepack", script, cwd=self.work)
        self.heinrich("install", "--share-notes", cwd=self.work)
        self.git("config", "heinrich.shareNotesTimeout", "2", cwd=self.work)
        tip = self.commit(self.work, "fix.py", "fix\n", "Hotfix", trailer="Heinrich-Override: INC-3 now")
        started = time.monotonic()
        result = self.push("origin", "main", now=PAYDAY, expect=True)
        elapsed = time.monotonic() - started
        self.assertLess(elapsed, 20, result.stderr)
        self.assertIn("heinrich: WARNING: the override record was NOT shared with origin", result.stderr)
        self.assertIn("git push did not finish within 2s (heinrich.shareNotesTimeout)", result.stderr)
        self.assertIn(f"heinrich: share it later: git push origin {NOTES}", result.stderr)
        self.assertEqual(self.remote_rev("main"), tip, "the push itself goes on")
        self.assertEqual(self.notes_on_remote(), {})
        # The killed receive-pack's sleep went with it.
        sleeping = subprocess.run(["pgrep", "-f", "sleep 67"], capture_output=True, text=True).stdout
        self.assertEqual(sleeping, "")

    def test_a_heinrich_server_records_overrides_itself(self):
        self.heinrich("install", "--server", cwd=self.remote)
        self.heinrich("install", "--share-notes", cwd=self.work)
        tip = self.commit(self.work, "fix.py", "fix\n", "Hotfix", trailer="Heinrich-Override: INC-4 now")
        result = self.push("origin", "main", now=PAYDAY, expect=True)
        self.assertIn("origin runs heinrich's pre-receive, which records overrides itself", result.stderr)
        self.assertNotIn("WARNING", result.stderr)
        record = json.loads(self.notes_on_remote()[tip])
        self.assertEqual((record["hook"], record["status"]), ("pre-receive", "accepted"))

    def test_share_notes_is_not_for_a_server_and_bad_settings_are_errors(self):
        refused = self.heinrich("install", "--server", "--share-notes", cwd=self.remote)
        self.assertEqual(refused.returncode, 2)
        self.assertIn("--share-notes is for a clone's pre-push", refused.stderr)
        self.git("config", "heinrich.shareNotes", "maybe", cwd=self.work)
        self.commit(self.work, "fix.py", "fix\n", "Hotfix")
        result = self.push("origin", "main", now=SAFE, expect=False)
        self.assertIn("heinrich.shareNotes = 'maybe' is not a boolean", result.stderr)
        self.git("config", "heinrich.shareNotes", "true", cwd=self.work)
        self.git("config", "heinrich.shareNotesTimeout", "0", cwd=self.work)
        result = self.push("origin", "main", now=SAFE, expect=False)
        self.assertIn("heinrich.shareNotesTimeout = '0' is not a whole number of seconds", result.stderr)


if __name__ == "__main__":
    unittest.main()
