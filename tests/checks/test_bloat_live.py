"""The bloat estimate and per-table statistics it reads, on a real PostgreSQL: a table made
bloated by deleting most of its rows (plain VACUUM keeps the file's size) is reported; its
healthy twin, a low-fillfactor table, a TOAST-heavy table and a never-analyzed bloated table
are not."""

from __future__ import annotations

import psycopg
import pytest
from psycopg.conninfo import make_conninfo

from schemadocs.checks.config import Settings
from schemadocs.checks.engine import lint
from schemadocs.checks.rules.maintenance import expected_heap_bytes
from schemadocs.introspect.introspect import introspect
from schemadocs.model import QualifiedName

ROW = "repeat('x', 200)"
SQL = f"""
CREATE TABLE bloated (id bigint PRIMARY KEY, body text NOT NULL) WITH (autovacuum_enabled = false);
INSERT INTO bloated SELECT g, {ROW} FROM generate_series(1, 50000) g;
DELETE FROM bloated WHERE id % 5 <> 0;
CREATE TABLE healthy (id bigint PRIMARY KEY, body text NOT NULL) WITH (autovacuum_enabled = false);
INSERT INTO healthy SELECT g, {ROW} FROM generate_series(1, 50000) g;
CREATE TABLE sparse (id bigint PRIMARY KEY, body text, note text)
    WITH (fillfactor = 30, autovacuum_enabled = false);
INSERT INTO sparse SELECT g, {ROW}, CASE WHEN g % 2 = 0 THEN 'n' END FROM generate_series(1, 10000) g;
CREATE TABLE toasted (id bigint PRIMARY KEY, doc text) WITH (autovacuum_enabled = false);
ALTER TABLE toasted ALTER COLUMN doc SET STORAGE EXTERNAL;
INSERT INTO toasted SELECT g, repeat(md5(g::text), 200) FROM generate_series(1, 5000) g;
CREATE TABLE unanalyzed (id bigint PRIMARY KEY, body text NOT NULL) WITH (autovacuum_enabled = false);
INSERT INTO unanalyzed SELECT g, {ROW} FROM generate_series(1, 50000) g;
DELETE FROM unanalyzed WHERE id % 5 <> 0;
"""
MAINTAIN = ["VACUUM bloated", "ANALYZE bloated", "ANALYZE healthy", "ANALYZE sparse", "ANALYZE toasted",
            "VACUUM unanalyzed",  # VACUUM sets reltuples but fills no pg_stats
            "DO $$ BEGIN CREATE ROLE schemadocs_bloat_reader LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$",
            "GRANT SELECT (id) ON bloated TO schemadocs_bloat_reader"]  # pg_stats hides body from it
LOW = Settings(rules=("table-bloat",), thresholds={"table-bloat": {"min_bytes": 64 * 1024}})


@pytest.fixture(scope="module")
def bloat_dsn(new_database) -> str:
    dsn = new_database(SQL, prefix="bloat")
    with psycopg.connect(dsn, autocommit=True) as conn:
        for statement in MAINTAIN:
            conn.execute(statement)
    return dsn


def test_only_the_bloated_table_is_reported(bloat_dsn: str) -> None:
    catalog = introspect(bloat_dsn)
    findings = lint(catalog, LOW).findings
    assert [f.object for f in findings] == ["public.bloated"]
    assert "80% bloated" in findings[0].message and "estimate" in findings[0].message
    big = Settings(rules=("table-bloat",), thresholds={"table-bloat": {"min_bytes": 20 * 1024 * 1024}})
    assert lint(catalog, big).findings == ()  # a 12 MB heap is small for a 20 MB threshold


def test_the_estimate_matches_a_healthy_heap_and_reads_the_main_fork(bloat_dsn: str) -> None:
    catalog = introspect(bloat_dsn)
    healthy, toasted, never = (catalog.relation(QualifiedName("public", n)).stats
                               for n in ("healthy", "toasted", "unanalyzed"))
    expected = expected_heap_bytes(healthy.estimated_rows, healthy.row_width,
                                   catalog.relation(QualifiedName("public", "healthy")))
    assert abs(1 - expected / healthy.main_size) < 0.05  # within 5% of a freshly filled heap
    assert toasted.main_size < toasted.table_size / 10  # the TOAST table is not in the main fork
    assert never.row_width is None and never.estimated_rows == 10000 and never.main_size > 64 * 1024


def test_a_column_hidden_from_the_role_means_no_estimate(bloat_dsn: str) -> None:
    catalog = introspect(make_conninfo(bloat_dsn, user="schemadocs_bloat_reader"))
    assert catalog.relation(QualifiedName("public", "bloated")).stats.row_width is None
    assert lint(catalog, LOW).findings == ()
