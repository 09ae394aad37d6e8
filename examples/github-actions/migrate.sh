#!/usr/bin/env bash
# Apply the migrations of a directory that the database has not had yet.
#
# Usage: migrate.sh MIGRATIONS_DIR
# Database: $DATABASE_URL (URI or key=value), else libpq's PG* variables. Needs psql.
#
# A stand-in for your migration tool (Flyway, sqitch, Alembic, dbmate, ...): every *.sql file,
# in file-name order, runs in a transaction of its own with psql, and is recorded (name and
# SHA-256) in schemadocs_ci.applied_migrations, a schema the other scripts leave out of the
# docs. A file already applied is skipped; one applied with other contents is an error, since
# the database can no longer tell what that migration did.
set -euo pipefail

dir=${1:?usage: migrate.sh MIGRATIONS_DIR}
conn=()
if [ -n "${DATABASE_URL:-}" ]; then conn=("$DATABASE_URL"); fi
sql() { psql "${conn[@]}" -X -q -v ON_ERROR_STOP=1 "$@"; }

sql -c "CREATE SCHEMA IF NOT EXISTS schemadocs_ci" \
    -c "CREATE TABLE IF NOT EXISTS schemadocs_ci.applied_migrations (
          name text PRIMARY KEY, sha256 text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"
applied=$(sql -At -F ' ' -c "SELECT name, sha256 FROM schemadocs_ci.applied_migrations")
record="INSERT INTO schemadocs_ci.applied_migrations (name, sha256) VALUES (:'name', :'sha256');"

count=0
shopt -s nullglob
for file in "$dir"/*.sql; do
  name=$(basename "$file")
  sha=$(sha256sum "$file" | cut -d' ' -f1)
  known=$(awk -v n="$name" '$1 == n { print $2 }' <<<"$applied")
  if [ -n "$known" ]; then
    if [ "$known" != "$sha" ]; then
      echo "error: migration $name was changed after it was applied; add a new migration instead of editing it" >&2
      exit 1
    fi
    continue
  fi
  echo "applying $name" >&2
  { cat "$file"; printf '\n%s\n' "$record"; } | sql --single-transaction -v name="$name" -v sha256="$sha" -f -
  count=$((count + 1))
done
echo "applied $count migration(s) from $dir" >&2
