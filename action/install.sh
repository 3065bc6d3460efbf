#!/usr/bin/env bash
# action.yml, step "Install loopguard": puts the distribution's bin/ on the PATH and names
# bin/loopguard in the step output `bin`. LG_INSTALL: build (./loopguard dist in the action's own
# folder, as a repository that vendors loopguard has it), release (the asset of the release
# LG_RELEASE, default the action's ref, of the action's repository) or auto (release when the
# action is used at a version tag, falling back to build; else build).
set -euo pipefail
action="${GITHUB_ACTION_PATH:?run me from action.yml}"
dest="${RUNNER_TEMP:-/tmp}/loopguard"
mode="${LG_INSTALL:-auto}"
tag="${LG_RELEASE:-${LG_ACTION_REF:-}}"

build() {
  # GitHub's runners keep several JDKs; the launcher needs 17 or later (with jlink and Maven).
  if ! java -version 2>&1 | grep -Eq 'version "(1[7-9]|[2-9][0-9])'; then
    for v in 17 21; do
      home_var="JAVA_HOME_${v}_X64"
      [ -n "${!home_var:-}" ] || home_var="JAVA_HOME_${v}_ARM64"
      if [ -n "${!home_var:-}" ]; then
        export JAVA_HOME="${!home_var}" PATH="${!home_var}/bin:$PATH"
        break
      fi
    done
  fi
  [ -x "$action/loopguard" ] || { echo "::error title=loopguard::no launcher at $action/loopguard to build the distribution with"; return 2; }
  "$action/loopguard" dist --output "$dest" >/dev/null
}

release() {
  [ -n "$tag" ] || { echo "::warning title=loopguard::no release tag: set the release input"; return 1; }
  local os arch
  os="$(uname -s | tr '[:upper:]' '[:lower:]')"
  case "$(uname -m)" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=aarch64 ;;
    *) arch="$(uname -m)" ;;
  esac
  rm -rf "$dest/download"
  gh release download "$tag" --repo "${LG_ACTION_REPOSITORY:?}" --pattern "loopguard-*-$os-$arch.tar.gz" \
    --dir "$dest/download" || return 1
  local tarball
  tarball="$(ls "$dest"/download/loopguard-*-"$os-$arch".tar.gz | head -n 1)"
  tar -xzf "$tarball" -C "$dest"
}

mkdir -p "$dest"
case "$mode" in
  build) build ;;
  release) release || { echo "::error title=loopguard::could not download the $tag release of ${LG_ACTION_REPOSITORY:-}"; exit 2; } ;;
  auto)
    if [[ "$tag" =~ ^v?[0-9]+\.[0-9]+ ]] && [ -n "${LG_ACTION_REPOSITORY:-}" ] && release; then
      :
    else
      [[ "$tag" =~ ^v?[0-9]+\.[0-9]+ ]] && echo "::warning title=loopguard::no release asset for $tag: building the distribution"
      build
    fi ;;
  *) echo "::error title=loopguard::install takes build, release or auto (got $mode)"; exit 2 ;;
esac

bin="$(ls -d "$dest"/loopguard-*/bin/loopguard 2>/dev/null | head -n 1)"
[ -n "$bin" ] && [ -x "$bin" ] || { echo "::error title=loopguard::no bin/loopguard in $dest"; exit 2; }
"$bin" --version
echo "bin=$bin" >>"${GITHUB_OUTPUT:-/dev/null}"
dirname "$bin" >>"${GITHUB_PATH:-/dev/null}"
