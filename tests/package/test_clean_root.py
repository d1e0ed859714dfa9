"""The Debian package, installed into a clean Debian 12 root (debootstrap
--variant=minbase, no compiler) with apt, as a user would: heinrich runs on
the shipped default policy and agrees with the build tree, the manual pages
open, bash completion completes `heinrich ch` to `check`, the pre-push hook
`heinrich install` writes stops a push on a payday morning and lets one
through on an ordinary morning, and removing the package removes its files.

    python3 tests/package/test_clean_root.py dist/heinrich_<version>_<arch>.deb

Needs root (debootstrap, chroot, mount) and the Debian mirror
($HEINRICH_DEBIAN_MIRROR, default http://deb.debian.org/debian). Set
HEINRICH_BIN to a build tree's heinrich to compare decisions with it."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

DEB = None
MIRROR = os.environ.get("HEINRICH_DEBIAN_MIRROR", "http://deb.debian.org/debian")
BUILD_TREE_BIN = os.environ.get("HEINRICH_BIN")
SOURCE_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PAYDAY_MORNING = "2026-12-24T09:30:00+09:00"  # the 25th is Christmas: payday rolls back to the 24th
ORDINARY_MORNING = "2026-12-22T10:00:00+09:00"


def log(message):
    print(f"[clean root] {message}", file=sys.stderr, flush=True)


class CleanRoot(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.root = tempfile.mkdtemp(prefix="heinrich-clean-root-", dir="/var/tmp")
        cls.proc_mounted = False
        started = time.monotonic()
        subprocess.run(["debootstrap", "--variant=minbase", "bookworm", cls.root, MIRROR], check=True,
                       stdout=subprocess.DEVNULL, timeout=900)
        log(f"debootstrap: {time.monotonic() - started:.0f} s")
        subprocess.run(["mount", "-t", "proc", "proc", os.path.join(cls.root, "proc")], check=True)
        cls.proc_mounted = True
        shutil.copy("/etc/resolv.conf", os.path.join(cls.root, "etc", "resolv.conf"))
        shutil.copy(DEB, os.path.join(cls.root, "tmp", os.path.basename(DEB)))
        cls.deb_in_root = "/tmp/" + os.path.basename(DEB)
        started = time.monotonic()
        cls.chroot_checked("apt-get", "update", "-qq")
        # The package alone first: its computed Depends must be enough to run.
        cls.install = cls.chroot("apt-get", "install", "-y", "-qq", "--no-install-recommends", cls.deb_in_root)
        log(f"apt-get install of the package: {time.monotonic() - started:.0f} s")

    @classmethod
    def tearDownClass(cls):
        if cls.proc_mounted:
            subprocess.run(["umount", "-l", os.path.join(cls.root, "proc")], check=False)
        shutil.rmtree(cls.root, ignore_errors=True)

    @classmethod
    def chroot(cls, *command, env=None, cwd="/"):
        environment = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                       "DEBIAN_FRONTEND": "noninteractive", "HOME": "/root", "LANG": "C.UTF-8",
                       "NO_COLOR": "1"}
        environment.update(env or {})
        script = f"cd '{cwd}' && exec \"$@\""
        return subprocess.run(["chroot", cls.root, "/bin/sh", "-c", script, "sh", *command],
                              capture_output=True, text=True, env=environment, timeout=600)

    @classmethod
    def chroot_checked(cls, *command, **kwargs):
        result = cls.chroot(*command, **kwargs)
        if result.returncode != 0:
            raise AssertionError(f"{' '.join(command)}: exit {result.returncode}\n{result.stdout}\n{result.stderr}")
        return result

    def setUp(self):
        self.assertEqual(self.install.returncode, 0, self.install.stdout + self.install.stderr)

    def test_a_package_installs_without_a_compiler(self):
        compilers = self.chroot("sh", "-c", "command -v cc || command -v c++ || command -v gcc")
        self.assertNotEqual(compilers.returncode, 0, f"the clean root has a compiler: {compilers.stdout}")
        files = self.chroot_checked("dpkg", "-L", "heinrich").stdout.split()
        for path in ("/usr/bin/heinrich", "/usr/lib/heinrich/heinrich-git",
                     "/usr/share/heinrich/policies/default.toml", "/usr/share/heinrich/hooks/pre-push",
                     "/usr/share/man/man1/heinrich.1.gz", "/usr/share/man/man1/heinrich-check.1.gz",
                     "/usr/share/man/man5/heinrich.toml.5.gz", "/usr/share/heinrich/schemas/policy.schema.json",
                     "/usr/share/bash-completion/completions/heinrich", "/usr/share/doc/heinrich/copyright"):
            self.assertIn(path, files)

    def test_a_binaries_are_hardened(self):
        # dpkg-buildflags with hardening=+all: PIE, full RELRO (bind-now),
        # fortified calls and the stack protector. Read with the host's readelf.
        for binary in ("/usr/bin/heinrich", "/usr/lib/heinrich/heinrich-git"):
            with self.subTest(binary=binary):
                path = self.root + binary
                header = subprocess.run(["readelf", "-h", "-l", "-d", "--dyn-syms", "-W", path],
                                        capture_output=True, text=True, check=True, timeout=60).stdout
                self.assertIn("Position-Independent Executable", header)
                self.assertIn("GNU_RELRO", header)
                self.assertIn("BIND_NOW", header)
                self.assertIn("__stack_chk_fail", header)
                self.assertRegex(header, r"__\w+_chk@")
                self.assertNotIn(".debug_info", subprocess.run(["readelf", "-S", "-W", path], capture_output=True,
                                                               text=True, check=True, timeout=60).stdout)

    def test_b_check_runs_on_the_shipped_default_policy(self):
        env = {"HEINRICH_NOW": "2026-12-10T10:00:00+09:00"}
        blocked = self.chroot("heinrich", "check", "--env", "prod", "--at", PAYDAY_MORNING, "--format", "json",
                              env=env, cwd="/tmp")
        self.assertEqual(blocked.returncode, 1, blocked.stderr)
        data = json.loads(blocked.stdout)
        self.assertEqual((data["decision"], data["policy"]), ("block", "/usr/share/heinrich/policies/default.toml"))
        allowed = self.chroot("heinrich", "check", "--env", "prod", "--at", ORDINARY_MORNING, env=env, cwd="/tmp")
        self.assertEqual(allowed.returncode, 0, allowed.stderr)
        self.assertTrue(allowed.stdout.startswith("ALLOW"), allowed.stdout)
        if BUILD_TREE_BIN:
            # The packaged binary gives the build tree's answer, reason for reason.
            built = subprocess.run([BUILD_TREE_BIN, "check", "--policy", os.path.join(SOURCE_DIR, "policies",
                                                                                      "default.toml"),
                                    "--env", "prod", "--at", PAYDAY_MORNING, "--format", "json"],
                                   capture_output=True, text=True, env=dict(os.environ, **env), timeout=60)
            expected = json.loads(built.stdout)
            for key in ("decision", "score", "at", "end", "next_safe"):
                self.assertEqual(data.get(key), expected.get(key), key)
            self.assertEqual([(r["rule"], r["contribution"]) for r in data["reasons"]],
                             [(r["rule"], r["contribution"]) for r in expected["reasons"]])

    def test_c_version_reports_the_package_version_and_data(self):
        data = json.loads(self.chroot_checked("heinrich", "version", "--format", "json").stdout)
        package_version = self.chroot_checked("dpkg-query", "-W", "-f=${Version}", "heinrich").stdout
        self.assertEqual(data["version"], package_version)
        self.assertTrue(all(entry["file"].startswith("/usr/share/heinrich/") for entry in data["holidays"]))

    def test_d_manual_pages_open(self):
        self.chroot_checked("apt-get", "install", "-y", "-qq", "--no-install-recommends", "man-db")
        for page, title in (("heinrich", "HEINRICH(1)"), ("heinrich-check", "HEINRICH-CHECK(1)")):
            result = self.chroot_checked("man", "-P", "cat", page, env={"MANWIDTH": "80"})
            self.assertIn(title, result.stdout.splitlines()[0])
            self.assertIn("EXIT STATUS", result.stdout)
        result = self.chroot_checked("man", "-P", "cat", "heinrich.toml", env={"MANWIDTH": "80"})
        self.assertIn("HEINRICH.TOML(5)", result.stdout.splitlines()[0])
        self.assertIn("[[window]]", result.stdout)

    def test_e_bash_completes_ch_to_check(self):
        self.chroot_checked("apt-get", "install", "-y", "-qq", "--no-install-recommends", "bash-completion")
        # bash-completion loads /usr/share/bash-completion/completions/heinrich
        # on first use, as an interactive shell does.
        script = ("source /usr/share/bash-completion/bash_completion\n"
                  "_completion_loader heinrich\n"
                  "complete -p heinrich\n"
                  "COMP_WORDS=(heinrich ch); COMP_CWORD=1; _heinrich\n"
                  "echo \"offered: ${COMPREPLY[*]}\"\n")
        result = self.chroot_checked("bash", "-c", script)
        self.assertIn("complete -F _heinrich heinrich", result.stdout)
        self.assertIn("offered: check\n", result.stdout)

    def test_f_pre_push_hook_stops_a_payday_push(self):
        self.chroot_checked("apt-get", "install", "-y", "-qq", "--no-install-recommends", "git")
        setup = ("set -e\n"
                 "git config --global user.name Tester; git config --global user.email t@example.org\n"
                 "git config --global init.defaultBranch main\n"
                 "git init -q --bare /srv/remote.git\n"
                 "git init -q /srv/work && cd /srv/work\n"
                 "echo one > file && git add file && git commit -q -m one\n"
                 "git remote add origin /srv/remote.git\n"
                 "heinrich install\n")
        self.chroot_checked("sh", "-c", setup)
        stopped = self.chroot("git", "push", "origin", "main", env={"HEINRICH_NOW": PAYDAY_MORNING}, cwd="/srv/work")
        self.assertEqual(stopped.returncode, 1, stopped.stdout + stopped.stderr)
        self.assertIn("BLOCK", stopped.stderr)
        remote = self.chroot("git", "--git-dir", "/srv/remote.git", "rev-parse", "--verify", "-q", "refs/heads/main")
        self.assertNotEqual(remote.returncode, 0, "the blocked push reached the remote")
        passed = self.chroot("git", "push", "origin", "main", env={"HEINRICH_NOW": ORDINARY_MORNING},
                             cwd="/srv/work")
        self.assertEqual(passed.returncode, 0, passed.stderr)

    def test_g_remove_leaves_nothing(self):
        self.chroot_checked("apt-get", "remove", "-y", "-qq", "heinrich")
        for path in ("/usr/bin/heinrich", "/usr/lib/heinrich", "/usr/share/heinrich"):
            self.assertFalse(os.path.exists(self.root + path), path)


if __name__ == "__main__":
    if os.geteuid() != 0:
        sys.exit("test_clean_root.py needs root (debootstrap, chroot, mount)")
    if len(sys.argv) < 2 or not os.path.isfile(sys.argv[1]):
        sys.exit(__doc__)
    DEB = os.path.abspath(sys.argv.pop(1))
    unittest.main()
