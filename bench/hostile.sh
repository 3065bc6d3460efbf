#!/usr/bin/env bash
# Replays the probes of issue 20 ("a tool CI can trust on any repository") against the built
# launcher: hangs, silent passes, reads and writes where loopguard should not. Prints PASS or
# FAIL per probe and exits non-zero when any fails.
#
#   bench/hostile.sh            # every probe (the 19 MB literal takes a few seconds more)
#   LG=path/to/loopguard bench/hostile.sh
#
# Every command runs under `timeout`, so a hang is a FAIL, not a stuck script.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
lg="${LG:-$here/../loopguard}"
limit="${HOSTILE_TIMEOUT:-120}"
work="$(mktemp -d "${TMPDIR:-/tmp}/lg-hostile.XXXXXX")"
outside="$(mktemp -d "${TMPDIR:-/tmp}/lg-outside.XXXXXX")"
trap 'rm -rf "$work" "$outside"' EXIT
failures=0

"$lg" --version >/dev/null 2>&1 || { echo "cannot run $lg" >&2; exit 2; }

# probe NAME CMD...: runs CMD (a shell function or command); PASS when it returns 0.
probe() {
  local name="$1"
  shift
  if "$@" >"$work/probe.log" 2>&1; then
    echo "PASS  $name"
  else
    echo "FAIL  $name"
    sed 's/^/      /' "$work/probe.log" | tail -n 8
    failures=$((failures + 1))
  fi
}

# lgrun EXPECTED_CODE ARGS...: runs loopguard in $work/t with a timeout; output in $work/out, $work/err.
lgrun() {
  local want="$1"
  shift
  (cd "$work/t" && timeout "$limit" "$lg" "$@" >"$work/out" 2>"$work/err")
  local code=$?
  if [ "$code" = 124 ]; then
    echo "hung (killed after ${limit}s): loopguard $*"
    return 1
  fi
  if [ "$code" != "$want" ]; then
    echo "exit $code, expected $want: loopguard $*"
    cat "$work/err"
    return 1
  fi
}

fresh() {
  rm -rf "$work/t"
  mkdir -p "$work/t"
  printf 'import time\n\nasync def f():\n    time.sleep(1)\n' >"$work/t/app.py"
}

has() { grep -q -- "$1" "$2" || { echo "no '$1' in $2:"; head -c 2000 "$2"; return 1; }; }
hasnt() { if grep -q -- "$1" "$2"; then echo "'$1' in $2"; return 1; fi; }

evil='a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b'
long="$(printf 'a%.0s' $(seq 1 200))"

