"""A lint report for a terminal.

In: a `Report`. Out: one block per finding (level, rule, object; the message; the fix), then
the summary, the stale baseline entries and the statistics rules not run. Names pass through
`terminal_text`, so nothing from the database can move the cursor or fake a line.
"""

from __future__ import annotations

from schemadocs.checks.engine import Report
from schemadocs.checks.output.summary import summary
from schemadocs.render.escape import terminal_text


def render_text(report: Report) -> str:
    lines: list[str] = []
    for f in report.findings:
        lines.append(f"{f.level.value:<8}{f.rule}  {terminal_text(f.object)}")
        lines.append(f"  {terminal_text(f.message)}")
        if f.fix:
            lines.append(f"  fix: {terminal_text(f.fix)}")
    lines.append(summary(report))
    if report.stale:
        lines.append(f"{len(report.stale)} baseline entr{'y' if len(report.stale) == 1 else 'ies'} no longer "
                     "found (fixed or renamed; rewrite the baseline with --write-baseline to drop them):")
        lines += [f"  {e.rule}  {terminal_text(e.object)}" for e in report.stale]
    if report.skipped_no_stats:
        lines.append(f"not run (the catalog was read with --no-stats): {', '.join(report.skipped_no_stats)}")
    return "\n".join(lines) + "\n"
