"""`heinrich init`: a starter heinrich.toml that passes `audit --strict` and
`check`, a [push] map guessed from real repositories, and no overwrites."""
import os
import re
import time
import unittest

from githarness import PAYDAY, SAFE, GitTestCase

NY_SAFE = "2026-12-15T11:00:00-05:00"         # a Tuesday late morning in New York
THANKSGIVING = "2026-11-26T11:00:00-05:00"
SUNDAY_25TH_ROLLED = "2026-10-23T10:00:00+09:00"  # 2026-10-25 is a Sunday: payday is Friday the 23rd
LAST_DAY = "2026-11-30T10:00:00+09:00"            # a Monday, the last day of November
LAST_DAY_ROLLED = "2027-01-29T10:00:00+09:00"     # 2027-01-31 is a Sunday: Friday the 29th


class InitTest(GitTestCase):
    def make_repo(self, name="work", branch="main"):
        path = os.path.join(self.tmp, name)
        self.git("init", "-q", "-b", branch, path)
        self.commit(path, "README", "hello\n", "Start")
        return path

    def init(self, *args, cwd=None):
        return self.heinrich("init", *args, cwd=cwd)

    def read(self, path):
        with open(path, encoding="utf-8") as f:
            return f.read()

    def push_line(self, text):
        return next(line for line in text.splitlines() if line.startswith("refs = {"))

    def assert_passes(self, policy, safe=SAFE):
        audit = self.heinrich("audit", "--strict", "--policy", policy)
        self.assertEqual(audit.returncode, 0, audit.stdout + audit.stderr)
        check = self.heinrich("check", "--policy", policy, "--at", safe)
        self.assertEqual(check.returncode, 0, check.stdout + check.stderr)
        self.assertIn("allow", check.stdout.lower())

    def check_at(self, policy, at, *extra):
        return self.heinrich("check", "--policy", policy, "--at", at, *extra)

    def test_kr_starter_at_the_top_level_passes_audit_and_check(self):
        work = self.make_repo()
        sub = os.path.join(work, "src", "deep")
        os.makedirs(sub)
        result = self.init(cwd=sub)
        self.assertEqual(result.returncode, 0, result.stderr)
        policy = os.path.join(work, "heinrich.toml")
        self.assertIn(f"wrote {policy} (kr, Asia/Seoul, payday 25, environments prod, staging", result.stdout)
        self.assertFalse(os.path.exists(os.path.join(sub, "heinrich.toml")))
        text = self.read(policy)
        self.assertIn('timezone = "Asia/Seoul"', text)
        self.assertIn('builtin = "kr-public-holidays"', text)
        self.assertIn('monthly = { day = 25, roll = "previous-business-day" }', text)
        self.assert_passes(policy)
        # Found by discovery too: check from the subdirectory with no --policy.
        found = self.heinrich("check", "--at", SAFE, cwd=sub)
        self.assertEqual(found.returncode, 0, found.stderr)
        payday = self.check_at(policy, PAYDAY)
        self.assertEqual(payday.returncode, 1, payday.stdout)
        self.assertIn("payday", payday.stdout)
        rolled = self.check_at(policy, SUNDAY_25TH_ROLLED)
        self.assertEqual(rolled.returncode, 1, rolled.stdout)
        self.assertIn("payday", rolled.stdout)

    def test_us_starter_passes_audit_and_check(self):
        work = self.make_repo()
        result = self.init("--country", "us", cwd=work)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("(us, America/New_York, payday none,", result.stdout)
        policy = os.path.join(work, "heinrich.toml")
        text = self.read(policy)
        self.assertIn('timezone = "America/New_York"', text)
        self.assertIn('builtin = "us-federal-holidays"', text)
        self.assertIn("# monthly = { day = 25", text)  # payday: shown, commented out
        self.assert_passes(policy, NY_SAFE)
        thanksgiving = self.check_at(policy, THANKSGIVING)
        self.assertEqual(thanksgiving.returncode, 1, thanksgiving.stdout)
        self.assertIn("Thanksgiving", thanksgiving.stdout)
        # No payday rule: the 25th's morning is an ordinary Friday morning.
        self.assertEqual(self.check_at(policy, "2026-12-18T10:00:00-05:00").returncode, 0)
        with_payday = self.make_repo("with-payday")
        self.assertEqual(self.init("--country", "us", "--payday", "15", "--timezone", "America/Chicago",
                                   cwd=with_payday).returncode, 0)
        chicago = os.path.join(with_payday, "heinrich.toml")
        self.assert_passes(chicago, "2026-12-15T14:00:00-06:00")  # payday is 06:00-14:00
        self.assertEqual(self.check_at(chicago, "2026-12-15T10:00:00-06:00").returncode, 1)

    def test_payday_last_day_rolls_back_from_a_weekend(self):
        work = self.make_repo()
        self.assertEqual(self.init("--payday=-1", cwd=work).returncode, 0)
        policy = os.path.join(work, "heinrich.toml")
        self.assertIn('monthly = { day = -1, roll = "previous-business-day" }', self.read(policy))
        self.assert_passes(policy)
        for at in (LAST_DAY, LAST_DAY_ROLLED):
            result = self.check_at(policy, at)
            self.assertEqual(result.returncode, 1, at + result.stdout)
            self.assertIn("payday", result.stdout)
        self.assertEqual(self.check_at(policy, PAYDAY).returncode, 0)  # the 25th is nothing now
        # A separate argument works too (CLI11 reads "-1" as a number, not an option).
        other = self.make_repo("other")
        self.assertEqual(self.init("--payday", "-1", cwd=other).returncode, 0)
        self.assertEqual(self.read(os.path.join(other, "heinrich.toml")), self.read(policy))

    def test_push_map_from_master_release_branches_and_version_tags(self):
        origin = self.make_repo("origin", branch="master")
        for branch in ("release/1.0", "release/1.1", "staging", "develop"):
            self.git("branch", branch, cwd=origin)
        self.git("tag", "v1.0.0", cwd=origin)
        self.git("tag", "nightly", cwd=origin)
        clone = os.path.join(self.tmp, "clone")
        self.git("clone", "-q", origin, clone)  # only master is local; the rest are origin's
        result = self.init(cwd=clone)
        self.assertEqual(result.returncode, 0, result.stderr)
        text = self.read(os.path.join(clone, "heinrich.toml"))
        self.assertEqual(self.push_line(text),
                         'refs = { "refs/heads/master" = "prod", "refs/heads/release/*" = "prod", '
                         '"refs/tags/v*" = "prod", "refs/heads/staging" = "staging", '
                         '"refs/heads/develop" = "staging" }')
        self.assertIn("#   refs/heads/master -> prod: branch 'master' exists", text)
        self.assertIn("#   refs/heads/release/* -> prod: 2 release/* branch(es)", text)
        self.assertIn("#   refs/tags/v* -> prod: 1 version tag(s) like v1.2.3", text)
        self.assertIn("[push] refs/heads/develop -> staging", result.stdout)
        self.assert_passes(os.path.join(clone, "heinrich.toml"))

    def test_push_map_for_plain_main(self):
        work = self.make_repo()
        self.git("tag", "nightly-1", cwd=work)
        self.assertEqual(self.init("--environments", "live", cwd=work).returncode, 0)
        text = self.read(os.path.join(work, "heinrich.toml"))
        self.assertEqual(self.push_line(text), 'refs = { "refs/heads/main" = "live" }')
        self.assertIn("live = { aliases = [] }", text)

    def test_environments_first_is_production(self):
        work = self.make_repo()
        result = self.init("--environments", "prod,staging", cwd=work)
        self.assertEqual(result.returncode, 0, result.stderr)
        policy = os.path.join(work, "heinrich.toml")
        text = self.read(policy)
        self.assertIn('prod = { aliases = ["production", "prd"] }', text)
        self.assertIn('staging = { aliases = ["stage", "stg"] }', text)
        self.assertEqual(self.check_at(policy, PAYDAY, "--env", "production").returncode, 1)
        self.assertEqual(self.check_at(policy, PAYDAY, "--env", "staging").returncode, 0)
        unknown = self.check_at(policy, PAYDAY, "--env", "stagign")
        self.assertEqual(unknown.returncode, 2)
        self.assertIn("did you mean 'staging'", unknown.stderr)
        # Names TOML cannot take bare are quoted and escaped, and read back as given.
        odd = self.make_repo("odd")
        self.assertEqual(self.init("--environments", 'eu "blue",dr.site', cwd=odd).returncode, 0)
        odd_policy = os.path.join(odd, "heinrich.toml")
        self.assertIn('"eu \\"blue\\"" = { aliases = [] }', self.read(odd_policy))
        self.assert_passes(odd_policy)
        self.assertEqual(self.check_at(odd_policy, PAYDAY, "--env", 'eu "blue"').returncode, 1)
        self.assertEqual(self.check_at(odd_policy, PAYDAY, "--env", "dr.site").returncode, 0)

    def test_bad_input_is_exit_2_and_writes_nothing(self):
        work = self.make_repo()
        policy = os.path.join(work, "heinrich.toml")
        cases = [
            (["--timezone", "Asia/Seol"], "did you mean 'Asia/Seoul'"),
            (["--timezone", "America/New_Yrok"], "did you mean 'America/New_York'"),
            (["--country", "kp"], "kp"),
            (["--payday", "0"], "--payday must be a day of the month"),
            (["--payday", "32"], "--payday must be a day of the month"),
            (["--environments", "prod,,staging"], "empty environment name"),
            (["--environments", "prod,prod"], "given twice"),
            (["--environments", "pr\x1bod"], "control character"),
            (["--environments", "prod\nx = 1"], "control character"),
            (["--timezone", "Asia/Seoul\"\nx = \"1"], "unknown time zone"),
        ]
        for args, message in cases:
            with self.subTest(args=args):
                result = self.init(*args, cwd=work)
                self.assertEqual(result.returncode, 2, result.stdout + result.stderr)
                self.assertIn(message, result.stderr)
                self.assertNotIn("\x1b", result.stderr)
                self.assertFalse(os.path.exists(policy))

    def test_refuses_to_overwrite(self):
        work = self.make_repo()
        for name in ("heinrich.toml", ".heinrich.toml"):
            with self.subTest(name=name):
                existing = os.path.join(work, name)
                self.write(work, name, "# mine\n")
                sub = os.path.join(work, "sub")
                os.makedirs(sub, exist_ok=True)
                result = self.init(cwd=sub)
                self.assertEqual(result.returncode, 2, result.stdout)
                self.assertIn(f"'{existing}' already exists; heinrich init never overwrites", result.stderr)
                self.assertEqual(self.read(existing), "# mine\n")
                self.assertFalse(os.path.exists(os.path.join(work, "heinrich.toml.tmp")))
                os.remove(existing)
        # A dangling symbolic link is a file there too.
        os.symlink("elsewhere.toml", os.path.join(work, "heinrich.toml"))
        self.assertEqual(self.init(cwd=work).returncode, 2)
        self.assertTrue(os.path.islink(os.path.join(work, "heinrich.toml")))

    def test_hooks_installs_a_pre_push_hook_that_refuses_payday(self):
        self.remote = self.make_remote()
        self.work = self.make_clone(self.remote, policy=None, install=False)
        result = self.init("--hooks", cwd=self.work)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("installed the pre-push hook at .git/hooks/pre-push", result.stdout)
        self.commit(self.work, "heinrich.toml", None, "Add the heinrich policy")
        self.push("-q", "origin", "main", now=SAFE, expect=True)
        self.commit(self.work, "app.py", "x = 1\n", "Feature")
        refused = self.push("origin", "main", now=PAYDAY, expect=False)
        self.assertIn("BLOCK refs/heads/main -> prod", refused.stderr)
        self.assertIn("payday", refused.stderr)
        self.push("origin", "main", now=SAFE, expect=True)
        # The hook was installed by install's own code: a second install is a no-op.
        self.assertIn("already installed", self.heinrich("install", cwd=self.work).stdout)

    def test_outside_a_repository_writes_here(self):
        plain = os.path.join(self.tmp, "plain")
        os.makedirs(plain)
        env = dict(self.env, GIT_CEILING_DIRECTORIES=self.tmp)
        refused = self.heinrich("init", "--hooks", cwd=plain, env=env)
        self.assertEqual(refused.returncode, 2)
        self.assertIn("--hooks: not in a git repository", refused.stderr)
        self.assertFalse(os.path.exists(os.path.join(plain, "heinrich.toml")))
        result = self.heinrich("init", cwd=plain, env=env)
        self.assertEqual(result.returncode, 0, result.stderr)
        policy = os.path.join(plain, "heinrich.toml")
        text = self.read(policy)
        self.assertEqual(self.push_line(text), 'refs = { "refs/heads/main" = "prod" }')
        self.assertIn("no git repository here", text)
        self.assert_passes(policy)

    def test_bare_repository_is_refused(self):
        bare = self.make_remote()
        result = self.init(cwd=bare)
        self.assertEqual(result.returncode, 2)
        self.assertIn("bare repository", result.stderr)

    def test_reads_at_most_10000_refs(self):
        work = self.make_repo()
        head = self.rev(work, "HEAD")
        # packed-refs written directly: 12000 tags in a few milliseconds.
        with open(os.path.join(work, ".git", "packed-refs"), "w") as out:
            out.write("# pack-refs with: peeled fully-peeled sorted \n")
            for i in range(12000):
                out.write(f"{head} refs/tags/t{i:05d}\n")
        started = time.monotonic()
        result = self.init(cwd=work)
        elapsed = time.monotonic() - started
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("looked at the first 10000 refs only", result.stdout)
        self.assertIn("(only the first 10000 refs were looked at)", self.read(os.path.join(work, "heinrich.toml")))
        self.assertLess(elapsed, 10, "init must stay quick on a repository with many refs")


if __name__ == "__main__":
    unittest.main()
