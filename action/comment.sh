#!/usr/bin/env bash
# action.yml, step "Comment on the pull request": creates the review comment, or updates the one
# an earlier run made (its body starts with the <!-- loopguard-review --> marker), with gh api.
# A token that may not comment (a pull request from a fork) gets a warning, not a failed job.
set -euo pipefail
marker='<!-- loopguard-review -->'
repo="${GITHUB_REPOSITORY:?}"
pr="${LG_PR:?}"
body="${LG_BODY:?}"
file="${RUNNER_TEMP:-/tmp}/loopguard-comment.md"
{
  # the marker first, so that the next run finds this comment
  [ "$(head -n 1 "$body")" = "$marker" ] || echo "$marker"
  cat "$body"
} >"$file"
# GitHub takes at most 65,536 characters in a comment
if [ "$(wc -c <"$file")" -gt 65000 ]; then
  head -c 64000 "$file" >"$file.cut"
  printf '\n\n*(cut: the whole report is in the job summary)*\n' >>"$file.cut"
  mv "$file.cut" "$file"
fi
warn() { echo "::warning title=loopguard::$1"; exit 0; }
id="$(gh api --paginate "repos/$repo/issues/$pr/comments" \
  --jq ".[] | select(.body | startswith(\"$marker\")) | .id" | head -n 1)" \
  || warn "could not list the comments of pull request #$pr"
if [ -n "$id" ]; then
  gh api --method PATCH "repos/$repo/issues/comments/$id" -F "body=@$file" >/dev/null \
    || warn "could not update comment $id (the token may be read-only, as for a pull request from a fork)"
  echo "updated comment $id on #$pr"
else
  gh api --method POST "repos/$repo/issues/$pr/comments" -F "body=@$file" >/dev/null \
    || warn "could not comment on #$pr (the token may be read-only, as for a pull request from a fork)"
  echo "commented on #$pr"
fi
