#!/usr/bin/env bash
# CPython differential parse check over the benchmark corpora (default: bench/corpus/stdlib and
# bench/corpus/debian; run bench/corpus.sh first): every file CPython's ast.parse accepts must
# parse without error with the same counts of functions, async functions, calls (and their
# positions), awaits, classes, imports and lambdas; every file it rejects must get a syntax error.
#   bench/difftest.sh [DIR...]        PYTHON=python3.13 bench/difftest.sh   (oracle interpreter)
# Disagreements go to bench/out/difftest.txt. The same check over the machine's stdlib runs in
# `mvn verify` (CpythonDifferentialTest).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
py="${PYTHON:-python3}"
mkdir -p "$here/out"
dirs=("$@")
if [ ${#dirs[@]} -eq 0 ]; then
  for c in stdlib debian; do [ -d "$here/corpus/$c" ] && dirs+=("$here/corpus/$c"); done
fi
[ ${#dirs[@]} -gt 0 ] || { echo "difftest.sh: no corpus; run bench/corpus.sh" >&2; exit 2; }
cd "$repo"
mvn -q -o -B -Dlg.build=target-bench -DskipTests -pl core,lang-python -am test-compile >&2 \
  || mvn -q -B -Dlg.build=target-bench -DskipTests -pl core,lang-python -am test-compile >&2
cp="$here/out/difftest.classpath"
mvn -q -o -B -Dlg.build=target-bench -pl lang-python dependency:build-classpath -Dmdep.outputFile="$cp" >&2
java -Xss64m -cp "lang-python/target-bench/test-classes:lang-python/target-bench/classes:core/target-bench/classes:$(cat "$cp")" \
  dev.loopguard.python.parse.CorpusDiff "$py" "$here/out/difftest.txt" "${dirs[@]}"
