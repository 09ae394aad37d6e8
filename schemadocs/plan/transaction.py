"""The migration as its runner executes it: each file in one transaction, or a statement at a time.

In: the judged statements (in migration order), the `Transaction` mode, every relation's size,
and for each statement the relations the migration created before it. Out: the statements
(risk raised, reasons and advice added where the file's transaction makes them worse), the
locks each file holds (`HeldLock`) and the findings about files as a whole (`FileWarning`).

Per-file (the default; most runners wrap a file in one transaction), a lock is held until the
file commits:
- held locks: per file and relation, the strongest mode the file takes, the first statement
  that takes it, and how long it is held: the sum of the estimates of the file's later statements;
- a statement that rewrites or scans a large table while a lock that blocks reads or writes,
  taken earlier in the file, is still held is high (its reasons name the lock and who took it),
  and the file gets a high warning on the statement that took the lock;
- a file that takes ACCESS EXCLUSIVE on two or more tables that existed before the migration,
  one after another, risks a deadlock with an application that locks them in another order:
  medium, high when one is large; the warning names the order.
Either way, the first statement of a file that takes a lock blocking reads or writes with no
`lock_timeout` in force gets a medium warning (advice: `SET lock_timeout` at the top).
Per-statement, each lock is released when its statement ends: no held locks, no deadlock warning.
Relations the migration created are left out: nobody else can wait for them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from schemadocs.plan import throughput
from schemadocs.plan.advice import LOCK_TIMEOUT
from schemadocs.plan.model import FileWarning, HeldLock, Lock, LockMode, Risk, StatementPlan, Transaction
from schemadocs.plan.statement_ast import parse, target_tables
from schemadocs.plan.units import human_bytes, human_seconds


def whole(plans: Sequence[StatementPlan], transaction: Transaction, sizes: Mapping[str, int],
          created: Sequence[frozenset[str]]) -> tuple[tuple[StatementPlan, ...], tuple[HeldLock, ...],
                                                       tuple[FileWarning, ...]]:
    """The statements as the file's transaction leaves them, the held locks and the file warnings."""
    statements = list(plans)
    held: list[HeldLock] = []
    warnings: list[FileWarning] = []
    for indexes in _files(plans).values():
        warnings += _lock_timeout(plans, indexes, created)
        if transaction is Transaction.PER_FILE:
            file_held = _held(plans, indexes, created)
            held += file_held
            warnings += _across(statements, indexes, created, file_held, sizes)
            warnings += _deadlock(plans, indexes, created, sizes)
    return (tuple(statements), tuple(sorted(held, key=lambda h: (h.statement, h.relation))),
            tuple(sorted(warnings, key=lambda w: (w.statement, w.message))))


def _files(plans: Sequence[StatementPlan]) -> dict[str, list[int]]:
    files: dict[str, list[int]] = {}
    for i, p in enumerate(plans):
        files.setdefault(p.observation.statement.file, []).append(i)
    return files


def _held(plans: Sequence[StatementPlan], indexes: list[int], created: Sequence[frozenset[str]]) -> list[HeldLock]:
    strongest: dict[str, tuple[LockMode, int]] = {}
    for i in indexes:
        for lk in plans[i].observation.locks:
            if lk.relation in created[i]:
                continue
            if lk.relation not in strongest or lk.mode.strength > strongest[lk.relation][0].strength:
                strongest[lk.relation] = (lk.mode, i)
    return [HeldLock(relation, mode, i, _after(plans, indexes, i)) for relation, (mode, i) in strongest.items()]


def _after(plans: Sequence[StatementPlan], indexes: list[int], i: int) -> float:
    return round(sum(plans[j].estimate_seconds for j in indexes if j > i), 3)


