"""Watch a schema's sources and rebuild when they change (`schemadocs serve --watch`).

In: what to watch: a database (its catalog fingerprint, polled), files (their size and
modification time), and the rebuild to run. Out: the rebuild run after each change, until
Ctrl-C; a failed rebuild or an unreachable database is a warning line, and the previous site
stays served.

The database fingerprint is cheap and harmless to a migration: one query over the system
catalogs' row counts and row versions (`xmin`), in a read-only transaction with a short
`lock_timeout` and `statement_timeout`. Reading a catalog table takes only ACCESS SHARE on it,
which DDL never waits for, and no user table is touched; ANALYZE and VACUUM update their
statistics in place, so they do not count as changes.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from schemadocs import progress
from schemadocs.errors import SchemadocsError

# Each catalog as (count, sum of row versions[, sum of oids]): creating, altering or dropping an object changes one.
_TEMP = "(SELECT oid FROM pg_namespace WHERE nspname LIKE 'pg\\_temp\\_%' OR nspname LIKE 'pg\\_toast\\_temp\\_%')"
_KEPT = "(SELECT oid FROM pg_class WHERE relpersistence <> 't')"
CATALOGS = (  # (catalog, which rows: other sessions' temporary objects left out, whether it has an oid column)
    ("pg_namespace", f"oid NOT IN {_TEMP}", True),
    ("pg_class", "relpersistence <> 't'", True),
    ("pg_attribute", f"attnum > 0 AND attrelid IN {_KEPT}", False),
    ("pg_attrdef", f"adrelid IN {_KEPT}", True),
    ("pg_constraint", f"connamespace NOT IN {_TEMP}", True),
    ("pg_index", f"indrelid IN {_KEPT}", False),
    ("pg_inherits", f"inhrelid IN {_KEPT}", False),
    ("pg_rewrite", f"ev_class IN {_KEPT}", True),
    ("pg_trigger", f"tgrelid IN {_KEPT}", True),
    ("pg_policy", "true", True),
    ("pg_proc", f"pronamespace NOT IN {_TEMP}", True),
    ("pg_type", f"typnamespace NOT IN {_TEMP}", True),
    ("pg_enum", "true", True),
    ("pg_description", "true", False),
    ("pg_extension", "true", True),
    ("pg_sequence", f"seqrelid IN {_KEPT}", False),
)
FINGERPRINT_SQL = "SELECT md5(string_agg(part, ',' ORDER BY part)) FROM (\n" + "\nUNION ALL ".join(
    f"SELECT '{name}:' || count(*) || ':' || coalesce(sum(xmin::text::bigint), 0)"
    + (" || ':' || coalesce(sum(oid::bigint), 0)" if has_oid else "") + f" FROM {name} WHERE {where}"
    for name, where, has_oid in CATALOGS) + "\n) AS parts(part)"


def watch(sources: Sequence[Source], rebuild: Callable[[tuple[str, ...]], None], interval: float,
          sleep: Callable[[float], None] = time.sleep, ready: Callable[[], None] = lambda: None,
          baseline: Sequence[str | None] | None = None) -> None:
    """Poll every source each `interval` seconds; run `rebuild(labels)` with the labels of the
    sources that changed, when any has. `baseline`: the sources' fingerprints taken before the
    site being served was built (`fingerprints`), so a change made while it was being built is
    seen at the first poll; without it (or where it is None: unreadable then), the first reading
    here is the baseline. `ready` runs once the baseline is set: any change after it is seen.
    Runs until interrupted (Ctrl-C, SIGTERM), which it lets through."""
    seen = [source.fingerprint() if before is None else before
            for source, before in zip(sources, baseline if baseline is not None else [None] * len(sources))]
    ready()
    while True:
        sleep(interval)
        now = [source.fingerprint() for source in sources]
        changed = [s.label for s, before, after in zip(sources, seen, now) if after is not None and after != before]
        if not changed:
            continue
        progress.info(f"{', '.join(changed)} changed; rebuilding")
        try:
            rebuild(tuple(changed))
        except SchemadocsError as exc:
            progress.warning(f"the rebuild failed, the previous site stays served: {exc}")
        seen = [after if after is not None else before for before, after in zip(seen, now)]


def fingerprints(sources: Sequence[Source]) -> list[str | None]:
    """Each source's fingerprint now: `watch`'s baseline, taken before the first build reads them."""
    return [source.fingerprint() for source in sources]


@dataclass
class Source:
    """Something watched: `fingerprint()` changes when it does; None when it cannot be read now."""

    label: str
    fingerprint: Callable[[], str | None]


def file_source(path: Path) -> Source:
    """A file, by size and modification time (a missing file is a state too)."""
    def fingerprint() -> str | None:
        try:
            st = Path(path).stat()
        except FileNotFoundError:
            return "missing"
        except OSError:
            return None
        return f"{st.st_size}:{st.st_mtime_ns}"
    return Source(str(path), fingerprint)


def database_source(dsn: str, lock_timeout_ms: int = 500, statement_timeout_ms: int = 5_000) -> Source:
    """A database, by its catalog fingerprint (`FINGERPRINT_SQL`); one connection kept open
    between polls, outside any transaction, and opened again after a failure."""
    from schemadocs.introspect.connect import first_line, redact, scrub

    state: dict[str, object] = {"conn": None, "warned": False}

    def fingerprint() -> str | None:
        import psycopg

        try:
            if state["conn"] is None:
                state["conn"] = psycopg.connect(dsn, connect_timeout=5, application_name="schemadocs watch")
            conn = state["conn"]
            assert isinstance(conn, psycopg.Connection)
            with conn.transaction(), conn.cursor() as cur:
                cur.execute("SET TRANSACTION READ ONLY")
                cur.execute(f"SET LOCAL lock_timeout = {int(lock_timeout_ms)}")
                cur.execute(f"SET LOCAL statement_timeout = {int(statement_timeout_ms)}")
                cur.execute(FINGERPRINT_SQL)  # type: ignore[arg-type]
                row = cur.fetchone()
            state["warned"] = False
            return str(row[0]) if row else None
        except psycopg.Error as exc:
            if state["conn"] is not None:
                state["conn"].close()  # type: ignore[attr-defined]
            state["conn"] = None
            if not state["warned"]:
                progress.warning(f"cannot read the catalog of {redact(dsn)} to watch it "
                                 f"({scrub(first_line(exc), dsn)}); still trying")
                state["warned"] = True
            return None
    return Source("the database schema", fingerprint)
