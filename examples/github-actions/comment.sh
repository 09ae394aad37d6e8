#!/usr/bin/env bash
# Post the schema diff on the pull request, or update the comment posted before.
#
# Usage: comment.sh PR_NUMBER [FILE]     (FILE: default schema-diff/diff.md)
# Environment: GITHUB_REPOSITORY (owner/name, set by Actions), GH_TOKEN. Needs the gh CLI.
#
# The comment is found again by the marker `schemadocs diff --format markdown` starts with,
# so each push updates one comment instead of adding another.
set -euo pipefail

pr=${1:?usage: comment.sh PR_NUMBER [FILE]}
file=${2:-schema-diff/diff.md}
repo=${GITHUB_REPOSITORY:?GITHUB_REPOSITORY is not set}
marker='<!-- schemadocs-diff -->'

existing=$(gh api --paginate "repos/$repo/issues/$pr/comments" \
  --jq ".[] | select(.body | startswith(\"$marker\")) | .id" | tail -n 1)
if [ -n "$existing" ]; then
  gh api --method PATCH "repos/$repo/issues/comments/$existing" -F "body=@$file" >/dev/null
  echo "updated comment $existing on #$pr"
else
  gh api --method POST "repos/$repo/issues/$pr/comments" -F "body=@$file" >/dev/null
  echo "commented on #$pr"
fi
