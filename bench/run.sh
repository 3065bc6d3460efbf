#!/usr/bin/env bash
# Whole-program benchmark: loopguard `scan` cold (fresh JVM, empty cache), warm (fresh JVM,
# cache from the cold run, nothing changed) and after a one-file edit (fresh JVM, warm cache, one
# file in the middle of the list gains a line), and Ruff's WebAssembly build with the ASYNC rules
# on the same files, in the same invocation. One row per corpus.
#
#   bench/corpus.sh                 # once: builds bench/corpus/{stdlib,site-packages,debian}
#   bench/run.sh [CORPUS...]        # default: every corpus present under bench/corpus/
#
# Environment:
#   REPEAT=N        runs each measurement N times and reports the median wall time (default 1)
#   LG_JAR=FILE     the loopguard jar (default: cli/target-bench/loopguard.jar, built with
#                   `mvn -Dlg.build=target-bench -DskipTests -pl cli -am package` when missing
#                   or older than the sources; BUILD=0 skips that)
#   LG_JAVA_OPTS    JVM options (default: the launcher's, see ../loopguard); LG_CDS=0: no AppCDS archive
#   LG_ARGS         extra `scan` arguments (e.g. --threads 1)
#   NO_RUFF=1       skips the Ruff run
#
# Columns: files and lines as loopguard counted them (Ruff's counts are checked against them),
# wall seconds, lines per second and peak RSS (/usr/bin/time -v) of each run, and the ratio of
# loopguard's cold wall time to Ruff's. Results also go to bench/out/run-<time>.txt.
# Wall times on a shared machine are noisy: use REPEAT=3 and a quiet machine for numbers you quote.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
corpora_dir="$here/corpus"
outdir="$here/out"
mkdir -p "$outdir"
repeat="${REPEAT:-1}"
jar="${LG_JAR:-$repo/cli/target-bench/loopguard.jar}"
# The launcher's JVM options (../cli/jvm-options.sh), and an AppCDS archive as it makes one.
# shellcheck source=../cli/jvm-options.sh
. "$repo/cli/jvm-options.sh"
loopguard_jvm_options
java_opts="${LG_JAVA_OPTS:-${LOOPGUARD_JVM_OPTS[*]}}"
timebin=/usr/bin/time
[ -x "$timebin" ] || { echo "run.sh: needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 2; }

if [ "${BUILD:-1}" = 1 ] && [ -z "${LG_JAR:-}" ]; then
  # shellcheck source=build-jar.sh
  . "$here/build-jar.sh"
  bench_jar "$repo"
fi
[ -f "$jar" ] || { echo "run.sh: no jar at $jar" >&2; exit 2; }
# As the launcher does: the built-in knowledge packs parsed once, beside the jar.
java_opts="$java_opts -Dloopguard.knowledge.snapshot=${jar%.jar}.facts"
if [ "${LG_CDS:-1}" = 1 ]; then
  # As the launcher does: a class-data archive from a training scan, remade after each build.
  cds="${jar%.jar}.jsa"
  if [ ! -f "$cds" ] || [ "$jar" -nt "$cds" ]; then
    # A static archive, as the launcher makes (it holds picocli's old class files too).
    # shellcheck disable=SC2086
    java $java_opts -XX:DumpLoadedClassList="$cds.classes" -jar "$jar" scan --no-cache --format json \
      --no-timing --no-progress "$repo/lang-python/src/test/resources/fixtures" >/dev/null 2>&1 || true
    # shellcheck disable=SC2086
    [ -s "$cds.classes" ] && java $java_opts -Xshare:dump -XX:SharedClassListFile="$cds.classes" \
      -XX:SharedArchiveFile="$cds" -cp "$jar" >/dev/null 2>&1 || true
    rm -f "$cds.classes"
  fi
  [ -f "$cds" ] && java_opts="$java_opts -XX:SharedArchiveFile=$cds"
fi

ruff_ok=0
if [ "${NO_RUFF:-0}" != 1 ]; then
  if command -v node >/dev/null && command -v npm >/dev/null; then
    if [ ! -d "$here/ruff/node_modules/@astral-sh/ruff-wasm-nodejs" ]; then
      echo "run.sh: npm install (bench/ruff)" >&2
      (cd "$here/ruff" && npm install --no-audit --no-fund --no-package-lock --loglevel=error) >&2 || true
    fi
    [ -d "$here/ruff/node_modules/@astral-sh/ruff-wasm-nodejs" ] && ruff_ok=1
  fi
  [ "$ruff_ok" = 1 ] || echo "run.sh: Node/npm or the Ruff package unavailable; no Ruff column" >&2
fi

corpora=("$@")
if [ ${#corpora[@]} -eq 0 ]; then
  for c in stdlib site-packages debian; do
    [ -f "$corpora_dir/$c.files" ] && corpora+=("$c")
  done
fi
[ ${#corpora[@]} -gt 0 ] || { echo "run.sh: no corpus; run bench/corpus.sh first" >&2; exit 2; }

# measure LABEL CMD...: runs CMD under /usr/bin/time -v; sets WALL (s), RSS (MB), leaves stdout in $outdir/LABEL.out
measure() {
  local label="$1"; shift
  local t="$outdir/$label.time"
  local rc=0
  "$timebin" -v -o "$t" "$@" > "$outdir/$label.out" 2> "$outdir/$label.err" || rc=$?
  WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; printf "%.2f", s}' "$t")
  RSS=$(awk -F': ' '/Maximum resident set size/ {printf "%d", $2/1024}' "$t")
  RC=$rc
}

# median of the arguments
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

ts=$(date -u +%Y%m%dT%H%M%SZ)
report="$outdir/run-$ts.txt"
{
  echo "# loopguard bench $ts on $(nproc) cores, load $(cut -d" " -f1-3 /proc/loadavg); $(java -version 2>&1 | head -1); REPEAT=$repeat"
  echo "# JVM: $java_opts"
  [ -f "$corpora_dir/stdlib.version" ] && echo "# stdlib of Python $(cat "$corpora_dir/stdlib.version")"
  [ "$ruff_ok" = 1 ] && echo "# Ruff $(node -e "console.log(require('$here/ruff/node_modules/@astral-sh/ruff-wasm-nodejs').Workspace.version())") (WebAssembly, Node $(node -v)), ASYNC rules"
  printf '%-14s %7s %9s | %8s %9s %7s | %8s %7s | %8s %7s | %8s %7s | %6s\n' corpus files lines \
    "cold s" "lines/s" "RSS MB" "warm s" "RSS MB" "edit s" "RSS MB" "ruff s" "RSS MB" "lg/ruff"
} | tee "$report"

for c in "${corpora[@]}"; do
  dir="$corpora_dir/$c"
  list="$corpora_dir/$c.files"
  [ -d "$dir" ] && [ -f "$list" ] || { echo "run.sh: no corpus $c; run bench/corpus.sh $c" >&2; continue; }
  colds=(); warms=(); edits=(); ruffs=(); cold_rss=0; warm_rss=0; edit_rss=0; ruff_rss=0
  edited="$(sed -n "$(( ($(wc -l < "$list") + 1) / 2 ))p" "$list")"
  case "$edited" in /*) ;; *) edited="$dir/$edited" ;; esac
  backup="$outdir/$c.edited.bak"
  for ((i = 0; i < repeat; i++)); do
    rm -rf "$dir/.loopguard_cache"
    # shellcheck disable=SC2086
    measure "$c.cold" java $java_opts -jar "$jar" scan --format json --no-timing ${LG_ARGS:-} "$dir"
    [ "$RC" -le 1 ] || { echo "run.sh: loopguard failed on $c (exit $RC); see $outdir/$c.cold.err" >&2; tail -5 "$outdir/$c.cold.err" >&2; }
    colds+=("$WALL"); [ "$RSS" -gt "$cold_rss" ] && cold_rss=$RSS
    # shellcheck disable=SC2086
    measure "$c.warm" java $java_opts -jar "$jar" scan --format json --no-timing ${LG_ARGS:-} "$dir"
    warms+=("$WALL"); [ "$RSS" -gt "$warm_rss" ] && warm_rss=$RSS
    if ! cmp -s "$outdir/$c.cold.out" "$outdir/$c.warm.out"; then
      echo "run.sh: $c: cold and warm reports differ ($outdir/$c.{cold,warm}.out)" >&2
    fi
    cp -p "$edited" "$backup"
    printf '\n# edited by bench/run.sh\n' >> "$edited"
    # shellcheck disable=SC2086
    measure "$c.edit" java $java_opts -jar "$jar" scan --format json --no-timing ${LG_ARGS:-} "$dir"
    cp -p "$backup" "$edited"
    edits+=("$WALL"); [ "$RSS" -gt "$edit_rss" ] && edit_rss=$RSS
    if [ "$ruff_ok" = 1 ]; then
      measure "$c.ruff" node "$here/ruff/ruff-async.js" "$list"
      ruffs+=("$WALL"); [ "$RSS" -gt "$ruff_rss" ] && ruff_rss=$RSS
    fi
  done
  read -r files lines < <(python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["stats"]; print(s["files"], s["lines"])' "$outdir/$c.cold.out" 2>/dev/null || echo "? ?")
  listed=$(wc -l < "$list")
  [ "$files" = "$listed" ] || echo "run.sh: $c: loopguard scanned $files files, the list has $listed" >&2
  cold=$(median "${colds[@]}"); warm=$(median "${warms[@]}"); edit=$(median "${edits[@]}")
  lps() { awk -v l="$lines" -v s="$1" 'BEGIN { if (s > 0 && l ~ /^[0-9]+$/) printf "%d", l / s; else print "-" }'; }
  if [ "$ruff_ok" = 1 ]; then
    ruff=$(median "${ruffs[@]}")
    ratio=$(awk -v a="$cold" -v b="$ruff" 'BEGIN { printf "%.2f", a / b }')
  else
    ruff="-"; ruff_rss="-"; ratio="-"
  fi
  printf '%-14s %7s %9s | %8s %9s %7s | %8s %7s | %8s %7s | %8s %7s | %6s\n' "$c" "$files" "$lines" \
    "$cold" "$(lps "$cold")" "$cold_rss" "$warm" "$warm_rss" "$edit" "$edit_rss" "$ruff" "$ruff_rss" "$ratio" | tee -a "$report"
done
echo "# lg/ruff: loopguard cold wall time / Ruff wall time (target <= 0.5). Report: $report" | tee -a "$report"
