#!/usr/bin/env bash
# Review this branch's schema with schemadocs' health checks, and annotate the pull request.
#
# Usage: lint.sh [OUT_DIR] [BASELINE]
#   OUT_DIR   the directory schema-diff.sh wrote (its head.json is linted); default: schema-diff
#   BASELINE  the findings already accepted, committed to the repository (create or refresh it with
#             `schemadocs lint --snapshot schema-diff/head.json --write-baseline BASELINE`);
#             default: .github/schemadocs/lint-baseline.json; when it does not exist, every finding is new
#
# Prints one GitHub annotation per new finding (`--format github`: they show on the run and the
# pull request), and writes OUT_DIR/lint.md (the pull-request comment, worst first) and
# OUT_DIR/lint.json. Never fails on findings: lint-gate.sh does, as the job's last step.
set -euo pipefail

out=${1:-schema-diff}
baseline=${2:-.github/schemadocs/lint-baseline.json}
args=(--snapshot "$out/head.json" --fail-on never)
if [ -f "$baseline" ]; then args+=(--baseline "$baseline"); fi

schemadocs lint "${args[@]}" --format markdown > "$out/lint.md"
schemadocs lint "${args[@]}" --format json > "$out/lint.json"
schemadocs lint "${args[@]}" --format github
