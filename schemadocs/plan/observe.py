"""Watch each statement of a migration run, on its own, on a throwaway copy of the database.

In: a DSN, the `Statement`s (`split`), how the runner wraps them (`Transaction`) and the
observer's own timeouts. Out: `Observed`: one `Observation` per statement up to the first
that fails, the method that kept the database unchanged (`sandbox`) and the server version.

Per statement, in copy mode, the statements before it are already committed on the copy
and it runs in a fresh transaction of its own, so no lock an earlier statement took hides
one it takes (`probe.py` holds the queries):

1. before: the session's lock_timeout in force (`Observation.lock_timeout_ms`: SET statements
   earlier in the migration carry over, as they were replayed on the same session), the
   names and relfilenodes of every relation, `pg_stat_xact_user_tables.seq_scan`;
2. the statement;
3. after: this backend's relation locks in `pg_locks` (the strongest mode per relation),
   relfilenodes (changed: `rewrites`, tables and indexes) and seq_scan counters (grown:
   `scans`, tables read in full that were not rewritten, as a rewrite reads its table too);
   then COMMIT, and the copy introspected and diffed against the catalog before it.

Relations the statement created are left out (nobody else can see them yet); relations it
dropped keep their names from before. Statements that cannot run in a transaction block run
in autocommit (copy mode only): rewrites and scans are compared before and after (scans
need PostgreSQL 15's pg_stat_force_next_flush(); on 14 the statistics collector reports
late, so they are not observed), and their locks are PostgreSQL's documented ones, marked
`observed=False`. Statements that would change the whole server (roles, databases,
tablespaces) are not run on a copy at all. `SET LOCAL` lasts, on the copy, until the end
of its file with `--transaction per-file` and for its own statement with `per-statement`.

In rollback mode statement i runs after statements 0..i-1 are replayed in the same
transaction, which is then rolled back: a lock an earlier statement already holds in the
same mode cannot be told apart, which its `note` says; sizes are those before the migration.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass

import psycopg
import sqlalchemy
from sqlalchemy.pool import NullPool

from schemadocs.diff.describe import describe
from schemadocs.diff.diff import diff
from schemadocs.errors import ConnectionFailed
from schemadocs.introspect.connect import first_line, scrub
from schemadocs.introspect.introspect import read_catalog
from schemadocs.model import Catalog
from schemadocs.plan import probe
from schemadocs.plan.kinds import Kind, kind_of
from schemadocs.plan.model import ChangeNote, Lock, Observation, Statement, Transaction
from schemadocs.plan.sandbox import Sandbox, sandbox


@dataclass(frozen=True)
class Observed:
    observations: tuple[Observation, ...]
    method: str  # "copy" | "rollback"
    server_version: str


def observe(dsn: str, statements: Sequence[Statement], *, transaction: Transaction,
            lock_timeout_ms: int = 2_000, statement_timeout_ms: int = 600_000) -> Observed:
    """Run the statements on a throwaway copy of the DSN's database (or in rolled-back
    transactions on it) and say what each did; stops after the first that fails."""
    with sandbox(dsn) as box, _session(box) as (conn, sa):
        observer = _Observer(box, conn, sa, transaction, lock_timeout_ms, statement_timeout_ms)
        try:
            observations = observer.run(statements)
        except (psycopg.Error, sqlalchemy.exc.DBAPIError) as exc:  # the observer's own queries: a lost server, ...
            raise ConnectionFailed(f"planning on {box.database!r} failed: {scrub(first_line(exc), dsn)}; "
                                   "check that the server is up and retry") from None
    return Observed(tuple(observations), box.method, box.server_version)


class _Observer:
    def __init__(self, box: Sandbox, conn: psycopg.Connection, sa: sqlalchemy.Connection,
                 transaction: Transaction, lock_timeout_ms: int, statement_timeout_ms: int) -> None:
        self.box, self.conn, self.sa, self.transaction = box, conn, sa, transaction
        self.timeouts = (lock_timeout_ms, statement_timeout_ms)
        self.catalog: Catalog | None = None
        self.kinds: list[Kind] = []

    def run(self, statements: Sequence[Statement]) -> list[Observation]:
        self.kinds = [kind_of(s.sql) for s in statements]
        observations: list[Observation] = []
        self.catalog = self._introspect()
        self.conn.rollback()
        self.sizes = probe.sizes(self.conn) if self.box.method == "rollback" else {}
        self.conn.rollback()
        local: dict[str, str | None] = {}  # copy mode: SET LOCAL values in force, with the session's before them
        for i, statement in enumerate(statements):
            if i and statement.file != statements[i - 1].file:
                self._restore(local)
            if self.box.method == "copy":
                observation = self._copy_one(statement, self.kinds[i], local)
            else:
                observation = self._rollback_one(statements, i)
            observations.append(observation)
            if observation.error:
                break
        return observations

    # -- copy mode ---------------------------------------------------------------------
    def _copy_one(self, statement: Statement, kind: Kind, local: dict[str, str | None]) -> Observation:
        if kind.server_wide:
            return Observation(statement, observed=False, note=f"not run: {kind.server_wide}",
                               lock_timeout_ms=self._lock_timeout())
        if not statement.transactional:
            return self._autocommit_one(statement, kind)
        sizes = probe.sizes(self.conn)
        self.conn.rollback()
        before = self._before()
        error = self._execute(statement.sql)
        if error:
            return Observation(statement, lock_timeout_ms=before.lock_timeout_ms, error=error)
        observation = self._after(statement, before, sizes)
        set_local = probe.set_local_name(statement.sql)
        values = {set_local: probe.setting(self.conn, set_local)} if set_local else {}
        self.conn.commit()
        if set_local and self.transaction is Transaction.PER_FILE:
            local.setdefault(set_local, probe.setting(self.conn, set_local))
            probe.set_session(self.conn, set_local, values[set_local])
            self.conn.commit()
        return self._with_changes(observation)

    def _autocommit_one(self, statement: Statement, kind: Kind) -> Observation:
        lock_timeout_ms = self._lock_timeout()
        sizes = probe.sizes(self.conn)
        names = probe.relations(self.conn)
        locks = probe.documented_locks(self.conn, kind, names)
        self.conn.rollback()
        flushable = self.box.server_version_num >= 150000
        self.conn.autocommit = True
        try:
            scans_before = probe.flushed_scans(self.conn) if flushable else {}
            try:
                self.conn.execute(statement.sql, prepare=False)
            except psycopg.Error as exc:
                return Observation(statement, lock_timeout_ms=lock_timeout_ms, error=_message(exc))
            scans_after = probe.flushed_scans(self.conn) if flushable else {}
        finally:
            self.conn.autocommit = False
        after = probe.relations(self.conn)
        self.conn.rollback()
        rewrites = probe.rewrites(names, after)
        scans = probe.scans(names, scans_before, scans_after, rewrites)
        what = kind.label or "it"
        note = (f"not observed: PostgreSQL runs {what} outside a transaction block, so its locks cannot be read "
                "from pg_locks; the locks shown are the ones PostgreSQL documents for it")
        if not flushable:
            note += "; full scans are not observed on PostgreSQL 14 (its statistics collector reports late)"
        if kind.all_tables:
            note += "; it works on every table of the database in turn"
        observation = Observation(statement, locks=locks, rewrites=rewrites, scans=scans, observed=False, note=note,
                                  lock_timeout_ms=lock_timeout_ms,
                                  sizes=_sizes_of(sizes, locks, rewrites, scans))
        return self._with_changes(observation)

    def _restore(self, local: dict[str, str | None]) -> None:
        """At the end of a file (per-file transactions), the settings its SET LOCALs changed."""
        for name, value in local.items():
            probe.set_session(self.conn, name, value)
        self.conn.commit()
        local.clear()

    # -- rollback mode -------------------------------------------------------------------
    def _rollback_one(self, statements: Sequence[Statement], i: int) -> Observation:
        statement, kind = statements[i], self.kinds[i]
        try:
            for j in range(i):
                if statements[j].transactional:
                    self.conn.execute(statements[j].sql, prepare=False)
            if not statement.transactional:
                return Observation(statement, observed=False, lock_timeout_ms=probe.lock_timeout_ms_of(self.conn),
                                   locks=probe.documented_locks(self.conn, kind, probe.relations(self.conn)),
                                   note="not run: in rollback mode a statement that cannot run in a transaction "
                                        "block is not run; the locks shown are the ones PostgreSQL documents for it")
            before = self._before()
            error = self._execute(statement.sql)
            if error:
                return Observation(statement, lock_timeout_ms=before.lock_timeout_ms, error=error)
            observation = self._after(statement, before, self.sizes)
            held = sorted({name for oid, _ in before.locks if (name := before.names.get(oid)) is not None})
            if held:
                observation = _replace(observation, note="rollback mode: earlier statements, replayed in this "
                                       f"transaction, already hold locks on {', '.join(held)}; a lock this "
                                       "statement takes in the same mode is not shown again")
            return self._with_changes(observation, keep_transaction=True)
        except psycopg.Error as exc:  # an earlier statement failing on replay: report it here
            return Observation(statement, error=_message(exc))
        finally:
            self.conn.rollback()

    # -- shared --------------------------------------------------------------------------
    def _before(self) -> probe.Before:
        return probe.before(self.conn, *self.timeouts)

    def _execute(self, sql: str) -> str | None:
        try:
            self.conn.execute(sql, prepare=False)
        except psycopg.Error as exc:
            self.conn.rollback()
            return _message(exc)
        return None

    def _after(self, statement: Statement, before: probe.Before, sizes: dict[str, int]) -> Observation:
        after = probe.relations(self.conn)
        locks = probe.locks(self.conn, before, after)
        rewrites = probe.rewrites(before.relations, after)
        scans = probe.scans(before.relations, before.scans, probe.xact_scans(self.conn), rewrites)
        return Observation(statement, locks=locks, rewrites=rewrites, scans=scans,
                           lock_timeout_ms=before.lock_timeout_ms, sizes=_sizes_of(sizes, locks, rewrites, scans))

    def _with_changes(self, observation: Observation, keep_transaction: bool = False) -> Observation:
        """The observation with what the statement created, changed or dropped (the diff of
        the catalog before and after it; the after becomes the next statement's before)."""
        after = self._introspect()
        if not keep_transaction:
            self.conn.rollback()
        assert self.catalog is not None
        changes = diff(self.catalog, after).changes
        self.catalog = after
        notes = tuple(ChangeNote(c.object, c.name, c.action.value, c.severity.value, describe(c),
                                 tuple(str(q) for q in c.impact)) for c in changes)
        return _replace(observation, changes=notes)

    def _introspect(self) -> Catalog:
        probe.pin_for_introspection(self.conn, *self.timeouts)
        return read_catalog(self.sa, stats=False)

    def _lock_timeout(self) -> int:
        value = probe.lock_timeout_ms_of(self.conn)
        self.conn.rollback()
        return value


@contextmanager
def _session(box: Sandbox) -> Iterator[tuple[psycopg.Connection, sqlalchemy.Connection]]:
    """One session for the whole migration (its SETs carry over), as psycopg for the
    statements and as SQLAlchemy for `read_catalog`: the same connection underneath."""
    engine = sqlalchemy.create_engine("postgresql+psycopg://", creator=lambda: psycopg.connect(**box.params),
                                      poolclass=NullPool)
    try:
        try:
            sa = engine.connect()
        except sqlalchemy.exc.DBAPIError as exc:
            raise ConnectionFailed(f"cannot connect to the database to plan on ({box.database!r}): "
                                   f"{first_line(exc.orig)}") from None
        with sa:
            conn = sa.connection.driver_connection
            assert isinstance(conn, psycopg.Connection)
            conn.rollback()
            try:
                yield conn, sa
            finally:
                with suppress(psycopg.Error):
                    conn.rollback()
    finally:
        engine.dispose()


def _sizes_of(sizes: dict[str, int], locks: Sequence[Lock], rewrites: Sequence[str],
              scans: Sequence[str]) -> tuple[tuple[str, int], ...]:
    names = {lk.relation for lk in locks} | set(rewrites) | set(scans)
    return tuple(sorted((n, sizes[n]) for n in names if n in sizes))


def _replace(observation: Observation, **changes: object) -> Observation:
    import dataclasses

    return dataclasses.replace(observation, **changes)  # type: ignore[arg-type]


def _message(exc: psycopg.Error) -> str:
    primary = exc.diag.message_primary if exc.diag is not None else None
    return primary or first_line(exc).split("\n")[0]
