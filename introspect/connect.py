"""Connections to the database being documented: always read-only, always time-limited.

In: a DSN (URI or libpq key=value; empty means "libpq's PG* variables").
Out: a SQLAlchemy connection inside one REPEATABLE READ READ ONLY transaction with
statement_timeout and lock_timeout set, so introspection can never write and never
queue behind a migration. Also: DSN resolution and password redaction for messages.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress

import psycopg
import sqlalchemy
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from sqlalchemy.pool import NullPool

from schemadocs.errors import ConfigError, ConnectionFailed


@contextmanager
def connect(dsn: str, *, statement_timeout_ms: int = 60_000, lock_timeout_ms: int = 2_000) -> Iterator[sqlalchemy.Connection]:
    """Yield a connection in a read-only REPEATABLE READ transaction; always rolled back.

    The transaction carries the session settings introspection relies on: the timeouts, and
    search_path pinned to `public`, as deparsed text (defaults, constraint and view
    definitions, type names) leaves out the schema of whatever is on search_path, so a
    role's own setting (ALTER ROLE ... SET search_path) would change the snapshot. They are
    set for this transaction only (set_config(..., true)): nothing outlives it on the
    connection, which also keeps them from leaking through a transaction-pooling pgbouncer.
    """
    params = {**DEFAULTS, **_from_environment(), **_params(dsn)}
    engine = sqlalchemy.create_engine("postgresql+psycopg://", creator=lambda: psycopg.connect(**params),
                                      poolclass=NullPool)
    try:
        try:
            conn = engine.connect()
        except sqlalchemy.exc.DBAPIError as exc:
            raise ConnectionFailed(
                f"cannot connect to {redact(dsn)}: {scrub(first_line(exc.orig), dsn)}; "
                "check the host, port, database name and credentials"
            ) from None
        with conn:
            try:
                conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                conn.exec_driver_sql(
                    "SELECT set_config('statement_timeout', %s, true), set_config('lock_timeout', %s, true),"
                    " set_config('search_path', 'public', true)",
                    (f"{statement_timeout_ms}ms", f"{lock_timeout_ms}ms"),
                )
                yield conn
            except sqlalchemy.exc.DBAPIError as exc:  # killed backend, server restart, ...
                what = "lost the connection to" if exc.connection_invalidated else "could not read the catalog of"
                raise ConnectionFailed(
                    f"{what} {redact(dsn)}: {scrub(first_line(exc.orig), dsn)}; check that the server is up and retry"
                ) from None
            finally:
                with suppress(sqlalchemy.exc.DBAPIError):  # a lost connection must not mask the real error
                    conn.rollback()
    finally:
        engine.dispose()


DEFAULTS = {"application_name": "schemadocs", "connect_timeout": "10"}  # the DSN's own values win


def resolve_dsn(dsn: str | None) -> str:
    """The DSN to use: --dsn, else DATABASE_URL, else libpq's PG* variables ("")."""
    if dsn:
        return dsn
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    if any(k in os.environ for k in ("PGHOST", "PGDATABASE", "PGSERVICE", "PGPORT", "PGUSER")):
        return ""
    raise ConfigError(
        "no database given: pass --dsn, set DATABASE_URL or the PG* variables, or use --snapshot FILE"
    )


def redact(dsn: str) -> str:
    """The DSN as it may be shown to a person: password removed, key=value form."""
    try:
        params = conninfo_to_dict(dsn)
    except psycopg.ProgrammingError:
        return "the given DSN"
    if "password" in params:
        params["password"] = "***"
    shown = make_conninfo(**params)
    return f"'{shown}'" if shown else "the PG* environment"


def scrub(text: str, dsn: str) -> str:
    """Remove the DSN's password from any text, in case a driver echoes it back."""
    password = _password(dsn)
    return text.replace(password, "***") if password else text


def first_line(exc: BaseException | None) -> str:
    text = str(exc or "").strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return " ".join(lines) if lines else type(exc).__name__


def _params(dsn: str) -> dict[str, str]:
    try:
        return conninfo_to_dict(dsn)
    except psycopg.ProgrammingError:
        raise ConfigError(
            "the DSN could not be parsed; use a URI like postgresql://user@host:5432/db or 'host=... dbname=...'"
        ) from None


def _from_environment() -> dict[str, str]:
    """PGHOST as an explicit parameter: psycopg resolves host names itself and, given none,
    reports a failure for "host None" instead of the name PGHOST holds."""
    return {"host": os.environ["PGHOST"]} if os.environ.get("PGHOST") else {}


def _password(dsn: str) -> str | None:
    try:
        return conninfo_to_dict(dsn).get("password") or None
    except psycopg.ProgrammingError:
        return None


def connection_params(dsn: str) -> dict[str, str]:
    """The libpq parameters `connect` uses for a DSN (defaults, then PGHOST, then the DSN's own),
    for callers that open their own psycopg connections (the plan's throwaway copy)."""
    return {**DEFAULTS, **_from_environment(), **_params(dsn)}
