"""A migration plan for a terminal: the summary line (worst first), each statement, the file's
held locks and warnings, then the assumptions the estimates rest on.

In: a `Plan`. Out: plain text, e.g.

    migration plan: HIGH risk: 1 high, 0 medium, 1 low (2 statements, per-file transaction)

    HIGH   migrations/0042.sql:3  ALTER TABLE app.orders ALTER COLUMN id TYPE bigint
      locks     app.orders AccessExclusiveLock (blocks reads and writes)
      rewrites  app.orders (1.2 GB)
      estimate  ~25 s
      why       takes AccessExclusiveLock on app.orders (...) while it rewrites app.orders (...)
      advice    -- change the type without rewriting the table ...

Every line that holds text from the migration or the database goes through
`render.escape.terminal_text`, so no name, SQL or error message can move the cursor or
forge a line.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from schemadocs.plan.model import Plan, Risk, StatementPlan
from schemadocs.plan.units import human_bytes, human_seconds
from schemadocs.render.escape import terminal_text

METHODS = {"copy": "ran on a throwaway copy of the database (CREATE DATABASE ... TEMPLATE), dropped afterwards",
           "rollback": "each statement ran in a transaction that was rolled back"}


def render_text(plan: Plan) -> str:
    lines = [f"migration plan: {summary(plan)}"]
    for s in plan.statements:
        lines += ["", *_statement(s)]
    if plan.held:
        lines += ["", "held locks (per-file transaction: each held until its file commits)"]
        for h in plan.held:
            st = plan.statements[h.statement].observation.statement
            lines.append(_safe(f"  {st.file}: {h.relation} {h.mode.value} (blocks {h.mode.blocks}), "
                               f"taken at line {st.line}, held ~{human_seconds(h.held_seconds)}"))
    if plan.warnings:
        lines += ["", "warnings"]
        for w in plan.warnings:
            line = plan.statements[w.statement].observation.statement.line
            lines.append(_safe(f"  {w.risk.value.upper():<6} {w.file}:{line}  {w.message}"))
            if w.advice:
                lines += _block("    advice  ", w.advice)
    lines += ["", "assumptions", *(_safe(f"  {line}") for line in assumptions(plan))]
    return "\n".join(lines) + "\n"


def summary(plan: Plan) -> str:
    """`HIGH risk: 1 high, 2 medium, 3 low (6 statements, per-file transaction)`, counts worst first."""
    counts = ", ".join(f"{sum(1 for s in plan.statements if s.risk is r)} {r.value}" for r in reversed(Risk))
    total = len(plan.statements)
    failed = "; a statement failed" if plan.failed else ""
    return (f"{plan.risk.value.upper()} risk: {counts} ({total} statement{'s' if total != 1 else ''}, "
            f"{plan.transaction.value} transaction){failed}")


def assumptions(plan: Plan) -> list[str]:
    """The assumptions, one line each, in plain words (unescaped: each format escapes them)."""
    a = plan.assumptions
    return [f"method: {a.method}: {METHODS.get(a.method, 'as the observer reported')}",
            f"sizes from: {a.sizes_from}",
            f"throughput: rewrite {human_bytes(round(a.rewrite_bytes_per_second))}/s, "
            f"scan {human_bytes(round(a.scan_bytes_per_second))}/s (measured by bench/bench_plan.py; "
            "a production server differs, so estimates are orders of magnitude)",
            f"large table: at least {human_bytes(a.large_bytes)}",
            f"server: PostgreSQL {a.server_version}"]


def _statement(s: StatementPlan) -> list[str]:
    o = s.observation
    sizes = dict(o.sizes)
    first = o.statement.sql.strip().splitlines()[0] if o.statement.sql.strip() else ""
    lines = [_safe(f"{s.risk.value.upper():<6} {o.statement.file}:{o.statement.line}  {first}")]
    lines.append(_safe("  locks     " + (", ".join(f"{lk.relation} {lk.mode.value} (blocks {lk.blocks})"
                                                   for lk in o.locks) or "none")))
    for label, names in (("rewrites", o.rewrites), ("scans", o.scans)):
        if names:
            lines.append(_safe(f"  {label:<9} " + ", ".join(_sized(n, sizes) for n in names)))
    lines.append(f"  estimate  ~{human_seconds(s.estimate_seconds)}")
    lines += _block("  why       ", "\n".join(s.reasons))
    if o.error:
        lines += _block("  error     ", o.error)
    if s.advice:
        lines += _block("  advice    ", s.advice)
    return lines


def _sized(name: str, sizes: Mapping[str, int]) -> str:
    return f"{name} ({human_bytes(sizes[name])})" if name in sizes else name


def _block(label: str, text: str) -> list[str]:
    """`text` under a label, its further lines indented to match (each line escaped)."""
    pad = " " * len(label)
    return [_safe((label if n == 0 else pad) + line) for n, line in enumerate(_lines(text))]


def _lines(text: str) -> Iterable[str]:
    return text.splitlines() if text else []


def _safe(line: str) -> str:
    return terminal_text(line).rstrip()
