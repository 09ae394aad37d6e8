"""The "Migration plan" section of the Changes page: the plan of the migration this build applied.

In: the catalog being documented, the page the section is on, and a `Plan` (as read by
`schemadocs.plan.json_format.loads` from `schemadocs build --plan FILE.json`). Out:
`PlanSection`, everything the template shows, already formatted: the summary by risk, one
row per statement (file:line, risk, the statement on one line, its locks with what they
block, rewrites and scans with their sizes, the estimate, why), the advice as SQL, the locks
the file holds until commit, the file's warnings and the assumptions the estimates rest on.
Relations that are documented link to their pages. Text stays plain here: the template
escapes it (autoescaping, `fence` for SQL).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from schemadocs.model import Catalog
from schemadocs.plan.model import Plan, Risk, StatementPlan, Transaction
from schemadocs.render.contexts import Link, human_size, relation_link

SQL_WIDTH = 160  # characters of a statement shown in the table; the file holds the rest


@dataclass(frozen=True)
class LockCell:
    relation: Link
    mode: str
    blocks: str


@dataclass(frozen=True)
class RelationCell:
    relation: Link
    size: str  # "1.2 GB", or "" when the plan holds no size for it


@dataclass(frozen=True)
class StatementRow:
    where: str  # file:line
    risk: str
    sql: str  # one line, shortened
    locks: tuple[LockCell, ...]
    rewrites: tuple[RelationCell, ...]
    scans: tuple[RelationCell, ...]
    estimate: str
    notes: tuple[str, ...]  # why the risk, what could not be observed, the error


@dataclass(frozen=True)
class AdviceBlock:
    where: str
    title: str
    sql: str


@dataclass(frozen=True)
class HeldRow:
    relation: Link
    mode: str
    blocks: str
    taken_at: str  # file:line of the statement that took it
    held: str


@dataclass(frozen=True)
class WarningRow:
    where: str
    risk: str
    message: str


@dataclass(frozen=True)
class PlanSection:
    anchor: str
    risk: str
    summary: str
    failed: str  # "" or the statement that failed, file:line and PostgreSQL's message
    rows: tuple[StatementRow, ...]
    advice: tuple[AdviceBlock, ...]
    held: tuple[HeldRow, ...]
    warnings: tuple[WarningRow, ...]
    assumptions: tuple[tuple[str, str], ...]  # (what, value)


def plan_section(catalog: Catalog, page: str, plan: Plan, anchor: str) -> PlanSection:
    """The section for `plan`, on `page` (links are relative to it), at `anchor`."""
    known = {str(r.qname): r.qname for r in catalog.relations}

    def link(relation: str) -> Link:
        qname = known.get(relation)
        return relation_link(catalog, page, qname) if qname is not None else Link(relation, None)

    def where(s: StatementPlan) -> str:
        return f"{s.observation.statement.file}:{s.observation.statement.line}"

    rows = tuple(_row(s, where(s), link) for s in plan.statements)
    advice = tuple(AdviceBlock(where(s), f"{where(s)} ({s.risk.value})", s.advice)
                   for s in plan.statements if s.advice)
    advice += tuple(AdviceBlock(where(plan.statements[w.statement]),
                                f"{where(plan.statements[w.statement])}: {_one_line(w.message)}", w.advice)
                    for w in plan.warnings if w.advice)
    held = tuple(HeldRow(relation=link(h.relation), mode=h.mode.value, blocks=h.mode.blocks,
                         taken_at=where(plan.statements[h.statement]), held=duration(h.held_seconds))
                 for h in plan.held)
    warnings = tuple(WarningRow(where(plan.statements[w.statement]), w.risk.value, _one_line(w.message))
                     for w in plan.warnings)
    failed = plan.failed
    return PlanSection(anchor=anchor, risk=plan.risk.value, summary=summary(plan),
                       failed="" if failed is None else f"{where(failed)}: {_one_line(failed.observation.error or '')}",
                       rows=rows, advice=advice, held=held, warnings=warnings, assumptions=assumptions(plan))


def summary(plan: Plan) -> str:
    """"3 statements (1 high, 1 medium, 1 low), run in one transaction per file"."""
    n = len(plan.statements)
    counts = ", ".join(f"{sum(1 for s in plan.statements if s.risk is r)} {r.value}" for r in reversed(Risk))
    how = "in one transaction per file" if plan.transaction is Transaction.PER_FILE else "one statement at a time"
    return f"{n} statement{'s' if n != 1 else ''} ({counts}), run {how}"


def assumptions(plan: Plan) -> tuple[tuple[str, str], ...]:
    a = plan.assumptions
    method = {"copy": "run on a copy (CREATE DATABASE ... TEMPLATE)",
              "rollback": "run in transactions that were rolled back"}.get(a.method, a.method)
    return (("Observed on", f"PostgreSQL {a.server_version}, {method}"),
            ("Sizes from", a.sizes_from),
            ("Rewrite throughput", f"{human_size(int(a.rewrite_bytes_per_second))}/s"),
            ("Scan throughput", f"{human_size(int(a.scan_bytes_per_second))}/s"),
            ("Large from", human_size(a.large_bytes)))


def duration(seconds: float) -> str:
    """Seconds for a reader: "< 0.1 s", "12.5 s", "3 min 20 s", "2 h 5 min"."""
    if seconds < 0.1:
        return "< 0.1 s"
    if seconds < 60:
        return f"{seconds:.1f} s"
    whole = round(seconds)
    if whole < 3600:
        return f"{whole // 60} min {whole % 60} s"
    return f"{whole // 3600} h {whole % 3600 // 60} min"


def _row(s: StatementPlan, where: str, link: Callable[[str], Link]) -> StatementRow:
    o = s.observation
    sizes = dict(o.sizes)

    def cell(relation: str) -> RelationCell:
        size = sizes.get(relation)
        return RelationCell(link(relation), human_size(size) if size is not None else "")

    notes = list(s.reasons)
    if o.note:
        notes.append(o.note)
    if not o.observed and not o.note:
        notes.append("not observed: the documented behaviour is shown")
    if o.error:
        notes.append(f"failed: {o.error}")
    return StatementRow(
        where=where, risk=s.risk.value, sql=_shorten(_one_line(o.statement.sql), SQL_WIDTH),
        locks=tuple(LockCell(link(lk.relation), lk.mode.value, lk.blocks) for lk in o.locks),
        rewrites=tuple(cell(r) for r in o.rewrites), scans=tuple(cell(r) for r in o.scans),
        estimate=duration(s.estimate_seconds) if (o.rewrites or o.scans) else "",
        notes=tuple(_one_line(n) for n in notes))


def _one_line(text: str) -> str:
    """Whitespace (line breaks included) collapsed: a blank line would end the page's HTML block."""
    return " ".join(text.split())


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"

