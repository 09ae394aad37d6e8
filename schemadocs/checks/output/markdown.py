"""A lint report as a pull-request comment (GitHub-flavoured Markdown), worst first.

In: a `Report`. Out: Markdown that starts with the marker `<!-- schemadocs-lint -->` (so CI
can find and update its own comment), a one-line summary, a table of the findings (level,
rule, object, message, fix) worst first (after a note naming the statistics rules not run
on a catalog read with `--no-stats`), and the stale baseline entries in a collapsed list.
Objects and fixes are code spans and messages escaped Markdown text (`render/escape.py`), so
nothing from the database is interpreted as Markdown or HTML. Past `limit` characters the
last rows are left out, with a note.
"""

from __future__ import annotations

from schemadocs.checks.engine import Report
from schemadocs.checks.output.summary import summary
from schemadocs.render.escape import markdown_code, markdown_heading

MARKER = "<!-- schemadocs-lint -->"
LIMIT = 60_000  # GitHub refuses comments over 65,536 characters


def render_markdown(report: Report, limit: int = LIMIT) -> str:
    head = [MARKER, f"### Health checks: {summary(report)}", ""]
    if report.skipped_no_stats:
        head += [f"Not run (the catalog was read with `--no-stats`): "
                 f"{', '.join(markdown_code(r) for r in report.skipped_no_stats)}.", ""]
    rows = [f"| {f.level.value} | {markdown_code(f.rule)} | {markdown_code(f.object)} | {markdown_heading(f.message)} "
            f"| {markdown_code(f.fix) if f.fix else ''} |" for f in report.findings]
    tail = []
    if report.stale:
        tail = [f"<details><summary>{len(report.stale)} stale baseline entr{'y' if len(report.stale) == 1 else 'ies'} "
                "(no longer found: rewrite the baseline)</summary>", "",
                *(f"- {markdown_code(e.rule)} {markdown_code(e.object)}" for e in report.stale), "", "</details>", ""]
    shown = len(rows)
    while len(text := _assemble(head, rows[:shown], tail, len(rows) - shown)) > limit and shown:
        shown -= max(1, (len(text) - limit) // 80)
        shown = max(shown, 0)
    return text


def _assemble(head: list[str], rows: list[str], tail: list[str], omitted: int) -> str:
    lines = list(head)
    if omitted:
        lines += [f"**{omitted} finding{'s' if omitted != 1 else ''} not shown** (comment size limit): "
                  "see `schemadocs lint` in the job log.", ""]
    if rows:
        lines += ["| level | rule | object | finding | fix |", "| --- | --- | --- | --- | --- |", *rows, ""]
    return "\n".join([*lines, *tail]).rstrip("\n") + "\n"
