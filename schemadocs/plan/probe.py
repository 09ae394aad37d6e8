"""The observer's queries: what the session and the catalog look like around one statement.

In: the observer's psycopg connection (inside the statement's transaction where it
matters). Out: plain dicts and frozen records keyed by relation OID, and the differences
that make an `Observation`: `locks` (pg_locks of this backend, the strongest mode per
relation), `rewrites` (relfilenode changed) and `scans` (seq_scan grew).

None of these queries locks a user relation: they read pg_class, pg_namespace, pg_locks,
pg_settings and the statistics views only (catalog relations, never reported), so the locks
read after a statement are the statement's own. Sizes (`pg_total_relation_size`, which
does lock) are read in a transaction of their own.
"""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
from pglast import ast, parse_sql

from schemadocs.plan.kinds import Kind
from schemadocs.plan.model import Lock, LockMode

USER_RELATIONS = """
SELECT c.oid::bigint, quote_ident(n.nspname) || '.' || quote_ident(c.relname), c.relkind::text, c.relfilenode::bigint
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%'
"""
STORAGE_KINDS = frozenset("rmi")  # tables, materialized views, indexes: what a rewrite renews
TABLE_KINDS = frozenset("rmp")


@dataclass(frozen=True)
class Rel:
    name: str  # quote_ident-qualified
    kind: str  # pg_class.relkind
    filenode: int


@dataclass(frozen=True)
class Before:
    """The transaction just before the statement ran."""

    relations: dict[int, Rel]
    scans: dict[int, int]
    locks: frozenset[tuple[int, str]]
    lock_timeout_ms: int

    @property
    def names(self) -> dict[int, str]:
        return {oid: rel.name for oid, rel in self.relations.items()}


def before(conn: psycopg.Connection, lock_timeout_ms: int, statement_timeout_ms: int) -> Before:
    """Read the state before the statement, then cap the timeouts for the observer's
    safety (transaction-local; the migration's own, when shorter, stay in force)."""
    in_force = lock_timeout_ms_of(conn)
    statement_in_force = _setting_ms(conn, "statement_timeout")
    state = Before(relations(conn), xact_scans(conn), _lock_rows(conn), in_force)
    conn.execute("SELECT set_config('lock_timeout', %s, true), set_config('statement_timeout', %s, true)",
                 (f"{_cap(in_force, lock_timeout_ms)}ms", f"{_cap(statement_in_force, statement_timeout_ms)}ms"))
    return state


def relations(conn: psycopg.Connection) -> dict[int, Rel]:
    return {oid: Rel(name, kind, node) for oid, name, kind, node in conn.execute(USER_RELATIONS)}


def xact_scans(conn: psycopg.Connection) -> dict[int, int]:
    """This transaction's sequential scans per table, not yet reported (pg_stat_xact_user_tables)."""
    return {relid: n for relid, n in conn.execute("SELECT relid::bigint, seq_scan FROM pg_stat_xact_user_tables")}


def flushed_scans(conn: psycopg.Connection) -> dict[int, int]:
    """Sequential scans per table as reported, after this backend's pending counts are
    flushed (autocommit; PostgreSQL 15 and later: pg_stat_force_next_flush)."""
    conn.execute("SELECT pg_stat_force_next_flush()")  # flushed when the session goes idle after it
    conn.execute("SELECT pg_stat_clear_snapshot()")
    return {relid: n for relid, n in conn.execute("SELECT relid::bigint, seq_scan FROM pg_stat_user_tables")}


def locks(conn: psycopg.Connection, state: Before, after: dict[int, Rel]) -> tuple[Lock, ...]:
    """The relation locks the statement took: this backend's, less those held before it,
    on relations that existed before it (named as they were), the strongest per relation."""
    strongest: dict[str, LockMode] = {}
    for oid, mode in _lock_rows(conn) - state.locks:
        rel = state.relations.get(oid)
        if rel is None or mode not in MODES:
            continue
        if rel.name not in strongest or MODES[mode].strength > strongest[rel.name].strength:
            strongest[rel.name] = MODES[mode]
    return tuple(sorted(Lock(name, mode) for name, mode in strongest.items()))


def rewrites(state: dict[int, Rel], after: dict[int, Rel]) -> tuple[str, ...]:
    """Tables and indexes that existed before and got new storage (relfilenode), and indexes
    dropped and built again under the same name with new storage (ALTER COLUMN ... TYPE
    recreates the indexes on the column under a new OID; where the change leaves the index
    valid, widening a varchar say, the new index keeps the old file: no rewrite)."""
    rebuilt = {(rel.name, rel.kind): rel.filenode for oid, rel in after.items() if oid not in state}
    return tuple(sorted(rel.name for oid, rel in state.items() if rel.kind in STORAGE_KINDS and rel.filenode and (
        (oid in after and after[oid].filenode != rel.filenode)
        or (oid not in after and rel.kind == "i" and rebuilt.get((rel.name, rel.kind), rel.filenode) != rel.filenode))))


