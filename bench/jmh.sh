#!/usr/bin/env bash
# JMH benchmarks of the lexer, parser, lowering and whole-program analysis on a fixed corpus
# (default bench/corpus/stdlib; run bench/corpus.sh first). Builds bench/jmh with the root pom's
# `jmh` profile into target-bench folders, then runs JMH; arguments go to JMH, e.g.
#   bench/jmh.sh                       # everything (a few minutes)
#   bench/jmh.sh ParserBench -f 1 -wi 3 -i 5
#   LG_CORPUS=bench/corpus/debian bench/jmh.sh LexerBench
# Results: ops/s = corpus passes per second; the ":bytes" rows are source bytes per second
# (divide by 1e6 for MB/s); every benchmark runs on one thread (per-core figures).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
jar="$here/jmh/target-bench/benchmarks.jar"
if [ "${BUILD:-1}" = 1 ]; then
  (cd "$repo" && mvn -q -B -Pjmh -Dlg.build=target-bench -DskipTests -pl bench/jmh -am package) >&2
fi
corpus="${LG_CORPUS:-$here/corpus/stdlib}"
mkdir -p "$here/out"
java -Dlg.corpus="$corpus" -jar "$jar" -rf json -rff "$here/out/jmh.json" "$@" | tee "$here/out/jmh.txt"
python3 - "$here/out/jmh.json" <<'PY' || true
import json, sys
for r in json.load(open(sys.argv[1])):
    b = r.get("secondaryMetrics", {}).get("bytes")
    if b:
        print(f"{r['benchmark'].split('.')[-2]}.{r['benchmark'].split('.')[-1]}: {b['score'] / 1e6:.1f} MB/s per core")
PY
