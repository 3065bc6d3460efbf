#!/usr/bin/env bash
# `./loopguard dist`: builds a distribution that needs no JDK, no Maven and no JAVA_HOME:
#   dist/loopguard-<version>/                     bin/loopguard (POSIX sh), lib/ (the jar, the
#                                                 class-data archive, the knowledge snapshot, the
#                                                 JVM options), runtime/ (made with jlink)
#   dist/loopguard-<version>-<os>-<arch>.tar.gz   that folder, packed
# Usage: cli/dist/build.sh JAR [--output DIR]. The launcher calls it with the jar it has just
# brought up to date. Needs a JDK 17+ with jmods (jdeps, jlink) on the PATH or in JAVA_HOME.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
jar="${1:?usage: build.sh JAR [--output DIR]}"
shift
out="$repo/dist"
while [ $# -gt 0 ]; do
  case "$1" in
    --output) out="${2:?--output takes a folder}"; shift 2 ;;
    --output=*) out="${1#--output=}"; shift ;;
    -h | --help)
      echo "usage: ./loopguard dist [--output DIR]   (default: dist/ in the checkout)"
      exit 0 ;;
    *) echo "loopguard dist: unknown option $1" >&2; exit 2 ;;
  esac
done

say() { echo "loopguard dist: $*" >&2; }
die() { say "$*"; exit 2; }

# The JDK's tools: from JAVA_HOME, else beside the java on the PATH.
jdk_bin=""
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/jlink" ]; then
  jdk_bin="$JAVA_HOME/bin"
elif command -v jlink >/dev/null 2>&1; then
  jdk_bin="$(dirname "$(readlink -f "$(command -v jlink)")")"
fi
[ -n "$jdk_bin" ] && [ -x "$jdk_bin/jdeps" ] || die "needs a JDK 17 or later with jlink and jdeps (set JAVA_HOME)"
jdk_home="$(dirname "$jdk_bin")"
[ -d "$jdk_home/jmods" ] || die "$jdk_home has no jmods folder: jlink needs the JDK's modules (on Debian: openjdk-17-jdk)"
[ -f "$jar" ] || die "no jar at $jar"

version="$("$jdk_bin/java" -jar "$jar" --version | awk '{print $2}')"
[ -n "$version" ] || die "could not read the version from $jar"
os="$(uname -s | tr '[:upper:]' '[:lower:]')"
case "$(uname -m)" in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=aarch64 ;;
  *) arch="$(uname -m)" ;;
esac
name="loopguard-$version"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
dir="$out/$name"
tarball="$out/$name-$os-$arch.tar.gz"
work="$out/.$name.$$.tmp"
trap 'rm -rf "$work"' EXIT
rm -rf "$work"
mkdir -p "$work/bin" "$work/lib"

# The modules the jar (its dependencies are shaded into it) uses, as jdeps finds them, plus
# jdk.charsets: Python files may declare encodings (shift_jis, euc-kr, gbk, ...) that java.base
# does not have, and a charset is looked up by name, which jdeps cannot see.
say "finding the modules the jar uses (jdeps)"
modules="$("$jdk_bin/jdeps" --ignore-missing-deps --multi-release 17 --print-module-deps "$jar")"
[ -n "$modules" ] || die "jdeps found no modules"
modules="$modules,jdk.charsets"
say "making the runtime (jlink: $modules)"
"$jdk_bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --compress=2 --output "$work/runtime"

cp "$jar" "$work/lib/loopguard.jar"
cp "$repo/cli/jvm-options.sh" "$work/lib/jvm-options.sh"
cp "$here/loopguard.sh" "$work/bin/loopguard"
chmod 755 "$work/bin/loopguard"

java="$work/runtime/bin/java"
# shellcheck source=../jvm-options.sh
. "$repo/cli/jvm-options.sh"
loopguard_jvm_options ""
opts=("${LOOPGUARD_JVM_OPTS[@]}")
fixtures="$repo/lang-python/src/test/resources/fixtures"
[ -d "$fixtures" ] || die "no training fixtures at $fixtures"

# The parsed built-in knowledge packs (KnowledgeSnapshot): written by a first scan.
say "writing the knowledge snapshot"
"$java" "${opts[@]}" -Dloopguard.knowledge.snapshot="$work/lib/loopguard.facts" -jar "$work/lib/loopguard.jar" \
  scan --no-cache --no-config --format json --no-timing --no-progress "$fixtures" >/dev/null || [ $? = 1 ]
[ -s "$work/lib/loopguard.facts" ] || die "the knowledge snapshot was not written"
chmod 644 "$work/lib/loopguard.facts"

# The classes a training scan loads (lib/loopguard.classlist), from which bin/loopguard makes a
# static class-data archive for its folder on its first run, as the launcher makes its own: an
# archive holds the jar's absolute path (JDK 17), so one made here would not serve a copy elsewhere.
say "listing the classes a scan loads"
"$java" "${opts[@]}" -Dloopguard.knowledge.snapshot="$work/lib/loopguard.facts" \
  -XX:DumpLoadedClassList="$work/lib/loopguard.classlist" -jar "$work/lib/loopguard.jar" \
  scan --no-cache --no-config --format json --no-timing --no-progress "$fixtures" >/dev/null || [ $? = 1 ]
[ -s "$work/lib/loopguard.classlist" ] || die "the class list was not written"

rm -rf "$dir" "$tarball"
mv "$work" "$dir"
tar -C "$out" -czf "$tarball" "$name"
# The unpacked folder gets its archive now (the first run would make it otherwise); the tarball has none.
LOOPGUARD_CDS=1 "$dir/bin/loopguard" --version >/dev/null
[ -s "$dir/lib/loopguard.jsa" ] || die "bin/loopguard made no class-data archive in $dir/lib"
say "built $dir"
say "built $tarball ($(du -k "$tarball" | awk '{printf "%.1f MB", $1 / 1024}'); unpacked $(du -sk "$dir" | awk '{printf "%.1f MB", $1 / 1024}'))"
echo "$tarball"
