#!/usr/bin/env bash
# Build the documentation site of the migrated database, with its Changes page.
#
# Usage: publish.sh [SITE_DIR]      (default: site)
# Database: $DATABASE_URL (else libpq's PG* variables). Needs schemadocs, Graphviz and curl.
# Environment: PREVIOUS_URL, the URL of the site as last published (optional); PLAN_FILE, the
# plan of the migrations applied since (plan.sh's plan.json; optional).
#
# Every site keeps the snapshot it was built from (catalog.json; catalog.json.gz on a site of
# 1,000 relations or more, which schemadocs reads just the same) and its change history
# (changes.json). With PREVIOUS_URL, both are fetched from the published site and the build
# adds what changed since then to the Changes page, and a "changed in this build" badge to
# the pages of the relations that changed. Without it, or when nothing is published yet,
# the site is built without a Changes page. With PLAN_FILE too, the Changes page shows the
# migration plan beside this build's changes: what each statement locked, rewrote and scanned.
#
# Incremental builds: when SITE_DIR still holds the site this script built last, and
# ~/.cache/schemadocs ($XDG_CACHE_HOME/schemadocs) the docs dir and caches of that build (the
# workflow keeps both with actions/cache), only the pages a migration changed are rendered
# again; the result is the site a cold build makes. Delete either to build cold.
set -euo pipefail

site=${1:-site}
skip=(--exclude schemadocs_ci)  # migrate.sh's bookkeeping is not part of the schema
previous=()
if [ -n "${PREVIOUS_URL:-}" ]; then
  fetched=$(mktemp -d)
  trap 'rm -rf "$fetched"' EXIT
  if curl -fsSL "${PREVIOUS_URL%/}/catalog.json" -o "$fetched/catalog.json" 2>/dev/null ||
     curl -fsSL "${PREVIOUS_URL%/}/catalog.json.gz" -o "$fetched/catalog.json"; then
    curl -fsSL "${PREVIOUS_URL%/}/changes.json" -o "$fetched/changes.json" || rm -f "$fetched/changes.json"
    previous=(--previous "$fetched/catalog.json")
  else
    echo "no snapshot published at $PREVIOUS_URL yet: building without a Changes page" >&2
  fi
fi
plan=()
if [ -n "${PLAN_FILE:-}" ] && [ -f "$PLAN_FILE" ]; then
  if [ ${#previous[@]} -gt 0 ]; then
    plan=(--plan "$PLAN_FILE")
  else
    echo "no previous site: the migration plan $PLAN_FILE is not shown" >&2
  fi
fi
schemadocs build "${skip[@]}" "${previous[@]}" "${plan[@]}" --out "$site"
