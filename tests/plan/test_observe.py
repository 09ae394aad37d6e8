"""What the observer sees each statement do, on a throwaway copy of a small real database.

Each case asserts the exact locks (relation and mode, as pg_locks spells them), rewrites and
scans. Where PostgreSQL's behaviour differs between versions, the test branches on the
server's version_num and says why. Runs on the suite's server, on the system PostgreSQL
(Makefile CATALOG_TESTS) and on 14 and 18 (scripts/test-pg-version.sh).
"""

from __future__ import annotations

import psycopg
import pytest

from schemadocs.plan.model import Observation, Transaction
from schemadocs.plan.observe import Observed, observe
from schemadocs.plan.split import split_text

FIXTURE = """
CREATE SCHEMA app;
CREATE TABLE app.customers (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE app.orders (id int PRIMARY KEY, customer_id int, total int, note varchar(10));
CREATE INDEX orders_total_idx ON app.orders (total);
CREATE TYPE app.status AS ENUM ('new', 'paid');
INSERT INTO app.customers SELECT g, 'c' || g FROM generate_series(1, 100) g;
INSERT INTO app.orders SELECT g, 1 + g % 100, g, 'n' FROM generate_series(1, 1000) g;
CREATE VIEW app.order_customers AS SELECT id, customer_id FROM app.orders;
ANALYZE;
"""
AEL, SL, SUE, SRE = "AccessExclusiveLock", "ShareLock", "ShareUpdateExclusiveLock", "ShareRowExclusiveLock"
ORDERS, PKEY, TOTAL_IDX, CUSTOMERS = "app.orders", "app.orders_pkey", "app.orders_total_idx", "app.customers"


@pytest.fixture(scope="module")
def source(new_database) -> str:
    return new_database(FIXTURE, prefix="plan")


@pytest.fixture(scope="module")
def version(source: str) -> int:
    with psycopg.connect(source) as conn:
        return int(conn.execute("SHOW server_version_num").fetchone()[0])


def run(source: str, sql: str, transaction: Transaction = Transaction.PER_FILE) -> Observed:
    return observe(source, split_text(sql, "m.sql"), transaction=transaction)


def locks(o: Observation) -> dict[str, str]:
    return {lk.relation: lk.mode.value for lk in o.locks}


def seen(o: Observation) -> tuple[dict[str, str], tuple[str, ...], tuple[str, ...]]:
    assert o.error is None, o.error
    return locks(o), o.rewrites, o.scans


def test_nullable_column_locks_the_table_without_rewrite_or_scan(source: str) -> None:
    done = run(source, "ALTER TABLE app.orders ADD COLUMN discount int;")
    assert done.method == "copy"
    (o,) = done.observations
    assert seen(o) == ({ORDERS: AEL}, (), ())
    assert o.observed and o.note is None
    assert [(c.object, c.name, c.action) for c in o.changes] == [("column", "app.orders.discount", "added")]
    assert dict(o.sizes)[ORDERS] > 8192


def test_volatile_default_rewrites_table_and_indexes(source: str) -> None:
    (o,) = run(source, "ALTER TABLE app.orders ADD COLUMN r float DEFAULT random();").observations
    assert seen(o) == ({ORDERS: AEL, PKEY: AEL, TOTAL_IDX: AEL}, (ORDERS, PKEY, TOTAL_IDX), ())


def test_constant_default_does_not_rewrite(source: str) -> None:
    # No rewrite since PostgreSQL 11 (the default is kept in pg_attribute.attmissingval).
    (o,) = run(source, "ALTER TABLE app.orders ADD COLUMN c int NOT NULL DEFAULT 5;").observations
    assert seen(o) == ({ORDERS: AEL}, (), ())


def test_int_to_bigint_rewrites_table_and_its_indexes(source: str) -> None:
    # The index on the column is dropped and built again under its name: a rewrite too.
    (o,) = run(source, "ALTER TABLE app.orders ALTER COLUMN total TYPE bigint;").observations
    assert seen(o) == ({ORDERS: AEL, PKEY: AEL, TOTAL_IDX: AEL}, (ORDERS, PKEY, TOTAL_IDX), ())
    assert [c.text for c in o.changes] == ["column app.orders.total: type integer → bigint"]


