"""Advice: the safer recipe per risky pattern, with the real names, and only where the pattern applies.

The recipes are run on a real PostgreSQL (a fresh database per case, with a hostile table
name) and must leave the schema the risky statement wanted: advice that does not run, or does
something else, is worse than none.
"""

from __future__ import annotations

import psycopg
import pglast
import pytest

from schemadocs.plan.advice import PATTERNS, advise
from schemadocs.plan.model import ChangeNote
from tests.plan.plans import AE, SH, SRE, observation

T = 'app."Or""ders"'  # quote_ident-qualified, as the observer names it
SCHEMA = """
CREATE SCHEMA app;
CREATE TABLE app.customers (id int PRIMARY KEY);
CREATE TABLE app."Or""ders" (id int PRIMARY KEY, customer_id int, note text, amount int);
INSERT INTO app.customers SELECT g FROM generate_series(1, 50) g;
INSERT INTO app."Or""ders" SELECT g, 1 + g % 50, 'n' || g, g FROM generate_series(1, 200) g;
"""


def run(dsn: str, sql: str) -> None:
    """Each statement of a recipe on its own, in autocommit (as a careful migration would run them)."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        for statement in pglast.split(sql):
            conn.execute(statement)


def one(dsn: str, query: str, *args):
    with psycopg.connect(dsn) as conn:
        return conn.execute(query, args).fetchone()


CASES = {
    "index": ('CREATE INDEX "Or""ders_note" ON app."Or""ders" (lower(note)) WHERE amount > 0',
              dict(locks=((T, SH),), scans=(T,)),
              "SELECT indisvalid FROM pg_index WHERE indexrelid = 'app.\"Or\"\"ders_note\"'::regclass", (True,)),
    "foreign key": ('ALTER TABLE app."Or""ders" ADD FOREIGN KEY (customer_id) REFERENCES app.customers (id)',
                    dict(locks=((T, SRE), ("app.customers", SRE)), scans=(T, "app.customers")),
                    "SELECT convalidated FROM pg_constraint WHERE contype = 'f' AND conrelid = "
                    "'app.\"Or\"\"ders\"'::regclass", (True,)),
    "check": ('ALTER TABLE app."Or""ders" ADD CONSTRAINT positive CHECK (amount > 0)',
              dict(locks=((T, AE),), scans=(T,)),
              "SELECT convalidated FROM pg_constraint WHERE conname = 'positive'", (True,)),
    "set not null": ('ALTER TABLE app."Or""ders" ALTER COLUMN note SET NOT NULL',
                     dict(locks=((T, AE),), scans=(T,)),
                     "SELECT attnotnull, (SELECT count(*) FROM pg_constraint WHERE conrelid = attrelid AND contype = 'c')"
                     " FROM pg_attribute WHERE attrelid = 'app.\"Or\"\"ders\"'::regclass AND attname = 'note'",
                     (True, 0)),
    "type": ('ALTER TABLE app."Or""ders" ALTER COLUMN amount TYPE bigint',
             dict(locks=((T, AE),), rewrites=(T,)),
             "SELECT format_type(atttypid, atttypmod), (SELECT sum(amount) FROM app.\"Or\"\"ders\")::int "
             "FROM pg_attribute WHERE attrelid = 'app.\"Or\"\"ders\"'::regclass AND attname = 'amount'",
             ("bigint", 20100)),
    "type using": ('ALTER TABLE app."Or""ders" ALTER COLUMN note TYPE int USING length(note)',
                   dict(locks=((T, AE),), rewrites=(T,)),
                   "SELECT format_type(atttypid, atttypmod), (SELECT max(note) FROM app.\"Or\"\"ders\") "
                   "FROM pg_attribute WHERE attrelid = 'app.\"Or\"\"ders\"'::regclass AND attname = 'note'",
                   ("integer", 4)),
    "volatile default": ('ALTER TABLE app."Or""ders" ADD COLUMN seen timestamptz DEFAULT clock_timestamp()',
                         dict(locks=((T, AE),), rewrites=(T,)),
                         "SELECT count(*) FILTER (WHERE seen IS NULL), pg_get_expr(adbin, adrelid) "
                         "FROM app.\"Or\"\"ders\", pg_attrdef WHERE adrelid = 'app.\"Or\"\"ders\"'::regclass "
                         "GROUP BY 2", (0, "clock_timestamp()")),
    "rename table": ('ALTER TABLE app."Or""ders" RENAME TO orders',
                     dict(locks=((T, AE),)),
                     "SELECT (SELECT count(*) FROM app.\"Or\"\"ders\"), (SELECT count(*) FROM app.orders)",
                     (200, 200)),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_recipe_runs_on_postgresql_and_reaches_the_same_schema(case, new_database):
    sql, seen, query, expected = CASES[case]
    o = observation(sql, 1, *seen.pop("locks"), **seen)
    advice = advise(o)
    assert advice is not None and "SET lock_timeout = '5s';" in advice  # no lock_timeout was in force
    assert T in advice  # the real name, quoted
    dsn = new_database(SCHEMA, prefix="advice")
    run(dsn, advice)
    assert one(dsn, query) == expected


def test_rename_table_view_takes_writes_under_the_old_name(new_database):
    dsn = new_database(SCHEMA, prefix="advice")
    run(dsn, advise(observation('ALTER TABLE app."Or""ders" RENAME TO orders', 1, (T, AE))))
    run(dsn, 'INSERT INTO app."Or""ders" (id) VALUES (1000)')
    assert one(dsn, "SELECT count(*) FROM app.orders WHERE id = 1000") == (1,)


def test_no_advice_where_the_pattern_does_not_apply():
    timeout = dict(lock_timeout_ms=5000)
    # SET NOT NULL that skipped its scan (a validated CHECK proved it), a binary-compatible type change,
    # a constant default (no rewrite), NOT VALID, CONCURRENTLY: nothing to make safer
    assert advise(observation(f"ALTER TABLE {T} ALTER COLUMN note SET NOT NULL", 1, (T, AE), **timeout)) is None
    assert advise(observation(f"ALTER TABLE {T} ALTER COLUMN note TYPE varchar(500)", 1, (T, AE), **timeout)) is None
    assert advise(observation(f"ALTER TABLE {T} ADD COLUMN x int DEFAULT 0", 1, (T, AE), **timeout)) is None
    assert advise(observation(f"ALTER TABLE {T} ADD CHECK (amount > 0) NOT VALID", 1, (T, AE), **timeout)) is None
    assert advise(observation(f"CREATE INDEX CONCURRENTLY i ON {T} (note)", 1, (T, SH),
                              **timeout)) is None
    # a table the migration created: an index on it is fine
    assert advise(observation(f"CREATE INDEX i ON {T} (note)", 1, (T, SH), scans=(T,), **timeout),
                  created=frozenset({T})) is None
    # a blocking lock without lock_timeout, and no other pattern: the statement, behind SET lock_timeout
    assert advise(observation(f"ALTER TABLE {T} ADD COLUMN x int", 1, (T, AE))).endswith(
        f"SET lock_timeout = '5s';\nALTER TABLE {T} ADD COLUMN x int;")


def test_unnamed_constraint_gets_a_name_to_validate_by():
    advice = advise(observation("ALTER TABLE app.orders ADD FOREIGN KEY (customer_id) REFERENCES app.customers",
                                1, ("app.orders", SRE), scans=("app.orders",), lock_timeout_ms=5000))
    assert "ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY" in advice and "NOT VALID;" in advice
    assert "ALTER TABLE app.orders VALIDATE CONSTRAINT orders_customer_id_fkey;" in advice


def test_unqualified_statement_gets_the_observed_schema():
    advice = advise(observation("CREATE INDEX i ON orders (note)", 1, ("sales.orders", SH), scans=("sales.orders",),
                                lock_timeout_ms=5000))
    assert "CREATE INDEX CONCURRENTLY i ON sales.orders (note);" in advice
    advice = advise(observation("ALTER TABLE orders ALTER COLUMN note SET NOT NULL", 1, ("sales.orders", AE),
                                scans=("sales.orders",), lock_timeout_ms=5000))
    assert "ALTER TABLE sales.orders VALIDATE CONSTRAINT orders_note_not_null;" in advice


def test_rename_column_is_expand_contract_and_names_the_broken_views():
    change = ChangeNote("column", "app.orders.total", "renamed", "breaking", "column renamed", ("app.v", "app.w"))
    advice = advise(observation("ALTER TABLE app.orders RENAME COLUMN amount TO total", 1, ("app.orders", AE),
                                changes=(change,), lock_timeout_ms=5000))
    assert "ALTER TABLE app.orders ADD COLUMN total" in advice
    assert "recreate the views that use amount: app.v, app.w" in advice
    assert "DROP COLUMN amount" in advice


def test_hostile_names_cannot_escape_a_comment():
    nasty = 'x\nDROP TABLE app.customers; --*/'
    quoted = '"x\nDROP TABLE app.customers; --*/"'
    advice = advise(observation(f"ALTER TABLE app.t ALTER COLUMN {quoted} TYPE bigint", 1, ("app.t", AE),
                                rewrites=("app.t",), lock_timeout_ms=5000))
    kinds = {type(raw.stmt).__name__ for raw in pglast.parse_sql(advice)}
    assert kinds == {"AlterTableStmt", "UpdateStmt", "RenameStmt"}  # the name stayed a name: no DROP slipped out of a comment
    assert 'DROP COLUMN "x DROP TABLE app.customers; --* /_old"' in advice  # in comments: shown, not obeyed
    assert nasty in advice  # in SQL: the exact name, quoted


def test_patterns_table_covers_every_recipe():
    assert len(PATTERNS) == 8 and len({p[0] for p in PATTERNS}) == 8
