"""The file as a whole: held locks, locks held across long work, lock_timeout and deadlock warnings."""

from __future__ import annotations

from pglast import parse_sql

from schemadocs.plan.judge import judge
from schemadocs.plan.model import HeldLock, Risk, Transaction
from tests.plan.plans import AE, GB, MB, SH, SUE, observation, representative, representative_plan

FILE = "migrations/0042_orders.sql"


def plan_of(*observations, transaction=Transaction.PER_FILE):
    return judge(observations, transaction=transaction, method="copy", server_version="16.4")


def test_held_locks_are_the_strongest_per_relation_taken_first_and_held_for_the_later_statements():
    plan = representative_plan()
    held = {(h.relation, plan.statements[h.statement].observation.statement.file): h for h in plan.held}
    orders = held[("app.orders", FILE)]
    assert orders.mode is AE and orders.statement == 0  # line 1 took ACCESS EXCLUSIVE first
    assert orders.held_seconds == round(sum(s.estimate_seconds for s in plan.statements[1:5]), 3)
    assert held[("app.customers", FILE)] == HeldLock("app.customers", AE, 4, 0.0)
    # the second file holds its own locks: its ACCESS EXCLUSIVE is the last statement's, held for nothing after
    assert held[("app.orders", "migrations/0043_index.sql")] == HeldLock("app.orders", AE, 7, 0.0)


def test_a_later_long_scan_under_an_earlier_lock_is_raised_to_high_and_says_which():
    small = (("app.orders", 1 * MB), ("app.big", 3 * GB))
    plan = plan_of(observation("ALTER TABLE app.orders ADD COLUMN x int", 1, ("app.orders", AE), lock_timeout_ms=5000,
                               sizes=small),
                   observation("ALTER TABLE app.big VALIDATE CONSTRAINT c", 2, ("app.big", SUE), scans=("app.big",),
                               sizes=small, lock_timeout_ms=5000))
    first, second = plan.statements
    assert first.risk is Risk.LOW
    assert second.risk is Risk.HIGH
    assert second.reasons == ("per-file transaction: earlier locks are still held while it scans app.big (3.0 GB): "
                              "AccessExclusiveLock on app.orders (blocks reads and writes, line 1)",)
    assert "commit before this statement" in second.advice and "line 1" in second.advice
    [warning] = plan.warnings
    assert (warning.statement, warning.risk) == (0, Risk.HIGH)
    assert "app.orders" in warning.message and "scans app.big (3.0 GB) at line 2" in warning.message
    assert plan.held[0].held_seconds == second.estimate_seconds > 0


def test_not_valid_then_validate_in_one_file_is_the_mistake_it_catches():
    big = (("app.orders", 2 * GB),)
    plan = plan_of(observation("ALTER TABLE app.orders ADD CONSTRAINT c CHECK (x > 0) NOT VALID", 1,
                               ("app.orders", AE), lock_timeout_ms=5000, sizes=big),
                   observation("ALTER TABLE app.orders VALIDATE CONSTRAINT c", 2, ("app.orders", SUE),
                               scans=("app.orders",), lock_timeout_ms=5000, sizes=big))
    assert [s.risk for s in plan.statements] == [Risk.LOW, Risk.HIGH]
    per_statement = plan_of(*(s.observation for s in plan.statements), transaction=Transaction.PER_STATEMENT)
    assert [s.risk for s in per_statement.statements] == [Risk.LOW, Risk.LOW]


def test_per_statement_holds_nothing_beyond_the_statement_and_warns_only_about_lock_timeout():
    plan = representative_plan(Transaction.PER_STATEMENT)
    assert plan.held == ()
    assert [(w.statement, w.risk) for w in plan.warnings] == [(0, Risk.MEDIUM)]
    assert "no lock_timeout set earlier in the file" in plan.warnings[0].message
    per_file = representative_plan()
    assert any("per-file transaction" in r for s in per_file.statements for r in s.reasons)
    assert not any("per-file transaction" in r for s in plan.statements for r in s.reasons)
    assert [s.risk for s in plan.statements][:3] == [Risk.MEDIUM, Risk.HIGH, Risk.HIGH]


def test_lock_timeout_warning_is_once_per_file_on_the_first_statement_and_counts_the_rest():
    plan = representative_plan()
    timeouts = [w for w in plan.warnings if "lock_timeout" in w.message]
    assert [(w.file, w.statement) for w in timeouts] == [(FILE, 0)]  # the second file sets one first
    assert "4 later statement(s)" in timeouts[0].message
    assert "SET lock_timeout = '5s';" in timeouts[0].advice


def test_deadlock_warning_names_the_order_and_the_lock_table_advice_parses():
    plan = representative_plan()
    [deadlock] = [w for w in plan.warnings if "deadlock" in w.message]
    assert deadlock.statement == 4 and deadlock.risk is Risk.HIGH  # app.orders is large
    assert "in this order: app.orders (line 1), then app.customers (line 10)" in deadlock.message
    assert "LOCK TABLE app.orders, app.customers IN ACCESS EXCLUSIVE MODE;" in deadlock.advice
    assert parse_sql(deadlock.advice)


def test_deadlock_is_medium_on_small_tables_and_ignores_indexes_and_new_tables():
    small = (("app.a", MB), ("app.b", MB), ("app.a_pkey", MB))
    plan = plan_of(observation("ALTER TABLE app.a ALTER COLUMN id TYPE bigint", 1, ("app.a", AE), ("app.a_pkey", AE),
                               rewrites=("app.a", "app.a_pkey"), sizes=small, lock_timeout_ms=5000),
                   observation("ALTER TABLE b ADD COLUMN x int", 2, ("app.b", AE), sizes=small, lock_timeout_ms=5000))
    [deadlock] = [w for w in plan.warnings if "deadlock" in w.message]
    assert deadlock.risk is Risk.MEDIUM
    assert "app.a (line 1), then app.b (line 2)" in deadlock.message  # b resolved through the observed lock
    one_table = plan_of(plan.statements[0].observation)
    assert not [w for w in one_table.warnings if "deadlock" in w.message]  # its index is not a second table


def test_files_are_judged_separately():
    obs = representative()
    plan = plan_of(*obs)
    second_file = [w for w in plan.warnings if w.file == "migrations/0043_index.sql"]
    assert second_file == []  # it sets lock_timeout first and takes one table's lock
    assert plan.statements[7].risk is Risk.HIGH  # SET NOT NULL scanning 2 GB under ACCESS EXCLUSIVE, on its own


def test_a_share_lock_before_the_stronger_one_still_counts_across_long_work():
    sizes = (("app.t", MB), ("app.big", 2 * GB))
    plan = plan_of(observation("CREATE INDEX i ON app.t (x)", 1, ("app.t", SH), scans=("app.t",), sizes=sizes,
                               lock_timeout_ms=5000),
                   observation("ALTER TABLE app.big VALIDATE CONSTRAINT c", 2, ("app.big", SUE), scans=("app.big",),
                               sizes=sizes, lock_timeout_ms=5000),
                   observation("ALTER TABLE app.t ADD COLUMN y int", 3, ("app.t", AE), sizes=sizes, lock_timeout_ms=5000))
    assert plan.statements[1].risk is Risk.HIGH
    assert "ShareLock on app.t (blocks writes, line 1)" in plan.statements[1].reasons[-1]
    [held] = [h for h in plan.held if h.relation == "app.t"]
    assert (held.mode, held.statement) == (AE, 2)
