"""One change as one line of prose, shared by the text and Markdown renderings.

In: a `Change` and a function that marks up names and values (plain for a terminal,
code spans for Markdown). Out: e.g. "column app.orders.note added", "column
app.products.sku: type character varying(40) → character varying(30)", "index
events_type_idx on app.events removed", "enum app.status: label lost removed". Values that span lines or are long (view queries,
function bodies) are not inlined: `long_values` tells a renderer to show them as a diff.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable

from schemadocs.diff.change import Action, Change
from schemadocs.model import quote_ident

INLINE_LIMIT = 80
CHILDREN = ("constraint", "index", "trigger", "policy")  # named within their relation
FIELD_LABELS = {
    "view_definition": "query",
    "rls_enabled": "row-level security",
    "rls_forced": "forced row-level security",
    "using": "USING",
    "with_check": "WITH CHECK",
    "security_definer": "SECURITY DEFINER",
    "partition_of": "partition of",
}


def describe(change: Change, mark: Callable[[str], str] = str) -> str:
    what = f"{change.object} {mark(change.name)}"
    if change.field == "family":  # schemadocs.families.diff: a schema that joined or left a family
        how = "joined" if change.action is Action.ADDED else "left"
        return f"{what} {how} family {mark(change.new if change.action is Action.ADDED else change.old or '')}"
    if change.object in CHILDREN and change.relation is not None:
        what = f"{change.object} {mark(quote_ident(change.path[-1]))} on {mark(str(change.relation))}"
    if change.object == "grant":
        if change.action is Action.ADDED:
            return f"{mark(change.new or '')} granted on {mark(change.name)}"
        return f"{mark(change.old or '')} revoked on {mark(change.name)}"
    if change.action is Action.ADDED:
        return f"{what} added"
    if change.action is Action.REMOVED:
        return f"{what} removed"
    if change.action is Action.RENAMED:
        return f"{what}: renamed from {mark(change.old or '')}"
    label = FIELD_LABELS.get(change.field or "", (change.field or "").replace("_", " "))
    if change.field == "nullable":
        return f"{what}: NOT NULL {'added' if change.new == 'false' else 'dropped'}"
    if long_values(change):
        return f"{what}: {label} changed"
    if change.old is None:
        return f"{what}: {label} {mark(change.new or '')} added"
    if change.new is None:
        return f"{what}: {label} {mark(change.old)} removed"
    return f"{what}: {label} {mark(change.old)} → {mark(change.new)}"


def long_values(change: Change) -> bool:
    """True when the old or new value is too long or multi-line to show inline."""
    return any(v is not None and ("\n" in v or len(v) > INLINE_LIMIT) for v in (change.old, change.new))


def value_diff(change: Change) -> list[str]:
    """The old and new values as unified diff lines (no file headers)."""
    lines = difflib.unified_diff((change.old or "").splitlines(), (change.new or "").splitlines(), lineterm="", n=2)
    return [line for line in lines if not line.startswith(("---", "+++"))]