def test_widening_a_varchar_neither_rewrites_nor_scans(source: str) -> None:
    (o,) = run(source, "ALTER TABLE app.orders ALTER COLUMN note TYPE varchar(40);").observations
    assert seen(o) == ({ORDERS: AEL}, (), ())


def test_widening_an_indexed_varchar_keeps_the_index_file(source: str) -> None:
    # The index on the column is recreated under a new OID, but on its old file: no rewrite.
    _, o = run(source, "CREATE INDEX orders_note_idx ON app.orders (note);"
                          "ALTER TABLE app.orders ALTER COLUMN note TYPE varchar(40);").observations
    assert seen(o) == ({ORDERS: AEL, "app.orders_note_idx": AEL}, (), ())


def test_plain_index_blocks_writes_and_scans(source: str) -> None:
    (o,) = run(source, "CREATE INDEX orders_customer_idx ON app.orders (customer_id);").observations
    assert seen(o) == ({ORDERS: SL}, (), (ORDERS,))
    assert o.locks[0].blocks == "writes"


def test_concurrent_index_is_run_outside_a_transaction_and_documented(source: str, version: int) -> None:
    (o,) = run(source, "CREATE INDEX CONCURRENTLY orders_customer_idx ON app.orders (customer_id);").observations
    assert not o.statement.transactional and not o.observed
    assert "CREATE INDEX CONCURRENTLY" in (o.note or "") and "documents" in (o.note or "")
    # Scans are read from the reported statistics after pg_stat_force_next_flush(), new in 15;
    # PostgreSQL 14's statistics collector reports late, so no scan is claimed there.
    expected_scans = (ORDERS,) if version >= 150000 else ()
    assert seen(o) == ({ORDERS: SUE}, (), expected_scans)
    assert o.locks[0].blocks == "nothing"
    assert [(c.object, c.action) for c in o.changes] == [("index", "added")]  # it did run on the copy


def test_validated_foreign_key_scans_both_tables(source: str) -> None:
    (o,) = run(source, "ALTER TABLE app.orders ADD CONSTRAINT orders_customer_fk "
                       "FOREIGN KEY (customer_id) REFERENCES app.customers;").observations
    found, rewrites, scans = seen(o)
    # The validating query opens the tables' indexes for planning: ACCESS SHARE on each.
    assert found == {ORDERS: SRE, CUSTOMERS: SRE, PKEY: "AccessShareLock", TOTAL_IDX: "AccessShareLock",
                     "app.customers_pkey": "AccessShareLock"}
    assert (rewrites, scans) == ((), (CUSTOMERS, ORDERS))


def test_not_valid_then_validate(source: str) -> None:
    added, validated = run(source, """
        ALTER TABLE app.orders ADD CONSTRAINT orders_customer_fk
            FOREIGN KEY (customer_id) REFERENCES app.customers NOT VALID;
        ALTER TABLE app.orders VALIDATE CONSTRAINT orders_customer_fk;
    """).observations
    assert seen(added) == ({ORDERS: SRE, CUSTOMERS: SRE}, (), ())
    found, rewrites, scans = seen(validated)
    # VALIDATE takes SHARE UPDATE EXCLUSIVE (blocks no reads or writes) on the table, ROW SHARE on the referenced one.
    assert found[ORDERS] == SUE and found[CUSTOMERS] == "RowShareLock"
    assert {m for r, m in found.items() if r not in (ORDERS, CUSTOMERS)} == {"AccessShareLock"}
    assert (rewrites, scans) == ((), (CUSTOMERS, ORDERS))


