"""Run the catalog queries: one `.sql` file per object kind, in a worker thread.

In: a connection inside the read-only transaction, the version fragments and the names of
the query files in `queries/`. Out: their rows (named tuples), yielded as each query
finishes, so the caller builds model objects while the server runs the next query.
Errors become `IntrospectionError`s: `CatalogChanged` when an object vanished mid-read
(concurrent DDL) and `CatalogLocked` when lock_timeout cancelled a query.
"""

from __future__ import annotations

import queue
import re
import threading
from collections import namedtuple
from collections.abc import Iterator, Sequence
from functools import cache, partial
from importlib import resources
from typing import Any

import psycopg
import sqlalchemy
from psycopg.rows import RowMaker, no_result

from schemadocs.introspect.connect import first_line
from schemadocs.errors import IntrospectionError

Row = Any  # a named tuple: attribute access by column name
CONCURRENT_DDL = re.compile(r"could not open relation with OID|cache lookup failed")


class CatalogChanged(IntrospectionError):
    """An object vanished between the snapshot and a catalog function call (concurrent DDL)."""


class CatalogLocked(IntrospectionError):
    """A catalog function waited longer than lock_timeout for a lock another session holds."""


def fetch_in_background(conn: sqlalchemy.Connection, frags: dict[str, str],
                        names: Sequence[str]) -> Iterator[tuple[str, Sequence[Row]]]:
    """Run the named queries in order in a worker thread; yield each result as it arrives.

    Only the worker touches the connection until it is done; if the consumer stops early
    (an error, Ctrl-C), the running query is cancelled and the worker joined first.
    """
    results: queue.Queue[tuple[str, Sequence[Row]] | BaseException | None] = queue.Queue()

    def work() -> None:
        try:
            for name in names:
                results.put((name, read_sizes(conn, frags) if name == "sizes" else run(conn, name, frags)))
            results.put(None)
        except BaseException as exc:  # handed to the consumer, which raises it
            results.put(exc)

    worker = threading.Thread(target=work, name="schemadocs-catalog-reader", daemon=True)
    worker.start()
    finished = False
    try:
        while (item := results.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
        finished = True
    finally:
        if not finished and worker.is_alive():
            conn.connection.driver_connection.cancel()  # type: ignore[union-attr]
        worker.join()


def read_sizes(conn: sqlalchemy.Connection, frags: dict[str, str]) -> Sequence[Row]:
    """Relation sizes, never waiting behind a migration's lock.

    Relations with an ACCESS EXCLUSIVE lock held or requested are left out by the query
    itself (and reported in `Catalog.skipped_sizes`); if a lock is taken between that check
    and the size call, lock_timeout cancels the query inside a savepoint and it is retried.
    After three tries all sizes are skipped.
    """
    for _ in range(3):
        savepoint = conn.begin_nested()
        try:
            result = run(conn, "sizes", frags)
        except CatalogLocked:
            savepoint.rollback()
            continue
        savepoint.commit()
        return result
    return ()


def run(conn: sqlalchemy.Connection, name: str, frags: dict[str, str]) -> Sequence[Row]:
    """Run one query file from `queries/` with the version fragments filled in.

    Rows are fetched through the psycopg cursor underneath SQLAlchemy's connection (same
    transaction): SQLAlchemy's Result layer costs measurable time on 200,000-row reads.
    """
    sql = query_text(name).format(**frags)
    cursor = conn.connection.driver_connection.cursor(row_factory=named_rows)  # type: ignore[union-attr]
    try:
        cursor.execute(sql)
        return cursor.fetchall()
    except psycopg.Error as exc:
        if CONCURRENT_DDL.search(str(exc)):
            raise CatalogChanged(f"an object was dropped while {name}.sql ran: {first_line(exc)}") from None
        if isinstance(exc, psycopg.errors.LockNotAvailable):
            raise CatalogLocked(f"catalog query {name}.sql could not get a lock") from None
        if cursor.connection.broken:
            raise IntrospectionError(
                f"the connection was lost while catalog query {name}.sql ran ({first_line(exc)}); "
                "check that the server is up and retry"
            ) from None
        raise IntrospectionError(
            f"catalog query {name}.sql failed: {first_line(exc)}; "
            "if it timed out, raise --statement-timeout or --lock-timeout and retry"
        ) from None
    finally:
        cursor.close()


def named_rows(cursor: psycopg.Cursor[Any]) -> RowMaker[Row]:
    """Rows as named tuples, like psycopg's namedtuple_row but with no Python call per row.

    namedtuple_row makes each row with the class's `_make`, a Python function; calling
    `tuple.__new__` on the class directly builds the same named tuple in C (~0.1 s less
    at 10,000 tables, while holding the GIL the main thread needs).
    """
    if cursor.description is None:
        return no_result
    return partial(tuple.__new__, _row_class(tuple(column.name for column in cursor.description)))


@cache
def _row_class(names: tuple[str, ...]) -> type[tuple[Any, ...]]:
    return namedtuple("Row", names)  # type: ignore[misc]


@cache
def query_text(name: str) -> str:
    return resources.files("schemadocs.introspect").joinpath("queries", f"{name}.sql").read_text(encoding="utf-8")
