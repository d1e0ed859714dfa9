"""A pusher over the local file system or file:// hands their whole
environment to the server's pre-receive hook. None of it may change the
server's decision or its audit log: not HEINRICH_* variables, not HOME's or
XDG_CONFIG_HOME's git configuration, not XDG_CACHE_HOME's calendar cache, not
push options. The server's clock is its own (`heinrich.now` in its config for
these tests), and refs/notes/heinrich is the server hook's alone."""
import json
import os
import subprocess
import time
import unittest

from githarness import BIN, PAYDAY, SAFE, TEST_POLICY, GitTestCase

ALLOW_ALL = 'version = 1\ntimezone = "UTC"\n[push]\nrefs = { "refs/heads/main" = "prod" }\n'


class HostilePusherTest(GitTestCase):
    def setUp(self):
        super().setUp()
        self.setup_pair(install=False)
        self.heinrich("install", "--server", cwd=self.remote)
        self.git("config", "receive.advertisePushOptions", "true", cwd=self.remote)
        allow = os.path.join(self.tmp, "allow.toml")
        with open(allow, "w") as out:
            out.write(ALLOW_ALL)
        # The pusher's own home: a git config that names a permissive policy,
        # and a cache directory of their choosing.
        home = os.path.join(self.tmp, "pusher-home")
        os.makedirs(os.path.join(home, ".config", "git"))
        for config in (os.path.join(home, ".gitconfig"), os.path.join(home, ".config", "git", "config")):
            with open(config, "w") as out:
                out.write(f"[heinrich]\n\tpolicy = {allow}\n\tnow = {SAFE}\n[protocol \"file\"]\n\tallow = always\n"
                          "[user]\n\tname = Pat\n\temail = pat@example.com\n")
        self.hostile = dict(self.env, HOME=home, XDG_CONFIG_HOME=os.path.join(home, ".config"),
                            XDG_CACHE_HOME=os.path.join(home, ".cache"), HEINRICH_NOW=SAFE,
                            HEINRICH_POLICY=allow, HEINRICH_CACHE_DIR=os.path.join(home, "cache"),
                            HEINRICH_NO_CACHE="1", HEINRICH_OVERRIDE="INC-1 let me", HEINRICH_HOOK_ON_ERROR="allow")

    def assert_blocked(self, *push_args):
        before = self.remote_rev("main")
        self.commit(self.work, "app.py", push_args[0] + "\n", "Feature")
        result = self.push(*push_args, env=self.hostile, server_now=PAYDAY, expect=False)
        self.assertIn("BLOCK refs/heads/main -> prod", result.stderr)
        self.assertIn("payday (event)", result.stderr)
        self.assertEqual(self.remote_rev("main"), before)
        self.assertIsNone(self.remote_rev("refs/notes/heinrich"))
        return result

    def test_the_pushers_environment_and_home_change_nothing_over_a_local_path(self):
        self.assert_blocked("origin", "main")

    def test_the_same_over_file_url_and_with_push_options(self):
        self.git("remote", "set-url", "origin", "file://" + self.remote, cwd=self.work)
        self.assert_blocked("origin", "main", "-o", "heinrich.now=" + SAFE, "-o", "HEINRICH_NOW=" + SAFE)

    def test_the_servers_own_clock_decides(self):
        self.commit(self.work, "app.py", "ok\n", "Feature")
        # The pusher says payday; the server says a safe Tuesday: allowed.
        env = dict(self.env, HEINRICH_NOW=PAYDAY)
        self.push("origin", "main", env=env, server_now=SAFE, expect=True)

    def test_an_override_record_carries_the_servers_clock(self):
        # Item 1: the record's time was the pusher's HEINRICH_NOW.
        tip = self.commit(self.work, "fix.py", "fix\n", "Hotfix", trailer="Heinrich-Override: INC-88 outage fix")
        self.push("origin", "main", env=dict(self.hostile, HEINRICH_NOW="2031-03-04T10:00:00+09:00"),
                  server_now=PAYDAY, expect=True)
        listed = json.loads(self.heinrich("audit-overrides", "--format", "json", cwd=self.remote).stdout)
        self.assertEqual([(o["oid"], o["ticket"], o["time"]) for o in listed["overrides"]],
                         [(tip, "INC-88", "2026-11-25T01:00:00Z")])

    def test_the_calendar_cache_is_the_servers_or_none(self):
        # Item 3: the cache directory came from the pusher's XDG_CACHE_HOME,
        # where anyone can put an entry. A calendar over 32 KiB is cached.
        filler = "".join(f"BEGIN:VEVENT\r\nUID:f{i}\r\nDTSTAMP:20261201T000000Z\r\nDTSTART:2020010{1 + i % 9}T000000Z"
                         f"\r\nDURATION:PT1H\r\nSUMMARY:filler {i}\r\nEND:VEVENT\r\n" for i in range(400))
        with open(os.path.join(self.tmp, "freeze.ics"), "w", newline="") as out:
            out.write("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:freeze\r\n"
                      "DTSTAMP:20261201T000000Z\r\nDTSTART:20261215T000000Z\r\nDTEND:20261216T000000Z\r\n"
                      "SUMMARY:Freeze\r\nEND:VEVENT\r\n" + filler + "END:VCALENDAR\r\n")
        with open(os.path.join(self.tmp, "server.toml"), "w") as out:
            out.write(ALLOW_ALL + '[[calendar]]\nname = "freeze"\nics = "freeze.ics"\naction = "block"\n')
        self.git("config", "heinrich.policy", os.path.join(self.tmp, "server.toml"), cwd=self.remote)
        self.commit(self.work, "app.py", "x\n", "Feature")
        result = self.push("origin", "main", env=self.hostile, server_now=SAFE, expect=False)
        self.assertIn("freeze", result.stderr)
        pusher_files = [os.path.join(root, name) for directory in (self.hostile["XDG_CACHE_HOME"],
                                                                     self.hostile["HEINRICH_CACHE_DIR"])
                        for root, _, names in os.walk(directory) for name in names]
        self.assertEqual(pusher_files, [])
        server_cache = os.path.join(self.tmp, "server-cache")
        self.git("config", "heinrich.cacheDir", server_cache, cwd=self.remote)
        result = self.push("origin", "main", env=self.hostile, server_now=SAFE, expect=False)
        self.assertIn("freeze", result.stderr)
        self.assertEqual(len([n for n in os.listdir(server_cache) if n.endswith(".cache")]), 1,
                         os.listdir(server_cache))

    def test_the_audit_log_cannot_be_deleted_or_replaced(self):
        tip = self.commit(self.work, "fix.py", "fix\n", "Hotfix", trailer="Heinrich-Override: INC-88 outage fix")
        self.push("origin", "main", now=PAYDAY, expect=True)
        notes = self.remote_rev("refs/notes/heinrich")
        self.assertIsNotNone(notes)
        result = self.push("origin", ":refs/notes/heinrich", now=SAFE, expect=False)
        self.assertIn("written by this server's hook only", result.stderr)
        blob = self.git("hash-object", "-w", "--stdin", cwd=self.work, input="garbage\n").stdout.strip()
        self.push("origin", "+" + blob + ":refs/notes/heinrich", now=SAFE, expect=False)
        self.assertEqual(self.remote_rev("refs/notes/heinrich"), notes)
        self.assertIn("INC-88", self.heinrich("audit-overrides", cwd=self.remote).stdout)
        self.assertTrue(tip)


