"""The result of a diff: `Change`s in a `Diff`, frozen and deterministically sorted.

In: nothing (`diff.diff` builds them). Out: one `Change` per added, removed or renamed
object and per changed field of an object present on both sides, each classified as
breaking or safe with its reason and, where something downstream breaks, the views and
materialized views that break (`impact`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from schemadocs.model import QualifiedName


class Action(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    RENAMED = "renamed"
    CHANGED = "changed"


class Severity(StrEnum):
    BREAKING = "breaking"
    SAFE = "safe"


@dataclass(frozen=True, kw_only=True)
class Change:
    """One difference between the old and the new catalog.

    `object` is the kind of object ("table", "view", "column", "index", "function", ...);
    `name` its display name (quoted where PostgreSQL would quote it), `path` the same name
    as plain parts (schema, relation, child). For `renamed`, `old`/`new` are the old and new
    names; for `changed`, `field` names what changed and `old`/`new` are its values as text
    (None where there was or is none; booleans "true"/"false"; lists comma-separated).
    `relation` is the relation the object is or belongs to, if any.
    """

    object: str
    name: str
    path: tuple[str, ...]
    action: Action
    field: str | None = None
    old: str | None = None
    new: str | None = None
    severity: Severity
    reason: str
    impact: tuple[QualifiedName, ...] = ()  # views and materialized views that break
    relation: QualifiedName | None = None

    @property
    def breaking(self) -> bool:
        return self.severity is Severity.BREAKING

    @property
    def sort_key(self) -> tuple[tuple[str, ...], str, str, str, str, str]:
        return (self.path, self.object, self.action.value, self.field or "", self.old or "", self.new or "")


@dataclass(frozen=True)
class Diff:
    """Every change from `old` to `new` (labels: a file name, a redacted DSN, a database name)."""

    changes: tuple[Change, ...]
    old: str = "old"
    new: str = "new"

    def __post_init__(self) -> None:
        object.__setattr__(self, "changes", tuple(sorted(self.changes, key=lambda c: c.sort_key)))

    def __bool__(self) -> bool:
        return bool(self.changes)

    @property
    def breaking(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.breaking)

    @property
    def safe(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if not c.breaking)

    @cached_property
    def relations(self) -> frozenset[QualifiedName]:
        """The relations (in the new catalog's names) that something changed on or in."""
        return frozenset(c.relation for c in self.changes if c.relation is not None)