def scans(state: dict[int, Rel], counts_before: dict[int, int], counts_after: dict[int, int],
          rewritten: tuple[str, ...]) -> tuple[str, ...]:
    """Tables that existed before and were read in full, less those rewritten (a rewrite
    reads its table too, and its estimate covers that read)."""
    return tuple(sorted(state[oid].name for oid, n in counts_after.items()
                        if oid in state and state[oid].kind in TABLE_KINDS and n > counts_before.get(oid, 0)
                        and state[oid].name not in rewritten))


def sizes(conn: psycopg.Connection) -> dict[str, int]:
    """Every user table's, materialized view's and index's total size in bytes (with its
    indexes and TOAST). Locks each; skipped (empty) when another session holds one long."""
    conn.execute("SELECT set_config('lock_timeout', '2s', true)")
    try:
        return {name: size for name, size in conn.execute(
            "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname), pg_total_relation_size(c.oid)"
            " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relkind IN ('r', 'm', 'i', 'p')"
            " AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')"
            " AND n.nspname NOT LIKE 'pg\\_temp\\_%'")}
    except psycopg.errors.LockNotAvailable:
        conn.rollback()
        return {}


def documented_locks(conn: psycopg.Connection, kind: Kind, names: dict[int, Rel]) -> tuple[Lock, ...]:
    """The locks PostgreSQL documents for a statement that runs outside a transaction block,
    on the relations it names (resolved on the session's search_path)."""
    strongest: dict[str, LockMode] = {}
    for target in kind.documented:
        oid = conn.execute("SELECT to_regclass(%s)::oid::bigint", (target.name,)).fetchone()
        oids = [oid[0]] if oid and oid[0] is not None else []
        if oids and target.with_table:
            table = conn.execute("SELECT indrelid::bigint FROM pg_index WHERE indexrelid = %s", (oids[0],)).fetchone()
            oids += [table[0]] if table else []
        for found in oids:
            if found in names:
                name = names[found].name
                if name not in strongest or target.mode.strength > strongest[name].strength:
                    strongest[name] = target.mode
    return tuple(sorted(Lock(name, mode) for name, mode in strongest.items()))


def lock_timeout_ms_of(conn: psycopg.Connection) -> int:
    """The session's lock_timeout in force, in milliseconds (0: none)."""
    return _setting_ms(conn, "lock_timeout")


def set_local_name(sql: str) -> str | None:
    """The setting a `SET LOCAL name ...` statement changes (None for anything else)."""
    try:
        raw = parse_sql(sql)
    except Exception:  # split parsed it already; be lenient here
        return None
    node = raw[0].stmt if raw else None
    if isinstance(node, ast.VariableSetStmt) and node.is_local and node.name:
        return str(node.name)
    return None


def setting(conn: psycopg.Connection, name: str) -> str:
    row = conn.execute("SELECT current_setting(%s)", (name,)).fetchone()
    return str(row[0]) if row else ""


def set_session(conn: psycopg.Connection, name: str, value: str | None) -> None:
    if value is not None:
        conn.execute("SELECT set_config(%s, %s, false)", (name, value))


def pin_for_introspection(conn: psycopg.Connection, lock_timeout_ms: int, statement_timeout_ms: int) -> None:
    """Transaction-local settings `read_catalog` relies on (search_path pinned to public, as
    `introspect.connect` does), whatever SET statements the migration ran on this session."""
    conn.execute("SELECT set_config('search_path', 'public', true), set_config('lock_timeout', %s, true),"
                 " set_config('statement_timeout', %s, true)", (f"{lock_timeout_ms}ms", f"{statement_timeout_ms}ms"))


def _lock_rows(conn: psycopg.Connection) -> frozenset[tuple[int, str]]:
    return frozenset((oid, mode) for oid, mode in conn.execute(
        "SELECT relation::bigint, mode FROM pg_catalog.pg_locks"
        " WHERE pid = pg_backend_pid() AND locktype = 'relation' AND granted"))


def _setting_ms(conn: psycopg.Connection, name: str) -> int:
    row = conn.execute("SELECT setting::bigint FROM pg_catalog.pg_settings WHERE name = %s", (name,)).fetchone()
    return int(row[0]) if row else 0


def _cap(in_force: int, ours: int) -> int:
    """The shorter of two timeouts, 0 meaning none."""
    return min(t for t in (in_force, ours) if t) if (in_force or ours) else 0


MODES = {m.value: m for m in LockMode}
