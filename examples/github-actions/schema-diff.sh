#!/usr/bin/env bash
# What does this branch change in the schema, compared with the base branch?
#
# Usage: schema-diff.sh BASE_REF [MIGRATIONS_DIR] [OUT_DIR]
#   BASE_REF        the base branch as git knows it, e.g. origin/main (needs its history: fetch-depth 0)
#   MIGRATIONS_DIR  default: migrations
#   OUT_DIR         default: schema-diff
# Database: an empty one, $DATABASE_URL (else libpq's PG* variables). Needs git, psql, schemadocs.
#
# Migrates the database to the base branch's state and snapshots it (OUT_DIR/base.json), then
# applies this branch's new migrations on top and snapshots again (OUT_DIR/head.json); writes
# the diff as OUT_DIR/diff.txt, diff.md (the pull-request comment) and diff.json, and prints
# the text. When plan.sh ran before (OUT_DIR/plan.md), the migration plan follows the diff in
# diff.md, so the comment shows both. Both snapshots come from one database, so every object keeps its OID and a rename
# is reported as a rename. (Diffing against a snapshot made elsewhere, e.g. the catalog.json
# published with the main branch's site, works too, but there OIDs differ and a rename shows
# as a drop plus an add.)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
base_ref=${1:?usage: schema-diff.sh BASE_REF [MIGRATIONS_DIR] [OUT_DIR]}
migrations=${2:-migrations}
out=${3:-schema-diff}
skip=(--exclude schemadocs_ci)  # migrate.sh's bookkeeping is not part of the schema

mkdir -p "$out"
base=$(mktemp -d)
trap 'rm -rf "$base"' EXIT
if git cat-file -e "$base_ref:$migrations" 2>/dev/null; then
  git archive "$base_ref" -- "$migrations" | tar -x -C "$base"
fi
mkdir -p "$base/$migrations"

"$here/migrate.sh" "$base/$migrations"
schemadocs snapshot --no-stats "${skip[@]}" -o "$out/base.json"
"$here/migrate.sh" "$migrations"
schemadocs snapshot --no-stats "${skip[@]}" -o "$out/head.json"

schemadocs diff "$out/base.json" "$out/head.json" --format markdown > "$out/diff.md"
schemadocs diff "$out/base.json" "$out/head.json" --format json > "$out/diff.json"
schemadocs diff "$out/base.json" "$out/head.json" --format text > "$out/diff.txt"
if [ -f "$out/plan.md" ]; then  # plan.sh's migration plan goes into the comment, after the diff
  printf '\n' >> "$out/diff.md"
  cat "$out/plan.md" >> "$out/diff.md"
fi
cat "$out/diff.txt"
