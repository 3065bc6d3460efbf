#!/usr/bin/env bash
# Incremental scans against full scans: copies a corpus, scans it once with the cache, then applies
# random edits one after another (seeded) and after each compares the JSON report of a scan with
# the cache (which re-resolves only folders that depend on the edit) with a scan without it. They
# must be byte-identical. Prints one line per edit: the edit, the file, SAME or DIFF, and the wall
# time of both scans.
#
#   bench/incremental.sh [CORPUS] [EDITS] [SEED]    # default: stdlib 12 1
#
# Environment: LG_JAR, LG_JAVA_OPTS as for bench/run.sh. Exits 1 when any edit gave a difference.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
corpus="${1:-stdlib}"
edits="${2:-12}"
seed="${3:-1}"
jar="${LG_JAR:-$repo/cli/target-bench/loopguard.jar}"
# shellcheck source=../cli/jvm-options.sh
. "$repo/cli/jvm-options.sh"
loopguard_jvm_options
java_opts="${LG_JAVA_OPTS:-${LOOPGUARD_JVM_OPTS[*]}}"
src="$here/corpus/$corpus"
[ -d "$src" ] || { echo "incremental.sh: no corpus at $src (run bench/corpus.sh)" >&2; exit 2; }
if [ -z "${LG_JAR:-}" ]; then
  # shellcheck source=build-jar.sh
  . "$here/build-jar.sh"
  bench_jar "$repo"
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tree="$work/tree"
cp -r "$src" "$tree"
rm -rf "$tree/.loopguard_cache"

scan() { # scan OUT [ARGS...]: wall seconds on stdout
  local out="$1"; shift
  local t0 t1
  t0=$(date +%s.%N)
  # shellcheck disable=SC2086
  java $java_opts -jar "$jar" scan --format json --no-timing --no-progress --fail-on never "$@" "$tree" > "$out" 2>/dev/null
  t1=$(date +%s.%N)
  echo "$t0 $t1" | awk '{printf "%.2f", $2 - $1}'
}

echo "cold scan with the cache: $(scan "$work/cold.json") s"
diffs=0
for i in $(seq 1 "$edits"); do
  what=$(python3 - "$tree" "$seed" "$i" <<'EOF'
import os, random, sys
tree, seed, i = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rnd = random.Random(seed * 1000 + i)
files = sorted(os.path.relpath(os.path.join(d, f), tree)
               for d, _, fs in os.walk(tree) if ".loopguard_cache" not in d
               for f in fs if f.endswith(".py"))
def modname(rel):
    parts = rel[:-3].split(os.sep)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)
f = rnd.choice(files)
path = os.path.join(tree, f)
kind = rnd.choice(["blocking-helper", "async-caller", "comment-at-top", "rebind", "delete",
                   "new-module"])
if kind == "blocking-helper":
    with open(path, "a") as out:
        out.write("\n\ndef _lg_helper_%d():\n    import time\n    time.sleep(1)\n" % i)
elif kind == "async-caller":
    other = modname(rnd.choice(files))
    with open(path, "a") as out:
        out.write("\n\nasync def _lg_caller_%d():\n    import %s\n    %s.main()\n    _lg_helper_%d()\n"
                  % (i, other, other, i - 1))
elif kind == "comment-at-top":
    with open(path, encoding="utf-8", errors="surrogateescape") as fh:
        text = fh.read()
    with open(path, "w", encoding="utf-8", errors="surrogateescape") as fh:
        fh.write("# edited by bench/incremental.sh\n" + text)
elif kind == "rebind":
    with open(path, "a") as out:
        out.write("\n\nimport time as _lg_time\nmain = _lg_time.sleep\nopen = _lg_time.sleep\n")
elif kind == "delete":
    os.remove(path)
else:
    other = modname(rnd.choice(files))
    new = os.path.join(os.path.dirname(path), "_lg_new_%d.py" % i)
    with open(new, "w") as out:
        out.write("import %s\n\nasync def handler():\n    %s.main()\n" % (other, other))
    f = os.path.relpath(new, tree)
print(kind, f)
EOF
)
  sleep 0.01
  t_inc=$(scan "$work/inc.json")
  t_full=$(scan "$work/full.json" --no-cache)
  if cmp -s "$work/inc.json" "$work/full.json"; then same=SAME; else same=DIFF; diffs=$((diffs + 1)); fi
  printf '%-3s %-44s %s  with cache %6s s  without %6s s\n' "$i" "$what" "$same" "$t_inc" "$t_full"
done
echo "$diffs of $edits edits differed"
[ "$diffs" = 0 ]
