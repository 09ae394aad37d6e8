"""Hand-built observations for the judge's and the formats' tests: plain data, as the observer
would report them for a representative migration (no PostgreSQL needed to judge them)."""

from __future__ import annotations

from schemadocs.plan.judge import judge
from schemadocs.plan.model import ChangeNote, Lock, LockMode, Observation, Plan, Statement, Transaction

AE, SRE, SH, SUE = (LockMode.ACCESS_EXCLUSIVE, LockMode.SHARE_ROW_EXCLUSIVE, LockMode.SHARE,
                    LockMode.SHARE_UPDATE_EXCLUSIVE)
GB = 1024 ** 3
MB = 1024 ** 2
SIZES = (("app.customers", 50 * MB), ("app.orders", 2 * GB), ("app.orders_pkey", 400 * MB))


def observation(sql: str, line: int, *locks: tuple[str, LockMode], file: str = "migrations/0042_orders.sql",
                rewrites: tuple[str, ...] = (), scans: tuple[str, ...] = (), lock_timeout_ms: int = 0,
                changes: tuple[ChangeNote, ...] = (), observed: bool = True, note: str | None = None,
                transactional: bool = True, error: str | None = None,
                sizes: tuple[tuple[str, int], ...] = SIZES) -> Observation:
    return Observation(Statement(file, line, sql, transactional), tuple(Lock(r, m) for r, m in locks), rewrites,
                       scans, changes, observed, note, lock_timeout_ms, sizes, error)


def representative() -> tuple[Observation, ...]:
    """Two files: the first in one transaction does everything the wrong way, the second right."""
    renamed = ChangeNote("table", "app.clients", "renamed", "breaking",
                         "table app.customers renamed to app.clients", ("app.customer_report",))
    second = "migrations/0043_index.sql"
    return (
        observation("ALTER TABLE app.orders ADD COLUMN note text", 1, ("app.orders", AE)),
        observation("CREATE INDEX orders_customer_idx ON app.orders (customer_id)", 3, ("app.orders", SH),
                    scans=("app.orders",),
                    changes=(ChangeNote("index", "app.orders.orders_customer_idx", "added", "safe",
                                        "index app.orders.orders_customer_idx added"),)),
        observation("ALTER TABLE app.orders\n  ALTER COLUMN id TYPE bigint", 5, ("app.orders", AE),
                    ("app.orders_pkey", AE), rewrites=("app.orders", "app.orders_pkey")),
        observation("ALTER TABLE app.orders ADD CONSTRAINT orders_customer_fkey FOREIGN KEY (customer_id) "
                    "REFERENCES app.customers (id)", 8, ("app.customers", SRE), ("app.orders", SRE),
                    scans=("app.customers", "app.orders")),
        observation("ALTER TABLE app.customers RENAME TO clients", 10, ("app.customers", AE), changes=(renamed,)),
        observation("SET lock_timeout = '5s'", 1, file=second),
        observation("CREATE INDEX CONCURRENTLY orders_note_idx ON app.orders (note)", 2, ("app.orders", SUE),
                    file=second, observed=False, transactional=False, lock_timeout_ms=5000,
                    note="CREATE INDEX CONCURRENTLY cannot run in a transaction block: locks as documented"),
        observation("ALTER TABLE app.orders ALTER COLUMN note SET NOT NULL", 4, ("app.orders", AE),
                    scans=("app.orders",), file=second, lock_timeout_ms=5000),
    )


def representative_plan(transaction: Transaction = Transaction.PER_FILE) -> Plan:
    return judge(representative(), transaction=transaction, method="copy", server_version="16.4",
                 sizes_from="the database")
