"""A migration plan as a pull-request comment (GitHub-flavoured Markdown), worst first.

In: a `Plan`. Out: Markdown that starts with the marker `<!-- schemadocs-plan -->` (so CI can
find and update its own comment): a summary line with the counts by risk, a table of the
statements worst first (file:line, the SQL's first line, locks and what they block, rewrites
and scans with sizes, the estimate), then for each statement that is not low a collapsed
`<details>` block with its reasons, its full SQL and the safer recipe, then the locks each
file holds, the warnings about files as a whole, and the assumptions.

Names, SQL and paths are code spans (`escape.markdown_code`), sentences that mix our words
with names are escaped Markdown text (`escape.markdown_heading`), `<summary>` text is
HTML-escaped, and each code block's fence is longer than any run of backticks inside it
(`escape.markdown_fence`), so nothing from the migration or the database is interpreted as
Markdown or HTML. Past `limit` characters the details of the least risky statements, then
the last table rows, are left out, with a note.
"""

from __future__ import annotations

from markupsafe import escape

from schemadocs.plan.model import Plan, Risk, StatementPlan
from schemadocs.plan.text import assumptions, summary
from schemadocs.plan.units import human_bytes, human_seconds
from schemadocs.render.escape import markdown_code as code
from schemadocs.render.escape import markdown_fence, markdown_heading

MARKER = "<!-- schemadocs-plan -->"
LIMIT = 60_000  # GitHub refuses comments over 65,536 characters
SQL_WIDTH = 80  # the table shows the SQL's first line, cut to this many characters


def render_markdown(plan: Plan, limit: int = LIMIT) -> str:
    order = sorted(range(len(plan.statements)), key=lambda i: (-plan.statements[i].risk.rank, i))
    head = [MARKER, f"### Migration plan: {summary(plan)}", ""]
    rows = [_row(plan.statements[i]) for i in order]
    details = [_details(plan.statements[i]) for i in order
               if plan.statements[i].risk is not Risk.LOW or plan.statements[i].observation.error]
    tail = _held(plan) + _warnings(plan) + ["**Assumptions**", "", *(f"- {markdown_heading(a)}" for a in assumptions(plan)), ""]
    shown_rows, shown_details = len(rows), len(details)
    while len(text := _assemble(head, rows[:shown_rows], details[:shown_details], tail,
                                len(rows) - shown_rows, len(details) - shown_details)) > limit \
            and (shown_details or shown_rows):
        if shown_details:
            shown_details -= 1
        else:
            shown_rows -= 1
    return text


def _assemble(head: list[str], rows: list[str], details: list[list[str]], tail: list[str],
              omitted_rows: int, omitted_details: int) -> str:
    lines = list(head)
    if omitted_rows or omitted_details:
        lines += [f"**Not shown** (comment size limit): {omitted_rows} statement row(s), {omitted_details} "
                  "statement detail(s); see `schemadocs plan` in the job log.", ""]
    if rows:
        lines += ["| risk | statement | SQL | locks | rewrites | scans | estimate |",
                  "| --- | --- | --- | --- | --- | --- | --- |", *rows, ""]
    for block in details:
        lines += block
    return "\n".join([*lines, *tail]).rstrip("\n") + "\n"


def _row(s: StatementPlan) -> str:
    o = s.observation
    sizes = dict(o.sizes)
    sql = o.statement.sql.strip()
    first = sql.splitlines()[0] if sql else ""
    if len(first) > SQL_WIDTH or first != sql:
        first = first[:SQL_WIDTH].rstrip() + " …"
    locks = ", ".join(f"{code(lk.relation)} {lk.mode.value} (blocks {lk.blocks})" for lk in o.locks)
    rewrites, scans = (", ".join(code(n) + (f" {human_bytes(sizes[n])}" if n in sizes else "") for n in names)
                       for names in (o.rewrites, o.scans))
    marks = (" (not observed)" if not o.observed else "") + (" (failed)" if o.error else "")
    return (f"| **{s.risk.value}**{marks} | {code(f'{o.statement.file}:{o.statement.line}')} | {code(first)} "
            f"| {locks} | {rewrites} | {scans} | ~{human_seconds(s.estimate_seconds)} |")


def _details(s: StatementPlan) -> list[str]:
    o = s.observation
    title = escape(" ".join(f"{s.risk.value}: {o.statement.file}:{o.statement.line}".split()))
    lines = [f"<details><summary>{title}: why, and the safer way</summary>", ""]
    lines += [f"- {markdown_heading(r)}" for r in s.reasons]
    if o.error:
        lines += [f"- error: {markdown_heading(o.error)}"]
    lines += ["", *_code_block(o.statement.sql.strip())]
    if s.advice:
        lines += ["Safer:", "", *_code_block(s.advice)]
    return [*lines, "</details>", ""]


def _held(plan: Plan) -> list[str]:
    if not plan.held:
        return []
    lines = ["**Locks held until each file commits** (per-file transaction)", "",
             "| file | relation | lock | blocks | taken at line | held |", "| --- | --- | --- | --- | --- | --- |"]
    for h in plan.held:
        st = plan.statements[h.statement].observation.statement
        lines.append(f"| {code(st.file)} | {code(h.relation)} | {h.mode.value} | {h.mode.blocks} | {st.line} "
                     f"| ~{human_seconds(h.held_seconds)} |")
    return [*lines, ""]


def _warnings(plan: Plan) -> list[str]:
    if not plan.warnings:
        return []
    lines = ["**Warnings about files as a whole**", ""]
    for w in plan.warnings:
        line = plan.statements[w.statement].observation.statement.line
        lines += [f"**{w.risk.value}** {code(f'{w.file}:{line}')}: {markdown_heading(w.message)}", ""]
        if w.advice:
            lines += _code_block(w.advice)
    return lines


def _code_block(body: str) -> list[str]:
    fence = markdown_fence(body)
    return [f"{fence}sql", body, fence, ""]
