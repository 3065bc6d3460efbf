#!/usr/bin/env bash
# action.yml, step "Run loopguard": a review of the pull request's change or a scan of the tree,
# with its reports in $RUNNER_TEMP/loopguard-report; the Markdown one goes to the job summary.
# Never fails itself: the exit code is a step output, and action.yml's last step fails the job
# after the SARIF upload and the comment.
set -uo pipefail
lg="${LG_BIN:?install loopguard first}"
path="${LG_PATH:-.}"
out="${RUNNER_TEMP:-/tmp}/loopguard-report"
rm -rf "$out"
mkdir -p "$out"
mode="${LG_MODE:-auto}"
if [ "$mode" = auto ]; then
  case "${GITHUB_EVENT_NAME:-}" in
    pull_request | pull_request_target) mode=review ;;
    *) mode=scan ;;
  esac
fi
read -ra extra <<<"${LG_ARGS:-}"
output() { echo "$1=$2" >>"${GITHUB_OUTPUT:-/dev/null}"; }
output mode "$mode"

case "$mode" in
  review)
    base="${LG_BASE:-}"
    if [ -z "$base" ]; then
      if [ -z "${GITHUB_BASE_REF:-}" ]; then
        echo "::error title=loopguard::review needs a base: run on pull_request or set the base input"
        output exit-code 2
        exit 0
      fi
      base="origin/$GITHUB_BASE_REF"
      # The base branch and the history back to the merge base (actions/checkout fetches one commit).
      if ! git -C "$path" rev-parse -q --verify "$base^{commit}" >/dev/null; then
        git -C "$path" fetch --no-tags origin "+refs/heads/$GITHUB_BASE_REF:refs/remotes/$base" || true
      fi
      if [ "$(git -C "$path" rev-parse --is-shallow-repository 2>/dev/null)" = true ]; then
        git -C "$path" fetch --no-tags --unshallow origin || true
      fi
    fi
    args=(review "$path" --base "$base" --format text --format "markdown=$out/review.md"
      --format "sarif=$out/review.sarif" --format "json=$out/review.json")
    [ -n "${LG_FAIL_ON:-}" ] && args+=(--fail-on "$LG_FAIL_ON")
    md="$out/review.md" sarif="$out/review.sarif" json="$out/review.json"
    ;;
  scan)
    # annotations on standard output (the github format), the rest in files
    args=(scan "$path" --no-progress --format github --format "text=$out/loopguard.txt"
      --format "audit=$out/loopguard-audit.md" --format "sarif=$out/loopguard.sarif" --format "json=$out/loopguard.json")
    [ -n "${LG_FAIL_ON:-}" ] && args+=(--fail-on "$LG_FAIL_ON")
    md="$out/loopguard-audit.md" sarif="$out/loopguard.sarif" json="$out/loopguard.json"
    ;;
  *)
    echo "::error title=loopguard::mode takes review, scan or auto (got $mode)"
    output exit-code 2
    exit 0
    ;;
esac

echo "loopguard ${args[*]} ${extra[*]}"
"$lg" "${args[@]}" "${extra[@]}"
code=$?
[ "$mode" = scan ] && [ -f "$out/loopguard.txt" ] && cat "$out/loopguard.txt"
output exit-code "$code"

verdict=""
findings=""
if [ -s "$json" ] && command -v jq >/dev/null 2>&1; then
  if [ "$mode" = review ]; then
    verdict="$(jq -r '.verdict' "$json")"
    findings="$(jq -r '.new | length' "$json")"
  else
    findings="$(jq -r '.findings | length' "$json")"
  fi
elif [ -s "$json" ] && [ "$mode" = review ]; then
  verdict="$(sed -n 's/.*"verdict" *: *"\([a-z]*\)".*/\1/p' "$json" | head -n 1)"
fi
if [ "$mode" = scan ]; then
  case "$code" in 0) verdict=pass ;; 1) verdict=fail ;; *) verdict=error ;; esac
fi
[ "$code" -ge 2 ] && verdict=error
output verdict "$verdict"
output findings "$findings"
[ -s "$sarif" ] && output sarif-file "$sarif"
[ -s "$json" ] && output json-file "$json"
if [ -s "$md" ]; then
  output markdown-file "$md"
  if [ "${LG_SUMMARY:-true}" = true ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    # a job summary holds at most 1 MiB
    if [ "$(wc -c <"$md")" -gt 1000000 ]; then
      head -c 990000 "$md" >>"$GITHUB_STEP_SUMMARY"
      printf '\n\n*(cut at 1 MB: the whole report is in the SARIF upload)*\n' >>"$GITHUB_STEP_SUMMARY"
    else
      cat "$md" >>"$GITHUB_STEP_SUMMARY"
    fi
  fi
fi
exit 0
