#!/usr/bin/env bash
# Fail on new health-check findings: those the committed baseline does not hold.
#
# Usage: lint-gate.sh [OUT_DIR] [BASELINE]   (as for lint.sh)
# Environment: LINT_FAIL_ON: the lowest level that fails (error, warning, info or never; default error).
#
# Exit 1 with the new findings listed when one at LINT_FAIL_ON or above remains; exit 0 otherwise.
set -euo pipefail

out=${1:-schema-diff}
baseline=${2:-.github/schemadocs/lint-baseline.json}
args=(--snapshot "$out/head.json" --fail-on "${LINT_FAIL_ON:-error}")
if [ -f "$baseline" ]; then args+=(--baseline "$baseline"); fi

schemadocs lint "${args[@]}" --format text