class PolicyChangeTest(GitTestCase):
    """Deploys are tags; the default branch deploys nowhere. The server reads
    its policy from the default branch, so a push that changes the policy
    there is judged itself, as a deploy to every environment, by the policy in
    force before it (issue 11, item 4: a permissive heinrich.toml pushed to
    main went unchecked during a freeze and then judged the next tag)."""

    def setUp(self):
        super().setUp()
        with open(TEST_POLICY) as handle:
            text = handle.read()
        start = text.index("refs = {", text.index("[push]"))
        text = text[:start] + 'refs = { "refs/tags/v*" = "prod" }' + text[text.index("\n", start):]
        tags = os.path.join(self.tmp, "tags.toml")
        with open(tags, "w") as out:
            out.write(text)
        self.setup_pair(install=False, policy=tags)
        self.heinrich("install", "--server", cwd=self.remote)

    def commit_permissive_policy(self, trailer=None):
        self.write(self.work, "heinrich.toml", ALLOW_ALL.replace('"refs/heads/main"', '"refs/tags/v*"'))
        return self.commit(self.work, "heinrich.toml", None, "Relax the policy", trailer=trailer)

    def test_a_policy_change_on_payday_is_blocked_and_the_tag_after_it_too(self):
        before = self.remote_rev("main")
        self.commit_permissive_policy()
        result = self.push("origin", "main", now=PAYDAY, expect=False)
        self.assertIn("BLOCK refs/heads/main -> every environment (it changes the policy this server reads)",
                      result.stderr)
        self.assertIn("payday (event)", result.stderr)
        self.assertIn("heinrich next`", result.stderr)  # no --env: every environment
        self.assertEqual(self.remote_rev("main"), before)
        # The tag is judged by the policy still on main.
        self.git("tag", "v1.0", cwd=self.work)
        result = self.push("origin", "v1.0", now=PAYDAY, expect=False)
        self.assertIn("BLOCK refs/tags/v1.0 -> prod", result.stderr)

    def test_other_pushes_to_the_default_branch_still_deploy_nowhere(self):
        tip = self.commit(self.work, "app.py", "x\n", "Feature")
        result = self.push("origin", "main", now=PAYDAY, expect=True)
        self.assertNotIn("BLOCK", result.stderr)
        self.assertEqual(self.remote_rev("main"), tip)

    def test_a_policy_change_at_a_safe_time_is_judged_and_allowed(self):
        tip = self.commit_permissive_policy()
        result = self.push("origin", "main", now=SAFE, expect=True)
        self.assertIn("allow refs/heads/main -> every environment (it changes the policy this server reads)",
                      result.stderr)
        self.assertEqual(self.remote_rev("main"), tip)

    def test_removing_the_policy_or_the_branch_is_a_policy_change(self):
        self.git("rm", "-q", "heinrich.toml", cwd=self.work)
        self.git("commit", "-q", "-m", "Drop the policy", cwd=self.work)
        result = self.push("origin", "main", now=PAYDAY, expect=False)
        self.assertIn("BLOCK refs/heads/main -> every environment", result.stderr)
        self.git("reset", "-q", "--hard", "HEAD~1", cwd=self.work)
        result = self.push("origin", ":main", now=PAYDAY, expect=False)
        self.assertIn("-> every environment (deleting it removes the policy this server reads)", result.stderr)
        self.assertIn("a deletion carries no commit", result.stderr)
        self.assertIsNotNone(self.remote_rev("main"))

    def test_an_overridden_policy_change_is_recorded_for_every_environment(self):
        tip = self.commit_permissive_policy(trailer="Heinrich-Override: INC-77 emergency policy fix")
        result = self.push("origin", "main", now=PAYDAY, expect=True)
        self.assertIn("OVERRIDE of a BLOCK for refs/heads/main -> every environment", result.stderr)
        self.assertEqual(self.remote_rev("main"), tip)
        records = json.loads(self.heinrich("audit-overrides", "--format", "json", cwd=self.remote).stdout)
        self.assertEqual([(r["ticket"], r["environment"]) for r in records["overrides"]], [("INC-77", "*")])


