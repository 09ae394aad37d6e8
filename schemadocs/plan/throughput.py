"""The throughputs the plan's duration estimates rest on, measured by bench/bench_plan.py.

In: nothing. Out: bytes per second for a table rewrite (ALTER TABLE ... TYPE, with its
indexes rebuilt) and for a full scan (a validating scan of a constraint), and the size from
which a relation counts as large. Every plan states them as assumptions: a production
server's disks and CPUs differ, so the estimates are orders of magnitude, not promises.
"""

from __future__ import annotations

REWRITE_BYTES_PER_SECOND = 50_000_000.0  # provisional until bench/bench_plan.py measures it
SCAN_BYTES_PER_SECOND = 200_000_000.0  # provisional until bench/bench_plan.py measures it
LARGE_BYTES = 100 * 1024 * 1024  # 100 MiB: at the rates above, seconds of blocked traffic
