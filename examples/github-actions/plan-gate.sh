#!/usr/bin/env bash
# Fail on a risky migration: a statement at PLAN_FAIL_ON or above in the plan plan.sh made.
#
# Usage: plan-gate.sh [OUT_DIR]      (the directory plan.sh wrote; default: schema-diff)
# Environment: ALLOW_RISKY=true when the pull request carries the opt-out label (a migration
# whose locks are accepted, e.g. run in a maintenance window).
#
# Exit 1 with the risky statements listed when `schemadocs plan --fail-on PLAN_FAIL_ON` failed
# and ALLOW_RISKY is not true; exit 2 when a statement of the migration failed; exit 0
# otherwise (no plan included: no new migration).
set -euo pipefail

out=${1:-schema-diff}
if [ ! -f "$out/plan-status" ]; then
  echo "no migration plan in $out: nothing to gate"
  exit 0
fi
status=$(cat "$out/plan-status")
risky() {
  python3 - "$out/plan.json" "${PLAN_FAIL_ON:-high}" <<'PY'
import json, sys
plan = json.load(open(sys.argv[1], encoding="utf-8"))
levels = ["low", "medium", "high", "never"]
for s in plan["statements"]:
    if levels.index(s["risk"]) >= levels.index(sys.argv[2]) or s["error"]:
        first = " ".join(s["sql"].split())[:100]
        print(f"{s['file']}:{s['line']}: {s['risk']}: {first}" + (f" (failed: {s['error']})" if s["error"] else ""))
PY
}
case "$status" in
  0) echo "migration plan: no statement at ${PLAN_FAIL_ON:-high} risk or above" ;;
  1)
    if [ "${ALLOW_RISKY:-false}" = "true" ]; then
      echo "::warning::risky migration accepted: the pull request is labelled as intending it"
      exit 0
    fi
    risky
    echo "error: the migration has statements at ${PLAN_FAIL_ON:-high} risk or above; follow the plan's advice, or label the pull request to accept them" >&2
    exit 1 ;;
  *)
    risky
    echo "error: a statement of the migration failed when planned (exit $status); see $out/plan.md" >&2
    exit 2 ;;
esac