p_gitignore() {
  fresh
  echo "$evil" >"$work/t/.gitignore"
  mkdir -p "$work/t/$long"
  touch "$work/t/$long/$long.py"
  lgrun 1 scan --no-cache --no-progress .
}
p_exclude() {
  fresh
  mkdir -p "$work/t/$long"
  touch "$work/t/$long/$long.py"
  lgrun 1 scan --no-cache --no-progress --exclude "$evil" .
}
p_fifo_path() { fresh; mkfifo "$work/t/pipe.py"; lgrun 2 scan --no-cache pipe.py && has "not a regular file" "$work/err"; }
p_fifo_baseline() { fresh; mkfifo "$work/t/b.json"; lgrun 2 scan --no-cache --baseline b.json . && has "not a regular file" "$work/err"; }
p_fifo_knowledge() { fresh; mkfifo "$work/t/k.yaml"; lgrun 2 scan --no-cache --knowledge k.yaml . && has "not a regular file" "$work/err"; }
p_fifo_config() { fresh; mkfifo "$work/t/c.toml"; lgrun 2 scan --no-cache --config c.toml . && has "not a regular file" "$work/err"; }
p_fifo_tree() {
  fresh
  mkfifo "$work/t/pipe.py" "$work/t/.gitignore"
  lgrun 1 scan --no-cache --format json . && has "Not a regular file" "$work/out"
}
p_missing() { fresh; lgrun 2 scan --no-cache /no/such/path && has "no such file or folder" "$work/err"; }
p_one_missing() { fresh; lgrun 2 scan --no-cache . missing.py && has "missing.py: no such file or folder" "$work/err"; }
p_stdout_error() {
  fresh
  [ -w /dev/full ] || { echo "no /dev/full"; return 1; }
  (cd "$work/t" && timeout "$limit" "$lg" scan --no-cache . >/dev/full 2>"$work/err")
  local code=$?
  [ "$code" = 2 ] || { echo "exit $code"; return 1; }
  has "cannot write to standard output" "$work/err"
}
p_symlink_file() {
  fresh
  printf 'SECRET_TOKEN = 1\n)( not python\n' >"$outside/secret.py"
  ln -s "$outside/secret.py" "$work/t/x.py"
  lgrun 1 scan --no-cache --format json . && hasnt "SECRET\|not python\|syntax" "$work/out" \
    && has "symlink-outside" "$work/out"
}
p_symlink_dir() {
  fresh
  mkdir -p "$outside/pkg"
  printf 'import time\nasync def g():\n    time.sleep(9)\n' >"$outside/pkg/m.py"
  ln -s "$outside/pkg" "$work/t/pkg"
  lgrun 1 scan --no-cache --format json . && hasnt "time.sleep(9)\|pkg/m.py" "$work/out" \
    && lgrun 1 scan --no-cache --format json --follow-symlinks . && has "pkg/m.py" "$work/out"
}
p_cache_symlink() {
  fresh
  rm -rf "$outside/cache"
  mkdir -p "$outside/cache"
  ln -s "$outside/cache" "$work/t/.loopguard_cache"
  lgrun 1 scan . && lgrun 1 scan . || return 1
  [ -z "$(ls -A "$outside/cache")" ] || { echo "wrote through the link:"; ls -A "$outside/cache"; return 1; }
}
p_cache_restored_mtime() {
  fresh
  printf 'import time\n\nasync def f():\n    time.sleeq(1)\n' >"$work/t/app.py"
  touch -d '2020-01-01 00:00:00' "$work/t/app.py"
  sleep 3 # older than the racy window: the stamp is trusted from now on
  lgrun 0 scan --no-progress . || return 1
  # same size, same (restored) time, other content: what tar, rsync -a or a CI cache carry
  printf 'import time\n\nasync def f():\n    time.sleep(1)\n' >"$work/t/app.py"
  touch -d '2020-01-01 00:00:00' "$work/t/app.py"
  lgrun 1 scan --no-progress . && has "time.sleep" "$work/out"
}
p_cache_stale_tmp() {
  fresh
  lgrun 1 scan . || return 1
  # a scan killed during a write leaves NAME.<pid>.<random>.tmp behind
  sleep 600 &
  local pid=$!
  kill -9 "$pid"
  wait "$pid" 2>/dev/null
  echo half >"$work/t/.loopguard_cache/result-1.bin.$pid.12345.tmp"
  echo edit >>"$work/t/app.py"
  lgrun 1 scan . || return 1
  if ls "$work/t/.loopguard_cache/"*.tmp >/dev/null 2>&1; then
    echo "left: $(ls "$work/t/.loopguard_cache/")"
    return 1
  fi
}
p_markdown_names() {
  fresh
  local name='[x](https:evil.example)|`a`.py'
  printf 'import time\n\nasync def g():\n    time.sleep(1)\n' >"$work/t/$name"
  lgrun 1 scan --no-cache --format audit=audit.md --format inventory=inventory.md . || return 1
  # outside code spans, no link syntax, bare URL or raw HTML survives
  python3 - "$work/t/audit.md" "$work/t/inventory.md" <<'PY'
import re, sys
text = "".join(open(f, encoding="utf-8").read() for f in sys.argv[1:])
for line in text.splitlines():
    bare = re.sub(r"(`+)(.+?)\1", "", line)  # drop code spans
    if re.search(r"(?<!\\)\]\(", bare) or re.search(r"https?://", bare) or re.search(r"(?<!\\)<", bare):
        sys.exit("link in: " + line)
print("ok")
PY
}
p_sarif_uri() {
  fresh
  printf 'import time\n\nasync def g():\n    time.sleep(1)\n' >"$work/t/a:b%c é.py"
  lgrun 1 scan --no-cache --format sarif . && has '"uri" : "a%3Ab%25c%20%C3%A9.py"' "$work/out"
}
p_big_literal() {
  fresh
  rm "$work/t/app.py"
  python3 - "$work/t/big.py" <<'PY'
import sys
out, size, i = ["x = ["], 5, 0
while size < 19 * 1024 * 1024:
    t = "%d, " % i
    out.append(t); size += len(t); i += 1
out.append("0]\n")
open(sys.argv[1], "w").write("".join(out))
PY
  (cd "$work/t" && timeout "$limit" /usr/bin/time -v "$lg" scan --no-cache --no-progress . >"$work/out" 2>"$work/err")
  local code=$? kb secs
  [ "$code" = 0 ] || { echo "exit $code"; tail -3 "$work/err"; return 1; }
  kb=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$work/err")
  secs=$(awk '/Elapsed \(wall clock\)/ {print $NF}' "$work/err")
  echo "19 MB one-line list literal: peak RSS $((kb / 1024)) MB, wall $secs"
  [ "$kb" -le $((500 * 1024)) ]
}
p_review_crlf() {
  fresh
  (cd "$work/t" && cp app.py old.py && printf 'import time\n\nasync def f():\n    pass\n' >app.py \
    && { diff -u --label a/app.py --label b/app.py app.py old.py || true; } | sed 's/$/\r/' >../crlf.diff \
    && rm old.py)
  (cd "$work/t" && patch -p1 --dry-run <../crlf.diff >/dev/null) || { echo "GNU patch does not apply it"; return 1; }
  lgrun 1 review --diff ../crlf.diff .
}
p_review_bad_hunk() {
  fresh
  printf -- '--- a/app.py\n+++ b/app.py\n@@ -1,x +1 @@\n-import time\n+import os\n' >"$work/bad.diff"
  lgrun 2 review --diff ../bad.diff . && has "malformed hunk header" "$work/err"
}
p_unclosed_ignore() {
  fresh
  printf 'import time\n\nasync def f():\n    time.sleep(1)  # loopguard: ignore[perf-004\n' >"$work/t/app.py"
  lgrun 1 scan --no-cache --format json . && has "bad-suppression" "$work/out"
}
p_two_formats() { fresh; lgrun 2 scan --no-cache --format json=r.txt --format sarif=r.txt . && has "both go to" "$work/err"; }
p_threads0() { fresh; lgrun 2 scan --no-cache --threads 0 . && has "--threads" "$work/err"; }
p_root_missing() { fresh; lgrun 2 scan --no-cache --root /missing . && has "no such folder" "$work/err"; }
p_bad_glob() { fresh; lgrun 2 scan --no-cache --exclude 'src/[ab' . && has "not a valid glob" "$work/err"; }
p_utf8_comment() {
  fresh
  printf 'import time\n\nasync def f():\n    time.sleep(1)  # caf\xe9 \xff\n' >"$work/t/app.py"
  (cd "$work/t" && python3 -c 'import app') || { echo "CPython rejects it"; return 1; }
  lgrun 1 scan --no-cache --format json . && hasnt "decode-error" "$work/out"
}

