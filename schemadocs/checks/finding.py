"""What a health check reports: a `Finding`, one rule's verdict on one object.

In: a rule's id, level and category, and what its check saw. Out: a frozen, sortable record
whose `fingerprint` (rule + object) stays the same across dump and restore (no OIDs), so a
baseline can recognise a known finding.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum

from schemadocs.model import QualifiedName


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """2 for error, 1 for warning, 0 for info: `a.rank >= b.rank` means a is at least as severe."""
        return _RANKS[self]


_RANKS = {"error": 2, "warning": 1, "info": 0}  # keyed by the value: a Level is the str it holds


class Category(StrEnum):
    KEYS = "keys"
    INDEXES = "indexes"
    TYPES = "types"
    NAMING = "naming"
    DOCUMENTATION = "documentation"
    SECURITY = "security"
    MAINTENANCE = "maintenance"


@dataclass(frozen=True, order=True, init=False)
class Finding:
    """One finding. `object` is the quote_ident-qualified name of the thing to change
    (`s.t`, `s.t.c`, `s.t.a,b`, `s.i`, `s.t.constraint`, `s.f(argtypes)`, `s.seq`); `subject`
    is the relation or routine whose page shows it (None for database-wide findings)."""

    object: str
    rule: str
    level: Level
    category: Category
    message: str
    fix: str | None = None
    subject: QualifiedName | None = field(default=None, compare=False)

    def __init__(self, object: str, rule: str, level: Level, category: Category, message: str,
                 fix: str | None = None, subject: QualifiedName | None = None) -> None:
        # Frozen: each field is set here, once. A large schema has tens of thousands of findings, and
        # storing into the instance's dict costs a third of dataclass's own __init__, which sets each
        # field through object.__setattr__.
        fields = self.__dict__
        fields["object"], fields["rule"], fields["level"], fields["category"] = object, rule, level, category
        fields["message"], fields["fix"], fields["subject"] = message, fix, subject

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(f"{self.rule}\n{self.object}".encode("utf-8")).hexdigest()[:16]
