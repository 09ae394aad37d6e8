"""Introspection against a real PostgreSQL: the demo and the edge-case fixture schema."""

from __future__ import annotations

import psycopg
import pytest
import sqlalchemy

from introspect.connect import connect
from schemadocs.model import ConstraintKind, ForeignKey, QualifiedName, RelationKind

Q = QualifiedName


def test_demo_has_every_feature(demo_catalog):
    cat = demo_catalog
    assert {"app", "billing", "analytics"} <= {s.name for s in cat.schemas}
    assert all(s.comment for s in cat.schemas if s.name != "public")
    kinds = {r.kind for r in cat.relations}
    assert {RelationKind.TABLE, RelationKind.PARTITIONED_TABLE, RelationKind.VIEW, RelationKind.MATERIALIZED_VIEW} <= kinds
    assert any(len(fk.columns) == 2 for r in cat.relations for fk in r.foreign_keys), "a composite FK"
    assert any(fk.target == r.qname for r in cat.relations for fk in r.foreign_keys), "a self-referencing FK"
    assert cat.enums and cat.enums[0].labels
    assert any(r.triggers for r in cat.relations)
    assert any(r.policies and r.rls_enabled for r in cat.relations)
    assert any(f.language == "plpgsql" for f in cat.routines)


def test_relations_match_the_catalog_exactly(demo_dsn, demo_catalog):
    with psycopg.connect(demo_dsn) as conn:
        expected = {(s, n, k) for s, n, k in conn.execute(
            "SELECT n.nspname, c.relname, c.relkind::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relkind IN ('r','p','v','m','f') AND n.nspname NOT IN ('pg_catalog','information_schema')"
            " AND n.nspname !~ '^pg_toast'")}
        columns = conn.execute(
            "SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n"
            " ON n.oid = c.relnamespace WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r','p','v','m','f')"
            " AND n.nspname NOT IN ('pg_catalog','information_schema')").fetchone()[0]
    code = {"r": RelationKind.TABLE, "p": RelationKind.PARTITIONED_TABLE, "v": RelationKind.VIEW,
            "m": RelationKind.MATERIALIZED_VIEW, "f": RelationKind.FOREIGN_TABLE}
    assert {(r.schema, r.name, r.kind) for r in demo_catalog.relations} == {(s, n, code[k]) for s, n, k in expected}
    assert sum(len(r.columns) for r in demo_catalog.relations) == columns


def test_composite_foreign_key_keeps_key_order(demo_catalog):
    items = demo_catalog.relation(Q("app", "order_items"))
    fk = next(fk for fk in items.foreign_keys if fk.target == Q("app", "orders"))
    assert fk.columns == ("tenant_id", "order_no") and fk.ref_columns == ("tenant_id", "order_no")
    assert fk.on_delete == "CASCADE"


def test_partitions_point_at_their_parent(demo_catalog):
    parent = demo_catalog.relation(Q("app", "page_views"))
    assert parent.kind is RelationKind.PARTITIONED_TABLE and parent.partition_key.startswith("RANGE")
    parts = [r for r in demo_catalog.relations if r.partition_of == parent.qname]
    assert len(parts) == 3 and all(p.partition_bound for p in parts)
    assert any(p.partition_bound == "DEFAULT" for p in parts)


def test_views_record_what_they_read(demo_catalog):
    scorecard = demo_catalog.relation(Q("analytics", "tenant_scorecard"))
    reads = {r.target for r in scorecard.reads}
    assert Q("analytics", "tenant_monthly_revenue") in reads and Q("app", "tenants") in reads
    assert all(r.columns for r in scorecard.reads)
    snap = demo_catalog.relation(Q("analytics", "tenant_scorecard_snapshot"))
    assert snap.kind is RelationKind.MATERIALIZED_VIEW and snap.populated is True
    assert "tenant_scorecard" in snap.view_definition


def test_hostile_names_survive_exactly(edge_catalog):
    names = {(r.schema, r.name) for r in edge_catalog.relations}
    assert ("Sales", "Customer Orders") in names
    assert ("admin", "users") in names and ("audit", "users") in names and ("admin", "Users") in names
    assert ("weird", "..") in names and ("weird", "a/b") in names and ("weird", "Ünïcødé_表") in names
    assert any(len(n.encode()) == 63 for _, n in names)
    orders = edge_catalog.relation(Q("Sales", "Customer Orders"))
    assert 'say "hi"' in {c.name for c in orders.columns} and "select" in {c.name for c in orders.columns}
    lines = edge_catalog.relation(Q("sales", "order_lines"))
    (fk,) = lines.foreign_keys
    assert isinstance(fk, ForeignKey) and fk.target == Q("Sales", "Customer Orders") and len(fk.columns) == 2


def test_two_level_partitions(edge_catalog):
    sub = [r for r in edge_catalog.relations if r.partition_of and r.kind is RelationKind.PARTITIONED_TABLE]
    assert sub, "a partition that is itself partitioned"
    assert any(r.partition_of == sub[0].qname for r in edge_catalog.relations)


def test_constraints_sorted_and_typed(demo_catalog):
    for rel in demo_catalog.relations:
        order = [list(ConstraintKind).index(c.kind) for c in rel.constraints]
        assert order == sorted(order)
        assert all(isinstance(c, ForeignKey) == (c.kind is ConstraintKind.FOREIGN_KEY) for c in rel.constraints)


def test_transaction_is_read_only_with_timeouts(demo_dsn):
    with connect(demo_dsn, statement_timeout_ms=1234, lock_timeout_ms=567) as conn:
        assert conn.exec_driver_sql("SHOW transaction_read_only").scalar() == "on"
        assert conn.exec_driver_sql("SHOW transaction_isolation").scalar() == "repeatable read"
        assert conn.exec_driver_sql("SHOW statement_timeout").scalar() == "1234ms"
        assert conn.exec_driver_sql("SHOW lock_timeout").scalar() == "567ms"
        with pytest.raises(sqlalchemy.exc.InternalError, match="read-only transaction"):
            conn.exec_driver_sql("CREATE TABLE app.should_not_exist (id int)")
