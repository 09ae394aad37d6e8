"""What every lint format says in one line: the counts by level and the baseline's effect.

In: a `Report`. Out: counts by level, and a sentence such as
"3 findings: 1 error, 2 warnings (4 known findings left out by the baseline)".
"""

from __future__ import annotations

from schemadocs.checks.engine import Report
from schemadocs.checks.finding import Level


def summary(report: Report) -> str:
    """The one-line summary of `report`."""
    counts = level_counts(report)
    parts = [_plural(n, level.value) for level, n in counts.items() if n]
    line = f"{_plural(len(report.findings), 'finding')}" + (f": {', '.join(parts)}" if parts else "")
    if report.known:
        line += f" ({_plural(report.known, 'known finding')} left out by the baseline)"
    return line


def level_counts(report: Report) -> dict[Level, int]:
    """How many findings at each level, worst first."""
    return {level: sum(f.level is level for f in report.findings) for level in sorted(Level, key=lambda lv: -lv.rank)}


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
