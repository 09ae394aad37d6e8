#!/usr/bin/env bash
# Fail on breaking schema changes, unless they are declared intended.
#
# Usage: gate.sh [OUT_DIR]      (the directory schema-diff.sh wrote; default: schema-diff)
# Environment: ALLOW_BREAKING=true when the pull request carries the opt-out label.
#
# Exit 1 with the breaking changes listed when there are any and ALLOW_BREAKING is not true;
# exit 0 otherwise (with a warning annotation when breaking changes were let through).
set -euo pipefail

out=${1:-schema-diff}
if [ "${ALLOW_BREAKING:-false}" = "true" ]; then
  breaking=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["summary"]["breaking"])' "$out/diff.json")
  if [ "$breaking" != "0" ]; then
    echo "::warning::$breaking breaking schema change(s) accepted: the pull request is labelled as intending them"
  fi
  exit 0
fi
schemadocs diff "$out/base.json" "$out/head.json" --format text --fail-on breaking