class PolicyChangeStrictestEnvironmentTest(GitTestCase):
    """A policy change is judged by its strictest environment: prod may
    deploy only Tue-Thu 10-16, staging at any time; a policy pushed on a
    Saturday is outside prod's windows and blocked (every rule at once would
    join the two allow windows and let it through)."""
    POLICY = ('version = 1\ntimezone = "Asia/Seoul"\n'
              '[[window]]\nname = "prod-hours"\ndays = ["tue", "wed", "thu"]\ntime = "10:00-16:00"\n'
              'action = "allow"\nenvironments = ["prod"]\n'
              '[[window]]\nname = "staging-any-time"\ndays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]\n'
              'time = "00:00-24:00"\naction = "allow"\nenvironments = ["staging"]\n'
              '[push]\nrefs = { "refs/tags/v*" = "prod", "refs/heads/staging" = "staging" }\n')

    def test_a_saturday_policy_change_is_outside_prods_windows(self):
        path = os.path.join(self.tmp, "windows.toml")
        with open(path, "w") as out:
            out.write(self.POLICY)
        self.setup_pair(install=False, policy=path)
        self.heinrich("install", "--server", cwd=self.remote)
        self.write(self.work, "heinrich.toml", self.POLICY.replace('days = ["tue", "wed", "thu"]', 'days = ["sat"]'))
        self.commit(self.work, "heinrich.toml", None, "Let prod deploy on Saturdays")
        result = self.push("origin", "main", now="2026-12-19T11:00:00+09:00", expect=False)  # a Saturday
        self.assertIn("BLOCK refs/heads/main -> every environment", result.stderr)
        self.assertIn("outside-allowed-windows", result.stderr)
        self.push("origin", "main", now="2026-12-15T11:00:00+09:00", expect=True)  # Tuesday 11:00


