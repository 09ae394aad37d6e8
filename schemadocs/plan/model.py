"""The migration plan as plain data: what each statement was seen to do, and the judgement.

In: nothing (`split` makes `Statement`s, `observe` makes `Observation`s, `judge` makes the
`Plan`). Out: frozen dataclasses in PostgreSQL's vocabulary. Relations are named
quote_ident-qualified (`s.t`), lock modes as `pg_locks` spells them. `Plan` converts to
the JSON of `schemadocs plan --format json` and back (`plan.json_format`).

The flow:  files --split--> Statement* --observe (on a throwaway copy)--> Observation*
           --judge (sizes, throughput, transaction mode)--> Plan --format--> text/markdown/json
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum


class Risk(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return ("low", "medium", "high").index(self.value)


class LockMode(Enum):
    """The eight table-level lock modes, weakest first, spelled as in `pg_locks.mode`."""

    ACCESS_SHARE = "AccessShareLock"
    ROW_SHARE = "RowShareLock"
    ROW_EXCLUSIVE = "RowExclusiveLock"
    SHARE_UPDATE_EXCLUSIVE = "ShareUpdateExclusiveLock"
    SHARE = "ShareLock"
    SHARE_ROW_EXCLUSIVE = "ShareRowExclusiveLock"
    EXCLUSIVE = "ExclusiveLock"
    ACCESS_EXCLUSIVE = "AccessExclusiveLock"

    @property
    def strength(self) -> int:
        return list(LockMode).index(self)

    @property
    def blocks(self) -> str:
        """What the mode blocks of an application's plain traffic: "reads and writes" (SELECT
        takes ACCESS SHARE), "writes" (INSERT/UPDATE/DELETE take ROW EXCLUSIVE) or "nothing"
        (it still queues behind, and blocks, other DDL and VACUUM)."""
        if self is LockMode.ACCESS_EXCLUSIVE:
            return "reads and writes"
        if self.strength >= LockMode.SHARE.strength:
            return "writes"
        return "nothing"


class Transaction(StrEnum):
    """How the migration runner executes a file: in one transaction, or a statement at a time."""

    PER_FILE = "per-file"
    PER_STATEMENT = "per-statement"


@dataclass(frozen=True)
class Statement:
    """One SQL statement of a migration, as split by pglast: its file (as given on the
    command line), 1-based line of its first character, and its text (no trailing `;`).
    `transactional` is False for statements PostgreSQL refuses inside a transaction block
    (CREATE/DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY, VACUUM, CREATE DATABASE, ...)."""

    file: str
    line: int
    sql: str
    transactional: bool = True


@dataclass(frozen=True, order=True)
class Lock:
    """A relation-level lock a statement took: `relation` quote_ident-qualified."""

    relation: str
    mode: LockMode

    @property
    def blocks(self) -> str:
        return self.mode.blocks


@dataclass(frozen=True)
class ChangeNote:
    """An object the statement created, changed or dropped, as `schemadocs diff` classifies
    it: `text` is the diff's one-line description; `breaks` the downstream views it breaks."""

    object: str  # "table", "column", "index", ...
    name: str
    action: str  # added | removed | renamed | changed
    severity: str  # breaking | safe
    text: str
    breaks: tuple[str, ...] = ()


@dataclass(frozen=True)
class Observation:
    """What one statement was seen to do on the copy, on its own (no lock an earlier
    statement holds hides one it takes).

    `observed` is False where PostgreSQL could not be watched from inside the statement's
    transaction (a non-transactional statement, or one that acts on the whole server and is
    not run); `locks` then holds the documented behaviour and `note` says so. In rollback
    mode a statement is observed after the earlier ones are replayed in its transaction, so a
    lock they already hold in the same mode cannot be told apart (its `note` says so). `lock_timeout_ms` is the session's lock_timeout
    in force when the statement ran (0: none). `sizes` maps each relation the statement
    rewrote, scanned or locked to its size in bytes (table heap + indexes + TOAST) before it ran.
    `error` is PostgreSQL's message when the statement failed (the plan stops there)."""

    statement: Statement
    locks: tuple[Lock, ...] = ()
    rewrites: tuple[str, ...] = ()
    scans: tuple[str, ...] = ()
    changes: tuple[ChangeNote, ...] = ()
    observed: bool = True
    note: str | None = None
    lock_timeout_ms: int = 0
    sizes: tuple[tuple[str, int], ...] = ()
    error: str | None = None


@dataclass(frozen=True)
class StatementPlan:
    """An observed statement, judged: its risk, estimated duration and the safer recipe."""

    observation: Observation
    risk: Risk
    estimate_seconds: float
    reasons: tuple[str, ...] = ()  # why the risk is what it is, one line each
    advice: str | None = None  # the safer recipe, SQL with short comments


@dataclass(frozen=True)
class HeldLock:
    """Per-file transaction: the strongest lock the file holds on a relation, which statement
    took it (index into `Plan.statements`), and the estimated seconds it is held for (the
    statements after it, until commit)."""

    relation: str
    mode: LockMode
    statement: int
    held_seconds: float


@dataclass(frozen=True)
class FileWarning:
    """A finding about a file as a whole (a dangerous lock taken without lock_timeout, several
    ACCESS EXCLUSIVE locks in an order that risks deadlock), tied to a statement."""

    file: str
    statement: int
    risk: Risk
    message: str
    advice: str | None = None


@dataclass(frozen=True)
class Assumptions:
    """What the estimates rest on, stated in every output: the method that kept the database
    unchanged ("copy": CREATE DATABASE ... TEMPLATE; "rollback": each statement's transaction
    rolled back), where the sizes came from, and the throughputs (bytes/second) measured by
    bench/bench_plan.py."""

    method: str
    sizes_from: str
    rewrite_bytes_per_second: float
    scan_bytes_per_second: float
    large_bytes: int  # a relation at least this big is large
    server_version: str


@dataclass(frozen=True)
class Plan:
    statements: tuple[StatementPlan, ...]
    held: tuple[HeldLock, ...]
    warnings: tuple[FileWarning, ...]
    assumptions: Assumptions
    transaction: Transaction

    @property
    def risk(self) -> Risk:
        levels = [s.risk for s in self.statements] + [w.risk for w in self.warnings]
        return max(levels, key=lambda r: r.rank, default=Risk.LOW)

    @property
    def failed(self) -> StatementPlan | None:
        return next((s for s in self.statements if s.observation.error), None)
