"""A diff for a terminal: breaking changes first, each with its reason and what it breaks.

In: a `Diff`. Out: plain text, e.g.

    schema diff old.json → new.json: 2 changes (1 breaking, 1 safe)
    BREAKING
      column app.page_views.user_id removed
          column dropped: queries that use it fail, and its data is gone
          breaks: analytics.daily_traffic
    SAFE
      table app.shipments added

Long values (view queries, function bodies) follow their change as a unified diff.
"""

from __future__ import annotations

from schemadocs.diff.change import Change, Diff
from schemadocs.diff.describe import describe, long_values, value_diff


def render_text(diff: Diff) -> str:
    lines = [f"schema diff {diff.old} → {diff.new}: {summary(diff)}"]
    for title, changes in (("BREAKING", diff.breaking), ("SAFE", diff.safe)):
        if changes:
            lines.append(title)
            for change in changes:
                lines.extend(_change(change))
    return "\n".join(lines) + "\n"


def summary(diff: Diff) -> str:
    if not diff:
        return "no changes"
    total = len(diff.changes)
    return f"{total} change{'s' if total != 1 else ''} ({len(diff.breaking)} breaking, {len(diff.safe)} safe)"


def _change(change: Change) -> list[str]:
    lines = [f"  {describe(change)}", f"      {change.reason}"]
    if change.impact:
        lines.append("      breaks: " + ", ".join(str(q) for q in change.impact))
    if long_values(change):
        lines.extend(f"      {line}" for line in value_diff(change))
    return lines