class CorruptNotesTest(GitTestCase):
    """A clone's refs/notes/heinrich is anyone's to break: audit-overrides
    reports what it finds there, never crashes, never says "no overrides"
    when it skipped something (issue 11, items 8 and 20)."""

    def setUp(self):
        super().setUp()
        self.setup_pair()

    def test_a_notes_ref_that_points_at_a_blob(self):
        blob = self.git("hash-object", "-w", "--stdin", cwd=self.work, input="garbage\n").stdout.strip()
        self.git("update-ref", "refs/notes/heinrich", blob, cwd=self.work)
        for fmt in ("text", "json"):
            result = self.heinrich("audit-overrides", "--format", fmt, cwd=self.work)
            self.assertEqual(result.returncode, 2, result.stderr)
            self.assertIn("refs/notes/heinrich", result.stderr)
            self.assertIn("not a commit", result.stderr)

    def test_a_notes_ref_that_points_at_a_missing_object(self):
        notes = os.path.join(self.work, ".git", "refs", "notes")
        os.makedirs(notes, exist_ok=True)
        with open(os.path.join(notes, "heinrich"), "w") as out:
            out.write("1234567890123456789012345678901234567890\n")
        result = self.heinrich("audit-overrides", cwd=self.work)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("refs/notes/heinrich", result.stderr)

    def test_note_lines_that_are_not_records_are_counted(self):
        tip = self.rev(self.work, "HEAD")
        self.git("notes", "--ref", "heinrich", "add", "-m", "someone's free text", tip, cwd=self.work)
        for command in (["audit-overrides"], ["audit", "--overrides"]):
            with self.subTest(command=command):
                result = self.heinrich(*command, cwd=self.work)
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertNotIn("no overrides recorded", result.stdout)
                self.assertIn("1 note line that is not an override record", result.stdout)
                self.assertIn(tip[:12], result.stdout)


class HostileFileNamesTest(GitTestCase):
    """A pusher names the files: a sensitive path holding an OSC sequence and a
    newline is printed escaped by both hooks, so it cannot retitle a terminal
    or forge a line of heinrich's verdict."""

    def test_a_file_name_with_controls_is_printed_escaped(self):
        self.setup_pair()
        self.heinrich("install", "--server", cwd=self.remote)
        name = "db/migrations/\x1b]0;pwn\x07\nheinrich: ALLOW refs/heads/main.sql"
        self.commit(self.work, name, "x\n", "Migration")
        result = self.push("origin", "main", now=SAFE)
        self.assertIn("sensitive_paths: db/migrations/\\x1b]0;pwn\\x07\\nheinrich: ALLOW", result.stderr)
        self.assertNotIn("\x1b", result.stderr)
        self.assertNotIn("\x07", result.stderr)


