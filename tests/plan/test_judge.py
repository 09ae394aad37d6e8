"""The judge's risk rules, estimates and reasons, on hand-built observations (plain data)."""

from __future__ import annotations

from schemadocs.plan import throughput
from schemadocs.plan.judge import judge, rounded
from schemadocs.plan.model import ChangeNote, Risk, Transaction
from schemadocs.plan.render import render
from tests.plan.plans import AE, GB, MB, SH, SRE, SUE, observation, representative_plan

BIG = (("app.orders", 2 * GB),)
SMALL = (("app.orders", 1 * MB),)


def one(o, sizes=None, transaction=Transaction.PER_FILE):
    plan = judge([o], transaction=transaction, method="copy", server_version="16.4", sizes=sizes)
    return plan.statements[0]


def test_blocking_lock_over_a_large_rewrite_is_high_with_the_estimate():
    s = one(observation("ALTER TABLE app.orders ALTER COLUMN id TYPE bigint", 1, ("app.orders", AE),
                        rewrites=("app.orders",), sizes=BIG, lock_timeout_ms=1000))
    assert s.risk is Risk.HIGH
    assert s.estimate_seconds == rounded(2 * GB / throughput.REWRITE_BYTES_PER_SECOND)
    assert "rewrites app.orders (2.0 GB" in s.reasons[0] and "large" in s.reasons[0]


def test_scan_estimate_uses_the_scan_throughput_and_adds_up():
    s = one(observation("ALTER TABLE app.orders ADD CONSTRAINT c CHECK (x > 0)", 1, ("app.orders", AE),
                        rewrites=("app.orders",), scans=("app.orders",), sizes=BIG, lock_timeout_ms=1000))
    expected = 2 * GB / throughput.REWRITE_BYTES_PER_SECOND + 2 * GB / throughput.SCAN_BYTES_PER_SECOND
    assert s.estimate_seconds == float(f"{expected:.2g}")


def test_small_table_with_blocking_lock_is_medium():
    s = one(observation("CREATE INDEX i ON app.orders (x)", 1, ("app.orders", SH), scans=("app.orders",),
                        sizes=SMALL))
    assert s.risk is Risk.MEDIUM


def test_sizes_from_the_snapshot_override_the_database():
    o = observation("CREATE INDEX i ON app.orders (x)", 1, ("app.orders", SH), scans=("app.orders",), sizes=SMALL)
    assert one(o).risk is Risk.MEDIUM
    assert one(o, sizes={"app.orders": 5 * GB}).risk is Risk.HIGH
    assert one(o, sizes={"app.other": 5 * GB}).risk is Risk.MEDIUM  # not this table: the database's size stands


def test_non_blocking_lock_over_a_large_scan_is_low():
    s = one(observation("ALTER TABLE app.orders VALIDATE CONSTRAINT c", 1, ("app.orders", SUE),
                        scans=("app.orders",), sizes=BIG))
    assert s.risk is Risk.LOW and s.advice is None
    assert s.estimate_seconds > 1


def test_access_exclusive_without_lock_timeout_is_medium_with_advice():
    o = observation("ALTER TABLE app.orders ADD COLUMN note text", 1, ("app.orders", AE), sizes=BIG)
    s = one(o)
    assert s.risk is Risk.MEDIUM
    assert "no lock_timeout" in s.reasons[0]
    assert "SET lock_timeout = '5s';" in s.advice and s.advice.rstrip().endswith("ADD COLUMN note text;")
    with_timeout = one(observation("ALTER TABLE app.orders ADD COLUMN note text", 1, ("app.orders", AE),
                                   sizes=BIG, lock_timeout_ms=5000))
    assert with_timeout.risk is Risk.LOW and with_timeout.reasons == () and with_timeout.advice is None


def test_share_row_exclusive_without_timeout_and_no_work_is_low():
    s = one(observation("CREATE TRIGGER t AFTER INSERT ON app.orders EXECUTE FUNCTION f()", 1,
                        ("app.orders", SRE), sizes=BIG))
    assert s.risk is Risk.LOW


def test_breaking_change_is_at_least_medium_and_names_what_breaks():
    change = ChangeNote("column", "app.orders.note", "removed", "breaking", "column app.orders.note removed",
                        ("app.v",))
    s = one(observation("ALTER TABLE app.orders DROP COLUMN note", 1, ("app.orders", AE), changes=(change,),
                        lock_timeout_ms=1000, sizes=BIG))
    assert s.risk is Risk.MEDIUM
    assert s.reasons == ("breaking: column app.orders.note removed (breaks app.v)",)


def test_locks_on_relations_the_migration_created_do_not_count():
    created = ChangeNote("table", "app.fresh", "added", "safe", "table app.fresh added")
    plan = judge([observation("CREATE TABLE app.fresh (id int)", 1, ("app.fresh", AE), changes=(created,)),
                  observation("CREATE INDEX i ON app.fresh (id)", 2, ("app.fresh", SH), scans=("app.fresh",),
                              sizes=(("app.fresh", 0),))],
                 transaction=Transaction.PER_FILE, method="copy", server_version="16.4")
    assert [s.risk for s in plan.statements] == [Risk.LOW, Risk.LOW]
    assert plan.held == () and plan.warnings == ()
    assert all(s.advice is None for s in plan.statements)


def test_not_observed_statement_is_judged_from_its_documented_locks():
    s = one(observation("CREATE INDEX CONCURRENTLY i ON app.orders (x)", 1, ("app.orders", SUE), observed=False,
                        note="documented", transactional=False, sizes=BIG))
    assert s.risk is Risk.LOW and s.reasons == ("not observed: documented",)


def test_failed_statement_says_so_in_every_format():
    o = observation("ALTER TABLE app.nope ADD COLUMN x int", 7, error='relation "app.nope" does not exist')
    plan = judge([o], transaction=Transaction.PER_FILE, method="copy", server_version="16.4")
    assert plan.failed is plan.statements[0]
    assert '  error     relation "app.nope" does not exist' in render(plan, "text")
    assert "a statement failed" in render(plan, "text").splitlines()[0]
    assert '- error: relation "app.nope" does not exist' in render(plan, "markdown")


def test_rounding_is_two_significant_figures_never_zero_for_work():
    assert rounded(0) == 0.0
    assert rounded(12.53) == 13.0
    assert rounded(0.00001) == 0.001
    assert rounded(0.01234) == 0.012


def test_plan_is_deterministic_and_assumptions_state_the_throughputs():
    a, b = representative_plan(), representative_plan()
    assert a == b
    assert a.assumptions.rewrite_bytes_per_second == throughput.REWRITE_BYTES_PER_SECOND
    assert a.assumptions.scan_bytes_per_second == throughput.SCAN_BYTES_PER_SECOND
    assert a.assumptions.large_bytes == throughput.LARGE_BYTES
    assert a.risk is Risk.HIGH
