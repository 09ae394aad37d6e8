"""A diff as a compact pull-request comment (GitHub-flavoured Markdown).

In: a `Diff`. Out: Markdown that starts with the marker `<!-- schemadocs-diff -->` (so CI
can find and update its own comment), a one-line summary, a table of the breaking changes
with their reasons and the views they break, the safe changes in a collapsed table, and
the long values (view queries, function bodies) as collapsed diffs. Every name and value
is a code span, so nothing from the database is ever interpreted as Markdown or HTML.
"""

from __future__ import annotations

from schemadocs.diff.change import Diff
from schemadocs.diff.describe import describe, long_values, value_diff
from schemadocs.diff.text import summary
from schemadocs.render.escape import markdown_cell as _cell
from schemadocs.render.escape import markdown_code as code
from schemadocs.render.escape import markdown_fence

MARKER = "<!-- schemadocs-diff -->"
LIMIT = 60_000  # GitHub refuses comments over 65,536 characters


def render_markdown(diff: Diff, limit: int = LIMIT) -> str:
    """The comment; past `limit` characters the changed definitions, then the last rows, are
    left out (with a note saying how many), breaking changes last of all."""
    head = [MARKER, f"### Schema changes: {summary(diff)}", "", f"{code(diff.old)} → {code(diff.new)}", ""]
    breaking = [f"| {describe(c, code)} | {_cell(c.reason)} | {', '.join(code(str(q)) for q in c.impact)} |"
                for c in diff.breaking]
    safe = [f"| {describe(c, code)} | {_cell(c.reason)} |" for c in diff.safe]
    definitions = _definitions(diff)
    total = len(breaking) + len(safe)
    if len(_assemble(head, breaking, safe, definitions, 0)) > limit:
        definitions = []
    while len(text := _assemble(head, breaking, safe, definitions, total - len(breaking) - len(safe))) > limit \
            and (safe or breaking):
        excess = len(text) - limit + 200  # room for the note
        while excess > 0 and (safe or breaking):
            excess -= len((safe if safe else breaking).pop()) + 1
    return text


def _assemble(head: list[str], breaking: list[str], safe: list[str], definitions: list[str], omitted: int) -> str:
    lines = list(head)
    if omitted:
        lines += [(f"**{omitted} change{'s' if omitted != 1 else ''} not shown** (comment size limit): "
                   "see `schemadocs diff` in the job log."), ""]
    if breaking:
        lines += ["| breaking change | why | breaks |", "| --- | --- | --- |", *breaking, ""]
    if safe:
        lines += [f"<details><summary>{len(safe)} safe change{'s' if len(safe) != 1 else ''}</summary>", "",
                  "| safe change | note |", "| --- | --- |", *safe, "", "</details>", ""]
    lines += definitions
    return "\n".join(lines).rstrip("\n") + "\n"


def _definitions(diff: Diff) -> list[str]:
    long = [c for c in diff.changes if long_values(c)]
    if not long:
        return []
    lines = ["<details><summary>Changed definitions</summary>", ""]
    for c in long:
        body = "\n".join(value_diff(c))
        fence = markdown_fence(body)
        lines += [describe(c, code), "", f"{fence}diff", body, fence, ""]
    return [*lines, "</details>", ""]
