# JVM options for running loopguard's jar, shared by ./loopguard and the benchmarks in bench/.
# Source it, then call `loopguard_jvm_options [EXTRA_OPTIONS]`: it sets the array
# LOOPGUARD_JVM_OPTS. EXTRA_OPTIONS (a string, e.g. $LOOPGUARD_JAVA_OPTS) goes last, so it wins;
# when it sizes the heap itself (-Xmx, -Xmn, ...), the heap options below are left out.
#
# Measured with bench/run.sh on 2 cores (issue 6):
# - the parallel collector: the serial one spent 3 of 9 s of a stdlib scan copying the growing IR
#   between small generations;
# - objects that survive one collection are promoted: the IR lives to the end of a scan, and
#   copying it between survivor spaces is waste;
# - C1 only (-XX:TieredStopAtLevel=1): C2's compilations cost more than they return on a scan's
#   few seconds on 2 cores (a stdlib scan took 7.5 s with them, 3.5 s without);
# - the heap starts at its maximum size (a quarter of the memory, the JVM's default maximum),
#   which only reserves it: pages are used as objects are promoted. Otherwise the old generation
#   grows by full collections, which cost 1.8 and 2.5 s of a 15.5 s scan of 3.7 million lines;
# - a young generation of a fixed 128 MB (a quarter of the heap when that is smaller): left to
#   itself it grew to gigabytes, which is memory the scan does not need (the same scan peaked at
#   2.4 GB; with these two options at 1.0 GB and took 12-13 s). 128 MB and 256 MB took the same
#   time on the stdlib and on site-packages; 96 MB was slower.
loopguard_jvm_options() {
  local extra="${1:-}"
  LOOPGUARD_JVM_OPTS=(-Xss8m -XX:+UseParallelGC -XX:MaxTenuringThreshold=1 -XX:InitialTenuringThreshold=1
    -XX:TieredStopAtLevel=1 -Xlog:disable -Xlog:all=warning:stderr)
  if ! [[ " $extra" =~ [[:space:]]-(Xmx|Xmn|Xms|XX:(Max|Initial|Min)?(RAM|HeapSize|NewSize|RAMPercentage|NewRatio)) ]]; then
    local memory young
    memory="$(loopguard_memory_bytes)"
    if [ -n "$memory" ]; then
      young=$((memory / 4 / 4 / 1048576))
      [ "$young" -gt 128 ] && young=128
      if [ "$young" -ge 16 ]; then
        LOOPGUARD_JVM_OPTS+=(-XX:InitialRAMPercentage=25 "-Xmn${young}m")
      fi
    fi
  fi
  if [ -n "$extra" ]; then
    # shellcheck disable=SC2206
    LOOPGUARD_JVM_OPTS+=($extra)
  fi
}

# The memory the JVM sizes its heap from: the machine's, or the container's limit when lower.
# Empty when unknown (then the JVM's defaults apply).
loopguard_memory_bytes() {
  local memory="" limit f
  if [ -r /proc/meminfo ]; then
    memory="$(awk '/^MemTotal:/ {printf "%.0f", $2 * 1024}' /proc/meminfo)"
  elif command -v sysctl >/dev/null 2>&1; then
    memory="$(sysctl -n hw.memsize 2>/dev/null || true)"
  fi
  for f in /sys/fs/cgroup/memory.max /sys/fs/cgroup/memory/memory.limit_in_bytes; do
    if [ -r "$f" ]; then
      limit="$(cat "$f" 2>/dev/null || true)"
      if [[ "$limit" =~ ^[0-9]+$ ]] && [ ${#limit} -lt 19 ] && { [ -z "$memory" ] || [ "$limit" -lt "$memory" ]; }; then
        memory="$limit"
      fi
    fi
  done
  [[ "$memory" =~ ^[0-9]+$ ]] && echo "$memory"
  return 0
}
