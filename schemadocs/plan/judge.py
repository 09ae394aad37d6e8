"""Judge observed statements: risk, estimated duration, advice, and the file's transaction.

In: the `Observation`s of a migration, how the runner runs it (`Transaction`), the sizes
(from `--sizes` or the database) and the method the observer used. Out: the `Plan`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from schemadocs.plan import throughput
from schemadocs.plan.model import Assumptions, Observation, Plan, Risk, StatementPlan, Transaction


def judge(observations: Sequence[Observation], *, transaction: Transaction, method: str, server_version: str,
          sizes: Mapping[str, int] | None = None, sizes_from: str = "the database") -> Plan:
    """The plan: each statement's risk and estimate (INITIAL VERSION: risk and estimate only;
    advice, held locks and file warnings come with the judge's full version)."""
    assumptions = Assumptions(method=method, sizes_from=sizes_from,
                              rewrite_bytes_per_second=throughput.REWRITE_BYTES_PER_SECOND,
                              scan_bytes_per_second=throughput.SCAN_BYTES_PER_SECOND,
                              large_bytes=throughput.LARGE_BYTES, server_version=server_version)
    plans = tuple(_statement(o, {**dict(o.sizes), **(sizes or {})}) for o in observations)
    return Plan(plans, (), (), assumptions, transaction)


def _statement(o: Observation, sizes: Mapping[str, int]) -> StatementPlan:
    seconds = (sum(sizes.get(r, 0) for r in o.rewrites) / throughput.REWRITE_BYTES_PER_SECOND
               + sum(sizes.get(r, 0) for r in o.scans) / throughput.SCAN_BYTES_PER_SECOND)
    blocking = any(lk.blocks != "nothing" for lk in o.locks)
    large = any(sizes.get(r, 0) >= throughput.LARGE_BYTES for r in (*o.rewrites, *o.scans))
    risk = Risk.HIGH if blocking and large else Risk.MEDIUM if blocking and (o.rewrites or o.scans) else Risk.LOW
    return StatementPlan(o, risk, round(seconds, 3))
