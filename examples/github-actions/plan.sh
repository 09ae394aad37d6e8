#!/usr/bin/env bash
# What will this branch's migrations lock, rewrite and scan? Observed before they are applied.
#
# Usage: plan.sh BASE_REF [MIGRATIONS_DIR] [OUT_DIR]
#   BASE_REF        the commit whose migrations the database already holds, e.g. origin/main
#                   (on a push: the commit before it); its history must be fetched
#   MIGRATIONS_DIR  default: migrations
#   OUT_DIR         default: schema-diff
# Database: $DATABASE_URL (else libpq's PG* variables), migrated to BASE_REF's migrations here
# (migrate.sh skips those already applied). Needs git, psql, schemadocs.
# Environment: PLAN_FAIL_ON, the lowest risk that fails plan-gate.sh (high, medium or never; default high).
#
# The migrations in MIGRATIONS_DIR that BASE_REF does not have are planned with `schemadocs
# plan`, which runs them on a throwaway copy of the database (or in rolled-back transactions)
# and leaves the database as it was; they are NOT applied here. Writes OUT_DIR/plan.md (for
# the pull-request comment, beside the diff), OUT_DIR/plan.json (for `schemadocs build --plan`)
# and OUT_DIR/plan-status (the exit code of the plan with --fail-on PLAN_FAIL_ON: 0 fine,
# 1 a statement at or above it, 2 a statement failed), which plan-gate.sh reads. No new
# migration, or a schemadocs without the plan command: no plan files, exit 0.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
base_ref=${1:?usage: plan.sh BASE_REF [MIGRATIONS_DIR] [OUT_DIR]}
migrations=${2:-migrations}
out=${3:-schema-diff}

mkdir -p "$out"
rm -f "$out/plan.md" "$out/plan.json" "$out/plan-status"
if ! schemadocs plan --help >/dev/null 2>&1; then
  echo "warning: this schemadocs has no plan command (upgrade it): no migration plan" >&2
  exit 0
fi
if ! git rev-parse -q --verify "$base_ref^{commit}" >/dev/null; then
  echo "warning: $base_ref is not a commit this checkout has: no migration plan" >&2
  exit 0
fi
base=$(mktemp -d)
trap 'rm -rf "$base"' EXIT
if git cat-file -e "$base_ref:$migrations" 2>/dev/null; then
  git archive "$base_ref" -- "$migrations" | tar -x -C "$base"
fi
mkdir -p "$base/$migrations"
"$here/migrate.sh" "$base/$migrations"

new=()
shopt -s nullglob
for file in "$migrations"/*.sql; do
  if [ ! -f "$base/$migrations/$(basename "$file")" ]; then new+=("$file"); fi
done
if [ ${#new[@]} -eq 0 ]; then
  echo "no new migration since $base_ref: no migration plan" >&2
  exit 0
fi

echo "planning ${new[*]}" >&2
status=0
schemadocs plan "${new[@]}" --format json --fail-on "${PLAN_FAIL_ON:-high}" > "$out/plan.json" || status=$?
echo "$status" > "$out/plan-status"
if [ "$status" -gt 2 ]; then  # interrupted, or worse: no plan to show
  rm -f "$out/plan.json"
  exit "$status"
fi
schemadocs plan "${new[@]}" --format markdown --fail-on never > "$out/plan.md" || true
