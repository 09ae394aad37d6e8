"""Check candidate relations on the data: how many sampled rows have no row to reference.

In: a DSN and `Candidate`s (`suggest.py`). Out: per candidate, an `Orphans` count: of at most
`sample` non-NULL values of the referencing column(s) (the first rows a scan returns, so the cost
is bounded whatever the table's size), how many have no matching row in the target. Read only:
one READ ONLY transaction (`introspect.connect`), with a statement and a lock timeout; a query
that times out or may not read its tables is reported as such, and the others go on (each runs
under a savepoint).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy

from schemadocs.introspect.connect import connect, first_line, scrub
from schemadocs.model import quote_ident
from schemadocs.project.suggest import Candidate


@dataclass(frozen=True)
class Orphans:
    sampled: int | None  # rows read (None when the query failed)
    orphans: int | None  # of those, rows with no match in the target
    problem: str | None = None  # why there is no count: "timed out after 5s", "permission denied ..."

    def evidence(self) -> str:
        if self.problem is not None:
            return f"data not checked: {self.problem}"
        if not self.sampled:
            return "data: no non-NULL value to check"
        return (f"data: every one of {self.sampled} sampled rows has a match" if not self.orphans else
                f"data: {self.orphans} of {self.sampled} sampled rows have no match (orphans)")


def count_orphans(dsn: str, candidates: Sequence[Candidate], sample: int = 1000,
                  statement_timeout_ms: int = 5_000, lock_timeout_ms: int = 1_000) -> tuple[Orphans, ...]:
    """One `Orphans` per candidate, in order."""
    found = []
    with connect(dsn, statement_timeout_ms=statement_timeout_ms, lock_timeout_ms=lock_timeout_ms) as conn:
        for c in candidates:
            try:
                with conn.begin_nested():
                    sampled, orphans = conn.exec_driver_sql(orphan_query(c), (sample,)).one()
                found.append(Orphans(int(sampled), int(orphans)))
            except sqlalchemy.exc.DBAPIError as exc:
                if exc.connection_invalidated:
                    raise
                code = getattr(exc.orig, "sqlstate", None)
                problem = {"57014": f"timed out after {statement_timeout_ms / 1000:g}s",
                           "55P03": f"a lock was not granted within {lock_timeout_ms / 1000:g}s"}.get(
                               code or "", scrub(first_line(exc.orig), dsn))
                found.append(Orphans(None, None, problem))
    return tuple(found)


def orphan_query(c: Candidate) -> str:
    """The query for one candidate (names quoted); its one parameter is the sample size."""
    source = f"{quote_ident(c.source.schema)}.{quote_ident(c.source.name)}"
    target = f"{quote_ident(c.target.schema)}.{quote_ident(c.target.name)}"
    cols = ", ".join(quote_ident(x) for x in c.columns)
    not_null = " AND ".join(f"{quote_ident(x)} IS NOT NULL" for x in c.columns)
    match = " AND ".join(f"t.{quote_ident(r)} = s.{quote_ident(x)}" for x, r in zip(c.columns, c.to_columns))
    text = (f"SELECT count(*), count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM {target} t WHERE {match})) "
            f"FROM (SELECT {cols} FROM {source} WHERE {not_null} LIMIT ")
    return text.replace("%", "%%") + "%s) s"  # a % in a name is not a placeholder
