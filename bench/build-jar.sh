# Sourced by the benchmarks: bench_jar REPO builds REPO/cli/target-bench/loopguard.jar (with
# `mvn -Dlg.build=target-bench`, so the launcher's cli/target/ is never touched) when it is
# missing or older than any source or POM. Build output goes to stderr.
bench_jar() {
  local repo="$1" jar="$1/cli/target-bench/loopguard.jar"
  if [ ! -f "$jar" ] || [ -n "$(find "$repo/pom.xml" "$repo/core/src" "$repo/lang-python/src" "$repo/cli/src" \
      "$repo/core/pom.xml" "$repo/lang-python/pom.xml" "$repo/cli/pom.xml" -newer "$jar" -print -quit)" ]; then
    echo "bench: building $jar" >&2
    (cd "$repo" && mvn -q -B -Dlg.build=target-bench -DskipTests -pl cli -am package) >&2
  fi
}
