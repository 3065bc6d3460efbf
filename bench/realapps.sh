#!/usr/bin/env bash
# Rebuilds the development corpus of real async applications (issue 17) under
# bench/corpus/realapps/<owner>+<name>/ from the pinned commits in bench/realapps.txt.
# Each application is a `git archive` of its pinned commit (Python sources and the
# files that declare the project; some mirrors lack their large binaries) out of the bare mirror in
# $MIRROR (default /work/.mirror/<owner>+<name>/repo). Nothing third-party is committed:
# bench/corpus/ is gitignored.
#
#   bench/realapps.sh            # rebuild every application whose mirror is there
#   bench/realapps.sh NAME...    # only these (owner/name)
#
# A missing mirror or commit is reported with the repository to fetch (the `fetch` tool:
# github:<owner>/<name>); the script exits 1 when any application could not be built.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mirror="${MIRROR:-/work/.mirror}"
out="$here/corpus/realapps"
mkdir -p "$out"
want=("$@")
missing=0
while read -r repo commit kind; do
  case "$repo" in ''|'#'*) continue ;; esac
  if [ ${#want[@]} -gt 0 ] && [[ ! " ${want[*]} " == *" $repo "* ]]; then continue; fi
  git_dir="$mirror/${repo/\//+}/repo"
  dest="$out/${repo/\//+}"
  if [ ! -d "$git_dir" ]; then
    echo "realapps: $repo: no mirror at $git_dir; fetch github:$repo first" >&2
    missing=1; continue
  fi
  if ! git --git-dir="$git_dir" cat-file -e "$commit^{commit}" 2>/dev/null; then
    echo "realapps: $repo: commit $commit is not in $git_dir; fetch github:$repo again" >&2
    missing=1; continue
  fi
  rm -rf "$dest"; mkdir -p "$dest"
  # Python sources and the files that declare the project (some mirrors lack large binaries).
  git --git-dir="$git_dir" ls-tree -r -z --name-only "$commit" \
    | grep -zE '(\.py|\.toml|\.cfg|(^|/)\.gitignore)$' \
    | xargs -0 -r git --git-dir="$git_dir" archive "$commit" -- 2> >(grep -v "invalid object" >&2) \
    | tar -x -C "$dest"
  files=$(find "$dest" -name '*.py' -type f | wc -l)
  lines=$(find "$dest" -name '*.py' -type f -print0 | xargs -0 cat 2>/dev/null | wc -l)
  printf '%-40s %s %-28s %5d files %7d lines\n' "$repo" "${commit:0:12}" "$kind" "$files" "$lines"
done < "$here/realapps.txt"
exit "$missing"
