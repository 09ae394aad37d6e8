"""A snapshot depends on the schema, never on the role that reads it: a role with CONNECT
only (no USAGE on any schema, `public` included) gets the superuser's snapshot byte for
byte, on the demo, pagila and lago, and `check` finds no change between the two."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from psycopg.conninfo import make_conninfo

from schemadocs.embedded import demo_sql
from schemadocs.introspect.introspect import introspect
from schemadocs import snapshot
from tests.corpus import CORPUS, entries, load_entry

ROLE = "schemadocs_connect_only"


def test_connect_only_role_gets_the_demo_snapshot(new_database, tmp_path):
    assert_role_independent(new_database(demo_sql(), prefix="demo"), tmp_path)


@pytest.mark.skipif(not entries(), reason=f"no corpus at {CORPUS}: set SCHEMADOCS_CORPUS")
@pytest.mark.parametrize("entry", ["pagila", "lago"])  # lago: a view joins a table named like one of its CTEs
def test_connect_only_role_gets_the_corpus_snapshot(entry, corpus_server, tmp_path):
    assert_role_independent(load_entry(corpus_server, entry).dsn, tmp_path)


def assert_role_independent(dsn: str, tmp_path: Path) -> None:
    """Snapshot `dsn` as its owner and as a CONNECT-only role: same bytes, and `check` agrees."""
    reader = connect_only(dsn)
    as_owner = snapshot.dumps(introspect(dsn, stats=False))
    assert snapshot.dumps(introspect(reader, stats=False)) == as_owner
    committed = tmp_path / "catalog.json"
    committed.write_text(as_owner, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "schemadocs", "check", "--dsn", reader, "--snapshot", str(committed)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and done.stdout == "", done.stdout[-2000:] + done.stderr
    assert "matches the database" in done.stderr


def connect_only(dsn: str) -> str:
    """A DSN for a login role with no USAGE on any schema of the database (CONNECT only)."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"DO $$ BEGIN CREATE ROLE {ROLE} LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$")
        schemas = [s for (s,) in conn.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'")]
        for schema in schemas:
            conn.execute(f'REVOKE ALL ON SCHEMA "{schema}" FROM PUBLIC, {ROLE}')
        usable = conn.execute("SELECT count(*) FROM pg_namespace WHERE has_schema_privilege(%s, oid, 'USAGE')"
                              " AND nspname = ANY(%s)", (ROLE, schemas)).fetchone()[0]
        assert "public" in schemas and usable == 0
    return make_conninfo(dsn, user=ROLE)
