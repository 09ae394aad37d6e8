"""Judge observed statements: risk, estimated duration, advice, and the file's transaction.

In: the `Observation`s of a migration, how the runner runs it (`Transaction`), the sizes
(from `--sizes` or the database) and the method the observer used. Out: the `Plan`.

How risk is decided (`RULES`, quoted by the README), per statement, the worst that applies:

| risk | when |
| --- | --- |
| high | it takes a lock that blocks reads or writes and, under it, rewrites or scans a large table (at least `throughput.LARGE_BYTES`) |
| high | per-file transaction: a lock that blocks reads or writes, taken by an earlier statement of the same file, is still held while this statement rewrites or scans a large table |
| medium | it takes a lock that blocks reads or writes and rewrites or scans a small table |
| medium | it takes an ACCESS EXCLUSIVE lock with no `lock_timeout` in force (it would queue every query on the table behind any long transaction) |
| medium | it makes a breaking change (the diff's classification: a rename, a drop, ...) |
| low | anything else |

Locks on relations the migration itself created do not count (nobody else can see them yet).
Sizes come from `--sizes` (a production snapshot) where it knows the relation, else from the
database the plan ran against. A statement that could not be observed (CREATE INDEX
CONCURRENTLY, VACUUM, ...) is judged by the same rules from its documented locks.
The estimate is rewritten bytes / `REWRITE_BYTES_PER_SECOND` + scanned bytes /
`SCAN_BYTES_PER_SECOND`, to two significant figures. Advice (`advice.py`) is given to medium
and high statements where a pattern applies; the file as a whole is judged in `transaction.py`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from schemadocs.plan import throughput
from schemadocs.plan.advice import advise
from schemadocs.plan.model import Assumptions, Lock, LockMode, Observation, Plan, Risk, StatementPlan, Transaction
from schemadocs.plan.statement_ast import parts
from schemadocs.plan.transaction import whole
from schemadocs.plan.units import human_bytes, human_seconds

RULES: tuple[tuple[str, str], ...] = (
    ("high", "it takes a lock that blocks reads or writes and, under it, rewrites or scans a large table"),
    ("high", "per-file transaction: a lock that blocks reads or writes, taken earlier in the same file, "
             "is still held while this statement rewrites or scans a large table"),
    ("medium", "it takes a lock that blocks reads or writes and rewrites or scans a small table"),
    ("medium", "it takes an ACCESS EXCLUSIVE lock with no lock_timeout in force"),
    ("medium", "it makes a breaking change (a rename, a drop, ...)"),
    ("low", "anything else"),
)

_RELATION_KINDS = frozenset({"table", "partitioned table", "view", "materialized view", "foreign table", "sequence",
                             "index"})


def judge(observations: Sequence[Observation], *, transaction: Transaction, method: str, server_version: str,
          sizes: Mapping[str, int] | None = None, sizes_from: str = "the database") -> Plan:
    """The plan: each statement's risk, estimate and advice, then the file's transaction as a whole."""
    assumptions = Assumptions(method=method, sizes_from=sizes_from,
                              rewrite_bytes_per_second=throughput.REWRITE_BYTES_PER_SECOND,
                              scan_bytes_per_second=throughput.SCAN_BYTES_PER_SECOND,
                              large_bytes=throughput.LARGE_BYTES, server_version=server_version)
    plans: list[StatementPlan] = []
    before: list[frozenset[str]] = []  # per statement: the relations the migration created, up to it
    created: set[str] = set()
    for o in observations:
        created |= created_by(o)
        before.append(frozenset(created))
        plans.append(_statement(o, {**dict(o.sizes), **(sizes or {})}, before[-1]))
    statements, held, warnings = whole(plans, transaction, {**_all_sizes(observations), **(sizes or {})}, before)
    return Plan(statements, held, warnings, assumptions, transaction)


def created_by(o: Observation) -> set[str]:
    """The relations (quote_ident-qualified, as `pg_locks` names them) the statement created."""
    names: set[str] = set()
    for c in o.changes:
        if c.action == "added" and c.object in _RELATION_KINDS:
            p = parts(c.name)
            names.add(f"{p[0]}.{p[-1]}" if len(p) > 2 else c.name)  # an index is named table.index by the diff
    return names


def estimate(o: Observation, sizes: Mapping[str, int]) -> float:
    """Seconds for the statement's rewrites and scans at the benchmark's throughputs, to two significant figures."""
    seconds = (sum(sizes.get(r, 0) for r in o.rewrites) / throughput.REWRITE_BYTES_PER_SECOND
               + sum(sizes.get(r, 0) for r in o.scans) / throughput.SCAN_BYTES_PER_SECOND)
    return rounded(seconds)


def rounded(seconds: float) -> float:
    if seconds <= 0:
        return 0.0
    return max(float(f"{seconds:.2g}"), 0.001)


def _statement(o: Observation, sizes: Mapping[str, int], created: frozenset[str]) -> StatementPlan:
    locks = [lk for lk in o.locks if lk.relation not in created]
    blocking = [lk for lk in locks if lk.blocks != "nothing"]
    work = _work(o)
    large = [w for w in work if sizes.get(w[1], 0) >= throughput.LARGE_BYTES]
    risk, reasons = Risk.LOW, []
    if blocking and large:
        risk = Risk.HIGH
        reasons.append(f"{_locks(blocking)} while it {_works(large, sizes)} "
                       f"(large: at least {human_bytes(throughput.LARGE_BYTES)})")
    elif blocking and work:
        risk = Risk.MEDIUM
        reasons.append(f"{_locks(blocking)} while it {_works(work, sizes)}")
    no_timeout = [lk for lk in locks if lk.mode is LockMode.ACCESS_EXCLUSIVE]
    if no_timeout and o.lock_timeout_ms == 0:
        risk = max(risk, Risk.MEDIUM, key=lambda r: r.rank)
        reasons.append(f"{_locks(no_timeout)} with no lock_timeout: behind any long transaction it would queue "
                       "every query on the table until it gets the lock")
    breaking = [c for c in o.changes if c.severity == "breaking"]
    if breaking:
        risk = max(risk, Risk.MEDIUM, key=lambda r: r.rank)
        reasons.extend(f"breaking: {c.text}" + (f" (breaks {', '.join(c.breaks)})" if c.breaks else "")
                       for c in breaking)
    if not o.observed:
        note = o.note or "judged from the documented locks"
        reasons.append(note if note.startswith("not observed") else f"not observed: {note}")
    advice = advise(o, created=created) if risk is not Risk.LOW else None
    return StatementPlan(o, risk, estimate(o, sizes), tuple(reasons), advice)


def _work(o: Observation) -> list[tuple[str, str]]:
    return [("rewrites", r) for r in o.rewrites] + [("scans", r) for r in o.scans]


def _locks(locks: Sequence[Lock]) -> str:
    return "takes " + ", ".join(f"{lk.mode.value} on {lk.relation} (blocks {lk.blocks})" for lk in sorted(locks))


def _works(work: Sequence[tuple[str, str]], sizes: Mapping[str, int]) -> str:
    """`rewrites a (2.0 GB, ~43 s), b (400.0 MB, ~8.4 s) and scans c (1.0 GB, ~5.2 s)`."""
    verbs: dict[str, list[str]] = {}
    for verb, relation in work:
        size = sizes.get(relation, 0)
        verbs.setdefault(verb, []).append(f"{relation} ({human_bytes(size)}, ~{human_seconds(_seconds(verb, size))})")
    return " and ".join(f"{verb} {', '.join(names)}" for verb, names in verbs.items())


def _seconds(verb: str, size: int) -> float:
    rate = throughput.REWRITE_BYTES_PER_SECOND if verb == "rewrites" else throughput.SCAN_BYTES_PER_SECOND
    return rounded(size / rate)


def _all_sizes(observations: Sequence[Observation]) -> dict[str, int]:
    """Each relation's size before the migration: the first size an observation reported."""
    found: dict[str, int] = {}
    for o in observations:
        for name, size in o.sizes:
            found.setdefault(name, size)
    return found
