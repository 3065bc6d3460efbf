#!/usr/bin/env bash
# Builds the benchmark corpora under bench/corpus/ (gitignored; nothing third-party is committed):
#   stdlib         the CPython standard library of the python3 on PATH (found via sysconfig),
#                  without its site-packages
#   site-packages  that python3's site-packages (purelib)
#   debian         real async Python code from Debian's packages (../shared/corpus/debian-python.sh)
#
#   bench/corpus.sh [stdlib] [site-packages] [debian]     # default: all three
#
# Each corpus is a copy of the .py files only, with the folders loopguard's walker skips
# (virtualenvs, build output, __pycache__, ...) left out, so that loopguard (which walks the
# folder) and Ruff (which is given bench/corpus/NAME.files) see exactly the same files.
# Re-running refreshes a corpus. Set PYTHON=... to use another interpreter.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$here/corpus"
py="${PYTHON:-python3}"
mkdir -p "$out"

# Folder names loopguard never walks into (FileWalker.SKIP_DIRS + PythonFrontend.IGNORED).
skip_dirs=(.git .hg .svn node_modules .idea .vscode .loopguard_cache target .gradle .cache
  venv .venv virtualenv .virtualenv __pycache__ __pypackages__ .tox .nox .mypy_cache
  .pytest_cache .ruff_cache .pytype .hypothesis .ipynb_checkpoints site-packages .eggs build dist)

# copy_py SRC DEST: copies SRC's .py files (regular files, symlinks resolved) into DEST.
copy_py() {
  local src="$1" dest="$2"
  rm -rf "$dest"
  mkdir -p "$dest"
  local prune=()
  for d in "${skip_dirs[@]}"; do prune+=(-name "$d" -o); done
  prune+=(-name '*.egg-info')
  (cd "$src" && find . -mindepth 1 -type d \( "${prune[@]}" \) -prune -o \
      -name '*.py' \( -type f -o -type l \) -print0 \
    | tar --null --dereference -T - -cf - 2>/dev/null) | tar -xf - -C "$dest"
}

# prune_like_loopguard DIR: removes from DIR what the walker would skip (for corpora made elsewhere).
prune_like_loopguard() {
  local dir="$1"
  local expr=()
  for d in "${skip_dirs[@]}"; do expr+=(-name "$d" -o); done
  expr+=(-name '*.egg-info' -o -name pyvenv.cfg)
  find "$dir" -mindepth 1 \( "${expr[@]}" \) -prune -exec rm -rf {} + 2>/dev/null || true
  find "$dir" -name '.gitignore' -delete 2>/dev/null || true
}

# list_files NAME: writes bench/corpus/NAME.files (sorted, one absolute path a line) and prints a summary.
list_files() {
  local name="$1"
  (cd "$out/$name" && find "$PWD" -name '*.py' -type f | LC_ALL=C sort) > "$out/$name.files"
  local files lines bytes
  files=$(wc -l < "$out/$name.files")
  lines=$(tr '\n' '\0' < "$out/$name.files" | xargs -0 cat | wc -l)
  bytes=$(tr '\n' '\0' < "$out/$name.files" | xargs -0 cat | wc -c)
  echo "$name: $files files, $lines lines, $((bytes / 1024 / 1024)) MB ($out/$name)"
}

want=("$@")
[ ${#want[@]} -eq 0 ] && want=(stdlib site-packages debian)
for c in "${want[@]}"; do
  case "$c" in
    stdlib)
      src=$("$py" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
      copy_py "$src" "$out/stdlib"
      "$py" -c 'import sys; print(sys.version.split()[0])' > "$out/stdlib.version"
      ;;
    site-packages)
      src=$("$py" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
      copy_py "$src" "$out/site-packages"
      ;;
    debian)
      shared="$here/../../shared/corpus/debian-python.sh"
      [ -f "$shared" ] || shared="$here/../shared/corpus/debian-python.sh"
      if [ ! -f "$shared" ]; then
        echo "corpus.sh: debian-python.sh not found (expected ../shared/corpus/ beside the checkout)" >&2
        exit 2
      fi
      rm -rf "$out/debian"
      bash "$shared" "$out/debian" >/dev/null
      rm -rf "$out/debian/.debs"
      prune_like_loopguard "$out/debian"
      ;;
    *) echo "corpus.sh: unknown corpus $c (stdlib, site-packages, debian)" >&2; exit 2 ;;
  esac
  list_files "$c"
done
