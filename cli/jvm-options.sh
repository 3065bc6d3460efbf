# JVM options for running loopguard's jar, shared by ./loopguard, the benchmarks in bench/ and the
# distribution's bin/loopguard (which copies this file to lib/jvm-options.sh). POSIX sh.
#
# `loopguard_jvm_option_list [EXTRA_OPTIONS]` prints the options, one a line. EXTRA_OPTIONS (a
# string, e.g. $LOOPGUARD_JAVA_OPTS, split into words) goes last, so it wins; when it sizes the heap
# itself (-Xmx, -Xmn, ...), the heap options below are left out. In bash,
# `loopguard_jvm_options [EXTRA_OPTIONS]` sets the array LOOPGUARD_JVM_OPTS to the same list.
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
loopguard_jvm_option_list() {
  _lg_extra="${1:-}"
  printf '%s\n' -Xss8m -XX:+UseParallelGC -XX:MaxTenuringThreshold=1 -XX:InitialTenuringThreshold=1 \
    -XX:TieredStopAtLevel=1 -Xlog:disable -Xlog:all=warning:stderr
  # The words of EXTRA_OPTIONS, without expanding globs in them.
  case $- in *f*) _lg_noglob=1 ;; *) _lg_noglob=0; set -f ;; esac
  _lg_sized=0
  for _lg_word in $_lg_extra; do
    case "$_lg_word" in
      -Xmx* | -Xmn* | -Xms* | -XX:RAM* | -XX:MaxRAM* | -XX:InitialRAM* | -XX:MinRAM* \
        | -XX:HeapSize* | -XX:MaxHeapSize* | -XX:InitialHeapSize* | -XX:MinHeapSize* \
        | -XX:NewSize* | -XX:MaxNewSize* | -XX:InitialNewSize* | -XX:MinNewSize* \
        | -XX:NewRatio* | -XX:MaxNewRatio* | -XX:InitialNewRatio* | -XX:MinNewRatio*) _lg_sized=1 ;;
    esac
  done
  if [ "$_lg_sized" = 0 ]; then
    _lg_memory="$(loopguard_memory_bytes)"
    if [ -n "$_lg_memory" ]; then
      _lg_young=$((_lg_memory / 4 / 4 / 1048576))
      [ "$_lg_young" -gt 128 ] && _lg_young=128
      if [ "$_lg_young" -ge 16 ]; then
        printf '%s\n' -XX:InitialRAMPercentage=25 "-Xmn${_lg_young}m"
      fi
    fi
  fi
  for _lg_word in $_lg_extra; do
    printf '%s\n' "$_lg_word"
  done
  [ "$_lg_noglob" = 1 ] || set +f
  return 0
}

# The memory the JVM sizes its heap from: the machine's, or the container's limit when lower.
# Empty when unknown (then the JVM's defaults apply).
loopguard_memory_bytes() {
  _lg_mem=""
  if [ -r /proc/meminfo ]; then
    _lg_mem="$(awk '/^MemTotal:/ {printf "%.0f", $2 * 1024}' /proc/meminfo)"
  elif command -v sysctl >/dev/null 2>&1; then
    _lg_mem="$(sysctl -n hw.memsize 2>/dev/null || true)"
  fi
  for _lg_f in /sys/fs/cgroup/memory.max /sys/fs/cgroup/memory/memory.limit_in_bytes; do
    if [ -r "$_lg_f" ]; then
      _lg_limit="$(cat "$_lg_f" 2>/dev/null || true)"
      # a number of fewer than 19 digits ("max" and the cgroup v1 "no limit" value are not limits)
      case "$_lg_limit" in
        '' | *[!0-9]*) ;;
        *) if [ ${#_lg_limit} -lt 19 ] && { [ -z "$_lg_mem" ] || [ "$_lg_limit" -lt "$_lg_mem" ]; }; then
             _lg_mem="$_lg_limit"
           fi ;;
      esac
    fi
  done
  case "$_lg_mem" in
    '' | *[!0-9]*) ;;
    *) echo "$_lg_mem" ;;
  esac
  return 0
}

if [ -n "${BASH_VERSION:-}" ]; then
  # bash only (arrays): eval keeps this out of a POSIX shell's parser.
  eval 'loopguard_jvm_options() { mapfile -t LOOPGUARD_JVM_OPTS < <(loopguard_jvm_option_list "${1:-}"); }'
fi
