#!/bin/sh
# bin/loopguard of a loopguard distribution (made by `./loopguard dist`): runs the bundled Java
# runtime on the bundled jar, with the launcher's JVM options (lib/jvm-options.sh), the class-data
# archive (lib/loopguard.jsa) and the parsed knowledge packs (lib/loopguard.facts). Needs no JDK,
# no Maven and no JAVA_HOME; a symbolic link to this file (e.g. in /usr/local/bin) works too.
# LOOPGUARD_JAVA_OPTS adds JVM options after these; LOOPGUARD_CDS=0 and
# LOOPGUARD_KNOWLEDGE_SNAPSHOT=0 turn the archive and the snapshot off.
set -eu

# This script's own folder, following symbolic links to it.
self="$0"
case "$self" in */*) ;; *) self="$(command -v -- "$self")" ;; esac
while [ -h "$self" ]; do
  link="$(readlink "$self")"
  case "$link" in
    /*) self="$link" ;;
    *) self="$(dirname "$self")/$link" ;;
  esac
done
home="$(cd "$(dirname "$self")/.." && pwd -P)"

java="$home/runtime/bin/java"
jar="$home/lib/loopguard.jar"
if [ ! -x "$java" ] || [ ! -f "$jar" ]; then
  echo "loopguard: the distribution in $home is incomplete (runtime/bin/java or lib/loopguard.jar is missing)" >&2
  exit 2
fi

# shellcheck source=../jvm-options.sh
. "$home/lib/jvm-options.sh"
options="$(loopguard_jvm_option_list "${LOOPGUARD_JAVA_OPTS:-}")"

# Runs (or, with "exec" first, execs) the bundled java with the JVM options, then the arguments.
# The command line is built in "$@" (the only array of a POSIX shell): the options are appended
# after the arguments, which are then moved, one by one, behind them.
java_with_options() {
  mode="$1"
  shift
  count=$#
  set -f
  old_ifs="$IFS"
  IFS='
'
  for option in $options; do
    set -- "$@" "$option"
  done
  IFS="$old_ifs"
  set +f
  while [ "$count" -gt 0 ]; do
    set -- "$@" "$1"
    shift
    count=$((count - 1))
  done
  if [ "$mode" = exec ]; then
    exec "$java" "$@"
  fi
  "$java" "$@"
}

# The class-data archive of the classes a scan loads (lib/loopguard.classlist, from a training scan
# when the distribution was built). A JDK 17 archive names the jar by its absolute path and the JVM
# ignores it anywhere else, so it is made for this folder on the first run here (about a second),
# in lib/ or, when that is read-only, in the user's cache; loopguard.jsa.for names the jar it is for.
cds=""
if [ "${LOOPGUARD_CDS:-1}" = 1 ] && [ -f "$home/lib/loopguard.classlist" ]; then
  cache="${XDG_CACHE_HOME:-${HOME:-/nonexistent}/.cache}/loopguard"
  key="$(printf '%s' "$jar" | cksum | cut -d ' ' -f 1)"
  for candidate in "$home/lib/loopguard.jsa" "$cache/loopguard-$key.jsa"; do
    if [ -f "$candidate" ] && [ "$(cat "$candidate.for" 2>/dev/null || true)" = "$jar" ]; then
      cds="$candidate"
      break
    fi
  done
  if [ -z "$cds" ]; then
    for candidate in "$home/lib/loopguard.jsa" "$cache/loopguard-$key.jsa"; do
      dir="$(dirname "$candidate")"
      mkdir -p "$dir" 2>/dev/null || continue
      [ -w "$dir" ] || continue
      tmp="$candidate.$$.tmp"
      if java_with_options run -Xshare:dump -XX:SharedClassListFile="$home/lib/loopguard.classlist" \
          -XX:SharedArchiveFile="$tmp" -cp "$jar" >/dev/null 2>&1 && [ -s "$tmp" ] \
          && printf '%s\n' "$jar" >"$candidate.for" && mv -f "$tmp" "$candidate"; then
        cds="$candidate"
        break
      fi
      rm -f "$tmp"
    done
  fi
fi

set -- -jar "$jar" "$@"
if [ -n "$cds" ]; then
  set -- "-XX:SharedArchiveFile=$cds" "$@"
fi
if [ "${LOOPGUARD_KNOWLEDGE_SNAPSHOT:-1}" = 1 ] && [ -f "$home/lib/loopguard.facts" ]; then
  set -- "-Dloopguard.knowledge.snapshot=$home/lib/loopguard.facts" "$@"
fi
java_with_options exec "$@"
