"""Introspection against a real PostgreSQL: the demo and the edge-case fixture schema."""

from __future__ import annotations

import threading
import time

import psycopg
import pytest
import sqlalchemy
from psycopg.conninfo import make_conninfo
from psycopg.rows import namedtuple_row

from schemadocs.introspect.connect import connect
from schemadocs.introspect.fetch import named_rows
from schemadocs.project.selection import filter_catalog
import schemadocs.introspect.introspect as introspect_module
from schemadocs.introspect.introspect import CatalogChanged, introspect, read_catalog
from schemadocs import snapshot
from schemadocs.errors import IntrospectionError
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


def test_index_columns_are_plain_names(edge_catalog):
    # like constraint columns: the column's name, not its quoted SQL ("Email")
    twin = edge_catalog.relation(Q("admin", "Users"))
    assert {i.columns for i in twin.indexes} == {("ID",), ("Email",)}


def test_role_search_path_does_not_change_the_snapshot(demo_dsn):
    # deparsed text leaves out schemas on search_path; a role's own setting must not matter
    other = make_conninfo(demo_dsn, options="-c search_path=app,public")
    assert snapshot.dumps(introspect(other, stats=False)) == snapshot.dumps(introspect(demo_dsn, stats=False))


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


def test_every_object_kind_is_read(edge_catalog):
    cat = edge_catalog
    acc = cat.relation(Q("coverage", "accounts"))
    by_name = {c.name: c for c in acc.constraints}
    assert by_name["code_not_blank"].validated is False
    assert by_name["accounts_email_key"].nulls_not_distinct is (int(cat.server_version.split(".")[0]) >= 15)
    (incl,) = [i for i in acc.indexes if i.name == "accounts_code_incl"]
    assert incl.columns == ("code",) and incl.include_columns == ("email",) and incl.predicate == "code <> 'x'::text"
    (trigger,) = acc.triggers
    assert trigger.enabled == "DISABLED" and trigger.events == ("UPDATE",) and trigger.level == "ROW"
    assert trigger.condition == "old.code IS DISTINCT FROM new.code AND new.code <> ')'::text"
    assert acc.rls_enabled and acc.rls_forced
    (policy,) = acc.policies
    assert not policy.permissive and policy.command == "UPDATE" and policy.roles == ("schemadocs_reader",)
    assert {(g.grantee, g.privilege, g.column, g.grantable) for g in acc.grants} >= {
        ("PUBLIC", "SELECT", None, False), ("schemadocs_reader", "SELECT", None, False),
        ("schemadocs_reader", "UPDATE", "email", True)}
    cols = {c.name: c for c in acc.columns}
    assert cols["id"].identity == "by default" and cols["code"].collation == '"C"' and cols["qty"].type == "coverage.positive_int"
    (domain,) = cat.domains
    assert domain.base_type == "integer" and not domain.nullable and domain.constraints == (("positive", "CHECK (VALUE > 0)"),)
    (composite,) = cat.composite_types
    assert composite.attributes == (("amount", "numeric(12,2)"), ("currency", "character(3)"))
    seqs = {s.name: s for s in cat.sequences if s.schema == "coverage"}
    assert seqs["accounts_id_seq"].identity and seqs["accounts_id_seq"].owned_by == acc.qname
    inv = seqs["invoice_no"]
    assert (inv.type, inv.start, inv.increment, inv.min_value, inv.max_value, inv.cycle) == ("integer", 1000, 10, 1000, 999999, True)
    assert inv.owned_by_column == "id" and not inv.identity
    routines = {r.name: r for r in cat.routines if r.schema == "coverage"}
    assert routines["touch"].security_definer and routines["touch"].settings == ("search_path=pg_catalog, coverage",)
    assert routines["reset"].kind == "procedure" and "PUBLIC" not in {g.grantee for g in routines["reset"].grants}
    remote = cat.relation(Q("coverage", "remote_books"))
    assert remote.kind is RelationKind.FOREIGN_TABLE and remote.foreign_server == "remote_books"
    assert remote.foreign_options == ("table_name=books",)
    assert cat.relation(Q("coverage", "empty_mv")).populated is False
    assert "plpgsql" in {e.name for e in cat.extensions}


def test_statistics_are_read_and_can_be_turned_off(demo_dsn, demo_catalog):
    orders = demo_catalog.relation(Q("app", "orders"))
    assert orders.stats is not None and orders.stats.total_size and orders.stats.total_size >= orders.stats.table_size
    assert all(i.size for i in orders.indexes)
    bare = introspect(demo_dsn, stats=False)
    assert all(r.stats is None for r in bare.relations) and all(i.size is None for r in bare.relations for i in r.indexes)


def test_sizes_equal_postgresqls_own_size_functions(demo_dsn_conn, demo_catalog):
    """Totals are summed in Python from one pg_table_size() per relation: they must equal
    pg_total_relation_size and pg_indexes_size, and an index's size pg_relation_size."""
    rows = demo_dsn_conn.execute("""
        SELECT n.nspname, c.relname, pg_table_size(c.oid), pg_indexes_size(c.oid), pg_total_relation_size(c.oid)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'm') AND n.nspname IN ('app', 'billing', 'analytics')""").fetchall()
    assert len(rows) > 10
    for schema, name, table, indexes, total in rows:
        stats = demo_catalog.relation(Q(schema, name)).stats
        assert (stats.table_size, stats.index_size, stats.total_size) == (table, indexes, total), (schema, name)
    index_sizes = dict(demo_dsn_conn.execute("""
        SELECT c.relname, pg_relation_size(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'i' AND n.nspname = 'app'""").fetchall())
    for rel in demo_catalog.relations:
        if rel.schema == "app" and rel.kind is RelationKind.TABLE:
            assert all(i.size == index_sizes[i.name] for i in rel.indexes), rel.name