def _across(statements: list[StatementPlan], indexes: list[int], created: Sequence[frozenset[str]],
            held: list[HeldLock], sizes: Mapping[str, int]) -> list[FileWarning]:
    """Raise the statements that do long work while earlier locks block traffic; warn on the statements
    that took those locks."""
    first: dict[str, tuple[LockMode, int]] = {}  # the first lock on each relation that blocks traffic
    for i in indexes:
        for lk in _blocking(statements[i].observation.locks, created[i]):
            first.setdefault(lk.relation, (lk.mode, i))
    seconds = {h.relation: h.held_seconds for h in held}
    across: dict[int, list[str]] = {}  # taker -> the long work its locks are held across
    for j in indexes:
        work = [(verb, r) for verb, r in _work(statements[j]) if sizes.get(r, 0) >= throughput.LARGE_BYTES]
        earlier = sorted(((i, relation, mode) for relation, (mode, i) in first.items() if i < j))
        if not work or not earlier:
            continue
        s = statements[j]
        what = _described(work, sizes)
        locks = ", ".join(f"{mode.value} on {relation} (blocks {mode.blocks}, line "
                          f"{statements[i].observation.statement.line})" for i, relation, mode in earlier)
        lines = ", ".join(dict.fromkeys(str(statements[i].observation.statement.line) for i, _, _ in earlier))
        advice = ("-- commit before this statement (put it in a migration file of its own), so that the locks\n"
                  f"-- taken at line {lines} are released before this long work starts")
        statements[j] = replace(s, risk=Risk.HIGH,
                                reasons=(*s.reasons, f"per-file transaction: earlier locks are still held while it "
                                                     f"{what}: {locks}"),
                                advice=f"{s.advice}\n\n{advice}" if s.advice else advice)
        for i, _, _ in earlier:
            across.setdefault(i, []).append(f"{what} at line {s.observation.statement.line}")
    warnings = []
    for i, work_lines in sorted(across.items()):
        taker = statements[i].observation.statement
        mine = sorted((relation, mode) for relation, (mode, k) in first.items() if k == i)
        locks = ", ".join(f"{mode.value} on {relation} (blocks {mode.blocks}, ~{human_seconds(seconds.get(relation, 0.0))})"
                          for relation, mode in mine)
        warnings.append(FileWarning(
            taker.file, i, Risk.HIGH,
            f"holds {locks} until the file commits, across the long work of later statements: "
            f"{'; '.join(dict.fromkeys(work_lines))}",
            "-- split the file: commit after the statement that takes the lock, and do the long\n"
            "-- rewrites and scans in a migration of their own"))
    return warnings


def _described(work: Sequence[tuple[str, str]], sizes: Mapping[str, int]) -> str:
    """`rewrites a (2.0 GB), b (400.0 MB) and scans c (1.0 GB)`."""
    verbs: dict[str, list[str]] = {}
    for verb, relation in work:
        verbs.setdefault(verb, []).append(f"{relation} ({human_bytes(sizes.get(relation, 0))})")
    return " and ".join(f"{verb} {', '.join(names)}" for verb, names in verbs.items())


def _work(s: StatementPlan) -> list[tuple[str, str]]:
    return [("rewrites", r) for r in s.observation.rewrites] + [("scans", r) for r in s.observation.scans]


def _lock_timeout(plans: Sequence[StatementPlan], indexes: list[int],
                  created: Sequence[frozenset[str]]) -> list[FileWarning]:
    risky = [i for i in indexes if plans[i].observation.lock_timeout_ms == 0
             and _blocking(plans[i].observation.locks, created[i])]
    if not risky:
        return []
    first = plans[risky[0]].observation
    locks = ", ".join(f"{lk.mode.value} on {lk.relation} (blocks {lk.blocks})"
                      for lk in _blocking(first.locks, created[risky[0]]))
    more = f"; {len(risky) - 1} later statement(s) of the file too" if len(risky) > 1 else ""
    return [FileWarning(first.statement.file, risky[0], Risk.MEDIUM,
                        f"takes {locks} with no lock_timeout set earlier in the file{more}",
                        "-- at the top of the file:\n" + LOCK_TIMEOUT)]


def _blocking(locks: Sequence[Lock], created: frozenset[str]) -> list[Lock]:
    return sorted(lk for lk in locks if lk.blocks != "nothing" and lk.relation not in created)


def _deadlock(plans: Sequence[StatementPlan], indexes: list[int], created: Sequence[frozenset[str]],
              sizes: Mapping[str, int]) -> list[FileWarning]:
    order: dict[str, int] = {}
    for i in indexes:
        o = plans[i].observation
        exclusive = {lk.relation for lk in o.locks if lk.mode is LockMode.ACCESS_EXCLUSIVE}
        seen = {lk.relation for lk in o.locks} | set(o.rewrites) | set(o.scans)
        for table in target_tables(parse(o.statement.sql), seen):
            if table in exclusive and table not in created[i]:
                order.setdefault(table, i)
    if len(order) < 2:
        return []
    tables = list(order)
    second = sorted(order.values())[1]
    large = any(sizes.get(t, 0) >= throughput.LARGE_BYTES for t in tables)
    steps = ", then ".join(f"{t} (line {plans[i].observation.statement.line})" for t, i in order.items())
    return [FileWarning(
        plans[second].observation.statement.file, second, Risk.HIGH if large else Risk.MEDIUM,
        f"takes ACCESS EXCLUSIVE locks on {len(tables)} tables in one transaction, in this order: {steps}; "
        "an application transaction that locks them in another order deadlocks with it"
        + (", and one of them is large" if large else ""),
        "-- take the locks up front, in one order (the order the application uses), then do the work\n"
        f"LOCK TABLE {', '.join(tables)} IN ACCESS EXCLUSIVE MODE;\n"
        "-- or split the file so that each transaction locks one table")]