probe "gitignore a*a*...*b does not hang" p_gitignore
probe "--exclude a*a*...*b does not hang" p_exclude
probe "FIFO on the command line: exit 2" p_fifo_path
probe "FIFO as --baseline: exit 2" p_fifo_baseline
probe "FIFO as --knowledge: exit 2" p_fifo_knowledge
probe "FIFO as --config: exit 2" p_fifo_config
probe "FIFOs in the tree are skipped" p_fifo_tree
probe "scan /no/such/path: exit 2" p_missing
probe "one of several paths missing: exit 2" p_one_missing
probe "write error on stdout: message, exit 2" p_stdout_error
probe "symlinked file out of the root is not read" p_symlink_file
probe "symlinked folder out of the root: only with --follow-symlinks" p_symlink_dir
probe ".loopguard_cache as a symlink is not written through" p_cache_symlink
probe "same-size edit with restored mtime is seen" p_cache_restored_mtime
probe "stale cache temporary files are removed" p_cache_stale_tmp
probe "hostile file name stays inert in Markdown" p_markdown_names
probe "SARIF URIs are percent-encoded (RFC 3986)" p_sarif_uri
probe "19 MB one-line list literal: <= 500 MB" p_big_literal
probe "review applies a CRLF diff GNU patch applies" p_review_crlf
probe "review: malformed hunk header exits 2" p_review_bad_hunk
probe "unclosed 'loopguard: ignore[' silences nothing" p_unclosed_ignore
probe "two formats to one file: exit 2" p_two_formats
probe "--threads 0: exit 2" p_threads0
probe "--root /missing: exit 2" p_root_missing
probe "unparsable glob: exit 2" p_bad_glob
probe "invalid UTF-8 in a comment decodes as CPython" p_utf8_comment

if [ "$failures" -gt 0 ]; then
  echo "$failures probe(s) failed"
  exit 1
fi
echo "all probes passed"