def test_set_not_null_scans_unless_a_validated_check_proves_it(source: str) -> None:
    plain, = run(source, "ALTER TABLE app.orders ALTER COLUMN customer_id SET NOT NULL;").observations
    assert seen(plain) == ({ORDERS: AEL}, (), (ORDERS,))
    check, set_not_null = run(source, """
        ALTER TABLE app.orders ADD CONSTRAINT customer_present CHECK (customer_id IS NOT NULL);
        ALTER TABLE app.orders ALTER COLUMN customer_id SET NOT NULL;
    """).observations
    assert seen(check) == ({ORDERS: AEL}, (), (ORDERS,))
    assert seen(set_not_null) == ({ORDERS: AEL}, (), ())  # since PostgreSQL 12: the CHECK proves it


def test_enum_value_added_locks_no_relation(source: str) -> None:
    (o,) = run(source, "ALTER TYPE app.status ADD VALUE 'void';").observations
    assert seen(o) == ({}, (), ())
    assert [c.text for c in o.changes] == ["enum app.status: label void added"]


def test_table_renamed(source: str) -> None:
    (o,) = run(source, "ALTER TABLE app.customers RENAME TO clients;").observations
    assert seen(o) == ({CUSTOMERS: AEL}, (), ())  # named as it was before the statement
    assert [(c.action, c.severity) for c in o.changes] == [("renamed", "breaking")]


def test_earlier_locks_do_not_hide_later_ones(source: str) -> None:
    added, indexed = run(source, """
        ALTER TABLE app.orders ADD COLUMN flag boolean;
        CREATE INDEX orders_flag_idx ON app.orders (flag);
    """).observations
    assert seen(added) == ({ORDERS: AEL}, (), ())
    assert seen(indexed) == ({ORDERS: SL}, (), (ORDERS,))


def test_created_relations_are_not_reported(source: str) -> None:
    (o,) = run(source, "CREATE TABLE app.refunds (id int PRIMARY KEY, order_id int REFERENCES app.orders);").observations
    assert seen(o) == ({ORDERS: SRE}, (), ())


def test_failing_statement_stops_the_plan(source: str) -> None:
    done = run(source, "ALTER TABLE app.orders ADD COLUMN x int;\n\nALTER TABLE app.nope ADD COLUMN y int;\n"
                       "ALTER TABLE app.orders ADD COLUMN z int;")
    assert [o.statement.line for o in done.observations] == [1, 3]
    assert done.observations[0].error is None
    assert done.observations[1].error == 'relation "app.nope" does not exist'


def test_lock_timeout_set_by_the_file_carries_over(source: str) -> None:
    first, second, third = run(source, """
        SET lock_timeout = '3s';
        ALTER TABLE app.orders ADD COLUMN a int;
        ALTER TABLE app.orders ADD COLUMN b int;
    """).observations
    assert (first.lock_timeout_ms, second.lock_timeout_ms, third.lock_timeout_ms) == (0, 3000, 3000)


def test_set_local_lasts_to_the_end_of_the_file_per_file_only(source: str) -> None:
    sql = "SET LOCAL lock_timeout = '500ms';\nALTER TABLE app.orders ADD COLUMN b int;"
    per_file = run(source, sql, Transaction.PER_FILE).observations
    per_statement = run(source, sql, Transaction.PER_STATEMENT).observations
    assert per_file[1].lock_timeout_ms == 500
    assert per_statement[1].lock_timeout_ms == 0


def test_server_wide_statements_are_not_run_on_the_copy(source: str, pg_server: str) -> None:
    (o,) = run(source, "CREATE ROLE schemadocs_plan_never_created;").observations
    assert not o.observed and "not run" in (o.note or "")
    with psycopg.connect(pg_server) as conn:
        assert conn.execute("SELECT count(*) FROM pg_roles WHERE rolname = 'schemadocs_plan_never_created'"
                            ).fetchone() == (0,)


def test_no_copy_is_left_behind(source: str, pg_server: str) -> None:
    run(source, "ALTER TABLE app.orders ADD COLUMN a int;\nSELECT 1/0;")
    with psycopg.connect(pg_server) as conn:
        assert conn.execute("SELECT datname FROM pg_database WHERE datname LIKE 'schemadocs\\_plan\\_%'"
                            ).fetchall() == []
