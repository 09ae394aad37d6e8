"""The throughputs the plan's duration estimates rest on, measured by bench/bench_plan.py.

In: nothing. Out: bytes per second for a table rewrite (ALTER TABLE ... TYPE, with its
indexes rebuilt) and for a full scan (a validating scan of a constraint), and the size from
which a relation counts as large. Every plan states them as assumptions: a production
server's disks and CPUs differ, so the estimates are orders of magnitude, not promises.
"""

from __future__ import annotations

# Measured 2026-12-01 by `python -m bench.bench_plan --sizes 20 100 300 --runs 3` on 2 shared
# vCPUs (other work running), embedded PostgreSQL 16.2 (pgserver), default settings:
# the slowest size's median, rounded down to two significant figures. Rewrite: ALTER COLUMN
# id TYPE bigint on a table with a primary key and one more index, 46-52 MB/s of
# pg_total_relation_size (0.35-0.57x a CREATE TABLE AS copy of the heap in the same run).
# Scan: VALIDATE CONSTRAINT of a CHECK, 640-1,590 MB/s of heap (0.63-1.06x a plain
# count(*)); the tables were in memory, so a table larger than its server's RAM scans at the
# speed of its disks instead, often several times slower.
REWRITE_BYTES_PER_SECOND = 45_000_000.0
SCAN_BYTES_PER_SECOND = 630_000_000.0
LARGE_BYTES = 100 * 1024 * 1024  # 100 MiB: a rewrite of ~2 s, a cold scan of ~1 s of blocked traffic
