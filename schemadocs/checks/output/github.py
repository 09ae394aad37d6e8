"""A lint report as GitHub Actions workflow commands: one annotation per finding.

In: a `Report`. Out: `::error title=RULE: OBJECT::MESSAGE Fix: FIX` lines (`notice` for info),
each value escaped per GitHub's rules (`github_property`, `github_data`: names are hostile
input and must not end a command or start another), then the summary, the stale baseline entries and the statistics rules not run as plain log text.
"""

from __future__ import annotations

from schemadocs.checks.engine import Report
from schemadocs.checks.finding import Level
from schemadocs.checks.output.summary import summary
from schemadocs.render.escape import github_data, github_property, terminal_text

COMMANDS = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "notice"}


def render_github(report: Report) -> str:
    lines = [f"::{COMMANDS[f.level]} title={github_property(f'{f.rule}: {f.object}')}::"
             f"{github_data(f.message + (f' Fix: {f.fix}' if f.fix else ''))}" for f in report.findings]
    lines.append(summary(report))
    lines += [f"stale baseline entry: {e.rule} {terminal_text(e.object)}" for e in report.stale]
    if report.skipped_no_stats:
        lines.append(f"not run (the catalog was read with --no-stats): {', '.join(report.skipped_no_stats)}")
    return "\n".join(lines) + "\n"
