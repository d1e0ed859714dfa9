#!/usr/bin/env bash
# Whole-process timing of the git hooks with hyperfine (README, "Git hooks"):
#   - `heinrich check` on the policy of the git tests (tests/git/data), the reference;
#   - the pre-push hook for a push of one commit, through `heinrich` (which
#     execs heinrich-git) and straight through heinrich-git;
#   - the pre-push hook for a push of 1,000 commits touching 5,000 files.
# usage: tests/bench/bench_hook.sh BUILD_DIR   (a Release build)
set -euo pipefail
build=$(cd "${1:?build directory (Release)}" && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
command -v hyperfine >/dev/null || { apt-get install -y -qq hyperfine >/dev/null; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME=$work/home GIT_CONFIG_NOSYSTEM=1 NO_COLOR=1 LC_ALL=C
export HEINRICH_NOW=2026-12-15T11:00+09:00 HEINRICH_POLICY=$root/tests/git/data/policy.toml
mkdir -p "$HOME"
git config --global user.name Bench && git config --global user.email bench@example.com
git config --global init.defaultBranch main
heinrich=$build/src/heinrich
helper=$build/src/heinrich-git
zero=0000000000000000000000000000000000000000

# fast-import stream: a base commit with 5,000 files in 50 directories, then
# COMMITS commits changing FILES files each (distinct files, round robin).
stream() {
  python3 - "$1" "$2" <<'PY'
import sys
commits, per = int(sys.argv[1]), int(sys.argv[2])
out = sys.stdout
def data(text):
    out.write(f"data {len(text.encode())}\n{text}\n")
out.write("commit refs/heads/main\nmark :1\ncommitter B <b@example.com> 1700000000 +0000\n")
data("base")
for n in range(5000):
    out.write(f"M 644 inline src/d{n // 100}/f{n}.txt\n")
    data("".join(f"line {k} of file {n}\n" for k in range(20)))
out.write("reset refs/remotes/origin/main\nfrom :1\n\n")
for i in range(commits):
    out.write(f"commit refs/heads/main\nmark :{i + 2}\ncommitter B <b@example.com> {1700000001 + i} +0000\n")
    data(f"change {i}")
    for f in range(per):
        n = (i * per + f) % 5000
        out.write(f"M 644 inline src/d{n // 100}/f{n}.txt\n")
        data("".join(f"line {k} of file {n}\n" for k in range(20)) + f"changed by commit {i}\n")
    out.write("\n")
PY
}

make_repo() {  # NAME COMMITS FILES_PER_COMMIT
  local repo=$work/$1
  git init -q "$repo"
  git -C "$repo" remote add origin "$work/remote.git"
  stream "$2" "$3" | git -C "$repo" fast-import --quiet
  echo "refs/heads/main $(git -C "$repo" rev-parse main) refs/heads/main $(git -C "$repo" rev-parse origin/main)" \
    >"$work/$1.input"
}
make_repo one 1 1
make_repo big 1000 5

cd "$work/one"
echo "== one commit (stderr of one run):"
"$heinrich" hook pre-push origin "$work/remote.git" <"$work/one.input"
cd "$work/big"
echo "== 1,000 commits touching 5,000 files (stderr of one run):"
"$heinrich" hook pre-push origin "$work/remote.git" <"$work/big.input"

# hyperfine -N runs commands without a shell, so there is no `<`: the hooks
# get their ref from the PRE_COMMIT_* variables instead (the pre-commit
# framework's interface), which is the same work as one line on stdin.
for_repo() {  # NAME
  read -r _ to _ from <"$work/$1.input"
  export PRE_COMMIT_REMOTE_NAME=origin PRE_COMMIT_REMOTE_BRANCH=refs/heads/main
  export PRE_COMMIT_FROM_REF=$from PRE_COMMIT_TO_REF=$to
  cd "$work/$1"
}
for_repo one
hyperfine -N --warmup 20 --runs "${RUNS:-200}" \
  "$heinrich check --at 2026-12-15T11:00 --env prod" \
  "$helper check --at 2026-12-15T11:00 --env prod" \
  "$heinrich hook pre-push" \
  "$helper hook pre-push"
for_repo big
hyperfine -N --warmup 3 --runs "${BIG_RUNS:-20}" "$heinrich hook pre-push"
