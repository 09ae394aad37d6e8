#!/usr/bin/env bash
# Post a report (the schema diff, the health checks) on the pull request, or update the comment
# posted before.
#
# Usage: comment.sh PR_NUMBER [FILE]     (FILE: default schema-diff/diff.md; or schema-diff/lint.md)
# Environment: GITHUB_REPOSITORY (owner/name, set by Actions), GH_TOKEN. Needs the gh CLI.
#
# The comment is found again by the marker the file starts with (its first line: `schemadocs diff
# --format markdown` and `schemadocs lint --format markdown` each write their own), so each push
# updates one comment per report instead of adding another.
set -euo pipefail

pr=${1:?usage: comment.sh PR_NUMBER [FILE]}
file=${2:-schema-diff/diff.md}
repo=${GITHUB_REPOSITORY:?GITHUB_REPOSITORY is not set}
marker=$(head -n 1 "$file")
case "$marker" in '<!-- schemadocs-'*' -->') ;; *) echo "error: $file does not start with a schemadocs marker" >&2; exit 2 ;; esac

existing=$(gh api --paginate "repos/$repo/issues/$pr/comments" \
  --jq ".[] | select(.body | startswith(\"$marker\")) | .id" | tail -n 1)
if [ -n "$existing" ]; then
  gh api --method PATCH "repos/$repo/issues/comments/$existing" -F "body=@$file" >/dev/null
  echo "updated comment $existing on #$pr"
else
  gh api --method POST "repos/$repo/issues/$pr/comments" -F "body=@$file" >/dev/null
  echo "commented on #$pr"
fi
