"""Where a migration's statements may run without changing the database they are planned for.

In: the DSN of the database the migration starts from. Out: a `Sandbox` (a context
manager): the libpq parameters to run the statements with, and the method that keeps the
database as it was:

- "copy": `CREATE DATABASE <throwaway> TEMPLATE <source>` from the server's maintenance
  database (`postgres`, else `template1`). It needs CREATEDB and ownership of the source
  (or superuser), and no other session on the source while the copy is made. The copy is
  always dropped (`DROP DATABASE ... WITH (FORCE)`), on errors and Ctrl-C too.
- "rollback": when the copy is impossible, the statements run in the database itself,
  inside transactions that are always rolled back. It cannot undo what PostgreSQL never
  rolls back: sequence values taken (nextval), transaction IDs and OIDs consumed, the
  statistics counters (scans, dead rows) and the dead row versions left for VACUUM. A
  statement that cannot run in a transaction block (CREATE INDEX CONCURRENTLY, VACUUM,
  ...) is not run at all there.

When neither is possible (the role lacks CREATEDB or ownership and the database is
read-only for it: a standby, or default_transaction_read_only set, which the plan does
not override) it is a `ConfigError` naming what is missing. Messages never show a password.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass

import psycopg
from psycopg import sql

from schemadocs.errors import ConfigError, ConnectionFailed
from schemadocs.introspect.connect import connection_params, first_line, redact, scrub

log = logging.getLogger("schemadocs.plan")
PREFIX = "schemadocs_plan_"  # throwaway copies are named PREFIX + random hex
MAINTENANCE = ("postgres", "template1")


@dataclass(frozen=True)
class Sandbox:
    """The connection parameters to run the migration with, and how the source stays unchanged."""

    params: dict[str, str]
    method: str  # "copy" | "rollback"
    database: str  # the database the statements run in (the copy's name in copy mode)
    server_version: str
    server_version_num: int


@contextmanager
def sandbox(dsn: str) -> Iterator[Sandbox]:
    """A throwaway copy of the DSN's database (dropped on exit), else rollback mode on it."""
    params = connection_params(dsn)
    facts = _facts(dsn, params)
    refusal = _copy_refusal(facts)
    if refusal is None:
        maintenance, refusal = _create_copy(dsn, params, facts)
        if maintenance is not None:
            copy = facts.copy_name
            try:
                yield Sandbox({**params, "dbname": copy}, "copy", copy, facts.version, facts.version_num)
            finally:
                _drop(dsn, {**params, "dbname": maintenance}, copy)
            return
    if facts.read_only:
        raise ConfigError(
            f"cannot plan safely on {redact(dsn)}: no throwaway copy ({refusal}), and no rolled-back transactions "
            f"either (database {facts.database!r} is read-only for role {facts.role!r}: {facts.read_only}); "
            f"grant CREATEDB (ALTER ROLE {_ident(facts.role)} CREATEDB) and ownership of the database, or pass the "
            "DSN of a writable copy such as CI's migration database")
    log.warning("planning in transactions that are rolled back, not on a copy (%s); sequence values, "
                "transaction IDs and statistics counters still move, and statements that cannot run in a "
                "transaction (CREATE INDEX CONCURRENTLY, ...) are not run", refusal)
    yield Sandbox(params, "rollback", facts.database, facts.version, facts.version_num)


@dataclass(frozen=True)
class _Facts:
    database: str
    role: str
    version: str
    version_num: int
    superuser: bool
    createdb: bool
    owner: bool  # the role has the privileges of the source database's owner
    template: bool  # the source is marked datistemplate (anyone with CREATEDB may copy it)
    read_only: str | None  # why transactions there are read-only, if they are
    copy_name: str


def _facts(dsn: str, params: dict[str, str]) -> _Facts:
    with _connection(dsn, params) as conn:
        row = conn.execute(
            "SELECT current_database(), current_user, current_setting('server_version'),"
            " current_setting('server_version_num')::int, r.rolsuper, r.rolcreatedb,"
            " pg_has_role(d.datdba, 'USAGE'), d.datistemplate, pg_is_in_recovery(),"
            " current_setting('default_transaction_read_only')::bool"
            " FROM pg_roles r, pg_database d WHERE r.rolname = current_user AND d.datname = current_database()"
        ).fetchone()
    assert row is not None
    database, role, version, num, superuser, createdb, owner, template, recovery, default_ro = row
    read_only = ("the server is a standby in recovery" if recovery else
                 "default_transaction_read_only is on" if default_ro else None)
    return _Facts(database, role, version, num, superuser, createdb, owner, template, read_only,
                  PREFIX + secrets.token_hex(6))


def _copy_refusal(facts: _Facts) -> str | None:
    """Why a copy cannot be made, from the role's privileges; None when it may be tried."""
    if facts.superuser:
        return None
    missing = []
    if not facts.createdb:
        missing.append(f"role {facts.role!r} lacks CREATEDB")
    if not (facts.owner or facts.template):
        missing.append(f"role {facts.role!r} does not own database {facts.database!r}")
    return " and ".join(missing) or None


def _create_copy(dsn: str, params: dict[str, str], facts: _Facts) -> tuple[str | None, str]:
    """The maintenance database the copy was made from (None: not made) and why not."""
    reason = "no maintenance database (postgres, template1) accepts the connection"
    for maintenance in MAINTENANCE:
        try:
            conn = psycopg.connect(**{**params, "dbname": maintenance}, autocommit=True)
        except psycopg.Error as exc:
            reason = f"cannot connect to the maintenance database {maintenance!r}: {scrub(first_line(exc), dsn)}"
            continue
        with conn:
            try:
                conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(facts.copy_name), sql.Identifier(facts.database)))
            except psycopg.errors.ObjectInUse:
                return None, (f"other sessions are connected to {facts.database!r}, and a copy needs it idle")
            except psycopg.Error as exc:
                return None, f"CREATE DATABASE ... TEMPLATE failed: {scrub(first_line(exc), dsn)}"
            return maintenance, ""
    return None, reason


def _drop(dsn: str, params: dict[str, str], name: str) -> None:
    """Drop the throwaway copy, whatever happened (FORCE ends a session still on it)."""
    try:
        with psycopg.connect(**params, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    except psycopg.Error as exc:
        raise ConnectionFailed(f"could not drop the throwaway copy {name!r} on {redact(dsn)}: "
                               f"{scrub(first_line(exc), dsn)}; drop it by hand (DROP DATABASE {name})") from None


@contextmanager
def _connection(dsn: str, params: dict[str, str]) -> Iterator[psycopg.Connection]:
    try:
        conn = psycopg.connect(**params, autocommit=True)
    except psycopg.Error as exc:
        raise ConnectionFailed(f"cannot connect to {redact(dsn)}: {scrub(first_line(exc), dsn)}; "
                               "check the host, port, database name and credentials") from None
    with conn:
        yield conn
    with suppress(psycopg.Error):
        conn.close()


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"' if not name.isidentifier() or name != name.lower() else name