class ParallelOverridePushes(GitTestCase):
    """A server with its hooks, at a payday clock, and `count` branches from
    main each with an overridden commit, pushed all at once to the refs
    `target(i)` names; returns (stderr, exit status) per push."""

    def push_overrides_at_once(self, count, target):
        self.setup_pair(install=False)
        self.heinrich("install", "--server", cwd=self.remote)
        self.set_server_clock(["origin"], self.work, PAYDAY)
        base = self.rev(self.work, "HEAD")
        for i in range(count):
            self.git("checkout", "-q", "-b", f"hotfix-{i}", base, cwd=self.work)
            self.commit(self.work, f"fix{i}.py", "fix\n", f"Hotfix {i}", trailer=f"Heinrich-Override: INC-{i} outage")
        pushes = [subprocess.Popen(["git", "push", "-q", "origin", f"hotfix-{i}:{target(i)}"], cwd=self.work,
                                   env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                  for i in range(count)]
        return [(p.communicate(timeout=120)[1], p.returncode) for p in pushes]


class ContendedNotesTest(ParallelOverridePushes):
    """Twenty override pushes at once all write their note (issue 11, item
    16: ten immediate retries rejected 7 of 20), each once. Their
    post-receives take turns; one that could not write leaves its records
    for the next push's post-receive, so one more push follows."""

    def test_twenty_parallel_override_pushes_are_all_recorded(self):
        # refs/heads/release/* deploys to prod in the tests' policy: each push needs its override.
        results = self.push_overrides_at_once(20, lambda i: f"refs/heads/release/{i}")
        for err, code in results:
            self.assertEqual(code, 0, err)
            self.assertNotIn("kept changing", err)
        self.git("checkout", "-q", "main", cwd=self.work)
        self.commit(self.work, "after.py", "x\n", "After the rush")
        after = self.push("origin", "main", now=SAFE, expect=True)
        listed = self.heinrich("audit-overrides", "--format", "json", cwd=self.remote).stdout
        tickets = sorted(o["ticket"] for o in json.loads(listed)["overrides"])
        # On a miss, what every push printed (the hooks' own errors included)
        # and what is still held back.
        pending = os.path.join(self.remote, "heinrich-pending")
        self.assertEqual(tickets, sorted(f"INC-{i}" for i in range(20)),
                         "\n".join(err for err, _ in results) + "\nthe push after them:\n" + after.stderr +
                         f"\nheld back: {sorted(os.listdir(pending)) if os.path.isdir(pending) else []}")


class RacingNewBranchTest(ParallelOverridePushes):
    """Ten pushes race to create one branch, each with its own overridden
    commit. pre-receive allows all ten, git updates the ref for one: only that
    one's override is recorded (issue 11, item 16: eleven records for one
    accepted push)."""

    def test_only_the_accepted_push_is_recorded(self):
        results = self.push_overrides_at_once(10, lambda i: "refs/heads/release/race")
        accepted = [i for i, (_, code) in enumerate(results) if code == 0]
        self.assertGreaterEqual(len(accepted), 1, results)
        tip = self.remote_rev("refs/heads/release/race")
        listed = json.loads(self.heinrich("audit-overrides", "--format", "json", cwd=self.remote).stdout)
        self.assertEqual([(o["oid"], o["status"]) for o in listed["overrides"]], [(tip, "accepted")])
        # The losers' parked sets are never taken for accepted ones, not by a later push either.
        self.git("checkout", "-q", "main", cwd=self.work)
        self.commit(self.work, "after.py", "x\n", "After the race")
        self.push("origin", "main", now=SAFE, expect=True)
        listed = json.loads(self.heinrich("audit-overrides", "--format", "json", cwd=self.remote).stdout)
        self.assertEqual([(o["oid"], o["status"]) for o in listed["overrides"]], [(tip, "accepted")])


class PendingRecordsCase(GitTestCase):
    """A server with its hooks, and what it holds in heinrich-pending/."""

    def setUp(self):
        super().setUp()
        self.setup_pair(install=False)
        self.heinrich("install", "--server", cwd=self.remote)
        self.pending = os.path.join(self.remote, "heinrich-pending")

    def records(self):
        listed = json.loads(self.heinrich("audit-overrides", "--format", "json", cwd=self.remote).stdout)
        return [(o["ticket"], o["oid"], o["status"]) for o in listed["overrides"]]

    def held_back(self):
        """The parked and accepted sets (not the markers of won updates)."""
        names = os.listdir(self.pending) if os.path.isdir(self.pending) else []
        return sorted(name for name in names if name.endswith((".records", ".accepted")))


class HeldBackRecordTest(PendingRecordsCase):
    """An override git accepted is recorded exactly once even when its own
    post-receive could not write the record (the notes ref was damaged, or the
    hook never ran): the next post-receive writes it. Such a record used to be
    dropped after an hour, unwritten."""

    def test_a_record_its_post_receive_could_not_write_is_written_by_the_next_push(self):
        blob = self.git("hash-object", "-w", "--stdin", cwd=self.remote, input="garbage\n").stdout.strip()
        self.git("update-ref", "refs/notes/heinrich", blob, cwd=self.remote)  # writing a note fails
        tip = self.commit(self.work, "fix.py", "fix\n", "Hotfix", trailer="Heinrich-Override: INC-70 outage fix")
        result = self.push("origin", "main", now=PAYDAY, expect=True)
        self.assertIn("heinrich: error: cannot record the override of refs/heads/main yet", result.stderr)
        self.assertIn("written by the next push", result.stderr)
        self.assertEqual(len(self.held_back()), 1, self.held_back())
        self.assertTrue(self.held_back()[0].endswith(".accepted"), self.held_back())
        self.git("update-ref", "-d", "refs/notes/heinrich", cwd=self.remote)  # repaired
        self.commit(self.work, "a.py", "a\n", "Feature")
        result = self.push("origin", "main", now=SAFE, expect=True)
        self.assertIn("recorded 1 override in refs/notes/heinrich (1 held back by an earlier push)", result.stderr)
        self.assertEqual(self.records(), [("INC-70", tip, "accepted")])
        self.assertEqual(self.held_back(), [])
        self.commit(self.work, "b.py", "b\n", "Feature")
        result = self.push("origin", "main", now=SAFE, expect=True)
        self.assertNotIn("recorded", result.stderr)
        self.assertEqual(self.records(), [("INC-70", tip, "accepted")])

    def test_a_record_whose_post_receive_never_ran_is_written_once_by_concurrent_runs(self):
        hook = os.path.join(self.remote, "hooks", "post-receive")
        with open(hook) as handle:
            original = handle.read()
        # Still heinrich's, so pre-receive parks the record, but it stops
        # before `heinrich hook post-receive` (as if killed).
        with open(hook, "w") as out:
            out.write("#!/bin/sh\n# managed-by: heinrich install\nexit 0\nexec heinrich hook post-receive\n")
        tip = self.commit(self.work, "fix.py", "fix\n", "Hotfix", trailer="Heinrich-Override: INC-71 outage fix")
        self.push("origin", "main", now=PAYDAY, expect=True)
        self.assertEqual(self.records(), [])
        self.assertEqual(len(self.held_back()), 1, self.held_back())
        with open(hook, "w") as out:
            out.write(original)
        # Six post-receives of other pushes at once: main points at the held
        # back set's commit, so git accepted it; one of them writes it.
        runs = [subprocess.Popen([BIN, "hook", "post-receive"], cwd=self.remote, env=self.env,
                                 stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for _ in range(6)]
        outputs = [run.communicate(timeout=120) for run in runs]
        for run, (_, err) in zip(runs, outputs):
            self.assertEqual(run.returncode, 0, err)
        said = [err for _, err in outputs if "recorded 1 override" in err]
        self.assertEqual(len(said), 1, outputs)
        self.assertEqual(self.records(), [("INC-71", tip, "accepted")])
        self.assertEqual(self.held_back(), [])


class ParkedSetOwnerTest(PendingRecordsCase):
    """A push's post-receive records the set its own pre-receive parked (the
    push is named by the receive-pack process both hooks run under), never
    another push's set for the same update; a set whose push is over is
    recorded only if no later push made its update."""

    def hold_first_post_receive(self):
        """The first post-receive waits until <hold>/go exists; later ones run."""
        hold = os.path.join(self.tmp, "hold")
        os.makedirs(hold)
        hook = os.path.join(self.remote, "hooks", "post-receive")
        with open(hook) as handle:
            original = handle.read()
        start = original.index("exec ")
        with open(hook, "w") as out:
            out.write(original[:start] + f'if mkdir "{hold}/first" 2>/dev/null; then\n'
                      f'  while [ ! -e "{hold}/go" ]; do sleep 0.05; done\nfi\n' + original[start:])
        return hold

    def test_two_accepted_pushes_of_one_update_are_both_recorded(self):
        """The first push's post-receive is slow; meanwhile the branch is put
        back and the same commit pushed again. Each post-receive used to take
        the oldest set of the update: the second wrote the first's record and
        dropped its own, so one accepted override went unrecorded."""
        base = self.remote_rev("main")
        tip = self.commit(self.work, "fix.py", "fix\n", "Hotfix", trailer="Heinrich-Override: INC-80 outage fix")
        hold = self.hold_first_post_receive()
        self.set_server_clock(["origin"], self.work, PAYDAY)
        first = subprocess.Popen(["git", "push", "-q", "origin", "main"], cwd=self.work, env=self.env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while not os.path.isdir(os.path.join(hold, "first")):
            self.assertIsNone(first.poll(), "the first push ended before its post-receive")
            self.assertLess(time.monotonic(), deadline, "the first post-receive never started")
            time.sleep(0.05)
        self.assertEqual(self.remote_rev("main"), tip)  # git made the first update
        self.git("update-ref", "refs/heads/main", base, cwd=self.remote)  # put back (a force-push, say)
        second = self.push("origin", "main", now="2026-11-25T10:05:00+09:00", expect=True)
        self.assertIn("recorded 1 override", second.stderr)
        with open(os.path.join(hold, "go"), "w"):
            pass
        _, err = first.communicate(timeout=120)
        self.assertEqual(first.returncode, 0, err)
        self.assertIn("recorded 1 override", err)
        listed = json.loads(self.heinrich("audit-overrides", "--format", "json", cwd=self.remote).stdout)
        self.assertEqual(sorted((o["ticket"], o["oid"], o["status"], o["time"]) for o in listed["overrides"]),
                         [("INC-80", tip, "accepted", "2026-11-25T01:00:00Z"),
                          ("INC-80", tip, "accepted", "2026-11-25T01:05:00Z")])
        self.assertEqual(self.held_back(), [])

    def test_a_refused_push_is_not_recorded_when_its_commit_arrives_another_way(self):
        """git refused the push (an update hook said no) after pre-receive had
        parked its override. Later the same commit reaches the branch from
        another starting point, by a push that needs no override: the refused
        push's set used to be written then, as if its override had been used."""
        reject = os.path.join(self.tmp, "reject")
        update_hook = os.path.join(self.remote, "hooks", "update")
        with open(update_hook, "w") as out:
            out.write(f'#!/bin/sh\n[ ! -e "{reject}" ]\n')
        os.chmod(update_hook, 0o755)
        middle = self.commit(self.work, "a.py", "a\n", "Feature")
        tip = self.commit(self.work, "fix.py", "fix\n", "Hotfix", trailer="Heinrich-Override: INC-81 outage fix")
        with open(reject, "w"):
            pass
        refused = self.push("origin", "main", now=PAYDAY, expect=False)
        self.assertIn("hook declined", refused.stderr)
        self.assertEqual(len(self.held_back()), 1, self.held_back())  # parked before git refused
        os.unlink(reject)
        self.push("origin", f"{middle}:refs/heads/main", now=SAFE, expect=True)
        self.push("origin", "main", now=SAFE, expect=True)  # middle -> tip: nothing to override at SAFE
        self.assertEqual(self.remote_rev("main"), tip)
        self.commit(self.work, "b.py", "b\n", "Feature")
        self.push("origin", "main", now=SAFE, expect=True)
        self.assertEqual(self.records(), [])
        self.assertEqual(self.held_back(), [])


    def test_a_refused_push_still_running_is_not_recorded_once_another_push_made_its_update(self):
        """The refused push's receive-pack still runs (its update hook is slow
        to say no) while another push brings the same commit to the branch
        from another starting point. That push's post-receive leaves a marker;
        the next post-receive, with the branch still at the commit, drops the
        refused set instead of taking it for one whose post-receive was
        killed."""
        base = self.remote_rev("main")
        middle = self.commit(self.work, "a.py", "a\n", "Feature")
        tip = self.commit(self.work, "fix.py", "fix\n", "Hotfix", trailer="Heinrich-Override: INC-82 outage fix")
        waiting, release = os.path.join(self.tmp, "waiting"), os.path.join(self.tmp, "release")
        update_hook = os.path.join(self.remote, "hooks", "update")
        with open(update_hook, "w") as out:
            out.write(f'#!/bin/sh\nif [ "$2" = {base} ] && [ "$3" = {tip} ]; then\n'
                      f'  touch "{waiting}"\n  while [ ! -e "{release}" ]; do sleep 0.05; done\n  exit 1\nfi\n')
        os.chmod(update_hook, 0o755)
        self.set_server_clock(["origin"], self.work, PAYDAY)
        refused = subprocess.Popen(["git", "push", "-q", "origin", "main"], cwd=self.work, env=self.env,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while not os.path.exists(waiting):
            self.assertIsNone(refused.poll(), "the refused push ended before its update hook")
            self.assertLess(time.monotonic(), deadline, "the update hook never ran")
            time.sleep(0.05)
        self.assertEqual(len(self.held_back()), 1, self.held_back())  # parked; git has not decided yet
        self.git("update-ref", "refs/heads/main", middle, base, cwd=self.remote)
        self.push("origin", "main", now=SAFE, expect=True)  # middle -> tip: nothing to override at SAFE
        self.assertEqual(self.remote_rev("main"), tip)
        self.assertTrue(any(name.endswith(".won") for name in os.listdir(self.pending)), os.listdir(self.pending))
        with open(release, "w"):
            pass
        _, err = refused.communicate(timeout=120)
        self.assertNotEqual(refused.returncode, 0, err)
        self.assertEqual(len(self.held_back()), 1, self.held_back())  # its push is over; nobody took it yet
        self.push("origin", f"{middle}:refs/heads/other", now=SAFE, expect=True)  # main still at tip
        self.assertEqual(self.records(), [])
        self.assertEqual(self.held_back(), [])


class HostileTicketTest(GitTestCase):
    """Tickets are text a pusher controls: matched in linear time, capped in length."""

    def setUp(self):
        super().setUp()
        self.setup_pair(install=False)
        self.heinrich("install", "--server", cwd=self.remote)

    def test_a_100000_character_ticket_is_refused_not_crashed_on(self):
        self.commit(self.work, "fix.py", "fix\n", "Hotfix", trailer="Heinrich-Override: INC-" + "1" * 100_000 + " why")
        result = self.push("origin", "main", now=PAYDAY, expect=False)
        self.assertIn("the ticket is 100004 characters long; at most 200 are read", result.stderr)

    def test_the_same_ticket_in_pre_push(self):
        self.heinrich("install", cwd=self.work)
        self.commit(self.work, "fix.py", "fix\n", "Hotfix", trailer="Heinrich-Override: INC-" + "1" * 100_000 + " why")
        result = self.push("origin", "main", now=PAYDAY, expect=False)
        self.assertIn("the ticket is 100004 characters long; at most 200 are read", result.stderr)
        self.assertNotIn("remote:", result.stderr)  # pre-push stopped it before it was sent

    def test_a_folded_trailer_records_a_one_line_ticket(self):
        # Issue 11, item 20: the ticket of a folded trailer held a newline.
        self.write(self.work, "fix.py", "fix\n")
        self.git("add", "fix.py", cwd=self.work)
        self.git("commit", "-q", "-m", "Hotfix\n\nHeinrich-Override: INC-7\n  payments are down\n   since 09:00",
                 cwd=self.work)
        tip = self.rev(self.work, "HEAD")
        self.push("origin", "main", now=PAYDAY, expect=True)
        listed = json.loads(self.heinrich("audit-overrides", "--format", "json", cwd=self.remote).stdout)
        self.assertEqual([(o["oid"], o["ticket"], o["reason"]) for o in listed["overrides"]],
                         [(tip, "INC-7", "payments are down since 09:00")])

    def test_a_backtracking_pattern_answers_at_once(self):
        with open(os.path.join(self.tmp, "server.toml"), "w") as out, open(os.path.join(
                os.path.dirname(__file__), "data", "policy.toml")) as base:
            out.write(base.read().replace('ticket = "^(INC|CHG)-[0-9]+$"', 'ticket = "^(a|aa)+$"'))
        self.git("config", "heinrich.policy", os.path.join(self.tmp, "server.toml"), cwd=self.remote)
        # std::regex needed 11 s for this 41-character ticket, doubling with each character.
        self.commit(self.work, "fix.py", "fix\n", "Hotfix", trailer="Heinrich-Override: " + "a" * 60 + "b why")
        result = self.push("origin", "main", now=PAYDAY, expect=False)
        self.assertIn("does not match [override] ticket", result.stderr)
        self.commit(self.work, "fix.py", "fix2\n", "Hotfix", trailer="Heinrich-Override: " + "a" * 60 + " why")
        self.push("origin", "main", now=PAYDAY, expect=True)


class SharedRepositoryTest(GitTestCase):
    """A group-shared bare repository owned by another user, which git
    accepts through safe.directory = * (libgit2 1.5 does not know the
    wildcard): the server hook trusts git's own ownership check."""

    def test_a_repository_owned_by_someone_else_is_checked_not_refused(self):
        if os.geteuid() != 0:
            self.skipTest("needs root to give the repository to another user")
        self.setup_pair(install=False)
        self.heinrich("install", "--server", cwd=self.remote)
        with open(os.path.join(self.env["HOME"], ".gitconfig"), "a") as out:
            out.write("[safe]\n\tdirectory = *\n")
        for root, dirs, files in os.walk(self.remote):
            for name in dirs + files:
                os.lchown(os.path.join(root, name), 65534, 65534)
        os.lchown(self.remote, 65534, 65534)
        self.commit(self.work, "app.py", "x\n", "Feature")
        result = self.push("origin", "main", now=PAYDAY, expect=False)
        self.assertIn("BLOCK refs/heads/main -> prod", result.stderr)
        self.assertNotIn("not owned by current user", result.stderr)
        self.push("origin", "main", now=SAFE, expect=True)


if __name__ == "__main__":
    unittest.main()