def test_role_without_select_gets_the_whole_structure(new_database, edge_dsn, edge_catalog):
    with psycopg.connect(edge_dsn, autocommit=True) as conn:
        conn.execute("DO $$ BEGIN CREATE ROLE schemadocs_nobody LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$")
        assert not conn.execute("SELECT has_table_privilege('schemadocs_nobody', 'admin.users', 'SELECT')").fetchone()[0]
    as_nobody = introspect(make_conninfo(edge_dsn, user="schemadocs_nobody"), stats=False)
    as_owner = introspect(edge_dsn, stats=False)
    assert snapshot.dumps(as_nobody) == snapshot.dumps(as_owner)


DROPPABLE = ("CREATE SCHEMA s; CREATE TABLE s.t (id int PRIMARY KEY, v text);"
             "CREATE VIEW s.v AS SELECT id, v FROM s.t; CREATE INDEX t_v ON s.t (v);"
             "CREATE TABLE s.keep (id int PRIMARY KEY);")


def test_a_stale_snapshot_is_detected(new_database):
    dsn = new_database(DROPPABLE)
    with connect(dsn) as conn:
        conn.exec_driver_sql("SELECT count(*) FROM pg_class").scalar()  # the snapshot is taken here
        with psycopg.connect(dsn, autocommit=True) as other:
            other.execute("DROP VIEW s.v; DROP TABLE s.t")
        with pytest.raises(CatalogChanged):
            read_catalog(conn)


def test_objects_dropped_mid_introspection_do_not_crash(new_database, monkeypatch):
    dsn = new_database(DROPPABLE)
    calls = []

    def drop_after_snapshot(conn, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            conn.exec_driver_sql("SELECT count(*) FROM pg_class").scalar()
            with psycopg.connect(dsn, autocommit=True) as other:
                other.execute("DROP VIEW s.v; DROP TABLE s.t")
        return real_read(conn, **kwargs)

    real_read = introspect_module.read_catalog
    monkeypatch.setattr(introspect_module, "read_catalog", drop_after_snapshot)
    catalog = introspect_module.introspect(dsn)
    assert len(calls) == 2, "retried once in a fresh transaction"
    assert {r.name for r in catalog.relations} == {"keep"}


def test_sizes_never_wait_behind_a_migration(new_database):
    dsn = new_database("CREATE SCHEMA s; CREATE TABLE s.busy (id int); CREATE TABLE s.free (id int);")
    with psycopg.connect(dsn) as migration:
        migration.execute("ALTER TABLE s.busy ADD COLUMN x int")  # holds ACCESS EXCLUSIVE until rollback
        started = time.monotonic()
        catalog = introspect(dsn, lock_timeout_ms=500)
        elapsed = time.monotonic() - started
        migration.rollback()
    assert catalog.skipped_sizes == (Q("s", "busy"),)
    assert catalog.relation(Q("s", "free")).stats.total_size is not None
    assert elapsed < 5


def test_a_migration_holding_a_lock_is_waited_for_briefly_then_reported(new_database):
    dsn = new_database("CREATE SCHEMA s; CREATE TABLE s.busy (id int PRIMARY KEY, v text); CREATE INDEX ON s.busy (v);")
    with psycopg.connect(dsn) as migration:
        migration.execute("ALTER TABLE s.busy ADD COLUMN x int")
        started = time.monotonic()
        with pytest.raises(IntrospectionError, match="held a lock .* rerun when it has finished"):
            introspect(dsn, lock_timeout_ms=200)
        assert time.monotonic() - started < 10
        migration.rollback()


def test_a_short_migration_is_outwaited(new_database):
    dsn = new_database("CREATE SCHEMA s; CREATE TABLE s.busy (id int PRIMARY KEY, v text); CREATE INDEX ON s.busy (v);")
    migration = psycopg.connect(dsn)
    migration.execute("ALTER TABLE s.busy ADD COLUMN x int")
    timer = threading.Timer(0.8, migration.commit)
    timer.start()
    try:
        catalog = introspect(dsn, lock_timeout_ms=200)
    finally:
        timer.join()
        migration.close()
    assert [c.name for c in catalog.relation(Q("s", "busy")).columns] == ["id", "v", "x"]


def test_include_and_exclude(demo_catalog, edge_catalog):
    only_app = filter_catalog(demo_catalog, include=["app"])
    assert {r.schema for r in only_app.relations} == {"app"} and [s.name for s in only_app.schemas] == ["app"]
    no_partitions = filter_catalog(demo_catalog, exclude=["app.page_views_*", "analytics"])
    names = {(r.schema, r.name) for r in no_partitions.relations}
    assert ("app", "page_views") in names and ("app", "page_views_default") not in names
    assert "analytics" not in {r.schema for r in no_partitions.relations}
    mixed = filter_catalog(edge_catalog, include=["Sales", "sales.v_*"], exclude=["sales.v_orders_all"])
    assert {r.name for r in mixed.relations if r.schema == "sales"} == {"v_region_totals"}
    assert {r.schema for r in mixed.relations} == {"Sales", "sales"}


def test_rows_are_the_named_tuples_psycopg_makes(edge_dsn):
    with psycopg.connect(edge_dsn) as conn:
        sql = "SELECT relname AS name, relnatts AS columns, NULL AS comment FROM pg_class ORDER BY oid LIMIT 50"
        ours = conn.cursor(row_factory=named_rows).execute(sql).fetchall()
        theirs = conn.cursor(row_factory=namedtuple_row).execute(sql).fetchall()
    assert ours == theirs and ours[0]._fields == theirs[0]._fields == ("name", "columns", "comment")
    assert ours[0].name == theirs[0].name and ours[-1]._asdict() == theirs[-1]._asdict()
